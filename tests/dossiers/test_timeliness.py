"""The timeliness class (CONTRACT §2 ``timeliness``, §5 definitions), one row per case.

Every row is a dossier received Mon 4/5/2026 08:00 with 3 working days, so due Thu
7/5/2026 17:00 (+07:00), then put in a state; the table says what class it has at a
moment. ``timeliness_of`` (the value) must give that class, and ``timeliness_q`` (the
same rule as a query condition) must select the dossier for that class and for no other.
"""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.dossiers.models import Dossier
from motcua.dossiers.timeliness import Timeliness, parse_timeliness, resolved_class, timeliness_of, timeliness_q
from motcua.errors import InvalidInput
from tests.dossiers.data import vn

T = Timeliness
DUE = vn(2026, 5, 7, 17, 0)
UTC = dt.timezone.utc

# (id, status, timestamps set on the dossier, moment, present?, expected class)
# present=True: the moment is "now" (lists, pages, queues); False: "as of" a past moment
# (a report's period end), when the dossier may have moved on since.
ROWS = [
    ("received-before-due", "received", {}, vn(2026, 5, 6, 9, 0), True, T.WITHIN_DEADLINE),
    ("processing-at-the-due-minute", "processing", {}, DUE, True, T.WITHIN_DEADLINE),
    ("processing-a-minute-after-due", "processing", {}, vn(2026, 5, 7, 17, 1), True, T.OVERDUE),
    ("awaiting-approval-past-due", "awaiting_approval", {}, vn(2026, 5, 12, 9, 0), True, T.OVERDUE),
    ("waiting-for-the-applicant-past-due", "awaiting_supplement", {"paused_at": vn(2026, 5, 5, 9, 30)},
     vn(2026, 5, 20, 9, 0), True, T.WITHIN_DEADLINE),
    ("approved-on-the-due-day", "approved", {"resolved_at": vn(2026, 5, 7, 9, 0)}, vn(2026, 5, 8, 9, 0), True, T.ON_TIME),
    ("approved-at-the-due-minute", "approved", {"resolved_at": DUE}, vn(2026, 5, 8, 9, 0), True, T.ON_TIME),
    ("approved-a-minute-late", "approved", {"resolved_at": vn(2026, 5, 7, 17, 1)}, vn(2026, 5, 8, 9, 0), True, T.LATE),
    ("rejected-the-day-before", "rejected", {"resolved_at": vn(2026, 5, 6, 23, 59)}, vn(2026, 5, 8, 9, 0), True, T.EARLY),
    # 7/5 00:30 in Vietnam is still 6/5 in UTC: the legal calendar day decides, so on time.
    ("returned-just-after-midnight-vn", "result_returned", {"resolved_at": dt.datetime(2026, 5, 6, 17, 30, tzinfo=UTC),
     "returned_at": vn(2026, 5, 8, 8, 0)}, vn(2026, 5, 9, 9, 0), True, T.ON_TIME),
    ("returned-late", "result_returned", {"resolved_at": vn(2026, 5, 11, 8, 0), "returned_at": vn(2026, 5, 11, 9, 0)},
     vn(2026, 5, 12, 9, 0), True, T.LATE),
    ("submitted-online-past-due", "submitted", {}, vn(2026, 5, 12, 9, 0), True, None),
    ("refused", "refused", {"refused_at": vn(2026, 5, 4, 9, 0)}, vn(2026, 5, 12, 9, 0), True, None),
    ("withdrawn", "withdrawn", {"withdrawn_at": vn(2026, 5, 5, 9, 0)}, vn(2026, 5, 12, 9, 0), True, None),
    # As of a report period's end: what the dossier was then.
    ("as-of: approved later, overdue then", "approved", {"resolved_at": vn(2026, 5, 11, 9, 0)},
     vn(2026, 5, 8, 0, 0), False, T.OVERDUE),
    ("as-of: approved later, within then", "approved", {"resolved_at": vn(2026, 5, 7, 10, 0)},
     vn(2026, 5, 6, 0, 0), False, T.WITHIN_DEADLINE),
    ("as-of: resolved at the very moment counts after it", "approved", {"resolved_at": vn(2026, 5, 8, 0, 0)},
     vn(2026, 5, 8, 0, 0), False, T.OVERDUE),
    ("as-of: withdrawn later, overdue then", "withdrawn", {"withdrawn_at": vn(2026, 5, 9, 9, 0)},
     vn(2026, 5, 8, 0, 0), False, T.OVERDUE),
    ("as-of: withdrawn before", "withdrawn", {"withdrawn_at": vn(2026, 5, 5, 9, 0)}, vn(2026, 5, 8, 0, 0), False, None),
    ("as-of: paused after the moment, so the clock ran then", "awaiting_supplement", {"paused_at": vn(2026, 5, 9, 9, 0)},
     vn(2026, 5, 8, 0, 0), False, T.OVERDUE),
    ("as-of: paused before the moment", "awaiting_supplement", {"paused_at": vn(2026, 5, 6, 9, 0)},
     vn(2026, 5, 8, 0, 0), False, T.WITHIN_DEADLINE),
    ("as-of: resolved early before the moment", "result_returned", {"resolved_at": vn(2026, 5, 5, 15, 0)},
     vn(2026, 5, 8, 0, 0), False, T.EARLY),
    ("as-of: never received", "refused", {"refused_at": vn(2026, 5, 4, 9, 0)}, vn(2026, 5, 8, 0, 0), False, None),
]


