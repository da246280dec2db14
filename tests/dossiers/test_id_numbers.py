"""An ID number typed with spaces, dots or dashes is cleaned, not rejected.

``check_applicant`` is the one check (API, the counter's intake page, the importer), so
each surface stores the same 12 digits.
"""

from __future__ import annotations

import json

import pytest

from motcua.dossiers.models import Dossier
from motcua.dossiers.validation import check_applicant
from motcua.errors import InvalidInput

from tests.dossiers.data import APPLICANT, THREE_DAY_COMMUNE

CLEANED = [
    ("015200001111", "015200001111"),
    ("015 200 001 111", "015200001111"),
    ("  015200001111  ", "015200001111"),
    ("015.200.001.111", "015200001111"),
    ("015-200-001-111", "015200001111"),
    ("015–200–001–111", "015200001111"),       # en dashes (a word processor's autocorrect)
    ("015\u00a0200\u00a0001\u00a0111", "015200001111"),  # no-break spaces (pasted from a page)
    ("015/200/001_111", "015200001111"),
    ("０１５２００００１１１１", "015200001111"),    # full-width digits
]
REJECTED = [
    "", "12345", "0152000011110", "01520000111a", "O15200001111",  # letter O, not zero
    "٠١٥٢٠٠٠٠١١١١",  # Arabic-Indic digits are not an ID number here
    "015200001111\n1", "+015200001111",
]


@pytest.mark.parametrize("typed, stored", CLEANED)
def test_an_id_number_with_separators_is_cleaned(typed, stored):
    assert check_applicant({**APPLICANT, "id_number": typed})["id_number"] == stored


@pytest.mark.parametrize("typed", REJECTED)
def test_what_is_not_twelve_digits_is_still_rejected_with_the_field_named(typed):
    with pytest.raises(InvalidInput) as caught:
        check_applicant({**APPLICANT, "id_number": typed})
    assert caught.value.fields == {"applicant.id_number": ["Số định danh cá nhân (căn cước) phải gồm đúng 12 chữ số."]}


def test_the_api_stores_the_cleaned_number(api_as):
    r = api_as("motcua.yt").post("/dossiers", {"procedure": THREE_DAY_COMMUNE, "unit": "YB.LY.YT", "channel": "direct",
                                               "applicant": {**APPLICANT, "id_number": "015 200 001 111"}})
    assert r.status_code == 201, r.content
    assert Dossier.objects.get(code=r.json()["code"]).applicant_id_number == "015200001111"


def test_the_counter_intake_page_stores_the_cleaned_number(client, demo):
    from motcua.accounts.models import User
    from motcua.catalog.models import RequiredDocument

    client.force_login(User.objects.get(username="motcua.yt"))
    papers = list(RequiredDocument.objects.filter(procedure__code=THREE_DAY_COMMUNE).values_list("name", flat=True))
    response = client.post("/can-bo/tiep-nhan/", {
        "unit": "YB.LY.YT", "procedure": THREE_DAY_COMMUNE, "channel": "direct", "delivery": "counter",
        "full_name": APPLICANT["full_name"], "id_number": "015.200.001.111", "phone": APPLICANT["phone"],
        "papers": papers})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Dossier.objects.get().applicant_id_number == "015200001111"


def test_the_importer_stores_the_cleaned_number(demo):
    from motcua.dossiers.importer import import_dossiers

    record = {"procedure": THREE_DAY_COMMUNE, "unit": "YB.LY.YT", "channel": "direct",
              "received_at": "2026-03-02T08:00:00+07:00",
              "applicant": {**APPLICANT, "id_number": "015-200-001-111"}}
    report = import_dossiers([json.dumps(record, ensure_ascii=False)])
    assert not getattr(report, "errors", None), report
    assert Dossier.objects.get().applicant_id_number == "015200001111"
