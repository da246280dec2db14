"""Reorganising local government: merging units and moving a unit to another parent.

Since 1 July 2025 districts are abolished (their communes move to the province) and many
communes are merged (A and B into C). This module is the one home of both changes and of
what they mean later:

* :func:`plan_merge` / :func:`plan_move` say what will change, in words, without writing
  (the CLI's and the admin's dry run); :func:`apply` writes a plan in one transaction.
* A merge ends each source unit the day before the effective date (``valid_to``), points it
  at its ``successor``, re-scopes the sources' officers to the successor, and moves the
  sources' own children under the successor. Dossiers are never rewritten: each keeps the
  unit that received it, so every old report stays as it was.
* A move changes a unit's parent; the paths of the unit and of everything below it follow.
* Every change is a :class:`~motcua.catalog.models.UnitChange` row, so the tree of any past
  day can be rebuilt: :func:`ids_below_during` gives the units that were below a unit at
  some time in a period, which a report with ``children`` counts (a district's 2024 report
  still holds the commune that moved to the province in 2025).
* :func:`predecessor_ids` gives the units a unit succeeded, at any depth: officers of the
  successor see and finish the predecessors' dossiers (``dossiers.scope``), and a report can
  include the predecessors' history (``predecessors=1``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q

from motcua.accounts.models import Membership
from motcua.catalog.models import Level, Unit, UnitChange
from motcua.errors import InvalidInput

# Higher levels first: a parent must be of a higher level than its child.
LEVEL_RANK: dict[str, int] = {Level.PROVINCE: 0, Level.DISTRICT: 1, Level.COMMUNE: 2}


@dataclass
class NewUnit:
    """A successor that does not exist yet (a merge may create it)."""

    code: str
    name: str
    level: str
    parent: Unit | None
    national_id: str = ""


@dataclass
class Plan:
    """What a reorganisation will do. ``lines`` are the dry run, in Vietnamese."""

    kind: str                      # UnitChange.Kind
    effective_on: dt.date
    decision: str = ""
    sources: list[Unit] = field(default_factory=list)
    target: Unit | None = None     # the successor (merge) or the new parent (move)
    new_target: NewUnit | None = None
    moved: list[tuple[Unit, Unit | None]] = field(default_factory=list)   # (unit, new parent)
    memberships: list[Membership] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)


def _check_parent(unit_level: str, parent: Unit | NewUnit | None, problems: dict, key: str) -> None:
    """The one level rule of the tree: a parent is of a higher level than its child."""
    if parent is not None and parent.level in LEVEL_RANK and LEVEL_RANK[parent.level] >= LEVEL_RANK[unit_level]:
        problems.setdefault(key, []).append(
            f"Đơn vị cấp trên “{parent.name}” ({Level(parent.level).label}) phải ở cấp cao hơn.")


def plan_merge(sources: list[Unit], into: Unit | NewUnit, on: dt.date, decision: str = "") -> Plan:
    """Units ``sources`` merge into ``into`` (an existing unit, or a :class:`NewUnit`) on ``on``."""
    problems: dict[str, list[str]] = {}
    if not sources:
        problems["sources"] = ["Chọn ít nhất một đơn vị được sáp nhập."]
    codes = [u.code for u in sources]
    if len(set(codes)) != len(codes):
        problems["sources"] = ["Một đơn vị được nêu hai lần."]
    if isinstance(into, Unit) and into.pk in {u.pk for u in sources}:
        problems["into"] = ["Đơn vị kế thừa không thể là một trong các đơn vị được sáp nhập."]
    if isinstance(into, NewUnit):
        if not into.code or not into.name:
            problems["into"] = ["Đơn vị mới cần mã và tên."]
        elif Unit.objects.filter(code=into.code).exists():
            problems["into"] = [f"Mã đơn vị “{into.code}” đã có."]
        if into.level not in LEVEL_RANK:
            problems.setdefault("level", []).append("Cấp phải là province, district hoặc commune.")
        else:
            _check_parent(into.level, into.parent, problems, "parent")
    for unit in sources:
        if unit.valid_to is not None and unit.valid_to < on:
            problems.setdefault("sources", []).append(f"“{unit.name}” đã hết hiệu lực từ {unit.valid_to:%d/%m/%Y}.")
        if unit.valid_from is not None and unit.valid_from >= on:
            problems.setdefault("on", []).append(f"Ngày hiệu lực phải sau ngày “{unit.name}” bắt đầu ({unit.valid_from:%d/%m/%Y}).")
    if isinstance(into, Unit):
        # A source below the successor is fine (a district abolished into its province: its
        # communes move up); a successor below a source is not (its children would loop).
        for unit in sources:
            if into.path.startswith(unit.path):
                problems.setdefault("into", []).append(f"“{into.name}” nằm dưới “{unit.name}”.")
    for unit in sources:
        for child in unit.children.all():   # the sources' children move under the successor
            _check_parent(child.level, into, problems, "into")
    if problems:
        raise InvalidInput("Không thể sáp nhập như vậy.", code="invalid_merge", fields=problems)

    plan = Plan(UnitChange.Kind.MERGE, on, decision, sources=list(sources))
    day_before = on - dt.timedelta(days=1)
    if isinstance(into, NewUnit):
        plan.new_target = into
        parent = f" thuộc {into.parent.name}" if into.parent else ""
        plan.lines.append(f"Tạo đơn vị mới {into.name} ({into.code}){parent}, hiệu lực từ {on:%d/%m/%Y}.")
        target_name = into.name
    else:
        plan.target = into
        target_name = into.name
    for unit in sources:
        plan.lines.append(
            f"{unit.name} ({unit.code}) hết hiệu lực sau ngày {day_before:%d/%m/%Y}; đơn vị kế thừa: {target_name}.")
        for child in unit.children.order_by("path"):
            plan.moved.append((child, None))   # None: the successor, which may not exist yet
            plan.lines.append(f"{child.name} ({child.code}) chuyển sang trực thuộc {target_name}.")
    plan.memberships = list(
        Membership.objects.filter(unit__in=sources).select_related("user", "unit").order_by("unit__path", "user__username"))
    plan.lines.append(
        f"{len(plan.memberships)} cán bộ của các đơn vị cũ chuyển sang {target_name} "
        "(họ tiếp tục xử lý hồ sơ của đơn vị cũ).")
    plan.lines.append("Hồ sơ cũ giữ đơn vị đã tiếp nhận; báo cáo các kỳ trước không thay đổi.")
    return plan


def plan_move(unit: Unit, to: Unit | None, on: dt.date, decision: str = "") -> Plan:
    """Unit ``unit`` (and everything below it) moves under ``to`` (``None``: a top unit) on ``on``."""
    problems: dict[str, list[str]] = {}
    if to is not None and to.pk == unit.pk:
        problems["to"] = ["Một đơn vị không thể trực thuộc chính nó."]
    elif to is not None and to.path.startswith(unit.path):
        problems["to"] = [f"“{to.name}” nằm dưới “{unit.name}”."]
    elif to is not None and to.pk == unit.parent_id:
        problems["to"] = [f"“{unit.name}” đã trực thuộc “{to.name}”."]
    _check_parent(unit.level, to, problems, "to")
    if problems:
        raise InvalidInput("Không thể chuyển đơn vị như vậy.", code="invalid_move", fields=problems)
    plan = Plan(UnitChange.Kind.MOVE, on, decision, sources=[unit], target=to, moved=[(unit, to)])
    old = unit.parent.name if unit.parent is not None else "—"
    new = to.name if to else "—"
    plan.lines.append(f"{unit.name} ({unit.code}) chuyển từ {old} sang {new}, hiệu lực từ {on:%d/%m/%Y}.")
    below = unit.subtree().exclude(pk=unit.pk).count()
    if below:
        plan.lines.append(f"{below} đơn vị trực thuộc {unit.name} đi theo.")
    plan.lines.append("Hồ sơ cũ giữ đơn vị đã tiếp nhận; báo cáo các kỳ trước không thay đổi.")
    return plan


@transaction.atomic
def apply(plan: Plan, by=None) -> Unit | None:
    """Write ``plan``; returns the successor (merge) or the moved unit (move)."""
    by = by if getattr(by, "pk", None) else None
    if plan.kind == UnitChange.Kind.MOVE:
        unit, to = plan.moved[0]
        unit = Unit.objects.select_for_update().get(pk=unit.pk)
        UnitChange.objects.create(kind=plan.kind, unit=unit, from_parent=unit.parent, to_parent=to,
                                  effective_on=plan.effective_on, decision=plan.decision, created_by=by)
        unit.parent = to
        unit.save()
        return unit

    target = plan.target
    if plan.new_target is not None:
        spec = plan.new_target
        target = Unit(code=spec.code, name=spec.name, level=spec.level, parent=spec.parent,
                      national_id=spec.national_id, valid_from=plan.effective_on)
        target.save()
    day_before = plan.effective_on - dt.timedelta(days=1)
    for source in plan.sources:
        source = Unit.objects.select_for_update().get(pk=source.pk)
        UnitChange.objects.create(kind=plan.kind, unit=source, from_parent=source.parent, to_parent=source.parent,
                                  successor=target, effective_on=plan.effective_on, decision=plan.decision, created_by=by)
        source.valid_to = day_before
        source.successor = target
        source.save(update_fields=["valid_to", "successor"])
    for child, _ in plan.moved:
        child = Unit.objects.get(pk=child.pk)
        UnitChange.objects.create(kind=UnitChange.Kind.MOVE, unit=child, from_parent=child.parent, to_parent=target,
                                  effective_on=plan.effective_on, decision=plan.decision, created_by=by)
        child.parent = target
        child.save()
    for membership in plan.memberships:
        Membership.objects.get_or_create(user_id=membership.user_id, unit=target,
                                         defaults={"since": plan.effective_on})
        Membership.objects.filter(pk=membership.pk).delete()
    return target


# ------------------------------------------------------------------ what the changes mean later

def predecessor_ids(unit_ids) -> frozenset[int]:
    """The units that ``unit_ids`` succeeded, directly or through a chain of merges."""
    found: set[int] = set()
    frontier = set(unit_ids)
    while frontier:
        step = set(Unit.objects.filter(successor_id__in=frontier).values_list("pk", flat=True)) - found
        found |= step
        frontier = step
    return frozenset(found)


def _parents_on(day: dt.date, parents: Mapping[int, int | None], moves: Sequence[tuple[dt.date, int, int | None]]) -> dict:
    """The parent of every unit on ``day``: today's tree with the later moves undone."""
    result = dict(parents)
    for effective_on, unit_id, from_parent in moves:       # newest first
        if effective_on > day:
            result[unit_id] = from_parent
    return result


