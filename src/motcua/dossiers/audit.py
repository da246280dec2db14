"""The audit trail's one writer: every event of every dossier is appended here.

A dossier's events are numbered ``seq`` 1, 2, 3 … by the dossier's ``version``: each change
raises the version by one in the same transaction, and the event takes the new version as
its ``seq`` (unique per dossier), so two concurrent changes can never both be recorded as
the same step. Events are append-only (the model refuses updates and deletes; a database
trigger does too).

Three ways in, one format:

* :func:`record_event` with a :class:`Dossier` the caller has locked, changed and saved with
  its version raised (the workflow and intake, whose own change carries the version);
* :func:`record_event` with a dossier's id, for an event that changes nothing else of the
  dossier (an upload, a payment, a rating): the row is locked and its version raised here;
* :func:`record_imported_rows` for a bulk import's first events, from the importer's
  staged rows, in one statement.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from motcua.dossiers.models import FIRST_EVENT_SEQ, Dossier, DossierEvent
from motcua.dossiers.workflow import Action
from motcua.worktime.calendar import VN_TZ


def as_json(value):
    """A value as the trail keeps it: moments in Vietnam's time, units and users by code."""
    from motcua.accounts.models import User
    from motcua.catalog.models import Unit

    if isinstance(value, dt.datetime):
        return value.astimezone(VN_TZ).isoformat()
    if isinstance(value, Unit):
        return value.code
    if isinstance(value, User):
        return value.username
    return value


def changes_json(changes: dict) -> dict:
    """``{field: [old, new]}`` with both sides as the trail keeps them."""
    return {k: [as_json(v[0]), as_json(v[1])] for k, v in changes.items()}


def _event(dossier: Dossier, *, seq: int, action: str, actor=None, actor_name: str = "", from_status: str | None = None,
           note: str = "", changes: dict | None = None, at: dt.datetime | None = None, unit_id: int | None = None) -> DossierEvent:
    return DossierEvent(
        dossier=dossier,
        seq=seq,
        at=at or timezone.now(),
        actor=actor,
        actor_name=actor.display_name() if actor else actor_name,
        actor_role=actor.role if actor else "",
        action=str(action),
        from_status=dossier.status if from_status is None else from_status,
        to_status=dossier.status,
        unit_id=unit_id or dossier.current_unit_id,
        note=note,
        changes=changes or {},
    )


def record_event(dossier: Dossier | int, *, action: str, actor=None, actor_name: str = "", from_status: str | None = None,
                 note: str = "", changes: dict | None = None, at: dt.datetime | None = None) -> DossierEvent:
    """Append the next event of ``dossier``; call inside the transaction of the change.

    ``dossier``: the :class:`Dossier` in hand (its row locked by the caller), changed for
    this event but not saved — the writer raises its ``last_event_seq`` and saves it, the
    change and the number in one UPDATE —; or the id of a dossier whose row is then locked
    and its number raised here (an event that changes nothing else). The number is the
    event's ``seq``: only this writer raises it. ``from_status`` defaults to the current
    status (no status change); ``actor_name`` names a system actor (a payment gateway) when
    there is no user; ``at`` defaults to now.
    """
    if isinstance(dossier, Dossier):
        dossier.last_event_seq += 1
        dossier.save()
    else:
        dossier = Dossier.objects.select_for_update().get(pk=dossier)
        dossier.last_event_seq += 1
        dossier.save(update_fields=["last_event_seq", "updated_at"])
    return _save_event(dossier, action=action, actor=actor, actor_name=actor_name, from_status=from_status,
                       note=note, changes=changes, at=at)


def record_first_event(dossier: Dossier, *, action: str, actor=None, actor_name: str = "", from_status: str | None = None,
                       note: str = "", changes: dict | None = None, at: dt.datetime | None = None) -> DossierEvent:
    """The event a dossier is inserted with (intake: ``submit`` or ``receive``), numbered
    ``FIRST_EVENT_SEQ``, which the new row already carries; same arguments as :func:`record_event`."""
    assert dossier.last_event_seq == FIRST_EVENT_SEQ, "a dossier's first event is recorded once, as it is inserted"
    return _save_event(dossier, action=action, actor=actor, actor_name=actor_name, from_status=from_status,
                       note=note, changes=changes, at=at)


def _save_event(dossier: Dossier, **fields) -> DossierEvent:
    event = _event(dossier, seq=dossier.last_event_seq, **fields)
    event.save()
    return event


def record_imported_rows(cursor, *, rows: str, at, note: str) -> None:
    """The ``import`` events (seq 1, no actor, the receiving unit) of the dossiers just
    inserted from the table ``rows`` (the importer's staged lines: ``dossier_id``, ``status``,
    ``unit_id``, ``line``, ``due_source``), in one ``INSERT … SELECT``: what :func:`_event` would build for
    ``action=import``, note ``note`` + the line number, changes ``{"line": N, "due_at": "computed"|"given"}``.
    The changes are built by the database's JSON functions (no text pasted together: any value
    is quoted as JSON quotes it)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        changes = "jsonb_build_object('line', r.line, 'due_at', r.due_source)"
    else:
        changes = "json_object('line', r.line, 'due_at', r.due_source)"
    cursor.execute(
        f"INSERT INTO {DossierEvent._meta.db_table} (dossier_id, seq, at, actor_id, actor_name, actor_role, action, "
        f"from_status, to_status, unit_id, note, changes) "
        f"SELECT r.dossier_id, %s, %s, NULL, '', '', %s, '', r.status, r.unit_id, %s || r.line, {changes} "
        f"FROM {rows} r",
        [FIRST_EVENT_SEQ, at, str(Action.IMPORT), note])
