"""Bulk import of dossiers from another system, one JSON object a line (CONTRACT §4).

::

    {"code"?, "procedure", "unit", "channel": "online"|"direct"|"postal", "received_at",
     "due_at"?, "resolved_at"?, "outcome"?: "approved"|"rejected", "withdrawn_at"?,
     "applicant": {"full_name", "id_number", "phone"}}

All or nothing: :func:`validate` reads the WHOLE file first and returns every bad line
with its reason; :func:`import_dossiers` writes only when there is none, in one
transaction, with bulk inserts in batches.

- Times are ISO 8601 **with an offset**; ``resolved_at`` / ``withdrawn_at`` / ``due_at``
  may not be before ``received_at``. ``received_at`` is kept as given (the old system's
  receipt time).
- ``due_at`` absent → computed by CONTRACT §3 (as :func:`compute_deadline` does: the
  unit's calendar, the procedure's time or the unit's shorter commitment, its cut-off)
  from ``received_at``.
- ``code`` absent → the next code of the unit on the receipt's local day
  (:func:`allocate_code`). A given code in our format (``{prefix}-{YYMMDD}-{XXXX}``)
  moves that unit's sequence past it (:func:`note_imported_code`), so codes issued
  later never collide with it. A code already used, in the file or in the database,
  is an error.
- Status: ``outcome`` → ``approved`` / ``rejected`` with ``resolved_at`` (the two come
  together); ``withdrawn_at`` → ``withdrawn`` (a dossier is resolved or withdrawn, not
  both); otherwise ``received``.
- Each dossier gets its intake unit as a participant (``DossierUnit``) and one
  ``import`` event (seq 1, no actor): the audit trail says where it came from.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from motcua import dates
from motcua.catalog.models import Procedure, ProcedureCommitment, Unit
from motcua.dossiers.models import Channel, Dossier, DossierUnit, Source, Status
from motcua.catalog import services as catalog_services
from motcua.dossiers import audit
from motcua.dossiers.codes import CODE_PATTERN, allocate_code, note_imported_code
from motcua.dossiers.validation import check_applicant
from motcua.errors import DomainError
from motcua.worktime import calendar as wt
from motcua.worktime.calendar import VN_TZ
from motcua.worktime.services import calendar_for_unit

REQUIRED = ("procedure", "unit", "channel", "received_at", "applicant")
OPTIONAL = ("code", "due_at", "resolved_at", "outcome", "withdrawn_at")
OUTCOMES = {"approved": Status.APPROVED, "rejected": Status.REJECTED}
CODE_MAX = Dossier._meta.get_field("code").max_length
BATCH_SIZE = 1000
_LOOKUP_CHUNK = 500


@dataclass
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
    """What a run found and did: ``errors`` as ``(line, reason)``; nothing is written when there are any."""

    lines: list[ImportLine] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    imported: int = 0
    dry_run: bool = False
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.errors

    def counts(self) -> dict[str, int]:
        by_status: dict[str, int] = {}
        for item in self.lines:
            by_status[item.status] = by_status.get(item.status, 0) + 1
        return dict(sorted(by_status.items()))


class LineError(ValueError):
    """A reason a line cannot be imported (the message is what the user sees)."""


# ------------------------------------------------------------------ reading

def numbered_lines(raw_lines: Iterable[bytes | str]) -> Iterator[tuple[int, str | None]]:
    """``(line number, text)`` for each non-blank line; text None when it is not UTF-8."""
    for number, raw in enumerate(raw_lines, start=1):
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
    """CONTRACT §3 due times for many lines: :func:`compute_deadline`'s arithmetic, with the
    procedure's time looked up once per (procedure, unit) — per day only where a unit on
    the path has a commitment ("cắt giảm thời gian", dated) for it — instead of once per
    line (the lookup is a query; 100,000 of them dominate an import).
    ``tests/dossiers/test_import_dossiers.py`` checks that both agree."""

    def __init__(self) -> None:
        self._times: dict[tuple, tuple[float, str]] = {}
        self._committed = {(procedure_id, path) for procedure_id, path
                           in ProcedureCommitment.objects.values_list("procedure_id", "unit__path")}

    def _has_commitment(self, procedure: Procedure, unit: Unit) -> bool:
        return any(pid == procedure.pk and unit.path.startswith(path) for pid, path in self._committed)

    def due_at(self, procedure: Procedure, unit: Unit, arrived_at: dt.datetime) -> dt.datetime:
        day = arrived_at.astimezone(VN_TZ).date()
        key: tuple = (procedure.pk, unit.pk)
        if self._committed and self._has_commitment(procedure, unit):
            key = (procedure.pk, unit.pk, day)
        if key not in self._times:
            value, time_unit, _source = catalog_services.processing_time_for(procedure, unit, day)
            self._times[key] = (float(value), time_unit)
        value, time_unit = self._times[key]
        _received, due = wt.due_at(calendar_for_unit(unit), arrived_at, value, time_unit, procedure.cutoff_time)
        return due


def _check_line(record, catalog: _Catalog) -> tuple[ImportLine | None, list[str]]:
    """Every problem of one parsed line (an empty list when it is good)."""
    if not isinstance(record, dict):
        return None, ["mỗi dòng phải là một đối tượng JSON / each line must be a JSON object"]
    problems: list[str] = []
    unknown = sorted(set(record) - set(REQUIRED) - set(OPTIONAL))
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
    if isinstance(channel, str) and channel and channel not in Channel.values:
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
        if not code or len(code) > CODE_MAX or any(ch.isspace() for ch in code):
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


def _codes_in_database(codes: list[str]) -> set[str]:
    found: set[str] = set()
    for i in range(0, len(codes), _LOOKUP_CHUNK):
        found.update(Dossier.objects.filter(code__in=codes[i:i + _LOOKUP_CHUNK]).values_list("code", flat=True))
    return found


def validate(raw_lines: Iterable[bytes | str]) -> ImportReport:
    """Check every line; the report lists each bad line's reasons, in line order."""
    catalog = _Catalog()
    report = ImportReport()
    first_line_of_code: dict[str, int] = {}
    for number, text in numbered_lines(raw_lines):
        if text is None:
            report.errors.append((number, "không phải văn bản UTF-8 / not UTF-8 text"))
            continue
        try:
            record = json.loads(text)
        except json.JSONDecodeError as exc:
            report.errors.append((number, f"JSON không hợp lệ / invalid JSON: {exc.msg} (cột / column {exc.colno})"))
            continue
        item, problems = _check_line(record, catalog)
        if item is not None and item.code:
            earlier = first_line_of_code.get(item.code)
            if earlier is not None:
                problems, item = [f"code: “{item.code}” trùng với dòng {earlier} / duplicate of line {earlier}"], None
            else:
                first_line_of_code[item.code] = number
        if problems:
            report.errors.append((number, "; ".join(problems)))
            continue
        item.line = number
        report.lines.append(item)

    taken = _codes_in_database(list(first_line_of_code))
    if taken:
        for item in report.lines:
            if item.code in taken:
                report.errors.append((item.line, f"code: “{item.code}” đã có trong hệ thống / already exists"))
        report.errors.sort()
    return report


