"""Every recurring task's check is called the one way the heartbeat calls it (with ``now``)."""
import datetime as dt

import pytest
from django.utils.module_loading import import_string

from motcua.server import periodic
from motcua.worktime.calendar import VN_TZ


def test_recurring_tasks_are_registered_by_the_apps():
    assert {"signing_retries", "vnpost_tracking", "national_outbox", "national_pull"} <= set(periodic.RECURRING)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(periodic.RECURRING))
def test_each_recurring_check_takes_the_heartbeats_moment(name):
    check = import_string(periodic.RECURRING[name].due)
    # An empty installation has nothing due for any of them.
    assert not check(dt.datetime(2026, 12, 2, 9, 0, tzinfo=VN_TZ))


@pytest.mark.django_db
def test_the_heartbeat_enqueues_no_recurring_task_on_an_empty_installation():
    assert periodic.enqueue_recurring(dt.datetime(2026, 12, 2, 9, 0, tzinfo=VN_TZ)) == []
