"""What each workflow action changes on a dossier, beyond its status.

A handler gets the locked dossier, the acting user, the action's payload and the moment,
sets the fields it changes and returns them as ``{field: [old, new]}`` for the event.
Whether the action may be taken at all is decided before, once (``actions.check``); a
handler only rejects a payload it cannot use (an unknown assignee or unit, a bad date).
The transition table (``workflow.TRANSITIONS``) names each action's handler.
"""

from __future__ import annotations

import datetime as dt

from motcua import dates
from motcua.accounts.models import Role, User
from motcua.catalog.models import Level, Unit
from motcua.dossiers.models import Delivery, Dossier, DossierUnit
from motcua.errors import InvalidInput
from motcua.worktime import calendar as wt
from motcua.worktime.services import calendar_for_unit


# A new appointment (reschedule) lies at most this many calendar days after the current due time.
RESCHEDULE_MAX_DAYS = 365


def parse_moment(value, field: str) -> dt.datetime:
    if isinstance(value, dt.datetime):
        moment = value
    else:
        try:
            moment = dt.datetime.fromisoformat(str(value))
        except ValueError:
            raise InvalidInput("Thời điểm không hợp lệ.", fields={field: ["Dùng dạng ISO 8601, ví dụ 2026-05-06T17:00:00+07:00."]})
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=wt.VN_TZ)
    return dates.check(moment, field)


def no_change(dossier, user, payload, now) -> dict:
    return {}


def _set(dossier: Dossier, changes: dict, field: str, value) -> None:
    old = getattr(dossier, field)
    if old != value:
        changes[field] = [old, value]
        setattr(dossier, field, value)


def refuse(dossier, user, payload, now):
    changes: dict = {}
    _set(dossier, changes, "refused_at", now)
    return changes


MAX_REQUESTED_PAPERS = 50


def requested_papers(dossier: Dossier, payload: dict) -> list[str]:
    """The papers a supplement request names (``papers``): each one of the procedure's
    required papers (``RequiredDocument.name``), in the procedure's order, once."""
    asked = payload.get("papers") or []
    if isinstance(asked, str):
        asked = [asked]
    if not isinstance(asked, (list, tuple)) or len(asked) > MAX_REQUESTED_PAPERS or not all(isinstance(p, str) for p in asked):
        raise InvalidInput("Danh sách giấy tờ cần bổ sung không hợp lệ.", fields={"papers": ["Một danh sách tên giấy tờ."]})
    names = list(dossier.procedure.documents.order_by("order", "id").values_list("name", flat=True))
    unknown = [p for p in asked if p not in names]
    if unknown:
        raise InvalidInput(
            f"“{unknown[0]}” không có trong thành phần hồ sơ của thủ tục này.", code="unknown_paper",
            fields={"papers": [f"“{p}” không có trong thành phần hồ sơ của thủ tục." for p in unknown]},
        )
    return [name for name in names if name in set(asked)]


def request_supplement(dossier, user, payload, now):
    papers = requested_papers(dossier, payload)
    changes: dict = {}
    _set(dossier, changes, "paused_at", now)
    dossier.pause_resume_status = dossier.status
    _set(dossier, changes, "supplement_requests", dossier.supplement_requests + 1)
    if papers:
        changes["requested_papers"] = [[], papers]
    return changes


def supplement_brings_something(dossier: Dossier, payload: dict) -> bool:
    """A supplement brings at least one paper uploaded since it was asked for, or a note."""
    from motcua.dossiers.workflow import Action

    if " ".join(str(payload.get("note") or "").split()):
        return True
    asked = dossier.events.filter(action=Action.REQUEST_SUPPLEMENT).order_by("-seq").values_list("seq", flat=True).first()
    return dossier.events.filter(action=Action.UPLOAD_DOCUMENT, seq__gt=asked or 0).exists()


def supplement(dossier, user, payload, now):
    if not supplement_brings_something(dossier, payload):
        raise InvalidInput(
            "Bổ sung cần ít nhất một giấy tờ hoặc một ghi chú cho cán bộ: chưa có gì được gửi.", code="empty_supplement",
            fields={"file": ["Chọn giấy tờ cần bổ sung."], "note": ["Hoặc ghi rõ nội dung bổ sung."]},
        )
    changes: dict = {}
    if dossier.paused_at is not None:
        cal = calendar_for_unit(dossier.current_unit)
        _set(dossier, changes, "due_at", wt.resume_due_at(cal, dossier.due_at, dossier.paused_at, now))
        _set(dossier, changes, "paused_at", None)
    return changes


