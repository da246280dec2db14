"""``/can-bo/lien-thong/`` (CONTRACT §7, admins): the outbox by day, each failure with the national
portal's answer, retry one or all, the sync rate (1.4) for a period, the inbound log; ``/metrics``
gauges for the outbox; ``/healthz`` says when it has been stuck for more than an hour."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from motcua.accounts.models import User
from motcua.national.constants import InboundOutcome, OutboxState
from motcua.national.models import InboundLog, OutboxItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def connected(settings):
    """A configured national portal (nothing is sent in these tests: the outbox is only written)."""
    settings.DVCQG_URL = "https://adapter.example.gov.vn"
    settings.DVCQG_USERNAME, settings.DVCQG_PASSWORD = "yb", "secret-password"
    settings.DVCQG_DSTCODE, settings.DVCQG_MADONVI = "YB", "000.00.00.H62"
    return settings


def browser(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_only_administrators(demo):
    assert Client().get("/can-bo/lien-thong/").status_code == 302
    assert browser("motcua.yt").get("/can-bo/lien-thong/").status_code == 403
    assert browser("lanhdao.yt").post("/can-bo/lien-thong/gui-lai/").status_code == 403
    assert browser("admin").get("/can-bo/lien-thong/").status_code == 200


def test_failures_with_the_answer_retry_and_sync_rate(connected, online_dossier):
    dossier = online_dossier()  # queued by its intake and acceptance: one open item
    item = OutboxItem.objects.get(dossier=dossier)
    OutboxItem.objects.filter(pk=item.pk).update(state=OutboxState.PARKED, attempts=6,
                                                 answer="DongBoHoSoMC — -1: Dữ liệu không hợp lệ: MaLinhVuc")
    InboundLog.objects.create(national_code="G22.99-260506-000009", procedure_code="9.999", unit_code="YB.LY.YT",
                              outcome=InboundOutcome.REFUSED, problem="MaTTHC: Không có thủ tục với mã này.")
    admin = browser("admin")
    page = admin.get("/can-bo/lien-thong/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-system="dvcqg" data-state="connected"' in html
    assert "DongBoHoSoMC — -1: Dữ liệu không hợp lệ: MaLinhVuc" in html and dossier.code in html
    assert "G22.99-260506-000009" in html and "MaTTHC: Không có thủ tục với mã này." in html
    assert 'data-unit="YB"' in html  # the sync rate per province: nothing synced yet
    assert "015090001234" not in html and "0912345678" not in html  # no personal data

    done = admin.post("/can-bo/lien-thong/gui-lai/", {"item": item.pk}, follow=True)
    assert "Đã đưa 1 mục vào hàng đợi gửi lại." in done.content.decode()
    item.refresh_from_db()
    assert item.state == OutboxState.PENDING and item.attempts == 0


def test_bad_period_is_shown_not_a_crash(demo):
    page = browser("admin").get("/can-bo/lien-thong/", {"from": "2026-13-40", "to": "x"})
    assert page.status_code == 200 and 'role="alert"' in page.content.decode()


def test_metrics_and_health(connected, online_dossier, client):
    online_dossier()
    metrics = client.get("/metrics").content.decode()
    assert 'motcua_national_outbox{state="pending"} 1.0' in metrics
    assert "motcua_national_outbox_oldest_seconds" in metrics
    assert client.get("/healthz").json()["national_outbox"] == "ok"
    OutboxItem.objects.update(created_at=timezone.now() - dt.timedelta(hours=2))
    health = client.get("/healthz")
    assert health.status_code == 200 and health.json()["national_outbox"] == "stuck"


def test_health_is_unchanged_when_not_connected(demo, client):
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok", "worker": "stopped"}
