"""The component state of a dossier's papers and the national flags it gives, from one
home (``documents.components``): shared/domain/national-systems.md §3.5 (states 0–3,
HV ``Events/HoSo/Constant.cs``) and §1.2 (``TaiLieuNop``: ``DuocSoHoa``,
``DuocTaiSuDung`` 0/1/2, ``DuocLayTuKhoDMQG``, ``MaKetQuaThayThe``)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.documents.components import (
    ComponentState,
    component_state,
    dossier_components,
    file_flags,
    has_digitised_component,
)
from tests.files.conftest import PDF, REAL_PNG, TO_RESULT_RETURNED, advance

KIND = "Tờ khai đăng ký khai sinh"


def _upload(user, dossier, content=PDF, kind=KIND, name="giay-to.pdf"):
    from motcua.documents import services

    return services.upload_document(user, dossier.code, SimpleUploadedFile(name, content), kind)


@pytest.fixture
def scenario(online_dossier):
    """One dossier of each kind of paper; returns {label: DossierFile or dossier}."""
    from motcua.accounts.models import User
    from motcua.documents import services

    citizen = User.objects.get(username="congdan")
    officer = User.objects.get(username="chuyenvien.yt")
    earlier = online_dossier()
    paper = _upload(citizen, earlier, PDF)
    earlier = advance(earlier, TO_RESULT_RETURNED[0])
    result = _upload(officer, earlier, REAL_PNG, kind="result", name="ket-qua.png")

    later = online_dossier()
    same_bytes = _upload(citizen, later, PDF, name="cung-ban.pdf")  # the same bytes again: linked, not taken from the store
    from_store_paper = services.reuse_document(citizen, later.code, paper.pk, KIND)
    from_store_result = services.reuse_document(citizen, later.code, result.pk, KIND)
    return {"paper": paper, "result": result, "same_bytes": same_bytes, "store_paper": from_store_paper,
            "store_result": from_store_result, "earlier": earlier, "later": later}


@pytest.mark.parametrize("label, state, national", [
    ("paper", ComponentState.DIGITISED,
     {"DuocSoHoa": 1, "DuocTaiSuDung": 0, "DuocLayTuKhoDMQG": 0, "MaKetQuaThayThe": ""}),
    ("same_bytes", ComponentState.REUSED_PAPER,
     {"DuocSoHoa": 1, "DuocTaiSuDung": 1, "DuocLayTuKhoDMQG": 0, "MaKetQuaThayThe": ""}),
    ("store_paper", ComponentState.REUSED_PAPER,
     {"DuocSoHoa": 1, "DuocTaiSuDung": 1, "DuocLayTuKhoDMQG": 1, "MaKetQuaThayThe": ""}),
    ("store_result", ComponentState.REUSED_RESULT,
     # The demo catalog holds no coded result: no result code to name (tests/national/test_national_codes.py
     # has the coded case).
     {"DuocSoHoa": 1, "DuocTaiSuDung": 2, "DuocLayTuKhoDMQG": 1, "MaKetQuaThayThe": ""}),
])
def test_each_paper_has_its_state_and_national_flags(scenario, label, state, national):
    record = scenario[label]
    assert component_state(record) == state
    assert file_flags(record).national() == national


def test_a_paper_ticked_at_the_counter_without_a_file_is_not_digitised(online_dossier):
    from motcua.documents.papers import RECEIVED_KEY
    from motcua.dossiers.models import Dossier

    dossier = online_dossier()
    Dossier.objects.filter(pk=dossier.pk).update(data={RECEIVED_KEY: [KIND]})
    dossier.refresh_from_db()
    assert component_state(None) == ComponentState.NOT_DIGITISED
    assert [(c.name, c.state) for c in dossier_components(dossier)] == [(KIND, ComponentState.NOT_DIGITISED)]
    assert not has_digitised_component(dossier)


def test_the_dossier_lists_its_components_and_says_it_has_digitised_ones(scenario):
    states = [c.state for c in dossier_components(scenario["later"])]
    assert states == [ComponentState.REUSED_PAPER, ComponentState.REUSED_PAPER, ComponentState.REUSED_RESULT]
    assert has_digitised_component(scenario["later"])


def test_reuse_from_the_store_records_where_the_paper_came_from(scenario, api_as):
    """TT 01/2023: reuse in a later dossier records the source (the owner sees their own dossiers)."""
    events = api_as("congdan").get(f"/dossiers/{scenario['later'].code}").json()["events"]
    sources = [e["changes"]["document"].get("reused_from") for e in events if e["action"] == "upload_document"]
    assert sources[1:] == [
        {"dossier": scenario["earlier"].code, "id": scenario["paper"].pk, "is_result": False},
        {"dossier": scenario["earlier"].code, "id": scenario["result"].pk, "is_result": True},
    ]
    assert sources[0] is None  # the same bytes uploaded again tell nothing of where they were seen
