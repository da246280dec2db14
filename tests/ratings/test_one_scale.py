"""The satisfaction scale (3 very satisfied, 2 satisfied, 1 not satisfied) is written once,
``dossiers.models.SATISFACTION``: the API's labels, the rating and survey forms, the kiosk,
the office and citizen pages all read it."""

from __future__ import annotations

from pathlib import Path

import pytest

from motcua.dossiers.models import SATISFACTION, SATISFACTION_SCALE

SRC = Path(__file__).resolve().parents[2] / "src" / "motcua"

pytestmark = pytest.mark.db_agnostic


def test_the_labels_are_written_in_one_place():
    found = sorted(
        f"{path.relative_to(SRC)}: {label}"
        for path in SRC.rglob("*") if path.suffix in {".py", ".html", ".txt", ".typ"}
        for label in SATISFACTION.values()
        if f'"{label}"' in path.read_text(encoding="utf-8") and path.relative_to(SRC).as_posix() != "dossiers/models.py"
    )
    assert found == []


def test_the_scale_is_best_first_and_translated_when_shown():
    from django.utils import translation

    assert [score for score, _label in SATISFACTION_SCALE] == [3, 2, 1]
    with translation.override("en"):
        assert [str(label) for _score, label in SATISFACTION_SCALE] == ["Very satisfied", "Satisfied", "Not satisfied"]
    with translation.override("vi"):
        assert [str(label) for _score, label in SATISFACTION_SCALE] == list(SATISFACTION.values())
