"""Answered questions to the national portal (issue 18 §5, shared/domain/national-systems.md §1.6
"Q&A"): a question answered and published goes in the national outbox with the approval and
reaches the simulator as ``DongBoHoiDap`` (the answer to a question that came from the portal as
``DongBoKetQuaHoiDapGuiTuDVCQG`` too); the same outbox's retries, parking and operator's counts;
nothing of the asker is sent. Over HTTP on the live server, as the dossiers' round trip."""

from __future__ import annotations

import json

from django.utils import timezone

from motcua.accounts.models import User
from motcua.national import outbox
from motcua.national.constants import OutboxKind, OutboxState
from motcua.national.models import OutboxItem
from motcua.voices import services as voices
from motcua.worktime.calendar import VN_TZ
from tests.national.conftest import drain_all

NAME, PHONE, EMAIL = "Trần Văn Nam", "0912345678", "nam.tran@example.vn"
TEXT = f"Tôi là {NAME}, số {PHONE}, thư {EMAIL}: đăng ký khai sinh quá hạn thì có bị phạt không?"
ANSWER = "Vẫn đăng ký được; quá hạn không bị xử phạt."


def ask(**extra):
    return voices.ask("1.001193", TEXT, {"name": NAME, "phone": PHONE, "email": EMAIL}, unit_code="YB.LY.YT", **extra)


def approve(item, publish=True):
    return voices.answer(User.objects.get(username="lanhdao.yt"), item.pk, ANSWER, publish)


def pushes(service: str) -> list[dict]:
    from motcua.national.contrib.dvcqg_sandbox.models import SandboxPush

    return list(SandboxPush.objects.filter(service=service).order_by("id").values_list("data", flat=True))


def test_an_answered_published_question_reaches_the_portal_without_the_askers_data(portal_sandbox, demo):
    item = ask()
    assert not OutboxItem.objects.filter(kind=OutboxKind.QUESTIONS).exists()  # asked: nothing to send yet
    item = approve(item)
    queued = OutboxItem.objects.get(kind=OutboxKind.QUESTIONS)
    assert (queued.key, queued.state, queued.dossier_id) == (str(item.pk), OutboxState.PENDING, None)

    result = drain_all()
    assert result.ok and result.sent == [queued.pk]
    assert OutboxItem.objects.get(pk=queued.pk).state == OutboxState.SENT
    [sent] = pushes("DongBoHoiDap")
    assert set(sent) == {"HOIDAPID", "MaLinhVuc", "NOIDUNG", "MADONVI", "TENDONVI"}
    assert sent["HOIDAPID"] == f"MC-{item.pk}" and sent["MADONVI"] == (item.unit.national_id or item.unit.code)
    assert "đăng ký khai sinh quá hạn" in sent["NOIDUNG"] and sent["MaLinhVuc"] == item.procedure.field.code
    everything = json.dumps(pushes("DongBoHoiDap") + pushes("DongBoKetQuaHoiDapGuiTuDVCQG"), ensure_ascii=False)
    for personal in (NAME, PHONE, EMAIL):
        assert personal not in everything
    assert pushes("DongBoKetQuaHoiDapGuiTuDVCQG") == []  # asked here, not on the portal
    assert drain_all().sent == []  # sent once

    # The operator's page counts it with the rest of the outbox.
    today = timezone.now().astimezone(VN_TZ).date()
    [day] = outbox.counts_by_day(today)
    assert day[OutboxState.SENT] == 1


def test_not_published_drafted_or_not_connected_sends_nothing(portal_sandbox, demo, settings):
    approve(ask(), publish=False)  # answered to the asker only
    voices.answer(User.objects.get(username="chuyenvien.yt"), ask().pk, ANSWER, True)  # a draft, not approved yet
    assert not OutboxItem.objects.filter(kind=OutboxKind.QUESTIONS).exists()

    settings.DVCQG_SANDBOX = False  # no national portal connected
    approve(ask())
    assert not OutboxItem.objects.filter(kind=OutboxKind.QUESTIONS).exists()


