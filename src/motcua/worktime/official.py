"""The official working-calendar decisions of each year, as data.

The ``holidays`` package knows the statutory holidays (Bộ luật Lao động 2019, Art. 112),
lunar ones included; the Prime Minister's yearly decisions on Tết and Quốc khánh days,
swapped days and compensatory working Saturdays are files of the format below, one a year.
The years shipped with Motcua live in ``worktime/decisions/YEAR.json`` and are loaded by
migrations and ``seed-demo``; an administrator loads a new year with
``motcua calendar import FILE.json`` (docs/commands.md). Sources:
``shared/domain/deadlines-and-calendar.md``.

Format ``motcua-calendar/1``::

    {"format": "motcua-calendar/1", "year": 2027, "note": "…",
     "days": [{"date": "2027-01-01", "kind": "off" | "working", "name": "…", "decision": "…"}, …]}

``decision`` names the decision (or law) the day comes from and is required.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

FORMAT = "motcua-calendar/1"
SHIPPED = Path(__file__).resolve().parent / "decisions"
KINDS = ("off", "working")


class CalendarFileError(ValueError):
    """A calendar file that cannot be loaded; ``problems`` lists every reason, one line each."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class OfficialDay:
    date: dt.date
    kind: str
    name: str
    decision: str


def parse_calendar(document) -> tuple[int, list[OfficialDay]]:
    """Check a whole decoded file; every problem is reported at once, nothing is half-read."""
    problems: list[str] = []
    if not isinstance(document, dict):
        raise CalendarFileError(["tệp phải là một đối tượng JSON / the file must be a JSON object"])
    if document.get("format") != FORMAT:
        problems.append(f"format phải là “{FORMAT}” / format must be {FORMAT!r}")
    year = document.get("year")
    if not isinstance(year, int) or not 1900 < year < 2200:
        problems.append("year phải là một năm, ví dụ 2027 / year must be a year number")
        year = None
    days_in = document.get("days")
    if not isinstance(days_in, list) or not days_in:
        problems.append("days phải là một danh sách không rỗng / days must be a non-empty list")
        days_in = []
    days: list[OfficialDay] = []
    seen: set[dt.date] = set()
    for index, item in enumerate(days_in, start=1):
        where = f"days[{index}]"
        if not isinstance(item, dict):
            problems.append(f"{where}: phải là một đối tượng / must be an object")
            continue
        try:
            day = dt.date.fromisoformat(str(item.get("date", "")))
        except ValueError:
            problems.append(f"{where}: date không hợp lệ (YYYY-MM-DD) / invalid date {item.get('date')!r}")
            continue
        if year is not None and day.year != year:
            problems.append(f"{where}: {day.isoformat()} không thuộc năm {year} / not in year {year}")
        if day in seen:
            problems.append(f"{where}: {day.isoformat()} lặp lại / repeated date")
        seen.add(day)
        kind = item.get("kind")
        if kind not in KINDS:
            problems.append(f"{where}: kind phải là off hoặc working / kind must be off or working")
        name = " ".join(str(item.get("name") or "").split())
        decision = " ".join(str(item.get("decision") or "").split())
        if not name or len(name) > 200:
            problems.append(f"{where}: name bắt buộc, tối đa 200 ký tự / name required, at most 200 characters")
        if not decision or len(decision) > 300:
            problems.append(f"{where}: decision bắt buộc (số quyết định), tối đa 300 ký tự / decision required")
        if kind == "working" and day.weekday() < 5:
            problems.append(f"{where}: {day.isoformat()} là ngày thường, không cần làm bù / a weekday is already worked")
        days.append(OfficialDay(day, str(kind), name, decision))
    if problems or year is None:
        raise CalendarFileError(problems)
    return year, days


def read_calendar_file(path: str | Path) -> tuple[int, list[OfficialDay]]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CalendarFileError([f"không đọc được tệp / cannot read the file: {exc}"]) from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CalendarFileError([f"JSON không hợp lệ ở dòng {exc.lineno} / invalid JSON at line {exc.lineno}"]) from None
    return parse_calendar(document)


@dataclass(frozen=True)
class ImportResult:
    year: int
    created: int
    updated: int
    unchanged: int


def load_days(calendar_day_model, year: int, days: list[OfficialDay], *, dry_run: bool = False,
              update: bool = True) -> ImportResult:
    """Write ``days`` as national overrides (``calendar`` empty), idempotently: a day already
    there with the same facts is left alone, a changed one is updated (unless ``update`` is
    false: the shipped years never overwrite what an administrator changed). One transaction."""
    created = updated = unchanged = 0
    with transaction.atomic():
        existing = {d.date: d for d in calendar_day_model.objects.filter(calendar=None, date__year=year)}
        for day in days:
            row = existing.get(day.date)
            if row is None:
                created += 1
                if not dry_run:
                    calendar_day_model.objects.create(calendar=None, date=day.date, kind=day.kind, name=day.name,
                                                      decision=day.decision)
            elif (row.kind, row.name, row.decision) == (day.kind, day.name, day.decision):
                unchanged += 1
            elif not update:
                unchanged += 1
            else:
                updated += 1
                if not dry_run:
                    row.kind, row.name, row.decision = day.kind, day.name, day.decision
                    row.save(update_fields=["kind", "name", "decision", "updated_at"])
    return ImportResult(year, created, updated, unchanged)


def load_official_days(calendar_day_model) -> int:
    """Load every year shipped in ``decisions/`` (migrations, seed-demo); returns the rows created."""
    written = 0
    for path in sorted(SHIPPED.glob("*.json")):
        year, days = read_calendar_file(path)
        written += load_days(calendar_day_model, year, days, update=False).created
    return written


def next_year_missing(calendar_day_model, today: dt.date) -> int | None:
    """From November on: next year when none of its decisions has been entered, else ``None``."""
    if today.month < 11:
        return None
    year = today.year + 1
    if calendar_day_model.objects.filter(calendar=None, date__year=year).exists():
        return None
    return year
