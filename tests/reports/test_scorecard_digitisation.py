"""The QĐ 766 scorecard's digitisation group (MDSH, 766DOC 4.1–4.5; issue 19 §4), computed
from the records, and counting what the national portal would count from the flags the national
sync sends it (``DongBoHoSoMC``, shared/domain/national-systems.md §1.8): one home.

One dossier of each kind is made through the real services (uploads, reuse from the citizen's
store, a result, a national sign-on, a population-database lookup); the table says which
indicators each one counts in. Then every dossier's national object, as the sync builds it, is
read with 766DOC's rules, and the scorecard's list of dossiers behind each numerator is exactly
the set those rules give.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.files.conftest import PDF, REAL_PNG, TO_RESULT_RETURNED, advance, media_dir, online_dossier  # noqa: F401  (fixtures)

KIND = "Tờ khai đăng ký khai sinh"
MDSH = ("4.1", "4.2", "4.3", "4.4", "4.5")
OTHER_PDF = PDF + b"% another paper\n"

# row → the indicators it counts in (4.1 counts among dossiers resolved in the period, 4.2–4.5
# among those received in it; "resolved" rows are in both).
TABLE = {
    "nothing": set(),                               # received, no file at all
    "paper": {"4.2"},                               # a paper held electronically, not yet resolved
    "resolved_with_result": {"4.1", "4.2"},         # papers and an electronic result
    "resolved_without_result": set(),               # resolved with no result file: neither 4.1 nor 4.2
    "from_store": {"4.2", "4.3", "4.4", "4.5"},     # a paper taken from the citizen's store
    "result_from_store": {"4.2", "4.3", "4.4", "4.5"},  # an earlier result reused from the store
    "same_bytes": {"4.2", "4.3"},                   # the same bytes again: reused data, not the store
    "vneid_owner": {"4.5"},                         # the owner signed in through VNeID
    "population_lookup": {"4.5"},                   # the population database looked up for it
    "other_database": set(),                        # only the national portal's own code (7)
    "similar_code": set(),                          # a code that merely contains the population one
}
RESOLVED_ROWS = {"resolved_with_result", "resolved_without_result"}


def _upload(user, dossier, content=PDF, kind=KIND, name="giay-to.pdf"):
    from motcua.documents import services

    return services.upload_document(user, dossier.code, SimpleUploadedFile(name, content), kind)


@pytest.fixture
def rows(online_dossier, settings):
    """``{row: dossier}``, all received today at Thị trấn Yên Thế."""
    from allauth.socialaccount.models import SocialAccount

    from motcua import dossier_flags
    from motcua.accounts.models import Role, User
    from motcua.documents import services
    from motcua.dossiers import intake

    citizen = User.objects.get(username="congdan")
    officer = User.objects.get(username="chuyenvien.yt")
    made = {"nothing": online_dossier(), "paper": online_dossier()}
    _upload(citizen, made["paper"], OTHER_PDF)

    done = online_dossier()
    paper = _upload(citizen, done, PDF)
    done = advance(done, TO_RESULT_RETURNED[0])
    result = _upload(officer, done, REAL_PNG, kind="result", name="ket-qua.png")
    made["resolved_with_result"] = advance(done, *TO_RESULT_RETURNED[1:])
    bare = online_dossier()
    _upload(citizen, bare, PDF + b"% third\n")
    made["resolved_without_result"] = advance(bare, *TO_RESULT_RETURNED)

    made["from_store"] = online_dossier()
    services.reuse_document(citizen, made["from_store"].code, paper.pk, KIND)
    made["result_from_store"] = online_dossier()
    services.reuse_document(citizen, made["result_from_store"].code, result.pk, KIND)
    made["same_bytes"] = online_dossier()
    _upload(citizen, made["same_bytes"], PDF, name="cung-ban.pdf")

    verified = User.objects.create_user("congdan.vneid", password="x-motcua-vneid", role=Role.CITIZEN)
    SocialAccount.objects.create(user=verified, provider=settings.OIDC_PROVIDER_ID, uid="sub-001090000777")
    made["vneid_owner"] = advance(intake.receive_dossier(
        actor=verified, procedure_code="1.001193", unit_code="YB.LY.YT", channel="online",
        applicant={"full_name": "Trần Văn Xác Thực", "id_number": "001090000777", "phone": "0912000777"}),
        ("motcua.yt", "accept", {}))

    made["population_lookup"] = online_dossier()
    dossier_flags.record_database_use(made["population_lookup"], dossier_flags.population_database())
    made["other_database"] = online_dossier()
    dossier_flags.record_database_use(made["other_database"], dossier_flags.NATIONAL_PORTAL_DATABASE)
    made["similar_code"] = online_dossier()
    dossier_flags.record_database_use(made["similar_code"], dossier_flags.population_database() + "2")
    return made


def _period() -> dict:
    today = timezone.localdate().isoformat()
    return {"unit": "YB.LY.YT", "from": today, "to": today}


def _query(period: dict):
    from motcua.accounts.models import User
    from motcua.reports.services import report_query

    return report_query(User.objects.get(username="lanhdao.yt"), period["unit"], period["from"], period["to"], "", "")


def _group(body: dict) -> dict:
    group = next(g for g in body["groups"] if g["key"] == "MDSH")
    return {i["key"]: i for i in group["indicators"]}


def test_each_kind_of_dossier_counts_in_its_indicators(api_as, rows):
    from motcua.reports.scorecard import DENOMINATOR, NUMERATOR, indicator_dossiers

    period = _period()
    query = _query(period)
    codes = {d.code: row for row, d in rows.items()}
    for key in MDSH:
        counted = {codes[c] for c in indicator_dossiers(query, key, NUMERATOR).values_list("code", flat=True) if c in codes}
        expected = {row for row, indicators in TABLE.items() if key in indicators}
        assert counted == expected, key
        among = {codes[c] for c in indicator_dossiers(query, key, DENOMINATOR).values_list("code", flat=True) if c in codes}
        assert among == (RESOLVED_ROWS if key == "4.1" else set(TABLE)), key

    body = api_as("lanhdao.yt").get("/reports/scorecard", period)
    assert body.status_code == 200, body.content
    group = _group(body.json())
    for key in MDSH:  # the scorecard's figures are the lists' lengths, computed by the system
        item = group[key]
        assert item["source"] == "system", key
        assert item["numerator"] == indicator_dossiers(query, key, NUMERATOR).count(), key
        assert item["denominator"] == indicator_dossiers(query, key, DENOMINATOR).count(), key
    assert (group["4.1"]["numerator"], group["4.1"]["denominator"]) == (1, 2)
    assert group["4.5"]["numerator"] == 4 and group["4.5"]["denominator"] == len(TABLE)
    assert group["4.5"]["ratio"] == round(4 * 100 / len(TABLE), 2)


def counted_by_the_national_portal(record: dict, resolved: bool) -> set[str]:
    """766DOC's digitisation rules applied to one synced ``DongBoHoSoMC`` object (§1.8), as the
    national portal reads it: what the scorecard must agree with."""
    papers = record["TaiLieuNop"]
    results = [r for r in record["DanhSachGiayToKetQua"] if r["DuongDanTepTinKetQua"]]
    digitised = any(p["DuocSoHoa"] == 1 for p in papers)
    reused = any(p["DuocTaiSuDung"] in (1, 2) for p in papers)
    from_store = any(p["DuocLayTuKhoDMQG"] == 1 for p in papers)
    from motcua.dossier_flags import population_database

    population = (record["TaiKhoanDuocXacThucVoiVNeID"] == 1 or from_store
                  or population_database() in [d["MaCSDL"] for d in record["DSKetNoiCSDL"]])
    found = {"4.1"} if resolved and results else set()
    if digitised and (results or not resolved):
        found.add("4.2")
    if reused:
        found.add("4.3")
    if from_store:
        found.add("4.4")
    if population:
        found.add("4.5")
    return found


def test_the_scorecard_counts_what_the_national_sync_sends(rows):
    """Every dossier of the period: its national object's flags, read by 766's rules, give
    exactly the indicators whose list holds it."""
    from motcua.dossiers.models import Dossier
    from motcua.national.contrib.dvcqg.record import national_dossier
    from motcua.reports.scorecard import NUMERATOR, indicator_dossiers

    query = _query(_period())
    lists = {key: set(indicator_dossiers(query, key, NUMERATOR).values_list("code", flat=True)) for key in MDSH}
    seen = 0
    for dossier in Dossier.objects.filter(unit__code="YB.LY.YT").select_related("procedure", "procedure__field", "current_unit"):
        if dossier.received_at is None or timezone.localtime(dossier.received_at).date() != timezone.localdate():
            continue
        record = national_dossier(dossier, dossier.code)
        expected = counted_by_the_national_portal(record, resolved=dossier.resolved_at is not None)
        assert {key for key in MDSH if dossier.code in lists[key]} == expected, dossier.code
        seen += 1
    assert seen >= len(TABLE)


def test_the_dashboard_links_each_digitisation_figure_to_as_many_dossiers(client, rows):
    """The dashboard's 766 table: each MDSH numerator and denominator opens the list of its
    dossiers, which says the same number and lists them; a bad indicator is a clear 422."""
    import re
    from html import unescape

    from motcua.accounts.models import User

    client.force_login(User.objects.get(username="lanhdao.yt"))
    period = _period()
    page = client.get("/can-bo/bang-dieu-khien/", {**period, "ky": "tuy-chon"})
    assert page.status_code == 200
    found = [(unescape(h), t) for h, t in re.findall(
        r'<td class="n" data-label="[^"]+"><a href="(/can-bo/bang-dieu-khien/chi-so/[^"]+)">([\d.]+)</a></td>', page.content.decode())]
    assert len(found) == 2 * len(MDSH)
    for href, text in found:
        listed = client.get(href)
        assert listed.status_code == 200, href
        body = listed.content.decode()
        assert f": {text} hồ sơ" in body, href
        assert body.count('class="code" href="/can-bo/ho-so/') == int(text.replace(".", "")), href
    population = next(h for h, _ in found if "indicator=4.5" in h and "part=numerator" in h)
    body = client.get(population).content.decode()
    assert rows["population_lookup"].code in body and rows["other_database"].code not in body

    bad = client.get("/can-bo/bang-dieu-khien/chi-so/", {**period, "indicator": "2.1"})
    assert bad.status_code == 422 and "Chỉ số không có danh sách hồ sơ" in bad.content.decode()
    client.force_login(User.objects.get(username="congdan"))
    assert client.get(population).status_code == 403
