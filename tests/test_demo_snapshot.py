"""The demo copied back in (tests/demo_snapshot.py) is what seeding writes: the same rows in
every table as a real ``seed_demo()``, whether the rows were kept in an earlier test or in
this one."""

import re

import pytest
from django.db import connection, transaction

from tests import demo_snapshot

MOMENT = re.compile(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d+)?(\+00(:00)?)?")
SALTED = re.compile(r"^(md5|argon2|pbkdf2_sha256|scrypt)\$.*")  # a password's hash: a new salt each time


def _fields(row) -> list[str]:
    return row.split("\t") if isinstance(row, str) else [str(v) for v in row]


def _contents() -> dict[str, list]:
    """Each table's rows as a sorted list, with ids (which depend on the sequences' state), the
    moments of writing (created, updated) and password hashes (salted) masked."""
    contents = {}
    for table, pk in demo_snapshot._tables():
        rows = demo_snapshot._read(table, pk).values()
        contents[table] = sorted(
            "|".join("<id>" if f.isdigit() else SALTED.sub("<hash>", MOMENT.sub("<moment>", f)) for f in _fields(row)) for row in rows)
    return contents


class Undo(Exception):
    pass


def _undone(work) -> None:
    try:
        with transaction.atomic():
            work()
            raise Undo
    except Undo:
        pass


@pytest.mark.django_db
@pytest.mark.parametrize("kept", ["in this test", "before"])
def test_the_copied_demo_is_what_seeding_writes(kept):
    from motcua.demo.catalog import seed_demo

    demo_snapshot._SNAPSHOTS.clear()
    if kept == "before":
        _undone(demo_snapshot.seed_once)  # seeds for real and keeps the rows; undone
    seeded = {}
    _undone(lambda: (seed_demo(), seeded.update(_contents())))
    assert not _contents()["catalog_procedure"]  # undone
    demo_snapshot.seed_once()  # "in this test": seeds for real; "before": copies back
    copied = _contents()
    assert copied["catalog_procedure"] and copied["accounts_user"]
    assert copied == seeded


@pytest.mark.django_db
def test_a_test_that_wrote_its_own_rows_first_gets_a_copy_of_its_own(admin_user):
    """``admin_user`` takes the first user id: the copy made with it there is used only with it
    there, and a copy made without it never lands on it."""
    from motcua.accounts.models import User

    demo_snapshot._SNAPSHOTS.clear()
    _undone(lambda: (User.objects.filter(pk=admin_user.pk).delete(), demo_snapshot.seed_once()))  # a clean copy
    _undone(demo_snapshot.seed_once)  # a copy with admin_user there (seeded for real)
    demo_snapshot.seed_once()  # copied back in
    assert len(demo_snapshot._SNAPSHOTS) == 2
    assert User.objects.filter(username="motcua.yt").exists() and User.objects.filter(pk=admin_user.pk).exists()
    connection.check_constraints()


@pytest.mark.django_db
def test_a_demo_account_a_test_made_first_is_not_lost_from_the_copy():
    """A test that makes a demo account itself before the seeding (the seeding leaves it as
    it is): the memberships the copy brings point at accounts that are there."""
    from motcua.accounts.models import User

    demo_snapshot._SNAPSHOTS.clear()
    _undone(demo_snapshot.seed_once)  # the copy of a clean database
    User.objects.create_user("motcua.yt", password="x")
    demo_snapshot.seed_once()
    connection.check_constraints()
    _undone(lambda: (User.objects.filter(username="motcua.yt").update(first_name="khác"), demo_snapshot.seed_once(),
                     connection.check_constraints()))
