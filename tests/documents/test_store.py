"""The citizen's document store (kho): digitised papers and results with their validity
(the metadata of shared/domain/national-systems.md §3.5: ``ThoiHanHieuLuc`` /
``ThoiHanVinhVien``); a paper past its validity is not reused; a reuse keeps what was
recorded of the paper and where it came from."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.documents import scanmaker

KIND = "Tờ khai đăng ký khai sinh"


def upload(api, code, content, name, **form):
    data = {"file": SimpleUploadedFile(name, content), "kind": KIND, **form}
    return api.client.post(f"/api/v1/dossiers/{code}/documents", data, **api.headers)


def test_store_lists_each_paper_with_its_validity(api_as, online_dossier):
    dossier = online_dossier()
    officer, citizen = api_as("motcua.yt"), api_as("congdan")
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    old = upload(officer, dossier.code, scanmaker.tiny_pdf(1), "cmnd-cu.pdf", paper_code="CMND 012", valid_until=yesterday)
    forever = upload(officer, dossier.code, scanmaker.tiny_pdf(2), "khai-sinh.pdf", paper_code="125/2018",
                     issuer="UBND phường Trần Phú", issued_on="2018-07-20", valid_forever="true")
    unknown = upload(citizen, dossier.code, scanmaker.tiny_pdf(3), "to-khai.pdf")
    assert old.status_code == forever.status_code == unknown.status_code == 201, old.content
    mine = {d["id"]: d for d in citizen.get("/me/documents").json()}
    assert mine[old.json()["id"]]["validity"] == "expired"
    assert mine[forever.json()["id"]]["validity"] == "permanent"
    assert mine[forever.json()["id"]]["paper"] == {
        "code": "125/2018", "owner_id_number": "", "issuer": "UBND phường Trần Phú", "issued_on": "2018-07-20",
        "valid_until": None, "valid_forever": True}
    assert mine[unknown.json()["id"]]["validity"] == "unknown"


def test_an_expired_paper_is_not_reused_and_a_valid_one_is_with_its_source(api_as, online_dossier):
    first, later = online_dossier(), online_dossier()
    officer, citizen = api_as("motcua.yt"), api_as("congdan")
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    old = upload(officer, first.code, scanmaker.tiny_pdf(1), "cmnd-cu.pdf", valid_until=yesterday).json()
    good = upload(officer, first.code, scanmaker.tiny_pdf(2), "khai-sinh.pdf", paper_code="125/2018",
                  valid_forever="true").json()
    refused = citizen.post(f"/dossiers/{later.code}/documents", {"reuse": old["id"], "kind": KIND})
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert error["code"] == "document_expired" and "hết hiệu lực" in error["message"]
    taken = citizen.post(f"/dossiers/{later.code}/documents", {"reuse": good["id"], "kind": KIND})
    assert taken.status_code == 201, taken.content
    body = taken.json()
    assert body["from_store"] is True and body["component_state"] == 2
    assert body["paper"]["code"] == "125/2018" and body["paper"]["valid_forever"] is True


def test_metadata_on_an_upload_is_checked(api_as, online_dossier, media_dir):
    from tests.files.conftest import stored_files

    dossier = online_dossier()
    r = upload(api_as("motcua.yt"), dossier.code, scanmaker.tiny_pdf(1), "a.pdf", issued_on="20-07-2018",
               valid_until="2010-01-01", valid_forever="true")
    assert r.status_code == 422
    fields = r.json()["error"]["fields"]
    assert set(fields) == {"issued_on", "valid_until"}
    assert stored_files(media_dir) == []


def test_the_store_page_shows_validity_in_words(client, api_as, online_dossier):
    from motcua.accounts.models import User

    dossier = online_dossier()
    upload(api_as("motcua.yt"), dossier.code, scanmaker.tiny_pdf(1), "cccd.pdf", paper_code="001/CCCD",
           valid_until="2036-05-01")
    client.force_login(User.objects.get(username="congdan"))
    html = client.get("/ho-so-cua-toi/kho-giay-to/").content.decode()
    assert "Kho giấy tờ của tôi" in html and "Còn hiệu lực (đến 01/05/2036)" in html and "Số 001/CCCD" in html
    assert 'href="/ho-so-cua-toi/kho-giay-to/"' in client.get("/ho-so-cua-toi/").content.decode()
