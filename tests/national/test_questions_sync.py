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
