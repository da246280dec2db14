"""Inspection records (biên bản kiểm tra công vụ): an inspector opens an inspection of a unit
for a period, notes findings (against dossiers of that unit, or general), and closes it.

Each step is an append-only ``InspectionEntry`` written in the transaction that changes the
inspection (its trail, numbered like a dossier's); a closed inspection takes nothing more.
Who: inspectors and administrators open, note and close, within their report scope
(``dossiers.scope``, purpose ``REPORTS``); leaders read the records of their units.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from motcua import errors
from motcua.accounts.models import Role
from motcua.catalog import services as catalog
from motcua.dossiers import scope
from motcua.dossiers.models import Dossier
from motcua.errors import Conflict, Forbidden, InvalidInput
from motcua.inspection.models import Inspection, InspectionEntry
from motcua.inspection.officers import FLAGS
from motcua.reports.services import may_report_on, parse_period

SUBJECT_MAX = 300
TEXT_MAX = 4000
INSPECTING_ROLES = frozenset({Role.INSPECTOR, Role.ADMIN})


def may_inspect(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.role in INSPECTING_ROLES)


def visible(user) -> QuerySet[Inspection]:
    """The inspections of the units ``user`` may report on, newest first."""
    ids = scope.unit_ids(user, scope.Purpose.REPORTS)
    qs = Inspection.objects.select_related("unit", "opened_by", "closed_by").order_by("-opened_at", "-pk")
    return qs if ids is None else qs.filter(unit_id__in=ids)


def get_visible(user, pk) -> Inspection:
    return errors.one_by_id(visible(user), pk, "Không tìm thấy đợt kiểm tra.", "inspection_not_found")


def _text(value, field: str, limit: int, required: bool = True) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise InvalidInput("Vui lòng nhập nội dung.", code="missing_fields", fields={field: ["Bắt buộc."]})
    if len(text) > limit:
        raise InvalidInput("Nội dung quá dài.", code="too_long", fields={field: [f"Tối đa {limit} ký tự."]})
    return text


def _check_inspector(user) -> None:
    if not may_inspect(user):
        raise Forbidden("Chỉ thanh tra và quản trị được lập, ghi và kết thúc đợt kiểm tra.", code="role_not_allowed")


def _append(inspection: Inspection, user, kind: str, text: str, dossier: Dossier | None = None, flag: str = "") -> InspectionEntry:
    last = inspection.entries.order_by("-seq").values_list("seq", flat=True).first() or 0
    entry = InspectionEntry(inspection=inspection, seq=last + 1, kind=kind, at=timezone.now(), author=user,
                            author_name=user.display_name(), dossier=dossier, flag=flag, text=text)
    entry.save()
    return entry


def open_inspection(user, *, unit_code: str, date_from, date_to, subject: str, unannounced: bool = False) -> Inspection:
    _check_inspector(user)
    problems: dict[str, list[str]] = {}
    try:
        first, last = parse_period(date_from, date_to)
    except InvalidInput as exc:
        problems.update(exc.fields)
    try:
        subject = _text(subject, "subject", SUBJECT_MAX)
    except InvalidInput as exc:
        problems.update(exc.fields)
    if problems:
        raise InvalidInput("Thông tin đợt kiểm tra chưa hợp lệ.", code="invalid_inspection", fields=problems)
    unit = catalog.get_unit(str(unit_code or "").strip())
    if not may_report_on(user, unit):
        raise Forbidden(f"Bạn không có quyền kiểm tra {unit.name}.", code="unit_not_allowed")
    with transaction.atomic():
        inspection = Inspection.objects.create(unit=unit, date_from=first, date_to=last, subject=subject,
                                               unannounced=bool(unannounced), opened_by=user, opened_at=timezone.now())
        _append(inspection, user, InspectionEntry.Kind.OPENED, subject)
    return inspection


def _locked_open(user, pk) -> Inspection:
    _check_inspector(user)
    inspection = get_visible(user, pk)
    inspection = Inspection.objects.select_for_update().select_related("unit").get(pk=inspection.pk)
    if inspection.state != Inspection.State.OPEN:
        raise Conflict("Đợt kiểm tra đã kết thúc, không ghi thêm được.", code="inspection_closed")
    return inspection


def note_finding(user, pk, *, text: str, dossier_code: str = "", flag: str = "") -> InspectionEntry:
    """A finding of an open inspection, against one dossier of the inspected unit (or below it)
    when ``dossier_code`` is given; ``flag`` names the inspectors' flag it is about, if any."""
    text = _text(text, "text", TEXT_MAX)
    flag = str(flag or "").strip()
    if flag and flag not in FLAGS:
        raise InvalidInput("Dấu hiệu không hợp lệ.", code="invalid_flag", fields={"flag": [f"Chọn: {', '.join(FLAGS)}."]})
    with transaction.atomic():
        inspection = _locked_open(user, pk)
        dossier = None
        code = str(dossier_code or "").strip()
        if code:
            below = inspection.unit.subtree().values_list("pk", flat=True)
            dossier = (scope.visible_dossiers(user).filter(scope.units_visibility(below))
                       .filter(code=code[:80]).first())
            if dossier is None:
                raise InvalidInput("Không tìm thấy hồ sơ này trong đơn vị được kiểm tra.", code="dossier_not_found",
                                   fields={"dossier": ["Nhập mã hồ sơ của đơn vị được kiểm tra."]})
        return _append(inspection, user, InspectionEntry.Kind.FINDING, text, dossier, flag)


