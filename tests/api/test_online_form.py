"""CONTRACT §2: the procedure's ``form`` and the answers of ``POST /dossiers`` (``data``),
``delivery``/``delivery_address``, assisted online filing (``owner``), ``GET /me/documents``
and ``{"reuse": id}``."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.dossiers.data import ANSWERS, APPLICANT

MARITAL = "1.004873"
BODY = {"procedure": MARITAL, "unit": "YB.LY.YT", "channel": "online", "applicant": APPLICANT, "data": ANSWERS}
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}


def count():
    from motcua.dossiers.models import Dossier, DossierEvent

    return Dossier.objects.count(), DossierEvent.objects.count()


def test_the_procedure_entry_carries_its_form(api, demo):
    form = api.get(f"/procedures/{MARITAL}").json()["form"]
    purpose = next(f for f in form if f["name"] == "purpose")
    assert purpose["label"] == "Mục đích sử dụng giấy xác nhận" and purpose["type"] == "text" and purpose["required"]
    status = next(f for f in form if f["name"] == "marital_status")
    assert status["type"] == "choice" and "Chưa kết hôn" in status["choices"]


def test_answers_are_kept_cleaned(api_as):
    r = api_as("congdan").post("/dossiers", {**BODY, "data": {**ANSWERS, "copies": "2", "period_from": "01/02/2020"}})
    assert r.status_code == 201, r.content
    assert r.json()["data"] == {**ANSWERS, "copies": 2, "period_from": "2020-02-01"}


@pytest.mark.parametrize("data, fields", [
    ({}, {"data.purpose", "data.marital_status", "data.copies"}),
    ({**ANSWERS, "purpose": "   "}, {"data.purpose"}),
    ({**ANSWERS, "marital_status": "Không rõ"}, {"data.marital_status"}),
    ({**ANSWERS, "copies": "hai"}, {"data.copies"}),
    ({**ANSWERS, "period_from": "30/02/2020"}, {"data.period_from"}),
])
def test_a_missing_or_invalid_answer_is_422_keyed_data_name_and_writes_nothing(api_as, data, fields):
    before = count()
    r = api_as("congdan").post("/dossiers", {**BODY, "data": data})
    assert r.status_code == 422, r.content
    error = r.json()["error"]
    assert set(error["fields"]) == fields and error["code"] == "invalid_data"
    assert all(isinstance(m, str) and m for ms in error["fields"].values() for m in ms)
    assert count() == before


def test_delivery_choices_follow_the_procedure(api_as):
    from motcua.catalog.models import Procedure

    citizen = api_as("congdan")
    Procedure.objects.filter(code=MARITAL).update(result_electronic=False)
    r = citizen.post("/dossiers", {**BODY, "delivery": "electronic"})
    assert r.status_code == 422 and "delivery" in r.json()["error"]["fields"]
    no_address = {**BODY, "applicant": {**APPLICANT, "address": ""}, "delivery": "post"}
    r = citizen.post("/dossiers", no_address)
    assert r.status_code == 422 and "delivery_address" in r.json()["error"]["fields"]
    r = citizen.post("/dossiers", {**no_address, "delivery_address": "Số 3, tổ 7, thị trấn Yên Thế"})
    assert r.status_code == 201 and r.json()["delivery_address"] == "Số 3, tổ 7, thị trấn Yên Thế"


def test_assisted_online_filing_belongs_to_the_citizen_and_names_the_officer(api_as):
    r = api_as("motcua.yt").post("/dossiers", {**BODY, "owner": "congdan"})
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["owner"] == "congdan" and body["channel"] == "online" and body["status"] == "submitted"
    first = body["events"][0]
    assert first["actor"] == "Nguyễn Thị Hoa" and first["changes"]["assisted_by"] == "motcua.yt"
    assert "Nguyễn Thị Hoa" in first["note"]
    mine = api_as("congdan").get("/dossiers").json()
    assert body["code"] in [d["code"] for d in mine["items"]]


@pytest.mark.parametrize("who, owner, status", [
    ("motcua.mx", "congdan", 403),      # a counter officer of another unit
    ("chuyenvien.yt", "congdan", 403),  # not a counter officer
    ("motcua.yt", "chuyenvien.yt", 422),  # the owner must be a citizen
    ("motcua.yt", "nobody-here", 422),
])
def test_assisted_filing_is_refused_for_the_wrong_people(api_as, who, owner, status):
    before = count()
    r = api_as(who).post("/dossiers", {**BODY, "owner": owner})
    assert r.status_code == status, r.content
    assert count() == before


def test_owner_with_a_counter_channel_is_422(api_as):
    r = api_as("motcua.yt").post("/dossiers", {**BODY, "channel": "direct", "owner": "congdan"})
    assert r.status_code == 422 and "owner" in r.json()["error"]["fields"]


def upload(api, code, data=PDF, kind=""):
    return api.client.post(f"/api/v1/dossiers/{code}/documents",
                           {"file": SimpleUploadedFile("giay-to.pdf", data), "kind": kind}, **api.headers)


def test_my_documents_lists_papers_and_reuse_attaches_one(api_as):
    from motcua.documents.models import DossierFile

    citizen = api_as("congdan")
    first = citizen.post("/dossiers", BODY).json()["code"]
    second = citizen.post("/dossiers", BODY).json()["code"]
    paper = upload(citizen, first).json()
    store = citizen.get("/me/documents").json()
    assert [(d["id"], d["dossier"], d["is_result"], d["sha256"]) for d in store] == [
        (paper["id"], first, False, paper["sha256"])]
    # CONTRACT §2's fields, then the store's own: digitisation state, validity, the paper's metadata
    assert set(store[0]) == {"id", "name", "kind", "sha256", "size", "content_type", "dossier", "is_result", "uploaded_at",
                             "digitised", "validity", "paper"}
    assert store[0]["digitised"] is None and store[0]["validity"]
    kind = "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân"
    r = citizen.post(f"/dossiers/{second}/documents", {"reuse": paper["id"], "kind": kind})
    assert r.status_code == 201, r.content
    again = r.json()
    assert again["sha256"] == paper["sha256"] and again["kind"] == kind and "reused" not in again
    assert DossierFile.objects.get(pk=again["id"]).reused_from_id == paper["id"]
    got = citizen.client.get(f"/api/v1/dossiers/{second}/documents/{again['id']}", **citizen.headers)
    assert b"".join(got.streaming_content) == PDF


def test_reuse_of_someone_elses_paper_is_404_and_writes_nothing(api_as):
    from motcua.accounts.models import Role, User
    from motcua.documents.models import DossierFile

    User.objects.create_user("congdan2", password="x-motcua-2", role=Role.CITIZEN)
    theirs = upload(api_as("congdan"), api_as("congdan").post("/dossiers", BODY).json()["code"]).json()
    other = api_as("congdan2")
    mine = other.post("/dossiers", {**BODY, "applicant": {**APPLICANT, "id_number": "001090099999"}}).json()["code"]
    files = DossierFile.objects.count()
    for body in ({"reuse": theirs["id"]}, {"reuse": 10 ** 9}):
        r = other.post(f"/dossiers/{mine}/documents", body)
        assert r.status_code == 404 and r.json()["error"]["code"] == "document_not_found"
    assert other.post(f"/dossiers/{mine}/documents", {"reuse": "x"}).status_code == 422
    assert other.get("/me/documents").json() == []
    # a counter officer cannot reuse into a citizen's store either
    assert api_as("motcua.yt").post(f"/dossiers/{mine}/documents", {"reuse": theirs["id"]}).status_code in (403, 404)
    assert DossierFile.objects.count() == files


def test_the_form_goes_through_the_catalog_json(demo):
    from motcua.catalog.importexport import export_catalog, import_catalog
    from motcua.catalog.models import Procedure
    from motcua.errors import InvalidInput

    data = export_catalog()
    entry = next(p for p in data["procedures"] if p["code"] == MARITAL)
    assert entry["form"][0]["name"] == "purpose"
    entry["form"].append({"name": "note", "label": "Ghi chú thêm", "type": "textarea"})
    import_catalog(json.loads(json.dumps(data)))
    assert Procedure.objects.get(code=MARITAL).form[-1] == {"name": "note", "label": "Ghi chú thêm", "type": "textarea", "required": False}
    entry["form"].append({"name": "x", "label": "X", "type": "colour"})
    with pytest.raises(InvalidInput) as caught:
        import_catalog(data)
    assert any(k.endswith(".form[%d].type" % (len(entry["form"]) - 1)) for k in caught.value.fields)


def test_administrators_edit_the_form_in_the_admin(demo, client):
    from motcua.accounts.models import User
    from motcua.catalog.models import Procedure

    client.force_login(User.objects.get(username="admin"))
    p = Procedure.objects.get(code=MARITAL)
    page = client.get(f"/admin/catalog/procedure/{p.pk}/change/")
    assert page.status_code == 200 and b'name="form"' in page.content
