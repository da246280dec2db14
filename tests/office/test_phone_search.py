"""The office's search finds a dossier by its applicant's phone however either was typed
(issue 22 §3: dossiers used to keep ``+84…`` and the search compared exactly)."""

from __future__ import annotations

import pytest

from tests.office.conftest import APPLICANT

HOME = "/can-bo/"


@pytest.mark.parametrize("typed_at_the_counter, searched", [
    ("+84987654321", "0987654321"),
    ("+84 987 654 321", "0987654321"),
    ("0987654321", "+84987654321"),
    ("0987654321", "+84 987 654 321"),
    ("0987.654.321", "0987 654 321"),
])
def test_a_dossier_is_found_by_its_phone_in_any_spelling(login, receive, typed_at_the_counter, searched):
    mine = receive(applicant={**APPLICANT, "phone": typed_at_the_counter})
    other = receive(applicant={**APPLICANT, "phone": "0912000111"})
    html = login("motcua.yt").get(HOME, {"hang": "tat-ca", "q": searched}).content.decode()
    assert mine.code in html and other.code not in html