def close_inspection(user, pk, *, conclusion: str) -> Inspection:
    conclusion = _text(conclusion, "conclusion", TEXT_MAX)
    with transaction.atomic():
        inspection = _locked_open(user, pk)
        inspection.state = Inspection.State.CLOSED
        inspection.closed_by = user
        inspection.closed_at = timezone.now()
        inspection.conclusion = conclusion
        inspection.save(update_fields=["state", "closed_by", "closed_at", "conclusion"])
        _append(inspection, user, InspectionEntry.Kind.CLOSED, conclusion)
    return inspection


def record_data(inspection: Inspection) -> dict:
    """What the printed record (Typst ``printing/typst/inspection.typ``) shows."""
    from motcua.inspection import officers
    from motcua.printing import text as printed
    from motcua.reports.services import ReportQuery

    unit = inspection.unit
    query = ReportQuery(unit, inspection.date_from, inspection.date_to, children=True)
    report = officers.officers_report(query)
    labels = {k: str(v) for k, v in officers.FIGURE_LABELS.items()}
    day = printed.local(inspection.closed_at or timezone.now()).date()
    return {
        "number": f"{inspection.pk:05d}/KTCV",
        "agency": printed.agency_lines(unit),
        "place_date": f"{printed.place_name(unit)}, {printed.long_date(day)}",
        "unit": unit.name,
        "period": f"từ {inspection.date_from:%d/%m/%Y} đến {inspection.date_to:%d/%m/%Y}",
        "subject": inspection.subject,
        "kind": "Kiểm tra đột xuất" if inspection.unannounced else "Kiểm tra theo kế hoạch",
        "opened": f"{inspection.opened_by.display_name()}, {printed.moment_text(inspection.opened_at)}",
        "opened_name": inspection.opened_by.display_name(),
        "state": str(inspection.get_state_display()),
        "officers": [{"name": f"{o['officer_name']} ({o['unit_name']})", "handled": str(o["handled"]), "late": str(o["late"]),
                      "supplement_requests": str(o["supplement_requests"]), "apologies": str(o["apologies"]),
                      "refusals": str(o["refusals"])} for o in report["items"]],
        "findings": [{"at": printed.moment_text(e.at), "dossier": e.dossier.code if e.dossier_id else "–",
                      "flag": labels.get(e.flag, ""), "text": e.text}
                     for e in inspection.entries.select_related("dossier").filter(kind=InspectionEntry.Kind.FINDING)],
        "conclusion": inspection.conclusion,
        "closed": printed.moment_text(inspection.closed_at) if inspection.closed_at else "",
        "footer": f"Biên bản kiểm tra công vụ {inspection.pk:05d}/KTCV · {unit.name}",
    }


def record_pdf(inspection: Inspection) -> bytes:
    from motcua.printing.pdf import render_pdf

    return render_pdf("inspection", record_data(inspection))
