"""The public catalog API (CONTRACT §2): ``/units``, ``/procedures``, ``/procedures/{code}``,
``/procedures/stats``. Real database with the demo data, Django's test client."""

from __future__ import annotations

import pytest

from motcua.catalog.models import Procedure, ProcedureLevel

pytestmark = pytest.mark.django_db


def assert_error_body(response, status: int, code: str | None = None):
    """CONTRACT §2: ``{"error": {"code", "message", "fields"}}``."""
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert set(error) == {"code", "message", "fields"}
    assert isinstance(error["code"], str) and error["code"] == error["code"].lower()
    assert error["message"]
    assert isinstance(error["fields"], dict)
    if code:
        assert error["code"] == code
    return error


# ---------------------------------------------------------------------------------------- /units

def test_units_is_the_demo_tree_with_a_commune_directly_under_its_province(api, demo):
    """CONTRACT §6: the depth of the tree is data; LC.TP is a post-2025 commune under LC."""
    r = api.get("/units")
    assert r.status_code == 200
    units = {u["code"]: u for u in r.json()}
    assert {"YB", "YB.LY", "YB.LY.YT", "YB.LY.MX", "LC", "LC.NN", "LC.NN.NM", "LC.TP"} <= set(units)
    assert units["YB"] | {} == {**units["YB"], "name": "Tỉnh Yên Bái", "level": "province", "parent": None}
    assert (units["YB.LY"]["level"], units["YB.LY"]["parent"]) == ("district", "YB")
    assert (units["YB.LY.YT"]["name"], units["YB.LY.YT"]["level"], units["YB.LY.YT"]["parent"]) == ("Thị trấn Yên Thế", "commune", "YB.LY")
    assert (units["LC.NN.NM"]["level"], units["LC.NN.NM"]["parent"]) == ("commune", "LC.NN")
    assert (units["LC.TP"]["level"], units["LC.TP"]["parent"]) == ("commune", "LC")
    for u in r.json():
        assert {"code", "name", "level", "parent"} <= set(u)
        assert u["parent"] is None or u["parent"] in units


# ----------------------------------------------------------------------------------- /procedures

@pytest.mark.parametrize(
    "q, code",
    [
        ("dang ky khai sinh", "1.001193"),
        ("Đăng ký khai sinh", "1.001193"),
        ("DANG KY KET HON", "1.000894"),
        ("xac nhan tinh trang hon nhan", "1.004873"),
        ("chung thuc ban sao", "2.000815"),
        ("trich luc", "2.000635"),
    ],
)
def test_search_ignores_case_and_diacritics(api, demo, q, code):
    r = api.get("/procedures", {"q": q})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["count"] >= 1
    assert body["items"][0]["code"] == code


def test_chung_thuc_finds_the_certification_procedures(api, demo):
    body = api.get("/procedures", {"q": "chung thuc", "page_size": 100}).json()
    names = [item["name"] for item in body["items"]]
    assert any(name.startswith("Chứng thực bản sao từ bản chính") for name in names)
    assert any(name.startswith("Chứng thực chữ ký") for name in names)
    assert body["items"][0]["field"] == "Chứng thực"


def test_a_list_item_has_the_contract_keys(api, demo):
    item = api.get("/procedures", {"q": "dang ky khai sinh"}).json()["items"][0]
    assert {"code", "name", "field", "level", "online_level", "processing_time", "fee"} <= set(item)
    assert item["name"] == "Đăng ký khai sinh"
    assert item["field"] == "Hộ tịch"
    assert item["level"] == "commune"
    assert item["online_level"] == "full"
    assert item["fee"] == 0
    assert item["processing_time"]["unit"] == "same_day"


def test_filter_by_unit_lists_what_the_unit_performs(api, demo):
    district = api.get("/procedures", {"unit": "YB.LY", "page_size": 100}).json()
    codes = {item["code"] for item in district["items"]}
    assert district["count"] == Procedure.objects.filter(levels__level="district").count() == len(codes)
    assert "2.000815" in codes and "MC-XD-001" in codes and "1.001612" in codes
    assert "1.001193" not in codes                       # birth registration is a commune procedure
    assert {item["level"] for item in district["items"]} == {"district"}

    commune = {i["code"] for i in api.get("/procedures", {"unit": "LC.TP", "page_size": 100}).json()["items"]}
    assert "1.001193" in commune and "MC-XD-001" not in commune
    assert commune == {i["code"] for i in api.get("/procedures", {"unit": "YB.LY.YT", "page_size": 100}).json()["items"]}


