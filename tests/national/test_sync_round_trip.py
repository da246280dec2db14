"""The whole round trip against the national portal's simulator, over HTTP on the live server
(issue 18 "Tests"): intake → sync → every action → progress steps, each once and in order →
the result link downloaded by the simulator → the month's ratings; a dossier filed on the
national portal → pulled → the counter's queue → accepted → its status back. Runs on SQLite and,
with ``DATABASE_URL``, on PostgreSQL."""

from __future__ import annotations

import hashlib

from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.accounts.models import User
from motcua.documents import services as documents
from motcua.dossiers import actions
from motcua.dossiers.models import NationalRecord
from motcua.feedback.services import rate_dossier
from motcua.national.constants import OutboxState
from motcua.national.models import OutboxItem, SyncStep
from motcua.national.tasks import pull_national_dossiers, queue_national_ratings
from motcua.worktime.calendar import VN_TZ
from tests.files.conftest import PDF, TO_RESULT_RETURNED, advance
from tests.national.conftest import drain_all, held

COUNTER = "motcua.yt"


def test_intake_actions_steps_result_link_and_ratings(portal_sandbox, online_dossier, api_as):
    from motcua.national.contrib.dvcqg_sandbox.models import SandboxPush

    dossier = online_dossier(accept=False)
    item = OutboxItem.objects.get(dossier=dossier)
    assert item.state == OutboxState.PENDING  # written with the intake, sent by nobody yet
    assert held(dossier.code)[0] is None

    result = drain_all()
    assert result.ok and result.sent == [item.pk]
    remote, steps = held(dossier.code)
    assert remote.data["TrangThaiHoSo"] == 1 and remote.data["KenhThucHien"] == 2
    assert [s["TrangThai"] for s in steps] == [1]

    dossier = advance(dossier, (COUNTER, "accept", {}), *TO_RESULT_RETURNED[:3])
    documents.upload_document(User.objects.get(username=COUNTER), dossier.code,
                              SimpleUploadedFile("ket-qua.pdf", PDF + b"%result"), "result")
    assert OutboxItem.objects.filter(dossier=dossier, state=OutboxState.PENDING).count() == 1  # one open item a dossier
    assert drain_all().ok
    dossier = advance(dossier, TO_RESULT_RETURNED[3])
    assert drain_all().ok
    assert drain_all().sent == []  # nothing left: nothing sent again

    remote, steps = held(dossier.code)
    assert remote.data["TrangThaiHoSo"] == 10 and remote.updates >= 2
    assert [s["TrangThai"] for s in steps] == [1, 2, 4, 4, 9, 10]  # each step once, in order
    assert len({(s["ThoiDiemXuLy"], s["TrangThai"], s["NoiDungXuLy"]) for s in steps}) == len(steps)
    # The simulator downloaded the result through the link it was sent, as DVCQG does.
    [kq] = remote.data["DanhSachGiayToKetQua"]
    [fetched] = [f for f in remote.files if f["url"] == kq["DuongDanTepTinKetQua"]]
    assert fetched["status"] == 200 and fetched["sha256"] == hashlib.sha256(PDF + b"%result").hexdigest()

    record = NationalRecord.objects.get(dossier=dossier)
    assert record.status_sent == 10 and record.steps_sent == 6 == SyncStep.objects.filter(dossier=dossier).count()
    state = api_as(COUNTER).get(f"/dossiers/{dossier.code}/national").json()
    assert state["national_code"] == dossier.code and state["pending"] is False
    assert state["status_sent"] == 10 and state["steps_sent"] == 6 and state["synced_at"]
    assert api_as("congdan").get(f"/dossiers/{dossier.code}/national").status_code == 404  # staff only

    # QĐ 766 indicator 1.4 reads the same sync records.
    today = dossier.received_at.astimezone(VN_TZ).date().isoformat()
    card = api_as("lanhdao.yt").get("/reports/scorecard", {"unit": "YB.LY.YT", "from": today, "to": today}).json()
    [synced] = [i for g in card["groups"] for i in g["indicators"] if i["key"] == "1.4"]
    assert (synced["source"], synced["numerator"], synced["denominator"], synced["points"]) == ("system", 1, 1, 6.0)

    rate_dossier(User.objects.get(username="congdan"), dossier.code, 3, "")
    queue_national_ratings.call()
    assert drain_all().ok
    [pushed] = SandboxPush.objects.filter(service="DongBoDanhGia")
    assert pushed.data["TongSoNguoiDanhGia"] == 1 and pushed.data["PhanTramDanhGia"]["RatHaiLong"] == "100%"


def test_a_dossier_filed_on_the_national_portal_reaches_the_counter_and_its_status_goes_back(
        portal_sandbox, service_account, api_as):
    from motcua.national.contrib.dvcqg_sandbox import filings

    filing = filings.new_filing()
    pulled = pull_national_dossiers.call()
    assert pulled["received"] == 1
    record = NationalRecord.objects.get(national_code=filing.ma_ho_so)
    dossier = record.dossier
    assert record.inbound and dossier.source == "national_portal" and dossier.channel == "online"
    assert dossier.status == "submitted" and dossier.unit.code == "YB.LY.YT"
    queue = api_as(COUNTER).get("/dossiers", {"status": "submitted"}).json()
    assert dossier.code in [d["code"] for d in queue["items"]]
    assert [f.name for f in dossier.files.all()] == ["to-khai.pdf"]
    assert pull_national_dossiers.call()["received"] == 0  # handed out once; the same code is never a second dossier

    actions.apply_action(User.objects.get(username=COUNTER), dossier.code, "accept")
    assert drain_all().ok
    remote, steps = held(filing.ma_ho_so)  # known there by its national code
    assert remote.data["TrangThaiHoSo"] == 2 and remote.data["NoiNopHoSo"] == 1
    assert remote.data["SoBienNhan"] == dossier.code
    assert [s["TrangThai"] for s in steps] == [1, 2]
