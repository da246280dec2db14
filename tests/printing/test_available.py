"""Which printed forms a dossier has is decided once (``printing.available``): the office
dossier page, the API detail and the PDF views agree at every step (issue 7, §1)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from motcua.dossiers.models import Dossier
from motcua.printing.available import printable_forms
from motcua.printing.editions import DOSSIER_FORMS
from tests.printing.conftest import act, user

pytestmark = [pytest.mark.django_db, pytest.mark.db_agnostic]


def surfaces(client, code: str) -> dict[str, list[str]]:
    """The form keys each surface offers for dossier ``code``, as the counter officer sees them."""
    client.force_login(user("motcua.yt"))
    page = client.get(reverse("office:dossier", args=[code]))
    assert page.status_code == 200
    office = [url for _label, url in page.context["print_links"]]
    api = client.get(f"/api/v1/dossiers/{code}").json()["printed_forms"]
    by_url = {reverse(f"printing:{key}", args=[code]): key for key in DOSSIER_FORMS}
    served = [key for key in DOSSIER_FORMS
              if client.get(reverse(f"printing:{key}", args=[code])).status_code == 200]
    return {
        "domain": [f.key for f in printable_forms(Dossier.objects.get(code=code))],
        "office": [by_url[url] for url in office],
        "api": [f["key"] for f in api],
        "served": served,
    }


def assert_agree(client, code: str, expected: list[str]):
    found = surfaces(client, code)
    assert found == {name: expected for name in found}, found


def test_every_surface_lists_the_same_forms_at_every_step(client, make_dossier):
    dossier = make_dossier(arrived_at=timezone.now() - dt.timedelta(days=1))
    assert_agree(client, dossier.code, ["receipt", "control_sheet"])

    new_due = (dossier.due_at + dt.timedelta(days=7)).replace(second=0, microsecond=0)
    act("lanhdao.yt", dossier.code, "reschedule", due_at=new_due.isoformat(), note="Cần xác minh thêm tại nơi cư trú.")
    assert_agree(client, dossier.code, ["receipt", "apology", "control_sheet"])

    act("motcua.yt", dossier.code, "request_supplement", note="Thiếu bản sao Giấy chứng nhận kết hôn.")
    assert_agree(client, dossier.code, ["receipt", "supplement_request", "apology", "control_sheet"])


def test_a_filing_not_yet_accepted_has_no_form_anywhere(client, make_dossier):
    dossier = make_dossier(counter="congdan", channel="online")
    assert_agree(client, dossier.code, [])


def test_the_api_gives_the_owner_only_the_forms_addressed_to_the_applicant(client, make_dossier):
    dossier = make_dossier(counter="congdan", channel="online", arrived_at=timezone.now() - dt.timedelta(days=1))
    act("motcua.yt", dossier.code, "accept")
    client.force_login(user("congdan"))
    keys = [f["key"] for f in client.get(f"/api/v1/dossiers/{dossier.code}").json()["printed_forms"]]
    assert keys == ["receipt"]
    forms = client.get(f"/api/v1/dossiers/{dossier.code}").json()["printed_forms"]
    assert forms[0]["title"] == "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"
    assert forms[0]["url"].startswith("http://testserver/giay-to/ho-so/")
