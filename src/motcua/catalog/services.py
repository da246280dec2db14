"""Catalog operations: which procedures a unit performs, search, and catalog figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from motcua.catalog.models import (
    Level,
    OnlineLevel,
    Procedure,
    ProcedureCommitment,
    ProcedureLevel,
    TimeUnit,
    Unit,
)
from motcua.catalog.text import tokens
from motcua.errors import NotFound


def get_unit(code: str, *, field: str = "unit") -> Unit:
    unit = next(iter(Unit.objects.filter(code=code)[:1]), None)  # code is unique: no ORDER BY to compile
    if unit is None:
        raise NotFound(f"Không tìm thấy đơn vị có mã “{code}”.", code="unit_not_found", fields={field: ["Không tồn tại."]})
    return unit


def procedure_not_found(code: str, field: str = "procedure") -> NotFound:
    return NotFound(f"Không tìm thấy thủ tục có mã “{code}”.", code="procedure_not_found", fields={field: ["Không tồn tại."]})


def get_procedure(code: str, *, field: str = "procedure") -> Procedure:
    procedure = Procedure.objects.select_related("field").filter(code=code).first()
    if procedure is None:
        raise procedure_not_found(code, field)
    return procedure


def current_procedures(day: dt.date | None = None) -> QuerySet[Procedure]:
    return Procedure.objects.valid_on(day)


def procedures_of_unit(unit: Unit, day: dt.date | None = None) -> QuerySet[Procedure]:
    """The procedures ``unit`` performs: those in force whose levels include the unit's level."""
    return current_procedures(day).filter(levels__level=unit.level)


def unit_performs(unit: Unit, procedure: Procedure) -> bool:
    known = getattr(procedure, "performed_at_level", None)  # annotated by ``procedure_for_intake``
    if known is not None and getattr(procedure, "annotated_level", None) == unit.level:
        return known
    return procedure.levels.filter(level=unit.level).exists()


def procedure_for_intake(code: str, unit: Unit | None) -> Procedure:
    """``get_procedure`` in one query with what intake asks next: whether ``unit``'s level
    performs it and whether any unit has committed to a shorter time for it.

    A raw query on purpose: intake is the hottest write path, and the ORM spends more time
    compiling this correlated query than the database spends running it.
    """
    procedure_t, level_t = Procedure._meta.db_table, ProcedureLevel._meta.db_table
    commitment_t = ProcedureCommitment._meta.db_table
    rows = list(Procedure.objects.raw(
        f"SELECT p.*, "
        f"EXISTS(SELECT 1 FROM {level_t} l WHERE l.procedure_id = p.id AND l.level = %s) AS performed_at_level, "
        f"EXISTS(SELECT 1 FROM {commitment_t} c WHERE c.procedure_id = p.id) AS has_commitments "
        f"FROM {procedure_t} p WHERE p.code = %s",
        [unit.level if unit is not None else "", code],
    ))
    if not rows:
        raise procedure_not_found(code)
    procedure = rows[0]
    procedure.performed_at_level = bool(procedure.performed_at_level) if unit is not None else None
    procedure.has_commitments = bool(procedure.has_commitments)
    procedure.annotated_level = unit.level if unit is not None else None
    return procedure


def search_procedures(
    q: str = "", *, unit: Unit | None = None, field: str = "", level: str = "", online_level: str = "",
    day: dt.date | None = None,
) -> QuerySet[Procedure]:
    """Procedures matching every word of ``q`` (case and diacritics ignored), best first.

    Ranking: the whole query inside the name, then every word in the name, then the words
    found in code, description or result; ties by name.
    """
    qs = procedures_of_unit(unit, day) if unit else current_procedures(day)
    if field:
        qs = qs.filter(field__code=field)
    if level:
        qs = qs.filter(levels__level=level)
    if online_level:
        qs = qs.filter(online_level=online_level)
    words = tokens(q)
    if words:
        phrase = " ".join(words)
        for word in words:
            qs = qs.filter(Q(search_name__contains=word) | Q(search_text__contains=word))
        name_all = Q()
        for word in words:
            name_all &= Q(search_name__contains=word)
        qs = qs.annotate(
            rank=Case(
                When(search_name__startswith=phrase, then=Value(0)),
                When(search_name__contains=phrase, then=Value(1)),
                When(name_all, then=Value(2)),
                default=Value(3),
                output_field=IntegerField(),
            )
        ).order_by("rank", "search_name", "code")
    else:
        qs = qs.order_by("field__name", "search_name", "code")
    return qs.select_related("field").prefetch_related(Prefetch("levels", queryset=ProcedureLevel.objects.all()))


