"""Scope: which units a user may see, and therefore which dossiers.

The one home of the rule. Lists, details, queues, printed registers, uploads and reports
all ask here; nothing else reads memberships to decide access.

The rule, by role (``REACH``):

=============  ==========================  ===============================
role           dossiers (and registers)    reports
=============  ==========================  ===============================
admin          every unit                  every unit
inspector      their units and below       their units and below
leader         their units and below       their units and below
counter        their units                 none
specialist     their units                 none
citizen        none (their own dossiers)   none
=============  ==========================  ===============================

What a user may count, they may open: for every role the dossiers' reach is at least the
reports' (a district leader reads the report of the communes below and opens each dossier
behind its figures). Reading is not handling: the dossiers a counter officer, specialist or
leader *works on* (their queues, uploads, cash, the workflow roles of ``actions.roles_of``)
are those of the units they belong to (:func:`handling_unit_ids`, :func:`handles`); a
district leader opens a commune's dossier and can take no action on it.

"Their units" are the units they are members of and the units those succeeded after a
merge (``catalog.reorganise``), so a merged commune's open dossiers stay in hand.
"Below" is the unit tree at any depth (``Unit.objects.subtrees``): a commune directly
under a province (since 1/7/2025) is below it just as one under a district is. A
dossier is in an officer's scope when one of the units in scope took part in it: it
received it, holds it now, or handled it on the way (``DossierUnit``).
"""

from __future__ import annotations

from enum import Enum
from typing import cast

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet

from motcua.accounts.models import Membership, Role, User
from motcua.catalog.models import Unit
from motcua.catalog.reorganise import predecessor_ids
from motcua.dossiers.models import Dossier, DossierUnit
from motcua.errors import NotFound


class Reach(Enum):
    NONE = "none"
    OWN = "own"                  # the units the user is a member of
    OWN_AND_BELOW = "below"      # … and every unit below them
    ALL = "all"


class Purpose(Enum):
    DOSSIERS = "dossiers"  # lists, details, queues, registers, uploads
    REPORTS = "reports"    # the TTHC report, the dashboard, the scorecard


REACH: dict[tuple[str, Purpose], Reach] = {
    (Role.ADMIN, Purpose.DOSSIERS): Reach.ALL,
    (Role.ADMIN, Purpose.REPORTS): Reach.ALL,
    (Role.INSPECTOR, Purpose.DOSSIERS): Reach.OWN_AND_BELOW,
    (Role.INSPECTOR, Purpose.REPORTS): Reach.OWN_AND_BELOW,
    (Role.LEADER, Purpose.DOSSIERS): Reach.OWN_AND_BELOW,  # what a leader may count they may open
    (Role.LEADER, Purpose.REPORTS): Reach.OWN_AND_BELOW,
    (Role.COUNTER, Purpose.DOSSIERS): Reach.OWN,
    (Role.SPECIALIST, Purpose.DOSSIERS): Reach.OWN,
}

# The roles that handle dossiers at their units' counters and desks.
HANDLING_ROLES = frozenset({Role.COUNTER, Role.SPECIALIST, Role.LEADER})


def reach(user: User | None, purpose: Purpose = Purpose.DOSSIERS) -> Reach:
    if user is None or not user.is_authenticated:
        return Reach.NONE
    if user.is_superuser:
        return Reach.ALL
    return REACH.get((user.role, purpose), Reach.NONE)


def _load_units(user: User) -> None:
    """Read the user's units and the units they directly succeeded in one query, once per
    user object (a request's user is loaded fresh for each request, so a change of
    membership or a new merge shows on the next). Chains of merges (A into B, B into C)
    take one more query per link, only for users who have predecessors.

    Plain SQL over two indexed joins: every API request of an officer asks, and building the
    same query through the ORM cost more than running it (issue 21 §1, docs/performance.md)."""
    members: set[int] = set()
    direct: set[int] = set()
    if user.pk:
        m_t, u_t = Membership._meta.db_table, Unit._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT m.unit_id, 1 FROM {m_t} m WHERE m.user_id = %s UNION ALL "
                f"SELECT u.id, 0 FROM {m_t} m JOIN {u_t} u ON u.successor_id = m.unit_id WHERE m.user_id = %s",
                [user.pk, user.pk])
            rows = cursor.fetchall()
        members = {pk for pk, member in rows if member}
        direct = {pk for pk, member in rows if not member} - members
    setattr(user, "_motcua_unit_ids", frozenset(members))
    setattr(user, "_motcua_own_ids", frozenset(members | direct | (predecessor_ids(direct) if direct else set())))


def member_unit_ids(user: User) -> frozenset[int]:
    """The ids of the units ``user`` belongs to."""
    if getattr(user, "_motcua_unit_ids", None) is None:
        _load_units(user)
    return getattr(user, "_motcua_unit_ids")


