"""``motcua national catalog pull [--dry-run]`` against the national portal's simulator over HTTP
on the live server (issue 18 §4): the diff printed (new, changed, withdrawn), applied with the
codes of papers, fees and results, each changed procedure's earlier version kept for the dossiers
received under it, the province's own settings never overwritten, a malformed answer changing
nothing, the operator's page showing the last pull. Runs on SQLite and, with ``DATABASE_URL``, on
PostgreSQL."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from motcua.catalog import services as catalog
from motcua.catalog.models import Field, Procedure, ProcedureCommitment, Unit
from motcua.national.models import CatalogPull


@pytest.fixture
def portal(portal_sandbox):
    """The simulator, waited for as an operator's command can wait: on a loaded test machine the
    live server's first answers can take longer than the sync's 10 seconds."""
    portal_sandbox.DVCQG_TIMEOUT = 60
    return portal_sandbox


def pull(*args) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("national", "catalog", "pull", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def snapshot() -> list:
    return list(Procedure.objects.order_by("pk").values_list(
        "pk", "code", "name", "processing_time_value", "fee_amount", "results", "valid_to", "national_pulled_at"))


def edition(n: int) -> None:
    from motcua.national.contrib.dvcqg_sandbox.views import set_edition

    set_edition(n)


def test_dry_run_prints_the_diff_and_changes_nothing(portal, demo):
    before = snapshot()
    code, out, err = pull("--dry-run")
    assert code == 0, err
    assert "Mới / new: 1" in out and "+ 1.000593 Đăng ký khai sinh lưu động" in out
    # The demo catalog's nine national procedures: the national record adds the codes.
    assert "Thay đổi / changed: 9" in out
    assert "~ 1.001193 Đăng ký khai sinh\n" in out
    assert "mã kết quả: không → Giấy khai sinh (bản chính) (KQ.1.001193)" in out
    assert "Bãi bỏ / withdrawn: 0" in out
    assert "not performed locally: 1" in out  # the ministry's passport procedure
    assert "Chạy thử: chưa áp dụng" in out
    assert snapshot() == before
    record = CatalogPull.objects.get()
    assert record.outcome == CatalogPull.Outcome.DRY_RUN and record.new == 1 and record.changed == 9


def test_apply_fills_codes_in_place_adds_the_new_one_and_keeps_local_settings(portal, demo):
    birth = Procedure.objects.get(code="1.001193")
    form, cutoff, online = birth.form, birth.cutoff_time, birth.online_level
    assert form  # the province's own online form
    fields_before = Field.objects.count()

    code, out, err = pull()
    assert code == 0, err and "Đã áp dụng" in out

    birth_after = Procedure.objects.get(code="1.001193")
    assert birth_after.pk == birth.pk  # only codes: updated in place, no new version
    assert birth_after.results == [{"code": "KQ.1.001193", "name": "Giấy khai sinh (bản chính)", "template_name": "",
                                    "template_url": ""}]
    assert [d.code for d in birth_after.documents.all()][:2] == ["1.001193.GT01", "1.001193.GT02"]
    assert birth_after.form == form and birth_after.cutoff_time == cutoff and birth_after.online_level == online
    assert birth_after.national_pulled_at is not None
    assert {t["channel"] for t in birth_after.channel_times} == {"counter", "online", "post"}
    copies = Procedure.objects.get(code="2.000635")
    assert [(f.code, f.amount, f.per) for f in copies.fee_lines.all()] == [("2.000635.PL01", 8000, "bản")]
    assert copies.fee_lines.get().note  # the province's note on the fee is kept

    new = Procedure.objects.get(code="1.000593")
    assert new.national_code == "1.000593" and new.level_list == ["commune"]
    assert new.field.code == "HT"  # the national field "LV.HT" matched by its name
    assert Field.objects.count() == fields_before
    assert new.valid_from == timezone.localdate() and new.processing_time_value == 5
    assert not Procedure.objects.filter(code="2.001944").exists()  # a ministry's: not ours

    # Pulled again, the same catalog: nothing to do.
    code, out, _ = pull("--dry-run")
    assert "Mới / new: 0" in out and "Thay đổi / changed: 0" in out and "Bãi bỏ / withdrawn: 0" in out


def test_a_change_keeps_the_earlier_version_for_the_dossiers_received_under_it(portal, demo, online_dossier):
    assert pull()[0] == 0
    marriage = Procedure.objects.get(code="1.004873")
    marriage.form = [{"name": "noi_cu_tru", "label": "Nơi cư trú", "type": "text", "required": True}]
    marriage.save()
    dossier = online_dossier("1.004873", accept=False)
    ProcedureCommitment.objects.create(unit=Unit.objects.get(code="YB.LY.YT"), procedure=marriage,
                                       time_value=Decimal(2), time_unit="working_days", decision="QĐ cắt giảm")
    signature = Procedure.objects.get(code="2.000884")
    household = Procedure.objects.get(code="1.001612")

    edition(2)
    code, out, err = pull()
    assert code == 0, err
    assert "~ 1.004873 Cấp Giấy xác nhận tình trạng hôn nhân (phiên bản mới" in out
    assert "thời hạn giải quyết: 3 ngày làm việc → 5 ngày làm việc" in out
    assert "- 1.001612 Đăng ký thành lập hộ kinh doanh" in out
    assert "+ 1.000080 Đăng ký kết hôn lưu động" in out

    today = timezone.localdate()
    current = Procedure.objects.get(code="1.004873")
    earlier = Procedure.objects.get(pk=marriage.pk)
    assert current.pk != earlier.pk
    assert current.processing_time_value == 5 and current.valid_from == today
    assert current.documents.count() == earlier.documents.count() + 1
    assert current.form == marriage.form  # the province's form is carried over
    assert [(c.unit.code, c.time_value) for c in current.commitments.all()] == [("YB.LY.YT", Decimal(2))]
    # The earlier version: its own row, the dossier still under it, out of force from today.
    assert earlier.code == f"1.004873~{today:%Y%m%d}" and earlier.valid_to == today - dt.timedelta(days=1)
    assert earlier.replaced_by_id == current.pk and earlier.processing_time_value == 3
    dossier.refresh_from_db()
    assert dossier.procedure_id == earlier.pk
    unit = Unit.objects.get(code="YB.LY.YT")
    assert list(catalog.procedures_of_unit(unit).filter(name=current.name)) == [current]

    # No dossier under the changed fee: updated in place.
    signature_after = Procedure.objects.get(code="2.000884")
    assert signature_after.pk == signature.pk and signature_after.fee_amount == 15000
    # Withdrawn: kept, out of force from today.
    household.refresh_from_db()
    assert household.valid_to == today - dt.timedelta(days=1)
    assert not catalog.procedures_of_unit(Unit.objects.get(code="YB.LY")).filter(pk=household.pk).exists()

    record = CatalogPull.objects.filter(outcome=CatalogPull.Outcome.APPLIED).first()
    assert (record.new, record.changed, record.withdrawn) == (1, 2, 1)
    versioned = {c["code"]: c["new_version"] for c in record.diff["changed"]}
    assert versioned == {"1.004873": True, "2.000884": False}


@pytest.mark.parametrize("fault, says", [
    ({"service": "LayThuTuc", "mode": "malformed"}, "LayThuTuc(1.001193): result[0].MATTHC: thiếu"),
    ({"service": "LayDanhSachTTHC", "mode": "malformed"}, "LayDanhSachTTHC: result[0].MATTHC: thiếu"),
    ({"service": "LayDanhMucLinhVuc", "mode": "error", "error_code": -1, "message": "Lỗi hệ thống"},
     "LayDanhMucLinhVuc: Cổng DVCQG trả lời lỗi -1: Lỗi hệ thống"),
    ({"service": "LayDanhMucCoQuan", "mode": "http", "error_code": 503}, "HTTP 503"),
])
def test_a_bad_answer_changes_nothing_and_says_what_was_wrong(portal, demo, fault, says):
    from motcua.national.contrib.dvcqg_sandbox.models import SandboxFault

    SandboxFault.objects.create(**fault)
    before = snapshot()
    code, out, err = pull()
    assert code == 1
    assert "nothing changed" in err and says in err
    assert snapshot() == before
    record = CatalogPull.objects.get()
    assert record.outcome == CatalogPull.Outcome.FAILED and says in record.problem


def test_an_empty_national_list_withdraws_nothing(portal, demo, monkeypatch):
    from motcua.national.contrib.dvcqg_sandbox import catalog as sandbox_catalog

    monkeypatch.setattr(sandbox_catalog, "procedures", lambda edition: {})
    before = snapshot()
    code, _, err = pull()
    assert code == 1 and "danh sách thủ tục rỗng" in err
    assert snapshot() == before


def test_units_are_reported_never_changed(portal, demo):
    Unit.objects.filter(code="YB.LY.MX").update(national_id="000.99.99.H65")
    code, out, _ = pull("--dry-run")
    assert "Thị trấn Yên Thế (YB.LY.YT): chưa có mã định danh; danh mục quốc gia có “UBND thị trấn Yên Thế” mã 000.15.01.H65." in out
    assert "Xã Minh Xuân (YB.LY.MX): mã định danh 000.99.99.H65 không có trong danh mục cơ quan quốc gia." in out
    pull()
    assert Unit.objects.get(code="YB.LY.YT").national_id == ""


def test_the_operator_page_shows_the_last_pull_and_its_diff(portal, demo, client):
    from motcua.accounts.models import User
    from motcua.national.contrib.dvcqg_sandbox.models import SandboxFault

    pull()
    edition(2)
    pull()
    SandboxFault.objects.create(service="LayThuTuc", mode="malformed")
    pull()
    client.force_login(User.objects.get(username="admin"))
    page = client.get("/can-bo/lien-thong/").content.decode()
    assert 'data-pull="applied"' in page and 'data-changed="1.004873"' in page
    assert "phiên bản mới, phiên bản cũ giữ cho hồ sơ đã nhận" not in page  # no dossier under it here
    assert "3 ngày làm việc" in page and "5 ngày làm việc" in page
    assert "Đăng ký thành lập hộ kinh doanh" in page and "Đăng ký kết hôn lưu động" in page
    assert 'data-pull="failed"' in page and "LayThuTuc(1.001193): result[0].MATTHC: thiếu" in page


def test_without_a_connection_the_command_says_so(demo, settings):
    settings.DVCQG_SANDBOX = False
    settings.DVCQG_URL = ""
    with pytest.raises(Exception) as exc:
        call_command("national", "catalog", "pull", stdout=StringIO(), stderr=StringIO())
    assert "not configured" in str(exc.value)
