"""Notifications survive a mail outage (issue 9 §3): the request only writes the outbox and
enqueues a task after its commit; the worker sends with a timeout, records each attempt and
retries with backoff; once the server is back, the message is delivered. Real SMTP (aiosmtpd)
on loopback; "time passing" is the retry's ``run_after`` moved to now."""

from __future__ import annotations

import logging

import pytest
from django.utils import timezone

from tests.files.conftest import APPLICANT
from tests.notifications import smtp_server
from tests.notifications.conftest import point_mail_at

PERSONAL = (APPLICANT["email"], APPLICANT["full_name"], APPLICANT["id_number"], APPLICANT["phone"])


def our_log(caplog) -> str:
    """What Motcua and its libraries logged (not the test's own SMTP server, ``mail.log``)."""
    return "\n".join(r.getMessage() for r in caplog.records if r.name != "mail.log")


def ready_tasks():
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(status="READY")


def let_retry_time_come():
    ready_tasks().update(run_after=timezone.now())


def take_in_at_the_counter(api_as):
    body = {"procedure": "1.001193", "unit": "YB.LY.YT", "channel": "direct", "applicant": APPLICANT}
    return api_as("motcua.yt").post("/dossiers", body)


@pytest.fixture
def mail_down(settings):
    """An SMTP server that has been stopped: its port refuses connections."""
    server, stop = smtp_server.start()
    stop()
    point_mail_at(settings, server.port)
    return server


def test_intake_while_the_mail_server_is_down_is_answered_and_the_mail_arrives_once_it_is_back(
    mail_down, api_as, django_capture_on_commit_callbacks, run_worker, caplog,
):
    from motcua.notifications.models import DeliveryAttempt, Notification

    caplog.set_level(logging.DEBUG)
    with django_capture_on_commit_callbacks(execute=True):
        response = take_in_at_the_counter(api_as)
    assert response.status_code == 201, response.content
    code = response.json()["code"]
    notification = Notification.objects.get(dossier__code=code)
    # The request did not talk to the mail server at all: no attempt yet, one task waiting.
    assert notification.state == "queued" and notification.attempts == 0
    assert not DeliveryAttempt.objects.exists()
    assert ready_tasks().count() == 1

    assert run_worker() == 1
    first = DeliveryAttempt.objects.get()
    assert (first.number, first.channel, first.status, first.error_class) == (1, "email", "failed", "ConnectionRefusedError")
    notification.refresh_from_db()
    assert notification.state == "queued" and notification.next_attempt_at > timezone.now()
    assert run_worker() == 0  # the retry waits for its time (backoff)

    server, stop = smtp_server.start(port=mail_down.port)  # the server is back
    try:
        let_retry_time_come()
        assert run_worker() == 1
    finally:
        stop()
    assert [r.rcpt_to for r in server.received] == [[APPLICANT["email"]]]
    assert code in server.received[0].message["Subject"]
    notification.refresh_from_db()
    assert notification.state == "sent" and notification.attempts == 2
    assert list(notification.delivery_attempts.values_list("status", flat=True)) == ["failed", "sent"]
    logged = our_log(caplog)
    assert not [p for p in PERSONAL if p in logged]


def test_a_slow_mail_server_times_out_and_is_tried_again_later(settings, online_dossier, delivering):
    from motcua.notifications.models import DeliveryAttempt, Notification

    server, stop = smtp_server.start(delay=3)
    point_mail_at(settings, server.port, timeout=1)
    try:
        with delivering():
            dossier = online_dossier()
    finally:
        stop()
    attempt = DeliveryAttempt.objects.get()
    assert attempt.status == "failed"
    assert attempt.error_class in {"TimeoutError", "SMTPServerDisconnected"}
    notification = Notification.objects.get(dossier=dossier)
    assert notification.state == "queued" and ready_tasks().count() == 1


def test_after_the_last_retry_the_notification_is_marked_failed(settings, mail_down, online_dossier, delivering, run_worker):
    from motcua.notifications.models import Notification

    settings.NOTIFICATION_RETRY_DELAYS = [60]
    with delivering():
        dossier = online_dossier()
    let_retry_time_come()
    run_worker()
    notification = Notification.objects.get(dossier=dossier)
    assert notification.state == "failed" and notification.attempts == 2
    assert notification.error == "ConnectionRefusedError"
    assert not ready_tasks().exists()
    dossier.refresh_from_db()
    assert dossier.status == "received"  # the dossier change that caused it stands


def test_without_a_mail_server_messages_stay_in_the_outbox_and_out_of_the_log(settings, online_dossier, delivering, caplog):
    from motcua.notifications.models import Notification

    settings.NOTIFICATION_SENDERS = {**settings.NOTIFICATION_SENDERS, "email": "outbox"}
    caplog.set_level(logging.DEBUG)
    with delivering():
        dossier = online_dossier()
    kept = Notification.objects.get(dossier=dossier)
    assert kept.state == "kept" and kept.body and kept.recipient == APPLICANT["email"]
    assert list(kept.delivery_attempts.values_list("status", flat=True)) == ["kept"]
    logged = our_log(caplog)
    assert not [p for p in PERSONAL if p in logged]


def test_the_admin_can_send_kept_messages_again_once_mail_is_configured(settings, smtp, online_dossier, delivering, admin_client):
    from motcua.notifications.models import Notification

    settings.NOTIFICATION_SENDERS = {**settings.NOTIFICATION_SENDERS, "email": "outbox"}
    with delivering():
        dossier = online_dossier()
    kept = Notification.objects.get(dossier=dossier)
    settings.NOTIFICATION_SENDERS = {**settings.NOTIFICATION_SENDERS, "email": "mail"}
    with delivering():
        response = admin_client.post("/admin/notifications/notification/", {"action": "send_again", "_selected_action": [kept.pk]})
    assert response.status_code == 302
    kept.refresh_from_db()
    assert kept.state == "sent" and len(smtp.received) == 1
