"""Every change is an append-only event; events cannot be edited or deleted — by the ORM,
by raw SQL, or in the admin (DESIGN: "Events are append-only and are the audit trail")."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import ProtectedError

from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.actions import apply_action


@pytest.fixture
def trail(receive, user):
    dossier = receive()
    apply_action(user("lanhdao.yt"), dossier.code, "assign", {"assignee": "chuyenvien.yt"})
    apply_action(user("chuyenvien.yt"), dossier.code, "propose", {"note": "Đề xuất giải quyết"})
    return dossier


def test_each_change_records_who_when_from_to_note_and_the_changes(trail, user):
    events = list(trail.events.order_by("seq"))
    assert [(e.seq, e.action, e.from_status, e.to_status) for e in events] == [
        (1, "receive", "", "received"), (2, "assign", "received", "processing"),
        (3, "propose", "processing", "awaiting_approval")]
    assign = events[1]
    assert assign.actor == user("lanhdao.yt") and assign.actor_name == "Lê Văn Hùng" and assign.actor_role == "leader"
    assert assign.changes == {"assignee": [None, "chuyenvien.yt"], "status": ["received", "processing"]}
    assert assign.unit.code == "YB.LY.YT" and assign.at is not None
    assert events[2].note == "Đề xuất giải quyết"
    assert all(a.at <= b.at for a, b in zip(events, events[1:]))


def test_the_orm_refuses_to_edit_or_delete_an_event(trail):
    event = trail.events.first()
    event.note = "sửa"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        DossierEvent.objects.filter(pk=event.pk).update(note="sửa")
    with pytest.raises(PermissionError):
        DossierEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(ProtectedError):
        Dossier.objects.get(pk=trail.pk).delete()
    assert DossierEvent.objects.get(pk=event.pk).note == ""


def test_the_database_refuses_to_edit_an_event(trail):
    """Migration 0002: a trigger on SQLite and PostgreSQL."""
    event = trail.events.first()
    with pytest.raises((DatabaseError, IntegrityError)), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE dossiers_dossierevent SET note = 'sửa' WHERE id = %s", [event.pk])
    assert DossierEvent.objects.get(pk=event.pk).note == ""


def test_the_database_keeps_an_event_someone_tries_to_delete(trail):
    """PostgreSQL: the trigger of migration 0002 raises. SQLite (migration 0003): the
    deletion of an event whose dossier exists is skipped; the row stays either way."""
    event = trail.events.first()
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM dossiers_dossierevent WHERE id = %s", [event.pk])
            cursor.execute("DELETE FROM dossiers_dossierevent WHERE dossier_id = %s", [trail.pk])
        assert connection.vendor == "sqlite", "PostgreSQL must raise"
    except (DatabaseError, IntegrityError):
        assert connection.vendor == "postgresql"
    assert DossierEvent.objects.filter(dossier=trail).count() == 3


def test_the_admin_shows_dossiers_and_events_but_changes_nothing(trail, client, user):
    client.force_login(user("admin"))
    event = trail.events.first()
    assert client.get("/admin/dossiers/dossier/").status_code == 200
    assert client.get(f"/admin/dossiers/dossier/{trail.pk}/change/").status_code == 200
    assert client.get(f"/admin/dossiers/dossierevent/{event.pk}/change/").status_code == 200
    assert client.get("/admin/dossiers/dossierevent/add/").status_code == 403
    assert client.post(f"/admin/dossiers/dossierevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.post(f"/admin/dossiers/dossier/{trail.pk}/delete/", {"post": "yes"}).status_code == 403
    client.post(f"/admin/dossiers/dossierevent/{event.pk}/change/", {"note": "sửa"})
    assert DossierEvent.objects.get(pk=event.pk).note == "" and trail.events.count() == 3
