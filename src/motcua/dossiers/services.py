"""The dossier domain's operations, by name, for callers that want one import.

Each lives in its own module (see ``docs/architecture.md``); this module only re-exports:
intake (``intake.receive_dossier``), the workflow (``actions.apply_action``, ``actions.check``,
``actions.allowed_actions``), scope (``scope.visible_dossiers``), due dates
(``deadlines.compute_deadline``), codes (``codes``) and the audit trail (``audit.record_event``).
New code should import from those modules.
"""

from __future__ import annotations

from motcua.dossiers.actions import allowed_actions, apply_action, check, roles_of
from motcua.dossiers.audit import record_event
from motcua.dossiers.codes import CODE_PATTERN, allocate_code, assign_code, note_imported_code
from motcua.dossiers.deadlines import Deadline, compute_deadline
from motcua.dossiers.intake import MAX_DATA_CHARS, receive_dossier
from motcua.dossiers.scope import get_visible, member_unit_ids, units_visibility, visible_dossiers
from motcua.dossiers.workflow import RESCHEDULE_LIMIT

__all__ = [
    "CODE_PATTERN", "MAX_DATA_CHARS", "RESCHEDULE_LIMIT", "Deadline", "allocate_code", "allowed_actions",
    "apply_action", "assign_code", "check", "compute_deadline", "get_visible", "member_unit_ids",
    "note_imported_code", "receive_dossier", "record_event", "roles_of", "units_visibility", "visible_dossiers",
]
