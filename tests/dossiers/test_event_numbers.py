"""``Dossier.last_event_seq`` is the ``seq`` of the dossier's last event, and only the audit
writer (``dossiers.audit``) raises it: no caller numbers an event."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "motcua"
ASSIGNED = re.compile(r"last_event_seq\s*(\+=|=(?!=))|F\(\s*[\"']last_event_seq")

pytestmark = pytest.mark.db_agnostic


def test_only_the_audit_writer_raises_the_event_number():
    found = [f"{path.relative_to(SRC)}:{number}: {line.strip()}"
             for path in sorted(SRC.rglob("*.py")) if "migrations" not in path.parts
             and path.relative_to(SRC).as_posix() not in {"dossiers/audit.py", "dossiers/models.py"}
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
             if ASSIGNED.search(line)]
    assert not found, "the event number is the audit writer's to raise:\n" + "\n".join(found)