def test_a_refusal_is_retried_then_parked_with_the_answer_then_sent_by_the_operator(portal_sandbox, demo):
    from motcua.national.contrib.dvcqg_sandbox.models import SandboxFault

    portal_sandbox.DVCQG_RETRY_DELAYS = [0]
    SandboxFault.objects.create(service="DongBoHoiDap", error_code=-1, message="MaLinhVuc không tồn tại", remaining=2)
    item = approve(ask())
    result = drain_all()
    queued = OutboxItem.objects.get(kind=OutboxKind.QUESTIONS)
    assert [state for _, state in result.failed] == ["failed", "parked"]
    assert queued.state == OutboxState.PARKED and queued.answer == "DongBoHoiDap — -1: MaLinhVuc không tồn tại"
    assert pushes("DongBoHoiDap") == []
    assert outbox.retry([queued.pk]) == 1
    assert drain_all().sent == [queued.pk]
    assert [p["HOIDAPID"] for p in pushes("DongBoHoiDap")] == [f"MC-{item.pk}"]


def test_hidden_before_it_was_sent_sends_nothing(portal_sandbox, demo):
    item = approve(ask())
    voices.set_hidden(User.objects.get(username="lanhdao.yt"), item.pk, True)
    assert drain_all().ok
    assert pushes("DongBoHoiDap") == []
    assert OutboxItem.objects.get(kind=OutboxKind.QUESTIONS).state == OutboxState.SENT


def test_a_question_from_the_portal_gets_its_answer_back(portal_sandbox, demo):
    from motcua.national.contrib.dvcqg.questions import receive_national_question

    item = receive_national_question({
        "HOIDAPID": "HD-77", "MATTHCDP": "1.001193", "MADONVI": "YB.LY.YT", "NOIDUNG": TEXT,
        "HOVATEN": NAME, "SODIENTHOAI": PHONE, "THUDIENTU": EMAIL, "DIACHI": "Số 1 đường Hoà Bình"})
    approve(item, publish=False)  # not public: only the answer to the portal's asker goes
    assert drain_all().ok
    assert pushes("DongBoHoiDap") == []
    [sent] = pushes("DongBoKetQuaHoiDapGuiTuDVCQG")
    assert sent["HOIDAPID"] == "HD-77" and sent["NOIDUNGTRALOI"] == ANSWER and len(sent["NGAYTRALOI"]) == 14
    assert sent["NGUOITRALOI"] == User.objects.get(username="lanhdao.yt").display_name()
    for personal in (NAME, PHONE, EMAIL, "Hoà Bình"):
        assert personal not in json.dumps(sent, ensure_ascii=False)


def test_a_question_asked_on_the_portal_is_pulled_once_answered_and_the_answer_goes_back(portal_sandbox, demo):
    """The simulator holds a question → the heartbeat finds the pull due and enqueues it → the
    pull puts it in its unit's queue, once however often it runs → a leader answers → the answer
    reaches the portal (``DongBoKetQuaHoiDapGuiTuDVCQG``), which shows it on its question."""
    import datetime as dt

    from motcua.national.contrib.dvcqg.questions import questions_due
    from motcua.national.contrib.dvcqg_sandbox.filings import new_question
    from motcua.national.contrib.dvcqg_sandbox.models import SandboxQuestion
    from motcua.national.tasks import pull_national_questions
    from motcua.server import periodic
    from motcua.voices.models import Source, State

    asked = new_question(text=TEXT, asker={"HOVATEN": NAME, "SODIENTHOAI": PHONE, "THUDIENTU": EMAIL,
                                           "DIACHI": "Số 1 đường Hoà Bình"})
    leader = User.objects.get(username="lanhdao.yt")
    assert not voices.queue(leader).filter(source=Source.NATIONAL_PORTAL).exists()
    now = timezone.now()
    assert questions_due(now)
    assert "national_questions" in periodic.enqueue_recurring(now)

    assert pull_national_questions.call() == {"received": 1, "known": 0, "answered_there": 0, "refused": 0}
    [item] = voices.queue(leader).filter(source=Source.NATIONAL_PORTAL)
    assert (item.national_id, item.unit.code, item.procedure.code) == (asked.hoi_dap_id, "YB.LY.YT", "1.001193")
    assert item.text == TEXT and item.state == State.OPEN
    # The heartbeat's moment decides: not due again until the interval has passed.
    assert not questions_due(timezone.now())
    assert questions_due(timezone.now() + dt.timedelta(minutes=portal_sandbox.DVCQG_QUESTIONS_MINUTES))
    assert pull_national_questions.call()["known"] == 1  # pulled again: still one question
    assert voices.queue(leader).filter(national_id=asked.hoi_dap_id).count() == 1

    approve(item, publish=False)
    assert drain_all().ok
    [sent] = pushes("DongBoKetQuaHoiDapGuiTuDVCQG")
    assert sent["HOIDAPID"] == asked.hoi_dap_id and sent["NOIDUNGTRALOI"] == ANSWER
    asked = SandboxQuestion.objects.get(pk=asked.pk)
    assert asked.row["NOIDUNGTRALOI"] == ANSWER and asked.answered_at is not None
    assert pull_national_questions.call()["known"] == 1  # its answer shown there: nothing new


