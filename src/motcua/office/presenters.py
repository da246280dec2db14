"""What the dossier page shows, prepared from domain objects: event descriptions, the
fields each allowed action needs, and the printable forms that exist."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.accounts.models import Role, User
from motcua.catalog.models import Unit
from motcua.dossiers import moments, workflow
from motcua.dossiers.handlers import transfer_destinations
from motcua.dossiers.steps import dossier_steps
from motcua.dossiers.workflow import Action, action_label
from motcua.dossiers.models import Delivery, Dossier, DossierEvent, Status
from motcua.printing.available import printable_forms

# Buttons that end or refuse something are drawn in red.
DANGER_ACTIONS = {Action.REFUSE, Action.REJECT, Action.WITHDRAW}

# Decisions the page asks to confirm before applying them (the first press shows the
# question, a second one, with ``confirmed=1``, applies): no JavaScript needed.
CONFIRM_ACTIONS = {
    Action.APPROVE: gettext_lazy("Phê duyệt kết quả giải quyết hồ sơ này? Người nộp được thông báo kết quả."),
    Action.REJECT: gettext_lazy("Không giải quyết hồ sơ này, với lý do dưới đây? Người nộp được thông báo lý do."),
    Action.REFUSE: gettext_lazy("Không tiếp nhận hồ sơ này, với lý do dưới đây? Người nộp được thông báo lý do."),
}
# What a confirmation carries on: the fields of ``office.forms.ActionForm``.
CONFIRM_FIELDS = ("action", "note", "assignee", "to_unit", "due_at", "delivery")


@dataclass
class Confirmation:
    """The question asked before a decision, and the fields the confirming form resends."""

    action: str
    label: str
    question: str
    note: str
    fields: list[tuple[str, str]]
    danger: bool


def confirmation(action: str, values: dict) -> Confirmation:
    return Confirmation(
        action=action, label=action_label(action), question=str(CONFIRM_ACTIONS[action]),
        note=str(values.get("note") or ""),
        fields=[(name, str(values[name])) for name in CONFIRM_FIELDS if values.get(name)],
        danger=action in DANGER_ACTIONS,
    )


def status_label(status: str) -> str:
    try:
        return str(Status(status).label)
    except ValueError:
        return status


def local_text(value) -> str:
    """An ISO time or datetime as ``17:00 06/05/2026`` in Vietnam time."""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
    if not isinstance(value, dt.datetime):
        return str(value)
    return formats.date_format(timezone.localtime(value), "H:i d/m/Y")


@dataclass
class EventView:
    event: DossierEvent
    label: str
    status_change: tuple[str, str] | None
    details: list[str] = field(default_factory=list)


def describe_events(dossier: Dossier) -> list[EventView]:
    """The audit trail, oldest first, in words."""
    events = list(dossier.events.select_related("unit").order_by("seq"))
    usernames = {e.changes["assignee"][1] for e in events if _is_pair((e.changes or {}).get("assignee"))}
    names = {u.username: u.display_name() for u in User.objects.filter(username__in=[n for n in usernames if n])}
    unit_codes = {e.changes["current_unit"][1] for e in events if _is_pair((e.changes or {}).get("current_unit"))}
    unit_names = dict(Unit.objects.filter(code__in=unit_codes).values_list("code", "name"))
    counts_from = moments.effective_receipt(dossier)
    held = {s.seq: s for s in dossier_steps(dossier) if s.is_step}
    result = []
    for event in events:
        change = None
        if event.from_status and event.from_status != event.to_status:
            change = (status_label(event.from_status), status_label(event.to_status))
        elif not event.from_status:
            change = ("", status_label(event.to_status))
        details = []
        changes = event.changes or {}
        if _is_pair(changes.get("assignee")) and changes["assignee"][1]:
            who = changes["assignee"][1]
            details.append(_("Phân công cho: %(name)s") % {"name": names.get(who, who)})
        if _is_pair(changes.get("current_unit")):
            code = changes["current_unit"][1]
            details.append(_("Chuyển đến: %(unit)s") % {"unit": unit_names.get(code, code)})
        intake = event.action in moments.INTAKE_ACTIONS
        if event.action == Action.IMPORT:
            details.extend(_import_details(changes, dossier))
        elif changes.get("due_at") and not intake and _is_pair(changes["due_at"]):
            old, new = changes["due_at"]
            details.append(_("Hẹn trả: %(old)s → %(new)s") % {"old": local_text(old), "new": local_text(new)})
        if intake and counts_from is not None:
            details.append(_("Thời hạn tính từ: %(moment)s (%(why)s)") % {
                "moment": local_text(counts_from), "why": moments.receipt_note(dossier)})
        if intake and changes.get("due_at"):
            details.append(_("Hẹn trả kết quả: %(due)s") % {"due": local_text(changes["due_at"])})
        if _is_pair(changes.get("requested_papers")) and changes["requested_papers"][1]:
            details.append(_("Giấy tờ cần bổ sung: %(papers)s") % {"papers": "; ".join(changes["requested_papers"][1])})
        if _is_pair(changes.get("delivery")):
            details.append(_("Trả kết quả: %(how)s") % {"how": _label(Delivery, changes["delivery"][1])})
        if event.seq in held:
            details.append(step_text(held[event.seq]))
        result.append(EventView(event, action_label(event.action), change, details))
    return result


def _hours(seconds: float) -> str:
    return f"{seconds / 3600:.1f}".replace(".", ",")


def step_text(step) -> str:
    """Which step the event closed and how much of its share of the legal time it used
    (``dossiers.steps``): "Bước Thẩm định, xử lý: 5,5 giờ làm việc trên 16,8 giờ được dành cho bước"."""
    from motcua.catalog.models import StepKind

    text = _("Bước %(step)s: %(used)s giờ làm việc trên %(allowed)s giờ được dành cho bước") % {
        "step": StepKind(step.kind).label, "used": _hours(step.used_seconds), "allowed": _hours(step.allowed_seconds)}
    if step.late:
        text += " — " + str(_("quá thời gian của bước"))
    return text


def _is_pair(value) -> bool:
    """A workflow change is recorded as ``[old, new]``; other events record other shapes."""
    return isinstance(value, (list, tuple)) and len(value) == 2


def _import_details(changes: dict, dossier: Dossier) -> list[str]:
    """An imported dossier's first event (``audit.record_imported_rows``): the line of the
    import file it came from, and whether its due time was given by the old system or
    computed here by the working calendar (``{"line": N, "due_at": "given"|"computed"}``)."""
    details = []
    if changes.get("line"):
        details.append(_("Dòng %(line)s của tệp nhập") % {"line": changes["line"]})
    source = changes.get("due_at")
    if source == "given":
        details.append(_("Hẹn trả kết quả: %(due)s (theo hệ thống cũ)") % {"due": local_text(dossier.original_due_at)})
    elif source == "computed":
        details.append(_("Hẹn trả kết quả: %(due)s (tính theo lịch làm việc)") % {"due": local_text(dossier.original_due_at)})
    return details


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


@dataclass
class ActionView:
    """One action form: the transition, the inputs it shows, and the choices they offer."""

    transition: workflow.Transition
    label: str
    danger: bool
    needs_note: bool
    shows_note: bool
    assignees: list[User] | None = None
    units: list[tuple[str, str]] | None = None
    deliveries: list[tuple[str, str]] | None = None
    due_min: str = ""
    errors: dict | None = None
    message: str = ""
    values: dict | None = None
    confirm: bool = False
    papers: list[str] | None = None

    @property
    def action(self) -> str:
        return self.transition.action


def assignee_choices(dossier: Dossier) -> list[User]:
    """The specialists (then leaders) of the unit handling the dossier now."""
    people = (
        User.objects.filter(is_active=True, role__in=[Role.SPECIALIST, Role.LEADER],
                            memberships__unit_id=dossier.current_unit_id)
        .distinct()
    )
    order = {Role.SPECIALIST: 0, Role.LEADER: 1}
    return sorted(people, key=lambda u: (order.get(u.role, 2), u.display_name()))


def transfer_choices(dossier: Dossier) -> list[tuple[str, str]]:
    """The units a transfer may go to (``handlers.transfer_destinations``), indented by depth."""
    units = transfer_destinations(dossier).order_by("path")
    return [(u.code, "\u2003" * (u.path.count("/") - 2) + u.name) for u in units]


def action_views(dossier: Dossier, transitions: list[workflow.Transition]) -> list[ActionView]:
    views = []
    for t in transitions:
        view = ActionView(
            transition=t, label=_(t.label), danger=t.action in DANGER_ACTIONS,
            needs_note="note" in t.requires, shows_note=True, confirm=t.action in CONFIRM_ACTIONS,
        )
        if t.action == Action.ASSIGN:
            view.assignees = assignee_choices(dossier)
            view.shows_note = True
        if t.action == Action.TRANSFER:
            view.units = transfer_choices(dossier)
        if t.action == Action.REQUEST_SUPPLEMENT:
            view.papers = list(dossier.procedure.documents.order_by("order", "id").values_list("name", flat=True))
        if t.action == Action.RETURN_RESULT:
            view.deliveries = list(Delivery.choices)
        if t.action == Action.RESCHEDULE:
            view.due_min = timezone.localtime(dossier.due_at).strftime("%Y-%m-%dT%H:%M")
        views.append(view)
    return views


def print_links(dossier: Dossier) -> list[tuple[str, str]]:
    """The printed forms (``/giay-to/…``) this dossier has: ``printing.available`` decides."""
    return [(form.label, form.url) for form in printable_forms(dossier)]


def register_link(unit: Unit, day: dt.date) -> str | None:
    """The counter's register (sổ theo dõi) for this month so far, when it exists."""
    start = day.replace(day=1)
    return reverse("printing:register") + f"?unit={unit.code}&from={start:%Y-%m-%d}&to={day:%Y-%m-%d}"
