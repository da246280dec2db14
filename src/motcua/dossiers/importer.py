"""Bulk import of dossiers from another system, one JSON object a line (docs/import-format.md).

::

    {"code"?, "procedure", "unit", "channel": "online"|"direct"|"postal", "received_at",
     "due_at"?, "resolved_at"?, "outcome"?: "approved"|"rejected", "withdrawn_at"?,
     "applicant": {"full_name", "id_number", "phone"}}

All or nothing, in two passes, with memory that does not grow with the file:

1. :func:`validate` streams the file once and checks every line. Each good line, cleaned
   and with its due time, goes into a **staging file** (a private SQLite database in a
   temporary directory, :class:`Staging`), never into memory; each bad line's reasons go
   into the report. Duplicate codes — inside the file, or already in the database — are
   found by the staging file's index and one query per batch of codes, not by a set in
   memory. Nothing here takes the database's write lock. A large file is checked in parts
   by processes side by side (:func:`validate_file`), each into a staging file of its own,
   merged in order before duplicates and numbering, which need every line.
2. :func:`write` runs only when no line was bad, in **one transaction**: it advances the
   daily sequences past imported codes in our format, numbers the lines without a code,
   and moves the staged rows into the dossiers, their participants and their ``import``
   events with three ``INSERT … SELECT`` statements, and adds their report counters with one
   grouped upsert (``reports.daily.inserting_in_bulk``, not a trigger a row). The rows reach the database first,
   *before* the transaction, in a temporary table of the connection (PostgreSQL: ``COPY``;
   SQLite: batched inserts into its temporary database, which lock nothing; on PostgreSQL each
   row also takes its dossier id from the dossiers' sequence there). On PostgreSQL, a role that
   may set ``session_replication_role`` has the foreign keys checked once for the file, the
   referenced rows locked as the row triggers would (:func:`_lock_references`), and the bulk
   inserts run without row triggers; other roles keep the triggers.
   Any failure rolls all of it back.

The trade-off (docs/performance.md): on SQLite one transaction means one write lock for
the whole write; everything that can be done before it (parsing, checks, due times,
duplicate codes, the rows in their final form) is done without it, so the lock covers the
bulk ``INSERT … SELECT`` only. An intake meanwhile waits (SQLite's busy timeout); if it
cannot get the lock in time it gets 503 with ``Retry-After``
(``operations.middleware.BusyDatabaseMiddleware``), never a 500, and writes nothing.
Splitting the write into several transactions would keep the lock shorter but would show
half an import to readers and need a clean-up after a crash: all or nothing wins.

- Times are ISO 8601 **with an offset**; ``resolved_at`` / ``withdrawn_at`` / ``due_at``
  may not be before ``received_at``. ``received_at`` is kept as given (the old system's
  receipt time).
- ``due_at`` absent → computed by docs/deadlines.md (as :func:`compute_deadline` does: the
  unit's calendar, the procedure's time or the unit's shorter commitment, its cut-off)
  from ``received_at``.
- ``code`` absent → the next code of the unit on the receipt's local day (the same
  sequence as :func:`allocate_code`, taken once per unit and day for all such lines). A
  given code in our format (``{prefix}-{YYMMDD}-{XXXX}``) moves that unit's sequence past
  it (:func:`note_imported_code`), so codes issued later never collide with it. A code
  already used, in the file or in the database, is an error.
- Status: ``outcome`` → ``approved`` / ``rejected`` with ``resolved_at`` (the two come
  together); ``withdrawn_at`` → ``withdrawn`` (a dossier is resolved or withdrawn, not
  both); otherwise ``received``.
- Each dossier gets its intake unit as a participant (``DossierUnit``) and one
  ``import`` event (seq 1, no actor): the audit trail says where it came from.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from motcua import dates, datadir
from motcua.catalog.models import Procedure, ProcedureCommitment, Unit
from motcua.dossiers.models import Channel, Delivery, Dossier, DossierSequence, DossierUnit, Source, Status
from motcua.dossiers.deadlines import time_rule
from motcua.dossiers import audit
from motcua.dossiers.codes import CODE_PATTERN, note_imported_code
from motcua.dossiers.validation import check_applicant
from motcua.errors import DomainError
from motcua.dossiers import bulk
from motcua.worktime import calendar as wt
from motcua.worktime.calendar import VN_TZ
from motcua.worktime.services import calendar_for_unit

REQUIRED = ("procedure", "unit", "channel", "received_at", "applicant")
OPTIONAL = ("code", "due_at", "resolved_at", "outcome", "withdrawn_at")
_KEYS = frozenset(REQUIRED) | frozenset(OPTIONAL)
_CHANNELS = frozenset(Channel.values)
OUTCOMES = {"approved": Status.APPROVED, "rejected": Status.REJECTED}
CODE_MAX = Dossier._meta.get_field("code").max_length
BATCH_SIZE = 5000  # staging rows a statement, codes a duplicate query
PG_WRITE_WORK_MEM = "256MB"  # PostgreSQL's memory for one sort or hash while the rows are written (default 4MB)
SQLITE_WRITE_CACHE_KIB = 131072  # SQLite's page cache while the rows are written (128 MiB, whatever the file)
_UTC = dt.timezone.utc
_SPACE = re.compile(r"\s")

Progress = Callable[[str, int, int], None]
"""``progress(phase, done, total)``: ``validate`` counts bytes read, ``write`` its steps."""


@dataclass(slots=True)
class ImportLine:
    """One valid line, ready to become a dossier."""

    line: int
    code: str | None
    procedure: Procedure
    unit: Unit
    channel: str
    received_at: dt.datetime
    due_at: dt.datetime
    due_computed: bool
    resolved_at: dt.datetime | None
    status: str
    withdrawn_at: dt.datetime | None
    applicant: dict


@dataclass
class ImportReport:
    """What a run found and did: ``errors`` as ``(line, reason)``; nothing is written when there
    are any. ``valid``: the good lines (they wait in ``staging`` until :func:`write`)."""

    errors: list[tuple[int, str]] = field(default_factory=list)
    valid: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    imported: int = 0
    dry_run: bool = False
    seconds: float = 0.0
    transaction_seconds: float = 0.0  # how long the write transaction was open (SQLite: its write lock)
    processes: int = 1  # that checked the lines side by side

    @property
    def ok(self) -> bool:
        return not self.errors

    def counts(self) -> dict[str, int]:
        return dict(sorted(self.by_status.items()))


class LineError(ValueError):
    """A reason a line cannot be imported (the message is what the user sees)."""


# ------------------------------------------------------------------ reading

def numbered_lines(raw_lines: Iterable[bytes | str], start: int = 1) -> Iterator[tuple[int, str | None]]:
    """``(line number, text)`` for each non-blank line, the first being line ``start`` (a part
    of a file that begins further in); text None when it is not UTF-8."""
    for number, raw in enumerate(raw_lines, start=start):
        if isinstance(raw, bytes):
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                yield number, None
                continue
        else:
            text = raw
        if text.strip():
            yield number, text


def _moment(record: dict, key: str) -> dt.datetime | None:
    value = record.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise LineError(f"{key}: phải là chuỗi thời điểm ISO 8601 / must be an ISO 8601 string")
    try:
        moment = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise LineError(f"{key}: thời điểm không hợp lệ “{value[:40]}” (ví dụ 2024-03-01T08:00:00+07:00) / invalid time") from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise LineError(f"{key}: thiếu múi giờ, ví dụ 2024-03-01T08:00:00+07:00 / missing UTC offset")
    if not dates.in_range(moment):
        raise LineError(f"{key}: {dates.OUT_OF_RANGE} / outside the years {dates.EARLIEST_YEAR}–{dates.LATEST_YEAR}")
    return moment


class _Catalog:
    """Procedures, units and code prefixes, loaded once per file."""

    def __init__(self) -> None:
        self.procedures = {p.code: p for p in Procedure.objects.select_related("field")}
        self.units = {u.code: u for u in Unit.objects.all()}
        self.by_prefix = {u.dossier_prefix: u for u in self.units.values()}
        self.deadlines = _Deadlines()


class _Deadlines:
    """docs/deadlines.md due times for many lines: :func:`compute_deadline`'s arithmetic, with the
    procedure's time looked up once per (procedure, unit) — per day only where a unit on
    the path has a commitment ("cắt giảm thời gian", dated) for it — instead of once per
    line (the lookup is a query; 100,000 of them dominate an import), and each due time
    computed once per receipt: a time in whole working days ends at the closing of the
    N-th working day after the *effective receipt's day*, so lines received the same day
    (after the calendar's rules: hours, cut-off) share it.
    ``tests/dossiers/test_import_dossiers.py`` checks that both agree."""

    def __init__(self) -> None:
        self._times: dict[tuple, tuple[float, str, dt.time | None]] = {}
        self._dues: dict[tuple, tuple[wt.Calendar, dt.datetime]] = {}
        self._committed = {(procedure_id, path) for procedure_id, path
                           in ProcedureCommitment.objects.values_list("procedure_id", "unit__path")}
        self._has: dict[tuple[int, int], bool] = {}
        self._calendars: dict[int, wt.Calendar] = {}  # per unit, for the whole file (its cache re-checks the version)

    def _has_commitment(self, procedure: Procedure, unit: Unit) -> bool:
        key = (procedure.id, unit.id)
        if key not in self._has:
            self._has[key] = any(pid == procedure.id and unit.path.startswith(path) for pid, path in self._committed)
        return self._has[key]

    def due_at(self, procedure: Procedure, unit: Unit, arrived_at: dt.datetime) -> dt.datetime:
        day = arrived_at.astimezone(VN_TZ).date()
        key: tuple = (procedure.pk, unit.pk)
        if self._committed and self._has_commitment(procedure, unit):
            key = (procedure.pk, unit.pk, day)
        if key not in self._times:
            rule = time_rule(procedure, unit, day)
            self._times[key] = (rule.value, rule.unit, rule.cutoff)
        value, time_unit, cutoff = self._times[key]
        calendar = self._calendars.get(unit.pk)
        if calendar is None:
            calendar = self._calendars[unit.pk] = calendar_for_unit(unit)
        if time_unit != "working_days" or value != int(value):
            return wt.due_at(calendar, arrived_at, value, time_unit, cutoff)[1]
        receipt_day = wt.effective_receipt(calendar, arrived_at, cutoff).date()
        due_key = (id(calendar), value, cutoff, receipt_day)
        hit = self._dues.get(due_key)  # the calendar is kept with the due time: its id stays its own
        if hit is None:
            if len(self._dues) > 100_000:  # a bound, whatever the file
                self._dues.clear()
            hit = self._dues[due_key] = (calendar, wt.due_at(calendar, arrived_at, value, time_unit, cutoff)[1])
        return hit[1]


def _check_line(record, catalog: _Catalog) -> tuple[ImportLine | None, list[str]]:
    """Every problem of one parsed line (an empty list when it is good)."""
    if not isinstance(record, dict):
        return None, ["mỗi dòng phải là một đối tượng JSON / each line must be a JSON object"]
    problems: list[str] = []
    unknown = sorted(set(record) - _KEYS)
    if unknown:
        problems.append(f"khóa không được hỗ trợ / unknown keys: {', '.join(unknown)}")
    missing = [k for k in REQUIRED if record.get(k) in (None, "")]
    if missing:
        problems.append(f"thiếu / missing: {', '.join(missing)}")

    procedure = unit = None
    for key in ("procedure", "unit", "channel", "code", "outcome"):
        if record.get(key) is not None and not isinstance(record[key], str):
            problems.append(f"{key}: phải là chuỗi / must be a string")
    if isinstance(record.get("procedure"), str) and record["procedure"]:
        procedure = catalog.procedures.get(record["procedure"].strip())
        if procedure is None:
            problems.append(f"procedure: không tìm thấy thủ tục “{record['procedure'][:60]}” / unknown procedure")
    if isinstance(record.get("unit"), str) and record["unit"]:
        unit = catalog.units.get(record["unit"].strip())
        if unit is None:
            problems.append(f"unit: không tìm thấy đơn vị “{record['unit'][:40]}” / unknown unit")
    channel = record.get("channel")
    if isinstance(channel, str) and channel and channel not in _CHANNELS:
        problems.append(f"channel: phải là {' | '.join(Channel.values)} / must be one of them")

    moments: dict[str, dt.datetime | None] = {}
    for key in ("received_at", "due_at", "resolved_at", "withdrawn_at"):
        try:
            moments[key] = _moment(record, key)
        except LineError as exc:
            problems.append(str(exc))
            moments[key] = None
    received = moments["received_at"]
    if received is not None:
        for key, word in (("due_at", "hạn trả"), ("resolved_at", "thời điểm giải quyết"), ("withdrawn_at", "thời điểm rút")):
            if moments[key] is not None and moments[key] < received:
                problems.append(f"{key}: {word} trước thời điểm tiếp nhận / before received_at")

    outcome = record.get("outcome")
    has_resolved = record.get("resolved_at") is not None
    if outcome is not None and isinstance(outcome, str) and outcome not in OUTCOMES:
        problems.append("outcome: phải là approved | rejected / must be approved or rejected")
    if outcome is not None and not has_resolved:
        problems.append("outcome cần resolved_at / outcome needs resolved_at")
    if has_resolved and outcome is None:
        problems.append("resolved_at cần outcome (approved | rejected) / resolved_at needs outcome")
    if record.get("withdrawn_at") is not None and (has_resolved or outcome is not None):
        problems.append("hồ sơ đã rút thì không có kết quả giải quyết / withdrawn_at excludes resolved_at and outcome")

    code = record.get("code")
    if isinstance(code, str):
        code = code.strip()
        if not code or len(code) > CODE_MAX or _SPACE.search(code):
            problems.append(f"code: mã hồ sơ không hợp lệ (1–{CODE_MAX} ký tự, không có khoảng trắng) / invalid code")

    applicant = record.get("applicant")
    cleaned = None
    if applicant is not None:
        if not isinstance(applicant, dict):
            problems.append("applicant: phải là một đối tượng JSON / must be an object")
        else:
            try:
                cleaned = check_applicant(applicant)
            except DomainError as exc:
                problems.extend(f"{path}: {' '.join(messages)}" for path, messages in exc.fields.items())

    if problems:
        return None, problems

    due_at, computed = moments["due_at"], False
    if due_at is None:
        try:
            due_at, computed = catalog.deadlines.due_at(procedure, unit, received), True
        except (DomainError, ValueError, ArithmeticError) as exc:
            return None, [f"due_at: không tính được hạn trả / cannot compute the due time: {getattr(exc, 'message', exc)}"]
    status = OUTCOMES[outcome] if outcome else (Status.WITHDRAWN if moments["withdrawn_at"] else Status.RECEIVED)
    return ImportLine(
        line=0, code=code if isinstance(code, str) else None, procedure=procedure, unit=unit, channel=channel,
        received_at=received, due_at=due_at, due_computed=computed, resolved_at=moments["resolved_at"],
        status=status, withdrawn_at=moments["withdrawn_at"], applicant=cleaned,
    ), []


# ------------------------------------------------------------------ staging

# The staging file's row: what a dossier needs, cleaned, times in UTC as the database keeps them.
_COLUMNS = ("line", "code", "procedure_id", "unit_id", "prefix", "day", "channel", "status",
            "applicant_name", "applicant_id_number", "applicant_phone", "applicant_email", "applicant_address",
            "received_at", "due_at", "resolved_at", "withdrawn_at", "due_source", "rn")
_TIMES = ("received_at", "due_at", "resolved_at", "withdrawn_at")


def _utc(moment: dt.datetime | None) -> str | None:
    """A moment as Django stores it on SQLite (UTC, no offset), and as the staging file keeps it."""
    return None if moment is None else str(moment.astimezone(_UTC).replace(tzinfo=None))


class Staging:
    """The good lines between the two passes: a private SQLite file in a work directory under
    the data directory (deleted on :meth:`close`; one left by a killed import is removed at the
    next start: ``datadir.clean_scratch``), written in batches; its page cache is capped, so memory stays
    the same whatever the file's size."""

    def __init__(self, path: str | None = None) -> None:
        """A new staging file: in a temporary directory of its own (deleted on :meth:`close`), or at
        ``path`` (a part checked by another process, in the main staging's :attr:`folder`)."""
        self._dir = None if path else datadir.staging_dir("import")
        self.folder = os.path.dirname(path) if path else self._dir.name
        self.path = path or os.path.join(self.folder, "staging.sqlite3")
        self.db = sqlite3.connect(self.path, isolation_level=None)
        self.db.executescript(
            "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-16000;"
            f"CREATE TABLE rows ({', '.join(_COLUMNS)}, PRIMARY KEY (line)) WITHOUT ROWID;"
        )
        self.db.execute("BEGIN")
        self._pending: list[tuple] = []
        self.highest: dict[tuple[str, str], tuple[int, str]] = {}  # (prefix, YYMMDD) → an imported code in our format

    def add(self, item: ImportLine, by_prefix: dict[str, Unit]) -> None:
        a, local_day = item.applicant, item.received_at.astimezone(VN_TZ).date().isoformat()
        rn = None  # a line without a code: its rank among the unit's and day's such lines, set by finish()
        self._pending.append((
            item.line, item.code, item.procedure.id, item.unit.id, item.unit.dossier_prefix, local_day,
            item.channel, item.status, a["full_name"], a["id_number"], a["phone"], a.get("email", ""),
            a.get("address", ""), _utc(item.received_at), _utc(item.due_at), _utc(item.resolved_at),
            _utc(item.withdrawn_at), "computed" if item.due_computed else "given", rn,
        ))
        if item.code:
            self._note_code(item.code, by_prefix)
        if len(self._pending) >= BATCH_SIZE:
            self.flush()

    def _note_code(self, code: str, by_prefix: dict[str, Unit]) -> None:
        match = CODE_PATTERN.match(code)
        if not match or match["prefix"] not in by_prefix:
            return
        try:
            dt.datetime.strptime(match["day"], "%y%m%d")
        except ValueError:
            return  # not a real day: not one of our codes
        key, number = (match["prefix"], match["day"]), int(match["seq"])
        self._note_highest(key, number, code)

    def _note_highest(self, key: tuple[str, str], number: int, code: str) -> None:
        if key not in self.highest or self.highest[key][0] < number:
            self.highest[key] = (number, code)

    def merge(self, parts: list[tuple[str, dict]]) -> None:
        """The rows of ``parts``, ``(staging file, its highest codes)`` in the file's order (its parts,
        checked by other processes; each file is deleted once read)."""
        self.flush()
        self.db.execute("COMMIT")  # SQLite attaches outside a transaction
        for path, highest in parts:
            self.db.execute("ATTACH DATABASE ? AS part", (path,))
            self.db.execute("INSERT INTO rows SELECT * FROM part.rows ORDER BY line")
            self.db.execute("DETACH DATABASE part")
            os.unlink(path)
            for key, (number, code) in highest.items():
                self._note_highest(key, number, code)
        self.db.execute("BEGIN")

    def flush(self) -> None:
        if self._pending:
            self.db.executemany(f"INSERT INTO rows VALUES ({', '.join('?' * len(_COLUMNS))})", self._pending)
            self._pending.clear()

    def finish(self) -> None:
        """After the last line: the index that finds duplicate codes and joins the rows to their dossiers,
        and the numbering groups (lines without a code, per unit and local day)."""
        self.flush()
        self.db.execute("COMMIT")
        self.db.execute("CREATE INDEX rows_code ON rows (code)")
        self.db.execute(
            "UPDATE rows SET rn = w.k FROM (SELECT line, ROW_NUMBER() OVER (PARTITION BY unit_id, day ORDER BY line) AS k "
            "FROM rows WHERE code IS NULL) w WHERE rows.line = w.line")
        self.db.execute("CREATE TABLE numbering (unit_id, day, n, base)")
        self.db.execute("INSERT INTO numbering SELECT unit_id, day, COUNT(*), 0 FROM rows WHERE code IS NULL "
                        "GROUP BY unit_id, day")

    def duplicates_in_file(self) -> Iterator[tuple[int, str, int]]:
        """``(line, code, first line)`` for each later line with a code seen before."""
        yield from self.db.execute(
            "SELECT r.line, r.code, MIN(e.line) FROM rows r JOIN rows e ON e.code = r.code AND e.line < r.line "
            "WHERE r.code IS NOT NULL GROUP BY r.line")

    def codes_taken(self) -> Iterator[tuple[int, str]]:
        """``(first line, code)`` for each code of the file already in the database, one query a batch."""
        cursor = self.db.execute("SELECT MIN(line), code FROM rows WHERE code IS NOT NULL GROUP BY code")
        while True:
            lines = {code: line for line, code in cursor.fetchmany(BATCH_SIZE)}
            if not lines:
                return
            taken = list(Dossier.objects.filter(code__in=list(lines)).values_list("code", flat=True))
            yield from ((lines[code], code) for code in taken)
            del lines  # before the next batch is read

    def by_status(self) -> dict[str, int]:
        return dict(self.db.execute("SELECT status, COUNT(*) FROM rows GROUP BY status").fetchall())

    def count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM rows").fetchone()[0]

    def close(self) -> None:
        self.db.close()
        if self._dir is not None:
            self._dir.cleanup()

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


# ------------------------------------------------------------------ checking

def validate(raw_lines: Iterable[bytes | str], staging: Staging | None = None, *,
             progress: Progress | None = None, total_bytes: int = 0) -> ImportReport:
    """Check every line, streaming; good lines go to ``staging`` (a temporary one when None).
    The report lists each bad line's reasons, in line order."""
    own = staging is None
    staging = staging or Staging()
    try:
        return _validate(raw_lines, staging, progress, total_bytes)
    finally:
        if own:
            staging.close()


def _counted(raw_lines: Iterable[bytes | str], progress: Progress | None, total_bytes: int):
    if progress is None:
        yield from raw_lines
        return
    done = 0
    for number, raw in enumerate(raw_lines, start=1):
        done += len(raw)
        if number % 5000 == 0:
            progress("validate", done, total_bytes)
        yield raw
    progress("validate", total_bytes or done, total_bytes or done)


def _validate(raw_lines, staging: Staging, progress, total_bytes) -> ImportReport:
    report = ImportReport()
    _check_lines(numbered_lines(_counted(raw_lines, progress, total_bytes)), staging, _Catalog(), report)
    return _checked(staging, report)


def _check_lines(lines: Iterable[tuple[int, str | None]], staging: Staging, catalog: _Catalog,
                 report: ImportReport) -> None:
    """Pass 1 over numbered lines: each good one into ``staging``, each bad one's reasons into ``report``."""
    for number, text in lines:
        if text is None:
            report.errors.append((number, "không phải văn bản UTF-8 / not UTF-8 text"))
            continue
        try:
            record = json.loads(text)
        except json.JSONDecodeError as exc:
            report.errors.append((number, f"JSON không hợp lệ / invalid JSON: {exc.msg} (cột / column {exc.colno})"))
            continue
        item, problems = _check_line(record, catalog)
        if problems:
            report.errors.append((number, "; ".join(problems)))
            continue
        item.line = number
        staging.add(item, catalog.by_prefix)


def _checked(staging: Staging, report: ImportReport) -> ImportReport:
    """After the last line: what needs every line at once (duplicate codes, codes taken), and the counts."""
    staging.finish()

    for line, code, earlier in staging.duplicates_in_file():
        report.errors.append((line, f"code: “{code}” trùng với dòng {earlier} / duplicate of line {earlier}"))
    for line, code in staging.codes_taken():
        report.errors.append((line, f"code: “{code}” đã có trong hệ thống / already exists"))
    report.errors.sort()
    report.by_status = staging.by_status()
    report.valid = staging.count()
    return report


# ------------------------------------------------------------------ checking a file in parts, in parallel

PARALLEL_MIN_BYTES = 8 * 1024 * 1024  # smaller files: one process (starting others costs more than it saves)
_BLOCK = 16 * 1024 * 1024


def default_workers() -> int:
    """Processes that check a large file: the machine's cores, at most four."""
    return max(1, min(4, os.cpu_count() or 1))


def _parts_of(path: str, n: int) -> list[tuple[int, int, int]]:
    """``(start byte, end byte, number of the first line)`` of ``n`` parts of similar size, each
    beginning at the start of a line (fewer when the file has fewer lines)."""
    size = os.path.getsize(path)
    with open(path, "rb") as f:
        bounds = [0]
        for i in range(1, n):
            f.seek(max(size * i // n, bounds[-1]))
            if f.tell() > 0:
                f.readline()  # to the start of the next line
            if bounds[-1] < f.tell() < size:
                bounds.append(f.tell())
        bounds.append(size)
        firsts, line, read = [1], 1, 0
        f.seek(0)
        for bound in bounds[1:-1]:  # the number of a part's first line: the newlines before it, plus one
            while read < bound:
                block = f.read(min(_BLOCK, bound - read))
                line += block.count(b"\n")
                read += len(block)
            firsts.append(line)
    return [(bounds[i], bounds[i + 1], firsts[i]) for i in range(len(bounds) - 1)]


def _raw_lines(f, start: int, end: int) -> Iterator[bytes]:
    """The lines of bytes ``[start, end)`` of ``f`` (both at line starts)."""
    f.seek(start)
    position = start
    for raw in f:
        position += len(raw)
        yield raw
        if position >= end:
            break


def _check_part(path: str, start: int, end: int, first_line: int, staging_path: str, pipe, done) -> None:
    """In a child process: check one part of the file into its own staging file; send back its
    bad lines and the highest codes it saw, or the failure."""
    from django.db import connections

    try:
        part = Staging(staging_path)
        report = ImportReport()
        with open(path, "rb") as f:
            read = _counted(_raw_lines(f, start, end), lambda _phase, n, _total: setattr(done, "value", n), end - start)
            _check_lines(numbered_lines(read, start=first_line), part, _Catalog(), report)
        part.flush()
        part.db.execute("COMMIT")
        part.close()
        pipe.send(("ok", report.errors, part.highest))
    except BaseException:  # noqa: BLE001 — whatever it is, the parent must hear of it and stop
        import traceback

        pipe.send(("failed", traceback.format_exc()))
    finally:
        pipe.close()
        connections.close_all()


def validate_file(path: str, staging: Staging, *, workers: int | None = None,
                  progress: Progress | None = None) -> ImportReport:
    """:func:`validate` of a file, its parts checked by ``workers`` processes side by side
    (``None``: :func:`default_workers`, and one process for a file under
    :data:`PARALLEL_MIN_BYTES`). The lines are independent until duplicates and numbering,
    which come after, over all of them; the result is the same as one process's, line numbers
    included. One process when a transaction is open (the children could not see its rows)."""
    import multiprocessing
    from multiprocessing.connection import wait

    from django.db import connections

    size = os.path.getsize(path)
    n = workers if workers is not None else (default_workers() if size >= PARALLEL_MIN_BYTES else 1)
    if n <= 1 or connection.in_atomic_block:
        with open(path, "rb") as f:
            return validate(f, staging, progress=progress, total_bytes=size)
    parts = _parts_of(path, n)
    connections.close_all()  # each child opens its own: a connection must not cross a fork
    context = multiprocessing.get_context("fork")
    children = []
    for i, (start, end, first) in enumerate(parts):
        receiver, sender = context.Pipe(duplex=False)
        done = context.Value("q", 0, lock=False)
        part_path = os.path.join(staging.folder, f"part-{i}.sqlite3")
        process = context.Process(target=_check_part, args=(path, start, end, first, part_path, sender, done), daemon=True)
        process.start()
        sender.close()
        children.append((process, receiver, done, part_path))
    report, answers = ImportReport(), {}
    try:
        while len(answers) < len(children):
            for receiver in wait([c[1] for c in children if c[1] not in answers], timeout=0.2):
                try:
                    answers[receiver] = receiver.recv()
                except EOFError:
                    answers[receiver] = ("failed", "the checking process ended without an answer")
            if progress:
                progress("validate", sum(c[2].value for c in children), size)
    finally:
        for process, receiver, _done, _path in children:
            if receiver not in answers:
                process.terminate()
            process.join()
            receiver.close()
    failed = [answer[1] for answer in answers.values() if answer[0] != "ok"]
    if failed:
        raise RuntimeError(f"checking a part of {path} failed:\n{failed[0]}")
    merged = []
    for _process, receiver, _done, part_path in children:
        _kind, errors, highest = answers[receiver]
        report.errors.extend(errors)
        merged.append((part_path, highest))
    staging.merge(merged)
    report.processes = len(parts)
    return _checked(staging, report)


# ------------------------------------------------------------------ writing

class _Sql:
    """What differs between SQLite and PostgreSQL in the write's statements."""

    rows = "motcua_import_rows"
    numbering = "motcua_import_numbering"

    def __init__(self, vendor: str) -> None:
        self.pg = vendor == "postgresql"

    def moment(self, column: str) -> str:
        return f"({column} AT TIME ZONE 'UTC')" if self.pg else column

    @property
    def no_moment(self) -> str:
        return "NULL::timestamptz" if self.pg else "NULL"

    def now(self, moment: dt.datetime):
        return moment if self.pg else _utc(moment)

    def json(self, text_sql: str) -> str:
        return f"({text_sql})::jsonb" if self.pg else text_sql

    def pad(self, number_sql: str) -> str:
        if self.pg:
            return f"lpad(({number_sql})::text, greatest(4, length(({number_sql})::text)), '0')"
        return f"substr('0000' || ({number_sql}), -max(4, length({number_sql})))"

    def yymmdd(self, day_sql: str) -> str:
        return f"to_char({day_sql}, 'YYMMDD')" if self.pg else \
            f"substr({day_sql}, 3, 2) || substr({day_sql}, 6, 2) || substr({day_sql}, 9, 2)"


_PG_TYPES = {"line": "integer", "rn": "integer", "code": "text", "procedure_id": "bigint", "unit_id": "bigint", "day": "date",
             **{t: "timestamp" for t in _TIMES}}


def _load_rows(staging: Staging, sql: _Sql, progress: Progress | None, total: int) -> None:
    """The staging rows into temporary tables of this connection (PostgreSQL: ``COPY``; SQLite:
    batched inserts into its temporary database, which take no lock on the main one)."""
    select = staging.db.execute(f"SELECT {', '.join(_COLUMNS)} FROM rows ORDER BY line")
    numbering = staging.db.execute("SELECT unit_id, day, n, base FROM numbering").fetchall()
    with connection.cursor() as cursor:
        if sql.pg:
            columns = ", ".join(f"{c} {_PG_TYPES.get(c, 'text')}" for c in _COLUMNS)
            # each row's dossier id taken from the dossiers' own sequence as it is copied (outside the
            # transaction; a rolled-back import leaves a gap, as a rolled-back intake does): the insert
            # then writes it, instead of returning the new ids and updating a million staged rows with them
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [Dossier._meta.db_table])
            ids = cursor.fetchone()[0]
            cursor.execute(f"CREATE TEMPORARY TABLE {sql.rows} ({columns}, "
                           f"dossier_id bigint NOT NULL DEFAULT nextval('{ids}'::regclass))")
            cursor.execute(f"CREATE TEMPORARY TABLE {sql.numbering} (unit_id bigint, day date, n integer, base integer)")
            with connection.connection.cursor() as raw:  # the psycopg cursor, for COPY
                with raw.copy(f"COPY {sql.rows} ({', '.join(_COLUMNS)}) FROM STDIN") as copy:
                    for done, row in enumerate(select, 1):
                        copy.write_row(row)
                        if progress and done % 20000 == 0:
                            progress("write", done, total)
                with raw.copy(f"COPY {sql.numbering} (unit_id, day, n, base) FROM STDIN") as copy:
                    for row in numbering:
                        copy.write_row(row)
        else:
            cursor.execute(f"CREATE TEMPORARY TABLE {sql.rows} ({', '.join(_COLUMNS)}, dossier_id, PRIMARY KEY (line))")
            cursor.execute(f"CREATE TEMPORARY TABLE {sql.numbering} (unit_id, day, n, base)")
            insert = f"INSERT INTO {sql.rows} ({', '.join(_COLUMNS)}) VALUES ({', '.join(['%s'] * len(_COLUMNS))})"
            done = 0
            while True:
                batch = select.fetchmany(BATCH_SIZE)
                if not batch:
                    break
                cursor.executemany(insert, batch)
                done += len(batch)
                del batch  # before the next one is read: one batch in memory at a time
                if progress:
                    progress("write", done, total)
            cursor.executemany(f"INSERT INTO {sql.numbering} VALUES (%s, %s, %s, %s)", numbering)
        if not sql.pg:  # SQLite finds each row's new dossier by its code (PostgreSQL took its id as it copied)
            cursor.execute(f"CREATE INDEX motcua_import_rows_code ON {sql.rows} (code)")
        cursor.execute(f"CREATE UNIQUE INDEX motcua_import_numbering_key ON {sql.numbering} (unit_id, day)")
        cursor.execute(f"ANALYZE {sql.rows}")


def _drop_rows(sql: _Sql) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {sql.rows}")
        cursor.execute(f"DROP TABLE IF EXISTS {sql.numbering}")


def _number_lines_without_code(cursor, sql: _Sql) -> None:
    """Each unit and day's lines without a code take the next numbers of its sequence, in line order
    (:func:`allocate_code`'s sequence, advanced once per unit and day)."""
    seq = DossierSequence._meta.db_table
    cursor.execute(
        f"INSERT INTO {seq} (unit_id, day, last) SELECT unit_id, day, n FROM {sql.numbering} WHERE true "
        f"ON CONFLICT (unit_id, day) DO UPDATE SET last = {seq}.last + excluded.last")
    cursor.execute(
        f"UPDATE {sql.numbering} SET base = (SELECT s.last FROM {seq} s WHERE s.unit_id = {sql.numbering}.unit_id "
        f"AND s.day = {sql.numbering}.day) - n")
    r = sql.rows
    cursor.execute(
        f"UPDATE {r} SET code = {r}.prefix || '-' || {sql.yymmdd(r + '.day')} || '-' || {sql.pad('nb.base + ' + r + '.rn')} "
        f"FROM {sql.numbering} nb WHERE nb.unit_id = {r}.unit_id AND nb.day = {r}.day AND {r}.code IS NULL")


# The dossier's columns an import does not write (their NULL stands: no one has handled the dossier
# here yet), and the two the insert stamps with the import's time. With :func:`_as_dossier` they are
# every concrete column, which tests/dossiers/test_import_write.py checks against the model: a new
# field fails that test, not an import.
NOT_WRITTEN = ("id", "returned_at", "assignee_id", "created_by_id", "owner_id")
STAMPED = ("created_at", "updated_at")


def _as_dossier(sql: _Sql) -> dict[str, str]:
    """What each column of an imported dossier is, as SQL over a staged row: the insert writes
    these, and the report's counters are added from the same expressions (``daily.READ``).
    (PostgreSQL also writes ``id``, taken as the rows were copied.)"""
    return {
        "code": "code", "procedure_id": "procedure_id", "unit_id": "unit_id", "current_unit_id": "unit_id",
        "channel": "channel", "source": f"'{Source.IMPORT}'", "status": "status",
        "applicant_name": "applicant_name", "applicant_id_number": "applicant_id_number",
        "applicant_phone": "applicant_phone", "applicant_email": "applicant_email",
        "applicant_address": "applicant_address", "data": sql.json("'{}'"),
        "submitted_at": sql.moment("received_at"), "received_at": sql.moment("received_at"),
        "due_at": sql.moment("due_at"), "original_due_at": sql.moment("due_at"),
        "resolved_at": sql.moment("resolved_at"), "withdrawn_at": sql.moment("withdrawn_at"),
        "refused_at": sql.no_moment, "paused_at": sql.no_moment, "pause_resume_status": "''", "supplement_requests": "0",
        "reschedules": "0", "delivery": f"'{Delivery.COUNTER}'", "delivery_address": "''", "last_event_seq": "1",
    }


def _imported_dossiers(sql: _Sql) -> str:
    """The dossiers just written, as ``reports.daily`` reads them: a FROM item over the staged rows
    (read from the connection's temporary table, not back from the dossiers' table)."""
    columns = _as_dossier(sql)
    read = ", ".join(f"{columns[c]} AS {c}" for c in bulk.read_columns() if c != "id")
    return f"(SELECT dossier_id AS id, {read} FROM {sql.rows}) d"


def _insert_dossiers(cursor, sql: _Sql, now: dt.datetime) -> None:
    """The dossiers, in the file's order, each one's id kept in the staged row (``dossier_id``), and
    their participants from the staged rows. (In the order of receipt instead, which most indexes
    follow, PostgreSQL took longer: 68–77 s against 61 s for 1,000,000 rows.)"""
    d = Dossier._meta.db_table
    columns = _as_dossier(sql)
    if sql.pg:  # the ids were taken when the rows were copied (_load_rows)
        columns = {"id": "dossier_id", **columns}
    insert = (f"INSERT INTO {d} ({', '.join(columns)}, created_at, updated_at) "
              f"SELECT {', '.join(columns.values())}, %s, %s FROM {sql.rows} ORDER BY line")
    params = [sql.now(now), sql.now(now)]
    r = sql.rows
    cursor.execute(insert, params)
    if not sql.pg:  # the ids by the code's index
        cursor.execute(f"UPDATE {r} SET dossier_id = (SELECT d.id FROM {d} d WHERE d.code = {r}.code)")
    cursor.execute(f"INSERT INTO {DossierUnit._meta.db_table} (dossier_id, unit_id) SELECT dossier_id, unit_id FROM {r}")


def _write_rows(cursor, sql: _Sql, now: dt.datetime, note: str, step: Callable[[], None] = lambda: None, *,
                set_wise: bool | None = None) -> None:
    """The transaction's statements, over the staged rows: numbering, dossiers, participants,
    report counters, ``import`` events. ``set_wise`` (PostgreSQL): foreign keys checked once for the
    file, without the row triggers (None: when the role may, :func:`_may_skip_row_triggers`)."""
    if sql.pg:
        # sorts and hashes over a million rows in memory, not in temporary files (this transaction only)
        cursor.execute(f"SET LOCAL work_mem = '{PG_WRITE_WORK_MEM}'")
        # a million rows make every statement's cost pass the JIT thresholds: seconds of compiling
        # (10 s for the counters in a measured run) for expressions that are cheap to interpret
        cursor.execute("SET LOCAL jit = off")
        if set_wise is None:
            set_wise = _may_skip_row_triggers(cursor)
        # foreign keys checked per statement, not a million checks queued for the commit
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    else:
        set_wise = False
    _number_lines_without_code(cursor, sql)
    if set_wise:
        _lock_references(cursor, sql)
        cursor.execute("SET LOCAL session_replication_role = replica")
    # the report's per-day counters of a million rows in one grouped statement, not one trigger each
    with bulk.inserting_in_bulk(cursor, _imported_dossiers(sql)):
        _insert_dossiers(cursor, sql, now)
    step()
    audit.record_imported_rows(cursor, rows=sql.rows, at=sql.now(now), note=note)
    if set_wise:  # the row triggers fire again for whatever else this transaction does
        cursor.execute("SET LOCAL session_replication_role = origin")
    if sql.pg:  # Django's foreign keys are INITIALLY DEFERRED: back to that for the rest
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    step()


def _may_skip_row_triggers(cursor) -> bool:
    """PostgreSQL: whether this role may set ``session_replication_role`` for its transaction (a
    superuser, or from PostgreSQL 15 a role granted ``SET ON PARAMETER session_replication_role``).
    Then the write runs without the row triggers, and what they would check a row at a time is
    checked once for the file (:func:`_lock_references`); otherwise the triggers check each row."""
    cursor.execute("SELECT current_setting('server_version_num')::int >= 150000")
    if cursor.fetchone()[0]:
        cursor.execute("SELECT has_parameter_privilege('session_replication_role', 'SET')")
    else:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    return bool(cursor.fetchone()[0])


# Foreign keys of the rows the write inserts that :func:`_lock_references` does not check, and why:
# the dossier of a participant or event is the one just inserted from the same staged row (in this
# transaction: no other can delete it), their unit is the dossier's, and the rest are NULL.
UNCHECKED_REFERENCES = {
    "dossiers_dossierunit": {"dossier_id": "the dossier just inserted", "unit_id": "the dossier's unit_id"},
    "dossiers_dossierevent": {"dossier_id": "the dossier just inserted", "unit_id": "the dossier's unit_id",
                              "actor_id": "NULL"},
}


def _references(sql: _Sql) -> dict[tuple[str, str, str], list[str]]:
    """``(SQL over a staged row, referenced table, its column)`` → the dossier's foreign-key columns
    written from it (every foreign key of the dossier the insert writes; the others stay NULL)."""
    columns = _as_dossier(sql)
    out: dict[tuple[str, str, str], list[str]] = {}
    for f in Dossier._meta.concrete_fields:
        if f.is_relation and f.column in columns:
            key = (columns[f.column], f.related_model._meta.db_table, f.target_field.column)
            out.setdefault(key, []).append(f.column)
    return out


def _lock_references(cursor, sql: _Sql) -> None:
    """What the foreign keys' row triggers do, once for the file: every row the staged rows refer to
    exists, and is locked ``FOR KEY SHARE`` until the commit (no one deletes it or changes its key
    meanwhile). A missing one fails the import, as the trigger would."""
    for (expression, table, target), columns in _references(sql).items():
        cursor.execute(f"SELECT COUNT(DISTINCT {expression}) FROM {sql.rows}")
        wanted = cursor.fetchone()[0]
        cursor.execute(f"SELECT t.{target} FROM (SELECT DISTINCT {expression} AS v FROM {sql.rows}) s "
                       f"JOIN {table} t ON t.{target} = s.v FOR KEY SHARE OF t")
        missing = wanted - len(cursor.fetchall())
        if missing:
            raise IntegrityError(f"{', '.join(columns)}: {missing} dòng tham chiếu không còn trong {table} "
                                 f"/ {missing} referenced rows no longer in {table}")


def write(staging: Staging, *, file_name: str = "", progress: Progress | None = None,
          report: ImportReport | None = None, set_wise: bool | None = None) -> int:
    """Create the staged dossiers, their participants and ``import`` events in one transaction
    (its duration in ``report.transaction_seconds``; ``set_wise``: :func:`_write_rows`)."""
    now = timezone.now()
    where = f"tệp {file_name}, " if file_name else ""
    sql = _Sql(connection.vendor)
    total = staging.count()
    steps = 0

    def step() -> None:
        nonlocal steps
        steps += 1
        if progress:
            progress("write", total + steps, total + 2)

    cache_kib = None
    if not sql.pg:  # a larger page cache for the write (a fixed cap: 15 indexes of a big table)
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            cache_kib = cursor.fetchone()[0]
            cursor.execute(f"PRAGMA cache_size=-{SQLITE_WRITE_CACHE_KIB}")
    try:
        _load_rows(staging, sql, progress, total + 2)  # outside the transaction: no write lock yet
        opened = time.perf_counter()
        with transaction.atomic():
            units = {u.dossier_prefix: u for u in Unit.objects.all()}
            for (prefix, _day), (_number, code) in sorted(staging.highest.items()):
                note_imported_code(units[prefix], code)
            with connection.cursor() as cursor:
                _write_rows(cursor, sql, now, f"Nhập từ hệ thống cũ: {where}dòng ", step, set_wise=set_wise)
        if report is not None:
            report.transaction_seconds = time.perf_counter() - opened
    finally:
        _drop_rows(sql)
        if cache_kib is not None:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size={int(cache_kib)}")
    return total


def import_dossiers(raw_lines: Iterable[bytes | str], *, dry_run: bool = False, file_name: str = "",
                    progress: Progress | None = None, total_bytes: int = 0) -> ImportReport:
    """Validate the whole input; when every line is good (and not ``dry_run``), import it all."""
    return _import(lambda staging: validate(raw_lines, staging, progress=progress, total_bytes=total_bytes),
                   dry_run=dry_run, file_name=file_name, progress=progress)


def import_file(path: str, *, workers: int | None = None, dry_run: bool = False,
                progress: Progress | None = None) -> ImportReport:
    """:func:`import_dossiers` of a file, checked in parts side by side (:func:`validate_file`)."""
    return _import(lambda staging: validate_file(path, staging, workers=workers, progress=progress),
                   dry_run=dry_run, file_name=os.path.basename(path), progress=progress)


def _import(check: Callable[[Staging], ImportReport], *, dry_run: bool, file_name: str,
            progress: Progress | None) -> ImportReport:
    started = time.perf_counter()
    with Staging() as staging:
        report = check(staging)
        report.dry_run = dry_run
        if report.ok and not dry_run and report.valid:
            try:
                report.imported = write(staging, file_name=file_name, progress=progress, report=report)
            except IntegrityError as exc:  # a code taken meanwhile by another writer
                report.errors.append((0, f"không ghi được, không nhập hồ sơ nào / nothing imported: {exc}"))
                report.imported = 0
    report.seconds = time.perf_counter() - started
    return report