def _below(roots: set[int], parents: dict[int, int | None]) -> set[int]:
    children: dict[int | None, list[int]] = defaultdict(list)
    for unit_id, parent_id in parents.items():
        children[parent_id].append(unit_id)
    seen = set(roots)
    frontier = list(roots)
    while frontier:
        for child in children.get(frontier.pop(), ()):
            if child not in seen:
                seen.add(child)
                frontier.append(child)
    return seen


def ids_below_during(root_ids, start: dt.date, end: dt.date) -> frozenset[int]:
    """The units at or below ``root_ids`` at any time between ``start`` and ``end`` (dates).

    With no recorded move this is today's subtree (``Unit.objects.subtrees``, one indexed
    query). Otherwise the tree of each day on which it changed in the period is rebuilt
    from today's parents by undoing the later moves, and the subtrees are added up.
    """
    root_ids = set(root_ids)
    moves = list(UnitChange.objects.filter(kind=UnitChange.Kind.MOVE, effective_on__gt=start)
                 .order_by("-effective_on", "-pk").values_list("effective_on", "unit_id", "from_parent_id"))
    if not moves:
        return frozenset(Unit.objects.subtrees(Unit.objects.filter(pk__in=root_ids)).values_list("pk", flat=True))
    parents = dict(Unit.objects.values_list("pk", "parent_id"))
    days = {start, end}
    for effective_on, _, _ in moves:
        if effective_on <= end:
            days |= {effective_on, effective_on - dt.timedelta(days=1)}
    found: set[int] = set()
    for day in days:
        if start <= day <= end:
            found |= _below(root_ids, _parents_on(day, parents, moves))
    return frozenset(found)


def history(unit: Unit) -> list[UnitChange]:
    """The recorded changes of ``unit``: its moves, its merge, and the merges into it."""
    return list(UnitChange.objects.filter(Q(unit=unit) | Q(successor=unit) | Q(to_parent=unit) | Q(from_parent=unit))
                .select_related("unit", "from_parent", "to_parent", "successor").order_by("effective_on", "pk"))