def performed_pairs(unit: Unit, *, children: bool = False, day: dt.date | None = None) -> QuerySet[ProcedureLevel]:
    """The (procedure, level) pairs ``unit`` performs on ``day`` — with ``children``, also
    the units below it that exist that day. The one count of "procedures" in every catalog
    figure, report indicator and scorecard line: a procedure performed at two levels present
    counts once at each."""
    units = unit.subtree().valid_on(day) if children else Unit.objects.filter(pk=unit.pk)
    levels_present = set(units.values_list("level", flat=True)) | {unit.level}
    return ProcedureLevel.objects.filter(level__in=levels_present, procedure__in=current_procedures(day))


def procedure_stats(unit: Unit, *, children: bool = False, day: dt.date | None = None) -> dict:
    """Catalog figures as officials report them (seed 003: 135 = 15 + 17 + 82 + 21).

    A procedure performed at two levels counts once at each level present in the unit
    (and, with ``children``, in its subtree): distinct (procedure, level) pairs.
    """
    matrix = {lv: {ol: 0 for ol in OnlineLevel.values} for lv in Level.values}
    pairs = performed_pairs(unit, children=children, day=day).values_list("level", "procedure__online_level")
    for level, online in pairs:
        matrix[level][online] += 1
    by_level = {lv: sum(row.values()) for lv, row in matrix.items()}
    by_online = {ol: sum(matrix[lv][ol] for lv in matrix) for ol in OnlineLevel.values}
    return {
        "unit": unit.code,
        "children": children,
        "total": sum(by_level.values()),
        "by_online_level": by_online,
        "by_level": by_level,
        "matrix": matrix,
    }


def processing_time_for(procedure: Procedure, unit: Unit, day: dt.date | None = None) -> tuple[Decimal, str, str]:
    """``(value, unit, source)``: the time that drives due dates in ``unit``.

    The nearest commitment ("cắt giảm thời gian") of the unit or an ancestor, when it is
    shorter than the law's time; otherwise the law's time.
    """
    commitment = commitment_for(procedure, unit, day)
    if commitment is not None:
        return commitment.time_value, commitment.time_unit, "commitment"
    return procedure.processing_time_value, procedure.processing_time_unit, "law"


def commitment_for(procedure: Procedure, unit: Unit, day: dt.date | None = None) -> ProcedureCommitment | None:
    """The commitment that drives due dates in ``unit`` on ``day``: the nearest one of the
    unit or an ancestor that is shorter than the law's time (None: the law's time applies)."""
    day = day or timezone.localdate()
    if getattr(procedure, "has_commitments", None) is False:  # annotated by ``procedure_for_intake``
        return None
    path_codes = [c for c in unit.path.strip("/").split("/") if c]
    commitments = {
        c.unit.code: c
        for c in ProcedureCommitment.objects.valid_on(day).filter(procedure=procedure, unit__code__in=path_codes).select_related("unit")
    }
    for code in reversed(path_codes):
        commitment = commitments.get(code)
        if commitment is not None and _shorter_than_law(commitment, procedure):
            return commitment
    return None


def _shorter_than_law(commitment: ProcedureCommitment, procedure: Procedure) -> bool:
    """A commitment cuts the law's time; one that would lengthen it is ignored. Times in
    different units are not comparable: the administrator's explicit choice stands."""
    if commitment.time_unit != procedure.processing_time_unit:
        return True
    return commitment.time_value < procedure.processing_time_value


def time_label(value, unit: str) -> str:
    if unit == TimeUnit.SAME_DAY:
        return "Trong ngày"
    number = Decimal(value)
    text = f"{int(number):02d}" if number == int(number) else f"{number:.1f}".replace(".", ",")
    return f"{text} {TimeUnit(unit).label}"

