"""QĐ 766 indicator 3.3 "online submission" (766DOC 3.3; shared/domain/national-systems.md §1.8;
issue 18): a dossier counts as online only with ``KenhThucHien`` 2, and when its procedure's
result is a paper document only with ``MaGiayToKetQua`` and ``DuongDanTepTinKetQua``; the rate is
multiplied by the sync rate (1.4) — the portal counts only what it was sent.

Dossiers are made through the real services, one per condition to pass or fail, and synced to
the national portal's simulator by the real outbox; the table says which count. Then the
simulator's own objects (what the national portal holds) are read with 766's rule, and the
scorecard's figure is exactly theirs over the dossiers received.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.files.conftest import (  # noqa: F401
    APPLICANT,
    PDF,
    REAL_PNG,
    TO_RESULT_RETURNED,
    advance,
    media_dir,
    online_dossier,
)
from tests.national.conftest import drain_all, portal_sandbox  # noqa: F401

PAPER_RESULT = "1.001193"  # given a coded result (MAKETQUA) below: its result is a paper document
PLAIN = "1.004873"  # no coded result in the catalog
RESULT_CODE = "KQ.G07.000122"

# row → counts in 3.3's numerator (every row is received in the period: the denominator).
TABLE = {
    "counter": False,                  # KenhThucHien 1: received at the counter
    "online_plain": True,              # online, a procedure without a paper result, synced
    "paper_with_result": True,         # online, paper result issued as a file (code + link), synced
    "paper_not_resolved": False,       # online, paper result not issued yet
    "paper_resolved_no_file": False,   # online, resolved with no result file
    "online_not_synced": False,        # online, never acknowledged by the national portal
}


def _result(dossier):
    from motcua.accounts.models import User
    from motcua.documents import services

    services.upload_document(User.objects.get(username="chuyenvien.yt"), dossier.code,
                             SimpleUploadedFile("giay-khai-sinh.png", REAL_PNG), "result")


@pytest.fixture
def rows(portal_sandbox, online_dossier):  # noqa: F811
    from motcua.accounts.models import User
    from motcua.catalog.models import Procedure
    from motcua.dossiers import intake

    procedure = Procedure.objects.get(code=PAPER_RESULT)
    procedure.results = [{"code": RESULT_CODE, "name": "Giấy khai sinh"}]
    procedure.save()
    made = {"counter": intake.receive_dossier(
        actor=User.objects.get(username="motcua.yt"), procedure_code=PLAIN, unit_code="YB.LY.YT",
        channel="direct", applicant=APPLICANT)}
    made["online_plain"] = online_dossier(PLAIN)
    done = advance(online_dossier(PAPER_RESULT), TO_RESULT_RETURNED[0])
    _result(done)
    made["paper_with_result"] = advance(done, *TO_RESULT_RETURNED[1:])
    made["paper_not_resolved"] = online_dossier(PAPER_RESULT)
    made["paper_resolved_no_file"] = advance(online_dossier(PAPER_RESULT), *TO_RESULT_RETURNED)
    assert drain_all().ok
    made["online_not_synced"] = online_dossier(PLAIN)  # after the sync: the portal never got it
    return made


def _query():
    from motcua.accounts.models import User
    from motcua.reports.services import report_query

    today = timezone.localdate().isoformat()
    return report_query(User.objects.get(username="lanhdao.yt"), "YB.LY.YT", today, today, "", "")


def test_each_condition_passes_or_fails_a_dossier(api_as, rows):
    from motcua.reports.scorecard import (
        DENOMINATOR,
        NUMERATOR,
        online_submission_dossiers,
    )

    query = _query()
    codes = {d.code: row for row, d in rows.items()}
    counted = {codes[c] for c in online_submission_dossiers(query, NUMERATOR).values_list("code", flat=True) if c in codes}
    assert counted == {row for row, online in TABLE.items() if online}
    among = {codes[c] for c in online_submission_dossiers(query, DENOMINATOR).values_list("code", flat=True) if c in codes}
    assert among == set(TABLE)

    today = timezone.localdate().isoformat()
    body = api_as("lanhdao.yt").get("/reports/scorecard", {"unit": "YB.LY.YT", "from": today, "to": today}).json()
    item = next(i for g in body["groups"] for i in g["indicators"] if i["key"] == "3.3")
    assert item["source"] == "system"
    assert (item["numerator"], item["denominator"]) == (2, len(TABLE))
    assert item["ratio"] == round(2 * 100 / len(TABLE), 2)


def counted_by_the_national_portal(held: dict, paper_results: set[str]) -> bool:
    """766DOC 3.3 on one ``DongBoHoSoMC`` object the portal holds: online (``KenhThucHien`` 2)
    and, for a procedure whose result is a paper document (known to the portal from its own
    procedure database), a result with its code and link."""
    if str(held["KenhThucHien"]) != "2":
        return False
    if held["MaTTHC"] not in paper_results:
        return True
    return any(r.get("MaGiayToKetQua") and r.get("DuongDanTepTinKetQua") for r in held["DanhSachGiayToKetQua"])


def test_the_scorecard_counts_what_the_national_portal_holds(rows):
    """(online ÷ synced, read from the simulator's objects) × (synced ÷ received) is the scorecard's
    3.3: the same dossiers, from the same records."""
    from motcua.catalog.models import Procedure
    from motcua.dossiers.models import NationalRecord
    from motcua.national.contrib.dvcqg_sandbox.models import SandboxDossier
    from motcua.reports.scorecard import (
        DENOMINATOR,
        NUMERATOR,
        online_submission_dossiers,
        synced_dossiers,
    )

    query = _query()
    received = list(online_submission_dossiers(query, DENOMINATOR).values_list("pk", flat=True))
    national = dict(NationalRecord.objects.filter(dossier_id__in=received).values_list("national_code", "dossier_id"))
    paper_results = {p.national_code or p.code for p in Procedure.objects.all() if p.coded_result()}
    held = {h.ma_ho_so: h.data for h in SandboxDossier.objects.filter(ma_ho_so__in=national)}
    portal = {national[code] for code, data in held.items() if counted_by_the_national_portal(data, paper_results)}
    assert synced_dossiers(query) == (len(held), len(received))  # the sync rate: what the portal holds
    ours = set(online_submission_dossiers(query, NUMERATOR).values_list("pk", flat=True))
    assert ours == portal and len(ours) == 2
    assert rows["paper_with_result"].pk in portal and rows["online_not_synced"].pk not in ours
