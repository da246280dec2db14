"""The daily overdue watch (issue 9 §5): dossiers due within two working days and overdue
ones; their handler and the unit's leader are told once a day, never twice for the same
dossier and day; the workbench shows the same list."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.files.conftest import advance

LEADER_MAIL, SPECIALIST_MAIL = "lanhdao.yt@example.vn", "chuyenvien.yt@example.vn"


@pytest.fixture
def staff_with_mail(demo):
    from motcua.accounts.models import User

    User.objects.filter(username="lanhdao.yt").update(email=LEADER_MAIL)
    User.objects.filter(username="chuyenvien.yt").update(email=SPECIALIST_MAIL)


def test_the_handler_and_the_leader_are_told_once_a_day(smtp, staff_with_mail, online_dossier, delivering):
    from motcua.notifications.models import Notification, WatchNotice
    from motcua.notifications.watch import run_overdue_watch

    dossier = advance(online_dossier(), ("motcua.yt", "assign", {"assignee": "chuyenvien.yt"}))
    smtp.received.clear()
    late = dossier.due_at + dt.timedelta(hours=1)
    with delivering():
        assert run_overdue_watch(late) == 2
    assert sorted(r.rcpt_to[0] for r in smtp.received) == [SPECIALIST_MAIL, LEADER_MAIL]
    message = smtp.received[0].message
    assert "1 hồ sơ quá hạn, 0 hồ sơ sắp đến hạn" in message["Subject"]
    assert dossier.code in message.get_content() and "QUÁ HẠN" in message.get_content()

    with delivering():
        assert run_overdue_watch(late + dt.timedelta(hours=2)) == 0  # same day: nothing again
    assert len(smtp.received) == 2
    assert WatchNotice.objects.filter(dossier=dossier).count() == 2

    with delivering():
        assert run_overdue_watch(late + dt.timedelta(days=1)) == 2  # the next day, again
    assert len(smtp.received) == 4
    assert Notification.objects.filter(kind="overdue_watch", state="sent").count() == 4


def test_the_watch_lists_what_the_workbench_queues_show(demo, online_dossier):
    from motcua.accounts.models import User
    from motcua.notifications.watch import DUE_SOON, OVERDUE, watch_list
    from motcua.office.queues import queue_conditions, queue_dossiers, user_units

    first = online_dossier()
    second = online_dossier(procedure="1.001193")
    now = first.due_at - dt.timedelta(hours=1)
    listed = {d.code: state for d, state in watch_list(now)}
    assert listed == {first.code: DUE_SOON, second.code: DUE_SOON}
    later = {d.code: state for d, state in watch_list(first.due_at + dt.timedelta(minutes=1))}
    assert later[first.code] == OVERDUE

    leader = User.objects.get(username="lanhdao.yt")
    conditions = queue_conditions(leader, user_units(leader), now)
    workbench = {d.code for slug in ("sap-den-han", "qua-han") for d in queue_dossiers(leader, conditions[slug])}
    assert workbench == set(listed)


def test_waiting_for_supplementation_is_not_watched(demo, online_dossier):
    from motcua.notifications.watch import watch_list

    dossier = advance(online_dossier(), ("motcua.yt", "request_supplement", {"note": "Bổ sung giấy chứng sinh"}))
    assert dossier.code not in {d.code for d, _s in watch_list(dossier.due_at + dt.timedelta(days=3))}


@pytest.mark.django_db
def test_the_worker_enqueues_the_watch_once_a_day_from_seven(run_worker):
    from django_tasks_db.models import DBTaskResult

    from motcua.server import periodic
    from motcua.server.models import ScheduledRun
    from motcua.worktime.calendar import VN_TZ

    early = dt.datetime(2026, 12, 2, 6, 59, tzinfo=VN_TZ)
    # Other daily jobs (the payments' expiry at 01:00) may be due already; the watch is not.
    assert "overdue_watch" not in periodic.enqueue_due(early)
    DBTaskResult.objects.all().delete()
    assert periodic.enqueue_due(early + dt.timedelta(minutes=2)) == ["overdue_watch"]
    assert periodic.enqueue_due(early + dt.timedelta(hours=5)) == []  # two workers, many heartbeats: once
    assert ScheduledRun.objects.get(name="overdue_watch").day == dt.date(2026, 12, 2)
    task = DBTaskResult.objects.get()
    assert task.task_path == "motcua.notifications.watch.overdue_watch"
    assert run_worker() == 1
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"
