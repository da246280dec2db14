"""The documentation a newcomer has is the repository's own.

- The code cites the repository's pages (``docs/api.md``, ``docs/reports.md`` …), never
  documents a clone does not have (the interface contract and the design guide the project
  was started from).
- ``docs/architecture.md`` names every module and package under ``src/motcua``, and
  ``docs/commands.md`` every ``motcua`` command, so neither falls behind the tree.
- The pages the code cites exist."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "motcua"
DOCS = ROOT / "docs"

pytestmark = pytest.mark.db_agnostic

#: Strings published in the OpenAPI document (descriptions of a field, a schema, an operation):
#: changing them changes the document, which a change of its own must name. Until then they
#: are the only places left that say "CONTRACT".
PUBLISHED = {
    "api/reports.py": ['description="Tên chỉ tiêu (CONTRACT §5): received, late, overdue…"',
                       '"""CONTRACT §5. Leaders and inspectors: their units and the units below them; admins: all."""'],
    "api/dossiers.py": ['description=f"CONTRACT §2: {_one_of(Timeliness)}; null: not received"'],
    "api/schemas.py": ['"""CONTRACT §2: every error of the API has this body."""'],
}
OUTSIDE = re.compile(r"\bCONTRACT\b|DESIGN\.md|\bDESIGN:|design guide")


def source_files():
    for path in sorted(SRC.rglob("*")):
        if path.is_file() and path.suffix in {".py", ".html", ".txt", ".typ", ".js", ".css", ".md"}:
            yield path


def test_the_code_cites_no_document_outside_the_repository():
    found = []
    for path in source_files():
        rel = path.relative_to(SRC).as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if OUTSIDE.search(line) and not any(text in line for text in PUBLISHED.get(rel, ())):
                found.append(f"src/motcua/{rel}:{number}: {line.strip()}")
    for name in ("Makefile", "README.md", "pyproject.toml"):
        for number, line in enumerate((ROOT / name).read_text(encoding="utf-8").splitlines(), start=1):
            if OUTSIDE.search(line):
                found.append(f"{name}:{number}: {line.strip()}")
    for path in sorted(DOCS.rglob("*.md")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if OUTSIDE.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, "cite the repository's docs/ instead:\n" + "\n".join(found)


def test_the_pages_the_code_cites_exist():
    cited = set()
    for path in source_files():
        cited |= set(re.findall(r"\bdocs/([\w./-]+?\.md)", path.read_text(encoding="utf-8")))
    missing = sorted(page for page in cited if not (DOCS / page).is_file())
    assert not missing, f"cited but not in docs/: {missing}"


def named(text: str, word: str) -> bool:
    return re.search(r"(?<![\w.-])" + re.escape(word) + r"(?![\w])", text) is not None


def test_architecture_names_every_module_and_package():
    text = (DOCS / "architecture.md").read_text(encoding="utf-8")
    missing = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC)
        if "migrations" in rel.parts or "commands" in rel.parts or path.name == "__init__.py":
            continue
        if not named(text, path.name):
            missing.append(rel.as_posix())
    for init in sorted(SRC.rglob("__init__.py")):
        package = init.parent.relative_to(SRC)
        if not package.parts or {"migrations", "management", "commands"} & set(package.parts):
            continue
        last_two = "/".join(package.parts[-2:])
        if not (named(text, package.name + "/") or named(text, last_two)):
            missing.append(package.as_posix() + "/")
    assert not missing, "docs/architecture.md does not name: " + ", ".join(missing)


def test_commands_names_every_command():
    text = (DOCS / "commands.md").read_text(encoding="utf-8")
    missing = [path.relative_to(SRC).as_posix() for path in sorted(SRC.glob("*/management/commands/*.py"))
               if path.name != "__init__.py" and f"motcua {path.stem.replace('_', '-')}" not in text]
    assert not missing, "docs/commands.md does not name the commands of: " + ", ".join(missing)