def _ask(moment, present):
    return {"now": moment} if present else {"as_of": moment}


@pytest.fixture
def dossier_in(receive):
    """A dossier due 7/5/2026 17:00, put in ``status`` with ``stamps``, read back from the database."""

    def make(status, stamps):
        d = receive(at=vn(2026, 5, 4, 8, 0))
        assert d.due_at == DUE
        Dossier.objects.filter(pk=d.pk).update(status=status, **stamps)
        return Dossier.objects.get(pk=d.pk)

    return make


@pytest.mark.parametrize("name, status, stamps, moment, present, expected", ROWS, ids=[r[0] for r in ROWS])
def test_timeliness_value_and_query_condition_agree_on_every_case(dossier_in, name, status, stamps, moment, present, expected):
    d = dossier_in(status, stamps)
    assert timeliness_of(d, **_ask(moment, present)) == expected
    selected = {kind for kind in [*T, None]
                if Dossier.objects.filter(pk=d.pk).filter(timeliness_q(kind, **_ask(moment, present))).exists()}
    assert selected == {expected}


@pytest.mark.parametrize("resolved_at, expected", [
    (vn(2026, 5, 7, 17, 0, 1), T.LATE),
    (vn(2026, 5, 7, 7, 30), T.ON_TIME),
    (vn(2026, 5, 7, 0, 0), T.ON_TIME),
    (vn(2026, 5, 6, 23, 59, 59), T.EARLY),
    (vn(2026, 4, 30, 9, 0), T.EARLY),
])
def test_a_result_is_early_only_on_an_earlier_calendar_day(resolved_at, expected):
    assert resolved_class(resolved_at, DUE) == expected


def test_every_class_has_a_vietnamese_label():
    assert {k.value: str(k.label) for k in T} == {
        "early": "Trước hạn", "on_time": "Đúng hạn", "late": "Trễ hạn",
        "within_deadline": "Trong hạn", "overdue": "Quá hạn",
    }


def test_an_unknown_class_is_invalid_input_naming_the_choices():
    with pytest.raises(InvalidInput) as caught:
        parse_timeliness("soon")
    assert caught.value.status == 422
    assert "within_deadline" in caught.value.fields["timeliness"][0]
    assert parse_timeliness(" overdue ") == T.OVERDUE
