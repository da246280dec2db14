"""VNPost's provinces and districts (``PostalArea``): importable data, and the one home of
"which VNPost province and district is this address in".

The bundled ``data/vnpost-areas.json`` is demo data (see its note); a province loads VNPost's own
list with ``motcua national vnpost-areas FILE`` (same format: ``{"format": "vnpost-areas/1",
"provinces": [{"code", "name", "districts": [{"code", "name"}]}]}``). An address is matched by the
names it contains, without diacritics: a district only inside the province found.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.db import transaction

from motcua.catalog.text import fold
from motcua.errors import InvalidInput
from motcua.national.models import PostalArea

BUNDLED = Path(__file__).parent / "data" / "vnpost-areas.json"
FORMAT = "vnpost-areas/1"
PREFIXES = ("thanh pho ", "tinh ", "quan ", "huyen ", "thi xa ", "thi tran ")


def _problems(data) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return {"format": [f"Tệp phải có \"format\": \"{FORMAT}\"."]}
    provinces = data.get("provinces")
    if not isinstance(provinces, list) or not provinces:
        return {"provinces": ["Phải là một danh sách không rỗng."]}
    for i, p in enumerate(provinces):
        if not isinstance(p, dict) or not str(p.get("code") or "").strip() or not str(p.get("name") or "").strip():
            problems.setdefault(f"provinces[{i}]", []).append("Cần code và name.")
            continue
        for j, d in enumerate(p.get("districts") or []):
            if not isinstance(d, dict) or not str(d.get("code") or "").strip() or not str(d.get("name") or "").strip():
                problems.setdefault(f"provinces[{i}].districts[{j}]", []).append("Cần code và name.")
    return problems


@transaction.atomic
def load(path: Path | str | None = None) -> int:
    """Replace the areas with the file's (the bundled one by default); returns how many."""
    try:
        data = json.loads(Path(path or BUNDLED).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InvalidInput(f"Không đọc được tệp địa bàn: {exc}", code="invalid_areas") from None
    problems = _problems(data)
    if problems:
        raise InvalidInput("Tệp địa bàn bưu chính chưa hợp lệ.", code="invalid_areas", fields=problems)
    PostalArea.objects.all().delete()
    rows = []
    for p in data["provinces"]:
        rows.append(PostalArea(kind=PostalArea.Kind.PROVINCE, code=str(p["code"]).strip(), name=p["name"].strip()[:200]))
        rows += [PostalArea(kind=PostalArea.Kind.DISTRICT, code=str(d["code"]).strip(), name=d["name"].strip()[:200],
                            province_code=str(p["code"]).strip()) for d in p.get("districts") or []]
    PostalArea.objects.bulk_create(rows)
    return len(rows)


def _ensure() -> None:
    if not PostalArea.objects.exists():
        load()


def _core(name: str) -> str:
    folded = fold(name)
    for prefix in PREFIXES:
        if folded.startswith(prefix):
            return folded[len(prefix):]
    return folded


def _find(text: str, areas) -> PostalArea | None:
    """The area whose full name is in ``text``; else the only one whose name without its kind is."""
    padded = f" {text} "
    full = [a for a in areas if f" {fold(a.name)} " in padded]
    if full:
        return max(full, key=lambda a: len(a.name))
    core = [a for a in areas if f" {_core(a.name)} " in padded]
    return core[0] if len(core) == 1 else None


def resolve(*texts: str) -> tuple[PostalArea | None, PostalArea | None]:
    """``(province, district)`` named in ``texts`` (an address, or a unit's names); either may be None."""
    _ensure()
    text = fold(" ".join(t for t in texts if t))
    province = _find(text, PostalArea.objects.filter(kind=PostalArea.Kind.PROVINCE))
    if province is None:
        return None, None
    district = _find(text, PostalArea.objects.filter(kind=PostalArea.Kind.DISTRICT, province_code=province.code))
    return province, district