def own_unit_ids(user: User) -> frozenset[int]:
    """The user's units and the units they succeeded (``catalog.reorganise``): after a merge
    the successor's officers finish and answer for the predecessors' dossiers."""
    if getattr(user, "_motcua_own_ids", None) is None:
        _load_units(user)
    return getattr(user, "_motcua_own_ids")


def handling_unit_ids(user: User) -> frozenset[int]:
    """The units whose dossiers ``user`` works on: for the handling roles (counter,
    specialist, leader) their own units (:func:`own_unit_ids`), never the units below;
    nothing for any other role."""
    if not user.is_authenticated or user.role not in HANDLING_ROLES:
        return frozenset()
    return own_unit_ids(user)


def unit_ids(user: User | None, purpose: Purpose = Purpose.DOSSIERS) -> frozenset[int] | None:
    """The ids of the units in ``user``'s scope; ``None`` means every unit."""
    how = reach(user, purpose)
    if how is Reach.ALL:
        return None
    if how is Reach.NONE:
        return frozenset()
    assert user is not None  # no user reaches nothing
    own = own_unit_ids(user)
    if how is Reach.OWN or not own:
        return own
    key = f"_motcua_below_{purpose.value}"
    cached = getattr(user, key, None)
    if cached is None:
        cached = frozenset(Unit.objects.subtrees(Unit.objects.filter(pk__in=own)).values_list("pk", flat=True))
        setattr(user, key, cached)
    return cached


def may_see_unit(user: User | None, unit: Unit, purpose: Purpose = Purpose.DOSSIERS) -> bool:
    """Whether ``unit`` is in ``user``'s scope for ``purpose``."""
    ids = unit_ids(user, purpose)
    return ids is None or unit.pk in ids


def units_visibility(ids) -> Q:
    """Dossiers that units ``ids`` took part in (received, hold now, or handled on the way).

    Every unit that took part is a DossierUnit row; the receiving and the current unit
    always are. Testing those two columns first (and probing DossierUnit only for the other
    hops, a correlated index lookup) keeps lists of a unit with a big archive fast: a plain
    EXISTS makes PostgreSQL hash every participation row of the unit first.
    """
    ids = list(ids)
    hops = DossierUnit.objects.filter(dossier=OuterRef("pk"), unit_id__in=ids).exclude(unit_id=OuterRef("unit_id"))
    return cast(Q, Q(current_unit_id__in=ids) | Q(unit_id__in=ids) | Exists(hops))  # Q | Exists is a Q


def visible_dossiers(user: User | None) -> QuerySet[Dossier]:
    """What ``user`` may see: officers their units' dossiers (and those transferred to
    them), inspectors their subtree's, admins everything, citizens their own."""
    qs = Dossier.objects.all()
    if user is None or not user.is_authenticated:
        return qs.none()
    ids = unit_ids(user)
    if ids is None:
        return qs
    if user.role == Role.CITIZEN:
        return qs.filter(owner=user)
    return qs.filter(units_visibility(ids))


def forwards_to(user: User, unit: Unit) -> bool:
    """Whether ``user``, the national portal's service account (role ``national_portal``, its unit
    the province), may forward a dossier to ``unit``: its units and every unit below them. It sees
    no dossier (``REACH`` has no row for it)."""
    if not user.is_authenticated or user.role != Role.NATIONAL_PORTAL:
        return False
    return Unit.objects.subtrees(Unit.objects.filter(pk__in=member_unit_ids(user))).filter(pk=unit.pk).exists()


def handles(user: User, dossier: Dossier) -> bool:
    """Whether ``user`` is an officer (counter, specialist, leader) of a unit that took part in
    ``dossier`` (:func:`handling_unit_ids`: reading a unit below is not handling it)."""
    if not user.is_authenticated or user.role not in HANDLING_ROLES:
        return False
    if user.is_superuser:
        return True
    ids = handling_unit_ids(user)
    if dossier.unit_id in ids or dossier.current_unit_id in ids:
        return True
    return DossierUnit.objects.filter(dossier=dossier, unit_id__in=ids).exists()


def get_visible(user: User, code: str) -> Dossier:
    """Dossier ``code`` if ``user`` may see it, with what its pages show; else :class:`NotFound`
    (a dossier out of scope is not found, not forbidden: its existence is not revealed)."""
    dossier = visible_dossiers(user).select_related("procedure", "unit", "current_unit", "assignee", "owner").filter(code=code).first()
    if dossier is None:
        raise NotFound(f"Không tìm thấy hồ sơ “{code}”.", code="dossier_not_found")
    return dossier