# ------------------------------------------------------------------ writing

def _note_imported_codes(lines: list[ImportLine], catalog_units: dict[str, Unit]) -> None:
    """Advance each unit's daily sequence past the highest imported code in our format."""
    highest: dict[tuple[str, str], tuple[int, str]] = {}
    for item in lines:
        match = CODE_PATTERN.match(item.code or "")
        if not match or match["prefix"] not in catalog_units:
            continue
        try:
            dt.datetime.strptime(match["day"], "%y%m%d")
        except ValueError:
            continue  # not a real day: not one of our codes
        key = (match["prefix"], match["day"])
        number = int(match["seq"])
        if key not in highest or highest[key][0] < number:
            highest[key] = (number, item.code)
    for (prefix, _day), (_number, code) in highest.items():
        note_imported_code(catalog_units[prefix], code)


def _dossier(item: ImportLine) -> Dossier:
    a = item.applicant
    return Dossier(
        code=item.code, procedure=item.procedure, unit=item.unit, current_unit=item.unit, channel=item.channel,
        source=Source.IMPORT, status=item.status,
        applicant_name=a["full_name"], applicant_id_number=a["id_number"], applicant_phone=a["phone"],
        applicant_email=a.get("email", ""), applicant_address=a.get("address", ""),
        submitted_at=item.received_at, received_at=item.received_at, due_at=item.due_at, original_due_at=item.due_at,
        resolved_at=item.resolved_at, withdrawn_at=item.withdrawn_at, version=1,
    )


def write(lines: list[ImportLine], *, batch_size: int = BATCH_SIZE, file_name: str = "") -> int:
    """Create the dossiers, their participants and ``import`` events in one transaction."""
    now = timezone.now()
    where = f"tệp {file_name}, " if file_name else ""
    with transaction.atomic():
        _note_imported_codes(lines, {u.dossier_prefix: u for u in Unit.objects.all()})
        for item in lines:
            if not item.code:
                item.code = allocate_code(item.unit, item.received_at.astimezone(VN_TZ).date())
        for start in range(0, len(lines), batch_size):
            chunk = lines[start:start + batch_size]
            dossiers = Dossier.objects.bulk_create([_dossier(item) for item in chunk])
            if any(d.pk is None for d in dossiers):  # a database without RETURNING: read the ids back
                ids = dict(Dossier.objects.filter(code__in=[d.code for d in dossiers]).values_list("code", "pk"))
                for d in dossiers:
                    d.pk = ids[d.code]
            DossierUnit.objects.bulk_create([DossierUnit(dossier_id=d.pk, unit_id=d.unit_id) for d in dossiers])
            audit.record_imported([
                audit.imported_event(
                    d, at=now, note=f"Nhập từ hệ thống cũ: {where}dòng {item.line}",
                    changes={"line": item.line, "due_at": "computed" if item.due_computed else "given"},
                )
                for d, item in zip(dossiers, chunk)
            ])
    return len(lines)


def import_dossiers(raw_lines: Iterable[bytes | str], *, dry_run: bool = False, file_name: str = "") -> ImportReport:
    """Validate the whole input; when every line is good (and not ``dry_run``), import it all."""
    started = time.perf_counter()
    report = validate(raw_lines)
    report.dry_run = dry_run
    if report.ok and not dry_run and report.lines:
        try:
            report.imported = write(report.lines, file_name=file_name)
        except IntegrityError as exc:  # a code taken meanwhile by another writer
            report.errors.append((0, f"không ghi được, không nhập hồ sơ nào / nothing imported: {exc}"))
            report.imported = 0
    report.seconds = time.perf_counter() - started
    return report
