"""How yes and no are written has one home, ``conf.TRUE_WORDS``/``FALSE_WORDS`` (issue 22 §3:
``reports/services.py`` kept its own copy); the reports' ``parse_flag`` reads them."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from motcua import conf
from motcua.errors import InvalidInput
from motcua.reports.services import parse_flag

SRC = Path(__file__).resolve().parents[2] / "src"


@pytest.mark.parametrize("word", sorted(conf.TRUE_WORDS) + ["TRUE", " Yes ", "On"])
def test_the_settings_yes_words_are_the_reports_yes(word):
    assert parse_flag(word, "children") is True


@pytest.mark.parametrize("word", sorted(conf.FALSE_WORDS) + ["FALSE", " No ", None])
def test_the_settings_no_words_are_the_reports_no(word):
    assert parse_flag(word, "children") is False


@pytest.mark.parametrize("word", ["2", "y", "có", "không", "truee"])
def test_anything_else_is_refused_with_the_parameter_named(word):
    with pytest.raises(InvalidInput) as caught:
        parse_flag(word, "children")
    assert caught.value.fields == {"children": ["Dùng 1 hoặc 0."]}


def test_no_module_but_conf_declares_the_words():
    declared = []
    for path in sorted(SRC.rglob("*.py")):
        if path.relative_to(SRC).as_posix() == "motcua/conf.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
            names = {t.id for t in targets if isinstance(t, ast.Name)}
            value = getattr(node, "value", None)
            words = ({e.value for e in value.elts if isinstance(e, ast.Constant)}
                     if isinstance(value, (ast.Set, ast.List, ast.Tuple)) else set())
            if names & {"TRUE_WORDS", "FALSE_WORDS"} or {"true", "yes", "on"} <= words:
                declared.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert declared == []
