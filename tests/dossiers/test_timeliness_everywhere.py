"""One dossier of each timeliness class, read back from every surface that shows it.

CONTRACT §2: "One definition serves every page, list, filter, queue, tracking page and
report." The list API, the detail API, the public tracking API, the public tracking page,
the workbench's overdue queue, the ``?timeliness=`` filter, the office dossier page and the
TTHC report must all give each dossier the same class.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from motcua.accounts.models import User
from motcua.dossiers.actions import apply_action
from motcua.dossiers.intake import receive_dossier
from motcua.worktime.calendar import VN_TZ
from tests.dossiers.data import APPLICANT, THREE_DAY_COMMUNE

LABELS = {"early": "Trước hạn", "on_time": "Đúng hạn", "late": "Trễ hạn", "within_deadline": "Trong hạn",
          "overdue": "Quá hạn", None: None}


def _resolve(code: str, at: dt.datetime) -> None:
    """Assigned, proposed and approved, the approval at ``at``."""
    leader, specialist = User.objects.get(username="lanhdao.yt"), User.objects.get(username="chuyenvien.yt")
    apply_action(leader, code, "assign", {"assignee": "chuyenvien.yt"}, at=at - dt.timedelta(hours=2))
    apply_action(specialist, code, "propose", at=at - dt.timedelta(hours=1))
    apply_action(leader, code, "approve", at=at)


@pytest.fixture
def one_of_each(demo):
    """code → class: received on a Monday five weeks ago (3 working days), except the
    dossier within its deadline, received at 08:00 on the last working day before today (taken
    in "now" it would, after hours or on a day off, be received on the next working day: after
    a report's period that ends today); plus one withdrawn and one not yet accepted."""
    counter, citizen = User.objects.get(username="motcua.yt"), User.objects.get(username="congdan")
    today = timezone.localdate()
    monday = today - dt.timedelta(days=35 + today.weekday())
    arrived = dt.datetime.combine(monday, dt.time(8, 0), tzinfo=VN_TZ)

    def take_in(at=None, by=counter, channel="direct"):
        return receive_dossier(actor=by, procedure_code=THREE_DAY_COMMUNE, unit_code="YB.LY.YT", channel=channel,
                               applicant=APPLICANT, arrived_at=at)

    made = {}
    early = take_in(arrived)
    _resolve(early.code, arrived + dt.timedelta(hours=3))  # the same Monday; due days later
    made[early.code] = "early"
    on_time = take_in(arrived)
    _resolve(on_time.code, on_time.due_at - dt.timedelta(hours=1))  # the due day, before the due time
    made[on_time.code] = "on_time"
    late = take_in(arrived)
    _resolve(late.code, late.due_at + dt.timedelta(days=1))
    made[late.code] = "late"
    overdue = take_in(arrived)
    apply_action(User.objects.get(username="lanhdao.yt"), overdue.code, "assign", {"assignee": "chuyenvien.yt"},
                 at=arrived + dt.timedelta(hours=1))
    made[overdue.code] = "overdue"
    from motcua.catalog.models import Unit
    from motcua.worktime.calendar import is_working_day
    from motcua.worktime.services import calendar_for_unit

    calendar, last = calendar_for_unit(Unit.objects.get(code="YB.LY.YT")), today - dt.timedelta(days=1)
    while not is_working_day(calendar, last):
        last -= dt.timedelta(days=1)
    within = take_in(dt.datetime.combine(last, dt.time(8, 0), tzinfo=VN_TZ))
    made[within.code] = "within_deadline"
    withdrawn = take_in(arrived)
    apply_action(counter, withdrawn.code, "withdraw", {"note": "Người nộp xin rút"}, at=arrived + dt.timedelta(hours=1))
    made[withdrawn.code] = None
    submitted = take_in(by=citizen, channel="online")
    made[submitted.code] = None
    assert overdue.due_at < timezone.now() < within.due_at
    return made


def test_every_surface_gives_each_dossier_the_same_class(one_of_each, api_as, client):
    counter_api = api_as("motcua.yt")

    listed = {d["code"]: d for d in counter_api.get("/dossiers", {"page_size": 100}).json()["items"]}
    assert {code: listed[code]["timeliness"] for code in one_of_each} == one_of_each
    for code, kind in one_of_each.items():
        assert listed[code]["overdue"] == (kind in ("late", "overdue"))  # the older boolean, kept

        detail = counter_api.get(f"/dossiers/{code}").json()
        assert detail["timeliness"] == kind, code
        assert detail["timeliness_label"] == LABELS[kind]

        public = client.get(f"/api/v1/public/track/{code}").json()
        assert public["timeliness"] == kind, code

        page = client.get(f"/tra-cuu/{code}/").content.decode()
        shown = re.findall(r'data-timeliness="([a-z_]+)">([^<]+)<', page)
        assert shown == ([(kind, LABELS[kind])] if kind else []), code

    client.force_login(User.objects.get(username="motcua.yt"))
    for code, kind in one_of_each.items():
        page = client.get(f"/can-bo/ho-so/{code}/").content.decode()
        shown = re.findall(r'data-timeliness="([a-z_]+)">([^<]+)<', page)
        assert shown == ([(kind, LABELS[kind])] if kind else []), code

    queue = client.get("/can-bo/", {"hang": "qua-han"}).content.decode()
    in_queue = {code for code in one_of_each if code in queue}
    assert in_queue == {code for code, kind in one_of_each.items() if kind == "overdue"}


@pytest.mark.parametrize("kind", ["early", "on_time", "late", "within_deadline", "overdue"])
def test_the_timeliness_filter_lists_exactly_the_dossiers_of_that_class(one_of_each, api_as, kind):
    found = [d["code"] for d in api_as("motcua.yt").get("/dossiers", {"timeliness": kind}).json()["items"]]
    assert found == [code for code, k in one_of_each.items() if k == kind]


def test_overdue_true_is_the_overdue_class_and_false_the_rest(one_of_each, api_as):
    counter_api = api_as("motcua.yt")
    alias = [d["code"] for d in counter_api.get("/dossiers", {"overdue": "true"}).json()["items"]]
    named = [d["code"] for d in counter_api.get("/dossiers", {"timeliness": "overdue"}).json()["items"]]
    assert alias == named == [code for code, k in one_of_each.items() if k == "overdue"]
    rest = {d["code"] for d in counter_api.get("/dossiers", {"overdue": "false", "page_size": 100}).json()["items"]}
    assert rest == {code for code, k in one_of_each.items() if k != "overdue"}


def test_an_unknown_timeliness_class_is_a_422_with_the_contract_error_body(one_of_each, api_as):
    response = api_as("motcua.yt").get("/dossiers", {"timeliness": "soon"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_timeliness"
    assert "overdue" in error["fields"]["timeliness"][0]


def test_the_report_counts_each_class_as_the_lists_show_it(one_of_each, api_as):
    """The report's period ends tonight at 24:00: every dossier here keeps its class until then."""
    today = timezone.localdate()
    report = api_as("lanhdao.yt").get("/reports/tthc", {
        "unit": "YB.LY.YT", "from": (today - dt.timedelta(days=60)).isoformat(), "to": today.isoformat()}).json()
    classes = list(one_of_each.values())
    assert {
        "early": report["resolved"]["early"], "on_time": report["resolved"]["on_time"], "late": report["resolved"]["late"],
        "within_deadline": report["in_progress"]["within_deadline"], "overdue": report["in_progress"]["overdue"],
    } == {kind: classes.count(kind) for kind in ("early", "on_time", "late", "within_deadline", "overdue")}
    assert report["withdrawn"] == 1
