"""Workflow actions: who may take which action now (and why not), and applying one.

:func:`check` is the one answer to "may this user do this now?" and "why not?": the
office page's buttons and the API's ``allowed_actions`` list what it allows, and
:func:`apply_action` raises exactly the error it gives (403 or 409), so the two cannot
drift apart. The roles, the assignee-only rule and the reschedule limit are checked there,
once. Every state change goes through :func:`apply_action`: it locks the dossier row,
checks, lets the transition's handler change the fields, writes the new status and
appends the event (``audit.record_event``) in one transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from motcua.accounts.models import Role, User
from motcua.dossiers import audit, scope, workflow
from motcua.dossiers.models import Dossier
from motcua.dossiers.workflow import Action, Transition
from motcua.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound

MAX_NOTE_CHARS = 2000


@dataclass(frozen=True)
class Verdict:
    """The answer of :func:`check`: the transition, and the error when it is not allowed."""

    transition: Transition | None
    error: DomainError | None = None

    @property
    def allowed(self) -> bool:
        return self.error is None

    def __bool__(self) -> bool:
        return self.allowed


def roles_of(user: User, dossier: Dossier, action: str = "") -> set[str]:
    """The workflow roles ``user`` holds on ``dossier``: owner, and the staff role at the
    unit that holds it now (for handing back a result, also at the unit that received it)."""
    roles: set[str] = set()
    if not user.is_authenticated:
        return roles
    if dossier.owner_id and dossier.owner_id == user.pk:
        roles.add(workflow.OWNER)
    if user.role in (Role.COUNTER, Role.SPECIALIST, Role.LEADER):
        units = scope.own_unit_ids(user)
        in_current = dossier.current_unit_id in units
        if action == Action.RETURN_RESULT:
            in_current = in_current or dossier.unit_id in units
        if in_current:
            roles.add(user.role)
    return roles


def unknown_action(action: str) -> InvalidInput:
    return InvalidInput(
        f"Thao tác “{action}” không tồn tại.", code="unknown_action",
        fields={"action": [f"Chọn một trong: {', '.join(workflow.ACTIONS)}."]},
    )


# What :func:`allowed_actions` gets for a status that does not allow an action: it lists only
# the allowed ones, so the message naming the status (a translation looked up per action) is
# not built for each of the others.
NOT_NOW = Conflict("Không thể thực hiện thao tác này ở trạng thái hiện tại.", code="action_not_allowed")


def check(user: User, dossier: Dossier, action: str, *, explain: bool = True) -> Verdict:
    """May ``user`` take ``action`` on ``dossier`` now? If not, the error that says why.

    In this order: an unknown action (422); a role that may never take this action on
    this dossier (403); a status that does not allow it now (409, naming the status); a
    specialist acting on a dossier not assigned to them (403); a second re-appointment (409).
    ``explain=False`` (for listing what is allowed): a status conflict's error is :data:`NOT_NOW`.
    """
    transition = workflow.transition_for(action)
    if transition is None:
        return Verdict(None, unknown_action(action))
    roles = roles_of(user, dossier, transition.action) & transition.roles
    if not roles:
        return Verdict(transition, Forbidden(
            f"Bạn không có quyền “{transition.label}” đối với hồ sơ này.", code="role_not_allowed"))
    if dossier.status not in transition.sources:
        if not explain:
            return Verdict(transition, NOT_NOW)
        return Verdict(transition, Conflict(
            f"Không thể “{transition.label}” khi hồ sơ đang ở trạng thái “{dossier.get_status_display()}” ({dossier.status}).",
            code="action_not_allowed", fields={"status": [dossier.status]},
        ))
    if roles == {workflow.SPECIALIST} and transition.action in workflow.ASSIGNEE_ONLY and dossier.assignee_id != user.pk:
        return Verdict(transition, Forbidden("Hồ sơ này không được phân công cho bạn.", code="not_assignee"))
    if transition.action == Action.RESCHEDULE and dossier.reschedules >= workflow.RESCHEDULE_LIMIT:
        return Verdict(transition, Conflict("Hồ sơ chỉ được hẹn lại ngày trả kết quả một lần.", code="reschedule_limit"))
    return Verdict(transition)


def allowed_actions(user: User, dossier: Dossier) -> list[Transition]:
    """The transitions :func:`check` allows ``user`` on ``dossier`` now, in table order."""
    return [t for t in workflow.TRANSITIONS if check(user, dossier, t.action, explain=False).allowed]


def _clean_payload(transition: Transition, payload: dict) -> str:
    """The note (whitespace folded), after checking the fields the action requires (422)."""
    note = " ".join(str(payload.get("note") or "").split()) if payload.get("note") is not None else ""
    if len(note) > MAX_NOTE_CHARS:
        raise InvalidInput("Ghi chú quá dài.", fields={"note": [f"Tối đa {MAX_NOTE_CHARS} ký tự."]})
    missing = {f: ["Bắt buộc với thao tác này."] for f in transition.requires if f != "note" and not payload.get(f)}
    if "note" in transition.requires and not note:
        missing["note"] = ["Vui lòng ghi rõ lý do."]
    if missing:
        raise InvalidInput(f"Thiếu thông tin cho thao tác “{transition.label}”.", code="missing_fields", fields=missing)
    return note


def check_payload(action: str, payload: dict) -> None:
    """Raise the 422 :func:`apply_action` would give for an unknown action or a missing or
    too long field, without touching the dossier (the office page asks for confirmation only
    of what would then be applied)."""
    transition = workflow.transition_for(action)
    if transition is None:
        raise unknown_action(action)
    _clean_payload(transition, payload)


def apply_action(user: User, code: str, action: str, payload: dict | None = None, *, at: dt.datetime | None = None) -> Dossier:
    """Apply ``action`` to dossier ``code`` as ``user``: check, lock, change, record.

    Errors, in this order: unknown action or missing fields (422), a dossier ``user`` may
    not see (404), then :func:`check`'s 403 or 409, then the handler's own (a bad payload).
    ``at`` is the moment of the action (now by default; imports and tests pass their own).
    """
    payload = dict(payload or {})
    transition = workflow.transition_for(action)
    if transition is None:
        raise unknown_action(action)
    note = _clean_payload(transition, payload)

    with transaction.atomic():
        visible = scope.visible_dossiers(user).filter(code=code).values_list("pk", flat=True).first()
        if visible is None:
            raise NotFound(f"Không tìm thấy hồ sơ “{code}”.", code="dossier_not_found")
        # Only the dossier's row: FOR UPDATE on the joined unit and procedure rows would queue every
        # action of a unit behind one another and deadlock with the foreign-key checks (FOR KEY SHARE
        # on those rows) of concurrent intakes and uploads, seen as 503s in `bench soak` on PostgreSQL.
        dossier = (Dossier.objects.select_for_update(of=("self",))
                   .select_related("procedure", "unit", "current_unit").get(pk=visible))
        verdict = check(user, dossier, transition.action)
        if verdict.error is not None:
            raise verdict.error
        now = at or timezone.now()
        before = dossier.status
        changes = transition.handler(dossier, user, payload, now)
        resuming = transition.target == workflow.RESUME
        dossier.status = workflow.target_status(transition, before, dossier.pause_resume_status if resuming else "")
        if resuming:
            dossier.pause_resume_status = ""
        if dossier.status != before:
            changes["status"] = [before, dossier.status]
        audit.record_event(dossier, action=transition.action, actor=user, from_status=before, note=note,
                           changes=audit.changes_json(changes), at=now)
    return dossier


def apply_system_action(dossier_id: int, action: str, *, actor_name: str, payload: dict | None = None,
                        at: dt.datetime | None = None) -> Dossier | None:
    """An action an outside system takes for the province — VNPost's "delivered" returns the
    result —: the same transition, handler, status and event as :func:`apply_action`, recorded
    with ``actor_name`` instead of a user. ``None`` when the dossier's status does not allow it
    now (it was already returned by hand, say): nothing changes."""
    transition = workflow.transition_for(action)
    if transition is None:
        raise unknown_action(action)
    payload = dict(payload or {})
    with transaction.atomic():
        dossier = (Dossier.objects.select_for_update(of=("self",))
                   .select_related("procedure", "unit", "current_unit").get(pk=dossier_id))
        if dossier.status not in transition.sources:
            return None
        now = at or timezone.now()
        before = dossier.status
        changes = transition.handler(dossier, None, payload, now)
        dossier.status = workflow.target_status(transition, before)
        if dossier.status != before:
            changes["status"] = [before, dossier.status]
        audit.record_event(dossier, action=transition.action, actor_name=actor_name, from_status=before,
                           note=" ".join(str(payload.get("note") or "").split())[:MAX_NOTE_CHARS],
                           changes=audit.changes_json(changes), at=now)
    return dossier