def assign(dossier, user, payload, now):
    username = str(payload.get("assignee"))
    assignee = User.objects.filter(username=username, is_active=True).first()
    if assignee is None:
        raise InvalidInput(f"Không tìm thấy cán bộ “{username}”.", code="assignee_not_found", fields={"assignee": ["Không tồn tại."]})
    if assignee.role not in (Role.SPECIALIST, Role.LEADER) or not assignee.memberships.filter(unit=dossier.current_unit).exists():
        raise InvalidInput(
            f"“{username}” không phải chuyên viên của {dossier.current_unit.name}.", code="assignee_not_allowed",
            fields={"assignee": ["Chỉ phân công cho chuyên viên của đơn vị đang xử lý."]},
        )
    changes: dict = {}
    _set(dossier, changes, "assignee", assignee)
    return changes


def transfer_destinations(dossier):
    """The units in force ``dossier`` may be transferred to (the one home of the rule, issue 17
    §6): within the province of the unit that took it in, unless its procedure is configured
    to cross provinces (``Procedure.transfer_across_provinces``); for an inter-level (liên
    thông) procedure that names its levels (``Procedure.interlinked_levels``), only units of
    those levels; never its current unit."""
    units = Unit.objects.valid_on().exclude(pk=dossier.current_unit_id)
    if not dossier.procedure.transfer_across_provinces:
        units = units.filter(path__startswith=f"/{dossier.unit.province_code}/")
    levels = _interlinked_levels(dossier.procedure)
    if levels:
        units = units.filter(level__in=levels)
    return units


def _interlinked_levels(procedure) -> list[str]:
    """The levels an inter-level procedure is processed across, or [] when it names none."""
    return [lv for lv in (procedure.interlinked_levels or []) if lv in Level.values] if procedure.interlinked else []


def _refusal(dossier, to_unit) -> str:
    """Why ``to_unit`` is not among :func:`transfer_destinations`, in plain Vietnamese."""
    levels = _interlinked_levels(dossier.procedure)
    if levels and to_unit.level not in levels:
        names = ", ".join(str(Level(lv).label).lower() for lv in levels)
        return f"Thủ tục này chỉ liên thông giữa {names}: không chuyển được sang “{to_unit.name}”."
    return f"Thủ tục này chỉ được chuyển liên thông trong tỉnh: không chuyển được sang “{to_unit.name}”."


def transfer(dossier, user, payload, now):
    to_code = str(payload.get("to_unit"))
    to_unit = Unit.objects.valid_on().filter(code=to_code).first()
    if to_unit is None:
        raise InvalidInput(f"Không tìm thấy đơn vị “{to_code}”.", code="unit_not_found", fields={"to_unit": ["Không tồn tại."]})
    if to_unit.pk == dossier.current_unit_id:
        raise InvalidInput("Hồ sơ đang ở chính đơn vị này.", code="same_unit", fields={"to_unit": ["Chọn đơn vị khác."]})
    if not transfer_destinations(dossier).filter(pk=to_unit.pk).exists():
        raise InvalidInput(_refusal(dossier, to_unit), code="transfer_not_allowed",
                           fields={"to_unit": ["Chọn một đơn vị trong danh sách được phép chuyển."]})
    changes: dict = {}
    _set(dossier, changes, "current_unit", to_unit)
    _set(dossier, changes, "assignee", None)
    DossierUnit.objects.get_or_create(dossier=dossier, unit=to_unit)
    return changes


def resolve(dossier, user, payload, now):
    changes: dict = {}
    _set(dossier, changes, "resolved_at", now)
    return changes


def return_result(dossier, user, payload, now):
    changes: dict = {}
    delivery = payload.get("delivery") or dossier.delivery
    if delivery not in Delivery.values:
        raise InvalidInput("Hình thức trả kết quả không hợp lệ.", fields={"delivery": [f"Chọn: {', '.join(Delivery.values)}."]})
    _set(dossier, changes, "delivery", delivery)
    _set(dossier, changes, "returned_at", now)
    return changes


def withdraw(dossier, user, payload, now):
    changes: dict = {}
    _set(dossier, changes, "withdrawn_at", now)
    _set(dossier, changes, "paused_at", None)
    dossier.pause_resume_status = ""
    return changes


def reschedule(dossier, user, payload, now):
    new_due = parse_moment(payload.get("due_at"), "due_at")
    if new_due <= dossier.due_at:
        raise InvalidInput("Ngày hẹn mới phải sau ngày hẹn hiện tại.", code="invalid_due_at",
                           fields={"due_at": ["Phải sau " + dossier.due_at.astimezone(wt.VN_TZ).strftime("%H:%M %d/%m/%Y") + "."]})
    latest = dossier.due_at + dt.timedelta(days=RESCHEDULE_MAX_DAYS)
    if new_due > latest:
        raise InvalidInput(f"Ngày hẹn mới không được quá {RESCHEDULE_MAX_DAYS} ngày sau ngày hẹn hiện tại.",
                           code="invalid_due_at",
                           fields={"due_at": ["Chậm nhất " + latest.astimezone(wt.VN_TZ).strftime("%H:%M %d/%m/%Y") + "."]})
    changes: dict = {}
    _set(dossier, changes, "due_at", new_due)
    _set(dossier, changes, "reschedules", dossier.reschedules + 1)
    return changes
