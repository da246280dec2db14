"""Issue 17 §2: a supplement brings something, and the request says what.

"Gửi bổ sung" with no file and no note said "Đã gửi giấy tờ bổ sung" and put the dossier back to
processing. The rule lives in the workflow's handler (``dossiers.handlers.supplement``): the
citizen's page, the API and the counter all meet it. The officer's request names the
procedure's papers it asks for; the citizen's page lists them and offers them first."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.dossiers.models import Dossier, DossierEvent
from tests.files.conftest import PDF, advance, media_dir, online_dossier  # noqa: F401

pytestmark = pytest.mark.django_db

PAPER = "Giấy chứng sinh"


@pytest.fixture
def asked(online_dossier, media_dir):  # noqa: F811
    dossier = advance(online_dossier(), ("motcua.yt", "assign", {"assignee": "chuyenvien.yt"}),
                      ("chuyenvien.yt", "request_supplement", {"note": "Thiếu giấy chứng sinh bản chính.", "papers": [PAPER]}))
    assert dossier.status == "awaiting_supplement"
    return dossier


def client_of(username: str) -> Client:
    from motcua.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_an_empty_supplement_is_refused_and_writes_nothing(asked):
    citizen = client_of("congdan")
    events = DossierEvent.objects.filter(dossier=asked).count()
    response = citizen.post(f"/ho-so-cua-toi/{asked.code}/bo-sung/", {"kind": "", "note": "   "}, follow=True)
    html = response.content.decode()
    assert "Đã gửi giấy tờ bổ sung" not in html
    assert "Bổ sung cần ít nhất một giấy tờ hoặc một ghi chú" in html
    assert Dossier.objects.get(pk=asked.pk).status == "awaiting_supplement"
    assert DossierEvent.objects.filter(dossier=asked).count() == events


def test_the_api_refuses_an_empty_supplement_with_the_contracts_error(asked):
    citizen = client_of("congdan")
    response = citizen.post(f"/api/v1/dossiers/{asked.code}/actions", {"action": "supplement"}, content_type="application/json")
    assert response.status_code == 422
    body = response.json()
    assert body["error"]["code"] == "empty_supplement" and "ít nhất một giấy tờ" in body["error"]["message"]
    assert Dossier.objects.get(pk=asked.pk).status == "awaiting_supplement"


def test_a_note_alone_or_a_paper_alone_is_a_supplement(asked, online_dossier):  # noqa: F811
    citizen = client_of("congdan")
    response = citizen.post(f"/ho-so-cua-toi/{asked.code}/bo-sung/",
                            {"kind": PAPER, "file": SimpleUploadedFile("chung-sinh.pdf", PDF)}, follow=True)
    assert "Đã gửi giấy tờ bổ sung" in response.content.decode()
    assert Dossier.objects.get(pk=asked.pk).status == "processing"
    other = advance(online_dossier(), ("motcua.yt", "request_supplement", {"note": "Xin số điện thoại liên lạc khác"}))
    response = citizen.post(f"/ho-so-cua-toi/{other.code}/bo-sung/", {"note": "Số khác: 0912 000 111"}, follow=True)
    assert "Đã gửi giấy tờ bổ sung" in response.content.decode()
    assert Dossier.objects.get(pk=other.pk).status == "received"


def test_the_officers_request_names_the_papers_and_the_citizen_sees_them(asked):
    from motcua.dossiers.models import DossierEvent

    event = DossierEvent.objects.filter(dossier=asked, action="request_supplement").get()
    assert event.changes["requested_papers"] == [[], [PAPER]]
    page = client_of("congdan").get(f"/ho-so-cua-toi/{asked.code}/").content.decode()
    section = page[page.index('id="bo-sung"'):]
    section = section[:section.index("</section>")]
    assert "Giấy tờ cần bổ sung" in section and PAPER in section
    assert f'<option selected>{PAPER}</option>' in section
    office = client_of("chuyenvien.yt").get(f"/can-bo/ho-so/{asked.code}/").content.decode()
    assert f"Giấy tờ cần bổ sung: {PAPER}" in office


def test_the_office_form_offers_the_procedures_papers_and_refuses_others(online_dossier, media_dir):  # noqa: F811
    dossier = online_dossier()
    counter = client_of("motcua.yt")
    page = counter.get(f"/can-bo/ho-so/{dossier.code}/").content.decode()
    form = page[page.index('id="action-request_supplement"'):]
    form = form[:form.index("</form>")]
    assert f'name="papers" value="{PAPER}"' in form
    response = counter.post(f"/can-bo/ho-so/{dossier.code}/thao-tac/",
                            {"action": "request_supplement", "note": "Thiếu", "papers": ["Giấy không có trong thủ tục"]})
    assert response.status_code == 422 and "không có trong thành phần hồ sơ" in response.content.decode()
    assert Dossier.objects.get(pk=dossier.pk).status == "received"
    response = counter.post(f"/can-bo/ho-so/{dossier.code}/thao-tac/",
                            {"action": "request_supplement", "note": "Thiếu", "papers": [PAPER]})
    assert response.status_code == 302 and Dossier.objects.get(pk=dossier.pk).status == "awaiting_supplement"
