"""The applicant hears by e-mail when the dossier is received, needs supplementation, is
resolved or is rescheduled.

Sources (shared/domain/dossier.md): "online acceptance is notified by phone, e-mail or
the system" [S trungtamhanhchinhcong.camau.gov.vn …tiep-nhan-ho-so.213]; supplementation
needs one written guidance; a late dossier gets an apology and a new date, once [S].
DESIGN: personal data (ID numbers) never appears in messages.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.files.conftest import APPLICANT, TO_RESULT_RETURNED, advance

ID_NUMBER = APPLICANT["id_number"]


def test_accepted_online_dossier_is_announced_through_a_real_smtp_server(smtp, online_dossier, delivering):
    with delivering():
        dossier = online_dossier()
    assert len(smtp.received) == 1
    envelope = smtp.received[0]
    assert envelope.rcpt_to == [APPLICANT["email"]]
    message = envelope.message
    assert message["To"] == APPLICANT["email"]
    assert message["Subject"].strip() == f"Hồ sơ {dossier.code} đã được tiếp nhận"
    body = message.get_content()
    assert "Kính gửi Ông/Bà Nguyễn Văn An" in body
    assert "Đăng ký khai sinh" in body and "Thị trấn Yên Thế" in body
    assert f"/tra-cuu/{dossier.code}/" in body
    assert ID_NUMBER not in body
    assert ID_NUMBER.encode() not in envelope.data
    from motcua.notifications.models import Notification

    sent = Notification.objects.get(dossier=dossier)
    assert sent.state == "sent" and sent.sent_at is not None and sent.kind == "received"


def test_submission_alone_sends_nothing_until_a_counter_officer_accepts(smtp, online_dossier, delivering):
    with delivering():
        online_dossier(accept=False)
    assert smtp.received == []


def test_request_for_supplementation_tells_what_to_bring(smtp, online_dossier, delivering):
    dossier = online_dossier()
    with delivering():
        advance(dossier, ("motcua.yt", "request_supplement", {"note": f"Bổ sung bản sao giấy chứng sinh; CCCD {ID_NUMBER}"}))
    assert len(smtp.received) == 1
    message = smtp.received[0].message
    assert message["Subject"].strip() == f"Hồ sơ {dossier.code} cần bổ sung, hoàn thiện"
    body = message.get_content()
    assert "Bổ sung bản sao giấy chứng sinh" in body
    assert "không tính vào thời hạn giải quyết" in body
    assert ID_NUMBER not in body  # masked even when an officer typed it into the note


def test_approval_announces_the_result(smtp, online_dossier, delivering):
    dossier = advance(online_dossier(), *TO_RESULT_RETURNED[:2])
    with delivering():
        advance(dossier, TO_RESULT_RETURNED[2])
    message = smtp.received[-1].message
    assert message["Subject"].strip() == f"Hồ sơ {dossier.code} đã có kết quả giải quyết"
    assert "đã được giải quyết xong" in message.get_content()


def test_rejection_gives_the_reason(smtp, online_dossier, delivering):
    dossier = online_dossier()
    with delivering():
        advance(dossier, ("lanhdao.yt", "reject", {"note": "Người yêu cầu không thuộc trường hợp đăng ký tại xã."}))
    body = smtp.received[-1].message.get_content()
    assert "không được giải quyết" in body
    assert "không thuộc trường hợp đăng ký tại xã" in body


def test_reschedule_apologises_with_the_new_date(smtp, online_dossier, delivering):
    dossier = online_dossier()
    new_due = (dossier.due_at + dt.timedelta(days=7)).isoformat()
    with delivering():
        dossier = advance(dossier, ("lanhdao.yt", "reschedule", {"due_at": new_due, "note": "Cần xác minh thêm."}))
    message = smtp.received[-1].message
    assert message["Subject"].strip() == f"Hồ sơ {dossier.code}: thư xin lỗi và hẹn lại ngày trả kết quả"
    body = message.get_content()
    assert "xin lỗi" in body and "Cần xác minh thêm." in body
    from motcua.notifications.messages import moment

    assert moment(dossier.due_at) in body


def test_counter_intake_with_an_email_is_announced(smtp, demo, delivering):
    from motcua.accounts.models import User
    from motcua.dossiers import intake

    with delivering():
        dossier = intake.receive_dossier(
            actor=User.objects.get(username="motcua.yt"), procedure_code="1.001193", unit_code="YB.LY.YT",
            channel="direct", applicant=APPLICANT,
        )
    assert [r.rcpt_to for r in smtp.received] == [[APPLICANT["email"]]]
    assert dossier.code in smtp.received[0].message["Subject"]


def test_no_email_address_means_no_message(smtp, online_dossier, delivering):
    with delivering():
        online_dossier(email="")
    assert smtp.received == []
    from motcua.notifications.models import Notification

    assert not Notification.objects.exists()


def test_events_that_concern_only_the_office_send_nothing(smtp, online_dossier, delivering):
    dossier = online_dossier()
    with delivering():
        advance(dossier, ("motcua.yt", "assign", {"assignee": "chuyenvien.yt"}), ("chuyenvien.yt", "propose", {}))
    assert smtp.received == []


def test_nothing_is_sent_when_the_transaction_rolls_back(smtp, online_dossier, delivering):
    from django.db import transaction

    dossier = online_dossier(accept=False)
    with delivering():
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                advance(dossier, ("motcua.yt", "accept", {}))
                raise RuntimeError("rolled back")
    assert smtp.received == []


def test_delivering_twice_sends_once(smtp, online_dossier, delivering):
    from motcua.notifications import services
    from motcua.notifications.models import Notification

    with delivering():
        online_dossier()
    notification = Notification.objects.get()
    assert services.deliver(notification.pk) == "sent"
    assert len(smtp.received) == 1
    assert notification.delivery_attempts.count() == 1


def test_notify_can_be_called_directly(online_dossier, delivering):
    """Through Django's test mail backend (``mail.outbox``; read after sending, since
    the outbox list may be replaced while fixtures set up)."""
    from django.core import mail

    from motcua.notifications.services import notify

    dossier = online_dossier()
    with delivering():
        notify(dossier, "resolved")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [APPLICANT["email"]]
    assert ID_NUMBER not in mail.outbox[0].body



def test_an_intake_queues_its_message_from_the_dossier_it_just_wrote(smtp, api_as, delivering):
    """The notification hook names the procedure and the unit from the intake's own dossier
    object: no second read of the dossier in the request (bench intake-notify, docs/performance.md)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counter = api_as("motcua.yt")
    body = {"procedure": "1.004873", "unit": "YB.LY.YT", "channel": "direct",
            "applicant": {"full_name": "Trần Thị Bình", "id_number": "015190001111", "phone": "0912000111",
                          "email": "binh@example.vn"}}
    with delivering(), CaptureQueriesContext(connection) as queries:
        answer = counter.post("/dossiers", body)
    assert answer.status_code == 201, answer.content.decode()
    code = answer.json()["code"]
    reads = [q["sql"] for q in queries.captured_queries
             if q["sql"].startswith("SELECT") and 'FROM "dossiers_dossier"' in q["sql"]]
    assert reads == []
    assert [m.rcpt_to for m in smtp.received] == [["binh@example.vn"]]
    assert smtp.received[0].message["Subject"].strip() == f"Hồ sơ {code} đã được tiếp nhận"
