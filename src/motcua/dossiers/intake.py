"""Intake: a dossier enters through any channel (docs/api.md ``POST /dossiers``).

One transaction writes the dossier, its first participant, its code (numbered last, see
``codes.assign_code``) and its first event.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid

from django.db import transaction
from django.utils import timezone

from motcua.accounts.models import Role, User
from motcua.accounts.profile import find_citizen
from motcua.accounts.signon import signed_on_nationally
from motcua.catalog import services as catalog
from motcua.catalog.formfields import check_answers
from motcua.catalog.models import Procedure, Unit, in_force
from motcua.dossiers import audit, scope, steps, workflow
from motcua.dossiers.codes import assign_code
from motcua.dossiers.deadlines import compute_deadline
from motcua.dossiers.models import Channel, Delivery, Dossier, DossierUnit, Source
from motcua.dossiers.validation import check_applicant
from motcua.errors import Forbidden, InvalidInput, NotFound
from motcua.worktime import calendar as wt

MAX_DATA_CHARS = 20_000  # the form answers of one dossier (JSON text)


def receive_dossier(
    *, actor: User | None, procedure_code: str, unit_code: str, channel: str, applicant: dict,
    data: dict | None = None, source: str | None = None, arrived_at: dt.datetime | None = None,
    delivery: str = Delivery.COUNTER, delivery_address: str = "", owner: User | str | None = None,
    require_answers: bool = False,
) -> Dossier:
    """Take a dossier in through any channel.

    A citizen files ``online`` (status ``submitted`` until a counter officer accepts it);
    a counter officer files ``direct`` or ``postal`` (status ``received``). The receipt
    time is the effective receipt of the arrival moment (docs/deadlines.md). The returned
    dossier carries ``intake_event``, the event just recorded.

    ``data`` is checked against the procedure's form (``catalog.formfields.check_answers``):
    every answer given must be valid; with ``require_answers`` (the API and the filing page
    for an online dossier) every required one must be given too (at the counter the paper
    declaration carries them; scripts and the importer bring what they have). ``owner`` (a citizen, or their phone, e-mail, ID number or username: ``accounts.profile.find_citizen``)
    is assisted online filing: a counter officer files ``online`` for a citizen, who owns
    the dossier; the first event names the officer.
    """
    problems: dict[str, list[str]] = {}
    if channel not in Channel.values:
        problems["channel"] = [f"Kênh nộp phải là một trong: {', '.join(Channel.values)}."]
    if delivery not in Delivery.values:
        problems["delivery"] = [f"Hình thức nhận kết quả phải là một trong: {', '.join(Delivery.values)}."]
    if source and source not in (Source.PORTAL, Source.NATIONAL_PORTAL, Source.VNEID):
        problems["source"] = ["Nguồn phải là portal, national_portal hoặc vneid."]
    if data is not None and not isinstance(data, dict):
        problems["data"] = ["Nội dung yêu cầu phải là một đối tượng JSON."]
    elif data and len(json.dumps(data, ensure_ascii=False, default=str)) > MAX_DATA_CHARS:
        problems["data"] = [f"Nội dung yêu cầu dài quá {MAX_DATA_CHARS} ký tự."]
    try:
        forwarded = actor is not None and getattr(actor, "role", "") == Role.NATIONAL_PORTAL
        cleaned = check_applicant(applicant or {}, phone_required=not forwarded)
    except InvalidInput as exc:
        problems.update(exc.fields)
        cleaned = None
    if problems:
        raise InvalidInput("Hồ sơ chưa hợp lệ.", code="invalid_dossier", fields=problems)

    procedure, unit = _intake_references(procedure_code, unit_code)
    today = timezone.localdate()
    if not in_force(procedure, today):
        raise InvalidInput("Thủ tục này đã hết hiệu lực.", code="procedure_not_in_force", fields={"procedure": ["Hết hiệu lực."]})
    if not in_force(unit, today):
        raise InvalidInput("Đơn vị này không còn hoạt động.", code="unit_not_in_force", fields={"unit": ["Không còn hoạt động."]})
    if not catalog.unit_performs(unit, procedure):
        raise InvalidInput(
            f"{unit.name} không giải quyết thủ tục “{procedure.name}”.", code="procedure_not_performed",
            fields={"procedure": ["Đơn vị không thực hiện thủ tục này."]},
        )

    role = actor.role if actor is not None and actor.is_authenticated else None
    online = channel == Channel.ONLINE
    assisted = owner not in (None, "")
    if assisted and channel not in workflow.OWNER_CHANNELS:
        raise InvalidInput("Chỉ hồ sơ trực tuyến mới có chủ tài khoản.", code="invalid_dossier",
                           fields={"owner": ["Dùng với kênh online."]})
    way, refusal = workflow.intake_way(channel, assisted, role)  # who may bring it in, how it starts
    if way is None:
        raise Forbidden(refusal, code="channel_not_allowed")
    tied = {workflow.MEMBER: lambda: unit.pk in scope.member_unit_ids(actor),
            workflow.FORWARDS: lambda: scope.forwards_to(actor, unit)}
    if way.unit and not tied[way.unit]():
        raise Forbidden(way.unit_refusal[0], code=way.unit_refusal[1])
    if way.owner == "named":
        citizen = owner if isinstance(owner, User) else find_citizen(str(owner))
        if citizen is None or citizen.role != Role.CITIZEN or not citizen.is_active:
            raise InvalidInput("Không tìm thấy tài khoản công dân này.", code="unknown_owner",
                               fields={"owner": ["Không có tài khoản công dân với số điện thoại, thư điện tử, "
                                                 "số định danh hoặc tên đăng nhập này."]})
        owner = citizen
    else:
        owner = actor if way.owner == "actor" else None
    status, src = way.status, way.source or source or Source.PORTAL
    assisted_by = actor if assisted else None

    data, problems = check_answers(procedure.form, data, require=require_answers and online)
    if src == Source.VNEID and not signed_on_nationally(owner):
        # Only a real national sign-on makes a dossier "from VNeID" (and its owner verified:
        # dossier_flags, the national record's TaiKhoanDuocXacThucVoiVNeID): never a posted word.
        problems["source"] = ["Chỉ hồ sơ của tài khoản đã đăng nhập bằng VNeID (đăng nhập một lần quốc gia) "
                              "mới có nguồn vneid."]
    delivery_address = " ".join(str(delivery_address or "").split())
    if len(delivery_address) > 300:
        problems["delivery_address"] = ["Dài quá 300 ký tự."]
    if online and delivery == Delivery.ELECTRONIC and not procedure.result_electronic:
        problems["delivery"] = ["Thủ tục này chưa trả kết quả bản điện tử: chọn nhận tại Bộ phận Một cửa hoặc qua bưu chính."]
    if online and delivery == Delivery.POST:
        if not procedure.result_by_post:
            problems["delivery"] = ["Thủ tục này không trả kết quả qua bưu chính."]
        elif not (delivery_address or cleaned["address"]):
            problems["delivery_address"] = ["Vui lòng nhập địa chỉ nhận kết quả qua bưu chính."]
    if problems:
        raise InvalidInput("Nội dung hồ sơ chưa hợp lệ.", code="invalid_data", fields=problems)
    if delivery == Delivery.POST and not delivery_address:
        delivery_address = cleaned["address"]

    arrived = arrived_at or timezone.now()
    deadline = compute_deadline(procedure, unit, arrived)
    # Everything that can be made or read before the transaction is: on SQLite the transaction
    # holds the database's write lock (BEGIN IMMEDIATE), and every intake waits for it in turn.
    dossier = Dossier(
        code=f"~{uuid.uuid4().hex}",  # provisional: the dossier is numbered last, see assign_code
        procedure=procedure, unit=unit, current_unit=unit, channel=channel, source=src, status=status,
        applicant_name=cleaned["full_name"], applicant_id_number=cleaned["id_number"],
        applicant_phone=cleaned["phone"], applicant_email=cleaned["email"], applicant_address=cleaned["address"],
        data=data or {}, owner=owner, created_by=actor, submitted_at=arrived,
        received_at=deadline.received_at, due_at=deadline.due_at, original_due_at=deadline.due_at,
        delivery=delivery, delivery_address=delivery_address,
    )
    dossier.step_shares = steps.shares_of(procedure.pk)  # the first handling step's (inspection.store)
    with transaction.atomic():
        dossier.save(force_insert=True)
        DossierUnit.objects.create(dossier=dossier, unit=unit)
        assign_code(dossier, deadline.received_at.astimezone(wt.VN_TZ).date())
        changes = {"received_at": audit.as_json(deadline.received_at), "due_at": audit.as_json(deadline.due_at)}
        note = ""
        if assisted_by is not None:
            changes["assisted_by"] = assisted_by.username
            note = f"Cán bộ {assisted_by.display_name()} hỗ trợ nộp hồ sơ trực tuyến."
        event = audit.record_first_event(
            dossier, action=way.event, actor=actor, from_status="",
            at=arrived, changes=changes, note=note,
        )
    if event.unit_id == dossier.unit_id:
        event.unit = dossier.unit  # the answer shows the event's unit: the one in hand, not read again
    dossier.intake_event = event  # its whole trail so far: callers that show it need not read it back
    return dossier


def _intake_references(procedure_code: str, unit_code: str) -> tuple[Procedure, Unit]:
    """The procedure and unit named in an intake body; unknown ones are invalid input
    (422 with the field named), not a missing resource. The procedure comes annotated
    with what intake checks next (see ``catalog.procedure_for_intake``)."""
    problems: dict[str, list[str]] = {}
    codes: list[str] = []
    unit = procedure = None
    try:
        unit = catalog.get_unit(str(unit_code or ""))
    except NotFound as exc:
        problems.update(exc.fields or {"unit": ["Không tồn tại."]})
        codes.append(exc.code)
    try:
        procedure = catalog.procedure_for_intake(str(procedure_code or ""), unit)
    except NotFound as exc:
        problems.update(exc.fields or {"procedure": ["Không tồn tại."]})
        codes.insert(0, exc.code)
    if problems:
        message = "Không tìm thấy thủ tục hoặc đơn vị đã chọn." if len(codes) > 1 else (
            "Không tìm thấy thủ tục có mã đã chọn." if "procedure" in problems else "Không tìm thấy đơn vị có mã đã chọn.")
        raise InvalidInput(message, code=codes[0] if len(codes) == 1 else "invalid_dossier", fields=problems)
    return procedure, unit
