"""One search for dossiers (issue 22 §3): the office's search box and the API's ``q`` filter
with the same ``dossiers.search.search_q`` and find the same dossiers by each field, only
within the searcher's scope (the API's ``q`` used to look at the code and the name only)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.office.conftest import APPLICANT, MARRIAGE

HOME = "/can-bo/"
BIRTH = "1.001193"
OTHER = {"full_name": "Hoàng Văn Bình", "id_number": "015190000999", "phone": "0912000111"}
MINE = {**APPLICANT, "phone": "+84 987 654 321"}  # Lường Thị Thu, 015190000456


@pytest.fixture
def three(receive):
    mine = receive(unit="YB.LY.YT", by="motcua.yt", procedure=MARRIAGE, applicant=MINE)
    other = receive(unit="YB.LY.YT", by="motcua.yt", procedure=BIRTH, applicant=OTHER)
    theirs = receive(unit="YB.LY.MX", by="motcua.mx", procedure=MARRIAGE, applicant=MINE)  # out of scope
    return mine, other, theirs


SEARCHES = [
    ("the code", lambda mine: mine.code),
    ("the code in small letters", lambda mine: mine.code.lower()),
    ("the procedure's code", lambda mine: MARRIAGE),
    ("the procedure's name without diacritics", lambda mine: "tinh trang hon nhan"),
    ("the procedure's name with them", lambda mine: "tình trạng hôn nhân"),
    ("part of the applicant's name", lambda mine: "Lường Thị"),
    ("the ID number", lambda mine: "015190000456"),
    ("the ID number with spaces", lambda mine: "015 190 000 456"),
    ("the phone as stored", lambda mine: "0987654321"),
    ("the phone as typed", lambda mine: "+84 987 654 321"),
    ("the phone with dots", lambda mine: "0987.654.321"),
]


@pytest.mark.parametrize("field, words", SEARCHES, ids=[s[0] for s in SEARCHES])
def test_both_surfaces_find_by_each_field_within_scope_only(login, api_as, three, field, words):
    mine, other, theirs = three
    q = words(mine)

    html = login("motcua.yt").get(HOME, {"hang": "tat-ca", "q": q}).content.decode()
    found_on_page = {d.code for d in three if reverse("office:dossier", args=[d.code]) in html}

    response = api_as("motcua.yt").get("/dossiers", {"q": q})
    assert response.status_code == 200, response.content
    found_by_api = {item["code"] for item in response.json()["items"]}

    assert found_on_page == found_by_api == {mine.code}, field


def test_words_that_name_nothing_find_nothing_and_none_finds_all(login, api_as, three):
    mine, other, theirs = three
    for q in ("khong co gi", "0999999999", "---"):
        assert api_as("motcua.yt").get("/dossiers", {"q": q}).json()["items"] == [], q
        html = login("motcua.yt").get(HOME, {"hang": "tat-ca", "q": q}).content.decode()
        assert reverse("office:dossier", args=[mine.code]) not in html, q
    codes = {item["code"] for item in api_as("motcua.yt").get("/dossiers", {"q": ""}).json()["items"]}
    assert codes == {mine.code, other.code}


def test_the_condition_is_one_function():
    """Both surfaces call ``search_q``: no copy of the fields elsewhere."""
    import inspect

    from motcua.api import dossiers as api
    from motcua.office import views as office

    for module in (api, office):
        source = inspect.getsource(module)
        assert "search.search_q(" in source
        assert "applicant_name__icontains" not in source and "applicant_phone=" not in source