def test_filter_by_field_and_level(api, demo):
    civil = api.get("/procedures", {"field": "HT", "page_size": 100}).json()
    assert civil["count"] >= 10
    assert {item["field_code"] for item in civil["items"]} == {"HT"}

    province = api.get("/procedures", {"level": "province", "page_size": 100}).json()
    assert province["count"] == ProcedureLevel.objects.filter(level="province").count() >= 4
    assert all("province" in item["levels"] for item in province["items"])
    assert {item["level"] for item in province["items"]} == {"province"}

    both = api.get("/procedures", {"field": "CT", "level": "district", "page_size": 100}).json()
    assert {i["code"] for i in both["items"]} == set(
        Procedure.objects.filter(field__code="CT", levels__level="district").values_list("code", flat=True)
    )


def test_paging_walks_the_whole_list_once(api, demo):
    total = Procedure.objects.count()
    first = api.get("/procedures", {"page_size": 7}).json()
    assert first["count"] == total and first["page"] == 1 and first["pages"] == -(-total // 7)
    seen = [item["code"] for item in first["items"]]
    for page in range(2, first["pages"] + 1):
        body = api.get("/procedures", {"page_size": 7, "page": page}).json()
        assert len(body["items"]) == (7 if page < first["pages"] else total - 7 * (first["pages"] - 1))
        seen += [item["code"] for item in body["items"]]
    assert len(seen) == len(set(seen)) == total


def test_a_page_past_the_end_is_404(api, demo):
    error = assert_error_body(api.get("/procedures", {"page": 99}), 404)
    assert "page" in error["fields"]


def test_an_empty_result_is_a_valid_first_page(api, demo):
    body = api.get("/procedures", {"q": "khong co thu tuc nao nhu the nay"}).json()
    assert body["count"] == 0 and body["items"] == []


@pytest.mark.parametrize(
    "params, field",
    [
        ({"level": "galaxy"}, "level"),
        ({"page": "0"}, "page"),
        ({"page": "abc"}, "page"),
        ({"page": "-1"}, "page"),
        ({"page_size": "1000"}, "page_size"),
        ({"online_level": "maybe"}, "online_level"),
        ({"q": "x" * 201}, "q"),
    ],
)
def test_bad_parameters_are_422_with_the_contract_body(api, demo, params, field):
    error = assert_error_body(api.get("/procedures", params), 422, "invalid_input")
    assert field in error["fields"]


def test_an_unknown_unit_filter_is_404(api, demo):
    error = assert_error_body(api.get("/procedures", {"unit": "ZZ"}), 404)
    assert "unit" in error["fields"]


# ---------------------------------------------------------------------------- /procedures/{code}

def test_the_detail_has_every_part_of_the_entry(api, demo):
    r = api.get("/procedures/2.000815")
    assert r.status_code == 200, r.content
    p = r.json()
    assert p["code"] == "2.000815" and p["national_code"] == "2.000815"
    assert p["name"] == "Chứng thực bản sao từ bản chính giấy tờ, văn bản"
    assert p["levels"] == ["district", "commune"]
    assert p["processing_time"]["unit"] == "same_day" and p["cutoff_time"] == "15:00"
    assert p["fee"] == 2000
    assert [(f["amount"], f["per"]) for f in p["fees"]] == [(2000, "trang"), (1000, "trang")]
    assert p["documents"][0]["copy_type"] == "present"
    assert p["documents"][0]["copy_type_label"] == "Xuất trình bản chính"
    assert all({"name", "copy_type", "count", "mandatory", "condition", "template_name"} <= set(d) for d in p["documents"])
    assert p["steps"] and p["result"] == "Bản sao được chứng thực từ bản chính"
    assert any("23/2015/NĐ-CP" in basis for basis in p["legal_basis"])
    assert any("226/2016/TT-BTC" in basis for basis in p["legal_basis"])
    assert p["qr_url"].startswith("http") and "2.000815" in p["qr_url"]
    assert p["url"].startswith("http")


def test_the_detail_shows_interlinked_levels_and_commitments(api, demo):
    linked = api.get("/procedures/MC-HT-LT01").json()
    assert linked["interlinked"] is True and linked["interlinked_levels"] == ["commune", "district"]
    assert linked["result_electronic"] is True

    building = api.get("/procedures/MC-XD-001").json()
    assert building["processing_time"]["value"] == 15
    assert [(c["unit"], c["processing_time"]["value"]) for c in building["commitments"]] == [("YB", 10)]
    assert "demo" in building["commitments"][0]["decision"]


def test_the_qr_url_answers(api, client, demo):
    qr_url = api.get("/procedures/1.001193").json()["qr_url"]
    path = "/" + qr_url.split("://", 1)[1].split("/", 1)[1]
    r = client.get(path)
    assert r.status_code == 200
    assert r["Content-Type"].startswith("image/")


def test_an_unknown_procedure_is_404_with_the_contract_body(api, demo):
    error = assert_error_body(api.get("/procedures/9.999999"), 404, "procedure_not_found")
    assert "procedure" in error["fields"]


# ----------------------------------------------------------------------------- /procedures/stats

def stats(api, **params):
    r = api.get("/procedures/stats", params)
    assert r.status_code == 200, r.content
    return r.json()


def matrix_sum(body) -> int:
    return sum(n for row in body["matrix"].values() for n in row.values())


def test_stats_total_is_the_sum_of_the_matrix(api, demo):
    """CONTRACT §2: `total` = the sum of `matrix` (seed 003: 135 = 15 + 17 + 82 + 21)."""
    for unit in ("YB", "YB.LY", "YB.LY.YT", "LC", "LC.TP"):
        for children in (0, 1):
            body = stats(api, unit=unit, children=children)
            assert body["total"] == matrix_sum(body)
            assert body["total"] == sum(body["by_level"].values()) == sum(body["by_online_level"].values())
            assert set(body["by_online_level"]) == {"none", "partial", "full"}
            assert set(body["by_level"]) == {"province", "district", "commune"}
            for level, row in body["matrix"].items():
                assert sum(row.values()) == body["by_level"][level]


def test_a_commune_counts_the_commune_procedures(api, demo):
    body = stats(api, unit="YB.LY.YT")
    commune = ProcedureLevel.objects.filter(level="commune").count()
    assert body["total"] == commune == body["by_level"]["commune"]
    assert body["by_level"]["district"] == body["by_level"]["province"] == 0
    assert stats(api, unit="LC.TP") == {**body, "unit": "LC.TP"}


def test_a_procedure_at_two_levels_counts_once_at_each(api, demo):
    """CONTRACT §2: "a procedure performed at two levels counts once at each, as officials
    count" — chứng thực bản sao (2.000815) is done by the district and by every commune."""
    district = stats(api, unit="YB.LY")
    with_children = stats(api, unit="YB.LY", children=1)
    n_district = ProcedureLevel.objects.filter(level="district").count()
    n_commune = ProcedureLevel.objects.filter(level="commune").count()
    assert district["total"] == n_district
    assert with_children["by_level"] == {"province": 0, "district": n_district, "commune": n_commune}
    assert with_children["total"] == n_district + n_commune
    distinct = Procedure.objects.filter(levels__level__in=["district", "commune"]).distinct().count()
    assert with_children["total"] > distinct   # two-level procedures count twice, not once

    # Removing the commune level of 2.000815 takes exactly one off the commune count.
    ProcedureLevel.objects.filter(procedure__code="2.000815", level="commune").delete()
    after = stats(api, unit="YB.LY", children=1)
    assert after["by_level"]["commune"] == n_commune - 1
    assert after["by_level"]["district"] == n_district


def test_a_province_with_children_counts_all_three_levels(api, demo):
    body = stats(api, unit="YB", children=1)
    assert body["by_level"] == {
        level: ProcedureLevel.objects.filter(level=level).count() for level in ("province", "district", "commune")
    }
    # LC.TP sits directly under LC: its commune procedures count for LC like those of LC.NN.NM.
    assert stats(api, unit="LC", children=1)["by_level"] == body["by_level"]


def test_stats_matrix_matches_the_online_levels_of_the_catalog(api, demo):
    body = stats(api, unit="YB.LY", children=1)
    for level in ("district", "commune"):
        for online in ("none", "partial", "full"):
            expected = Procedure.objects.filter(levels__level=level, online_level=online).count()
            assert body["matrix"][level][online] == expected


def test_stats_of_an_unknown_unit_is_404(api, demo):
    error = assert_error_body(api.get("/procedures/stats", {"unit": "ZZ"}), 404)
    assert "unit" in error["fields"]


def test_stats_without_a_unit_is_422(api, demo):
    error = assert_error_body(api.get("/procedures/stats"), 422, "invalid_input")
    assert "unit" in error["fields"]
