"""Each app on its floor (issue 22 §4): the floors are stated once, as the import-linter contract
``floors`` in pyproject.toml, and this test runs it on the whole of ``src/motcua`` — every import
statement, those inside functions too — and fails naming each upward arrow (importer, imported,
line). docs/architecture.md ("Layers") describes the same floors in words."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"


def contract() -> dict:
    config = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["importlinter"]
    (floors,) = [c for c in config["contracts"] if c["id"] == "floors"]
    return floors


def test_no_import_runs_up_a_floor():
    run = subprocess.run(
        [sys.executable, "-c",
         "import sys; from importlinter.cli import lint_imports; "
         f"sys.exit(lint_imports(config_filename={str(PYPROJECT)!r}, no_cache=True, no_logo=True))"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert run.returncode == 0, "an import runs up a floor (pyproject.toml [tool.importlinter]):\n" + run.stdout + run.stderr


def test_every_app_and_module_has_a_floor():
    """The contract is exhaustive (a new app or top-level module must be given a floor) and takes
    no exceptions: an upward need goes through a hook, not an ignored import."""
    floors = contract()
    assert floors["exhaustive"] is True
    assert floors["containers"] == ["motcua"]
    assert floors.get("ignore_imports", []) == []
    named = {name.strip() for floor in floors["layers"] for name in floor.replace("|", ":").split(":")}
    package = ROOT / "src" / "motcua"
    present = {p.stem for p in package.glob("*.py") if p.stem != "__init__"}
    present |= {p.name for p in package.iterdir() if (p / "__init__.py").exists()}
    assert named == present