def test_questions_that_cannot_be_taken_are_counted_not_lost(portal_sandbox, demo):
    """The portal down changes nothing and says so; a question already answered there is not
    taken; one without contact details is taken (the answer goes back through the portal); one
    for an unknown procedure is counted and tried again; one named for a unit that does not
    perform the procedure is routed like a question without a unit."""
    from motcua.national.contrib.dvcqg.questions import PULL_KEY, pull_questions
    from motcua.national.contrib.dvcqg_sandbox.filings import new_question
    from motcua.national.contrib.dvcqg_sandbox.models import (
        SandboxFault,
        SandboxQuestion,
    )
    from motcua.national.models import PullState
    from motcua.voices.models import Question

    new_question()
    SandboxFault.objects.create(service="LayDanhSachHoiDapGuiTuDVCQG", mode="http", error_code=503)
    assert pull_questions()["error"] == "http_503"
    assert not Question.objects.filter(source="national_portal").exists()
    assert "503" in PullState.objects.get(url=PULL_KEY).last_error

    no_contact = new_question(asker={"HOVATEN": "", "SODIENTHOAI": "", "THUDIENTU": "khong-phai-thu"})
    answered = new_question()
    SandboxQuestion.objects.filter(pk=answered.pk).update(row={**answered.row, "TRALOIID": "TL-1", "NOIDUNGTRALOI": "Đã trả lời."})
    unknown = new_question()
    SandboxQuestion.objects.filter(pk=unknown.pk).update(row={**unknown.row, "MATTHCDP": "9.999999.000.00.00.H99"})
    other_unit = new_question(unit_code="YB")  # the province does not perform a commune's procedure
    result = pull_questions()
    assert result == {"received": 3, "known": 0, "answered_there": 1, "refused": 1}
    taken = Question.objects.get(national_id=no_contact.hoi_dap_id)
    assert (taken.contact_name, taken.contact_phone, taken.contact_email) == ("Người hỏi trên Cổng DVCQG", "", "")
    assert not Question.objects.filter(national_id__in=[answered.hoi_dap_id, unknown.hoi_dap_id]).exists()
    assert Question.objects.get(national_id=other_unit.hoi_dap_id).unit.code != "YB"
    assert "1 câu hỏi chưa nhận được" in PullState.objects.get(url=PULL_KEY).last_error
    assert pull_questions() == {"received": 0, "known": 3, "answered_there": 1, "refused": 1}

    from django.test import Client

    admin = Client()
    admin.force_login(User.objects.get(username="admin"))
    html = admin.get("/can-bo/lien-thong/").content.decode()  # the operator's page says it, in its words
    assert "Lấy câu hỏi người dân gửi trên Cổng DVCQG" in html and "1 câu hỏi chưa nhận được" in html
    assert PULL_KEY not in html
