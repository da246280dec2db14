"""The national portal down, slow past its timeout, answering -1, answering "đã tồn tại" to a new
dossier, expiring the session mid-batch, refusing the credentials (issue 18 "Bad input and
faults"): each gets a clear answer on the outbox item, nothing is lost, and an intake never waits
for or fails because of it."""

from __future__ import annotations

import socket

from django.core.management import call_command

from motcua.national import outbox
from motcua.national.constants import OutboxState
from motcua.national.contrib.dvcqg.config import sandbox_identity
from motcua.national.models import OutboxItem
from tests.national.conftest import drain_all, held

COUNTER = "motcua.yt"


def fault(**kwargs):
    from motcua.national.contrib.dvcqg_sandbox.models import SandboxFault

    return SandboxFault.objects.create(**kwargs)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed again when the block ends: nothing listens there


def adapter_settings(settings, url: str, password: str | None = None):
    """A real configuration (not the simulator's shortcut) pointing at ``url``."""
    username, secret, dstcode, madonvi = sandbox_identity()
    settings.DVCQG_URL = url
    settings.DVCQG_USERNAME, settings.DVCQG_PASSWORD = username, secret if password is None else password
    settings.DVCQG_DSTCODE, settings.DVCQG_MADONVI = dstcode, madonvi


def test_portal_down_the_intake_goes_on_and_the_dossier_is_sent_when_it_is_back(portal_sandbox, api_as, live_server):
    adapter_settings(portal_sandbox, f"http://127.0.0.1:{closed_port()}")
    response = api_as("motcua.yt").post("/dossiers", {
        "procedure": "1.001193", "unit": "YB.LY.YT", "channel": "direct",
        "applicant": {"full_name": "Nguyễn Văn An", "id_number": "015090001234", "phone": "0912345678"}})
    assert response.status_code == 201  # the request never talked to the portal
    code = response.json()["code"]
    result = drain_all()
    assert result.stopped == "ConnectError" and not result.sent
    item = OutboxItem.objects.get(dossier__code=code)
    assert item.state == OutboxState.FAILED and item.attempts == 1 and item.next_attempt_at is not None
    assert item.answer == "Không kết nối được Cổng DVCQG." and item.error == "ConnectError"
    assert outbox.paused_until() is not None and not outbox.has_due()  # no hammering while it is down

    adapter_settings(portal_sandbox, live_server.url + "/lien-thong/dvcqg-sandbox")  # it is back
    call_command("national", "sync")  # exit 0: everything acknowledged
    assert OutboxItem.objects.get(pk=item.pk).state == OutboxState.SENT
    assert held(code)[0].data["TrangThaiHoSo"] == 2


def test_slow_past_the_timeout_is_a_failure_kept_for_retry(portal_sandbox, online_dossier):
    portal_sandbox.DVCQG_TIMEOUT = 1
    dossier = online_dossier()
    fault(service="DongBoHoSoMC", mode="slow", delay=1.5)  # it arrives, but after we stopped waiting
    result = drain_all()
    assert result.stopped == "timeout"
    item = OutboxItem.objects.get(dossier=dossier)
    assert item.state == OutboxState.FAILED and "Quá thời gian chờ (1 giây)" in item.answer
    call_command("national", "sync")  # sent as new, "đã tồn tại", sent again as an update
    assert OutboxItem.objects.get(pk=item.pk).state == OutboxState.SENT
    remote, steps = held(dossier.code)
    assert remote.data["TrangThaiHoSo"] == 2 and [s["TrangThai"] for s in steps] == [1, 2]


def test_answers_minus_one_then_parked_with_the_answer_then_retried(portal_sandbox, online_dossier):
    portal_sandbox.DVCQG_RETRY_DELAYS = [0, 0]
    dossier = online_dossier()
    fault(service="DongBoHoSoMC", error_code=-1, message="Dữ liệu không hợp lệ: MaLinhVuc", remaining=3)
    result = drain_all()
    item = OutboxItem.objects.get(dossier=dossier)
    assert [state for _, state in result.failed] == ["failed", "failed", "parked"]
    assert item.state == OutboxState.PARKED and item.attempts == 3 and item.next_attempt_at is None
    assert item.answer == "DongBoHoSoMC — -1: Dữ liệu không hợp lệ: MaLinhVuc"
    assert not outbox.has_due()  # parked: waits for an operator
    assert outbox.retry([item.pk]) == 1
    assert drain_all().sent == [item.pk] and OutboxItem.objects.get(pk=item.pk).state == OutboxState.SENT


def test_already_exists_for_a_new_dossier_is_sent_again_as_an_update(portal_sandbox, online_dossier):
    from motcua.national.contrib.dvcqg_sandbox.models import SandboxDossier

    dossier = online_dossier()
    # The portal holds it, our records do not say so (its answer was lost): no lookup is made,
    # it goes as new, the portal answers "đã tồn tại", it goes again as an update.
    SandboxDossier.objects.create(ma_ho_so=dossier.code, data={"MaHoSo": dossier.code})
    assert drain_all().ok
    remote = held(dossier.code)[0]
    assert remote.updates == 1 and remote.data["TrangThaiHoSo"] == 2


def test_session_expiring_mid_batch_logs_in_again_once(portal_sandbox, online_dossier):
    from motcua.national.contrib.dvcqg_sandbox.models import SandboxSession

    first, second = online_dossier(), online_dossier()
    fault(service="DongBoHoSoMC", mode="expire_session")
    result = drain_all()
    assert result.ok and len(result.sent) == 2
    assert held(first.code)[0] and held(second.code)[0]
    assert SandboxSession.objects.count() == 1  # every earlier session ended; one re-login

    third = online_dossier()
    fault(service="DongBoHoSoMC", mode="expire_session", remaining=2)  # twice in one batch: one re-login only
    result = drain_all()
    assert [state for _, state in result.failed] == ["failed"]
    assert OutboxItem.objects.get(dossier=third).answer.startswith("DongBoHoSoMC — -1: Phiên làm việc")


def test_wrong_credentials_are_named_and_nothing_is_sent(portal_sandbox, online_dossier, live_server):
    adapter_settings(portal_sandbox, live_server.url + "/lien-thong/dvcqg-sandbox", password="sai-mat-khau")
    dossier = online_dossier()
    result = drain_all()
    assert result.stopped == "login_refused"
    item = OutboxItem.objects.get(dossier=dossier)
    assert item.answer == "-1: Sai tên đăng nhập hoặc mật khẩu." and item.state == OutboxState.FAILED
    assert held(dossier.code)[0] is None
