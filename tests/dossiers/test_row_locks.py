"""An action locks its dossier's row and nothing else (PostgreSQL).

``select_for_update()`` with ``select_related`` used to lock the joined unit and procedure rows
too: every action of a unit then waited for the others, and concurrent intakes and uploads —
whose foreign-key checks take ``FOR KEY SHARE`` on those rows at commit — deadlocked with it
(three 503s in two minutes of ``python -m bench soak``). Here the action runs inside an open
transaction and a second connection probes the rows with ``NOWAIT``.
"""

from __future__ import annotations

import pytest
from django.db import connection, transaction

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def other_connection():
    if connection.vendor != "postgresql":
        pytest.skip("row locks: PostgreSQL only (SQLite locks the whole database)")
    import psycopg

    s = connection.settings_dict
    conn = psycopg.connect(dbname=s["NAME"], user=s["USER"], password=s["PASSWORD"] or None,
                           host=s["HOST"] or "127.0.0.1", port=s["PORT"] or 5432, autocommit=True)
    yield conn
    conn.close()


def locked(conn, sql: str, pk: int) -> bool:
    import psycopg

    try:
        with conn.transaction():
            conn.execute(sql + " NOWAIT", [pk])
        return False
    except psycopg.errors.LockNotAvailable:
        return True


def test_an_action_holds_the_dossier_row_but_not_its_unit_or_procedure(demo, other_connection):
    from motcua.accounts.models import User
    from motcua.dossiers import actions, intake

    counter = User.objects.get(username="motcua.yt")
    dossier = intake.receive_dossier(
        actor=counter, procedure_code="1.004873", unit_code="YB.LY.YT", channel="direct",
        applicant={"full_name": "Lò Văn Sao", "id_number": "012345678901", "phone": "0987654321"},
    )
    with transaction.atomic():  # the action's locks stay held until this block ends
        actions.apply_action(counter, dossier.code, "assign", {"assignee": "chuyenvien.yt"})
        assert locked(other_connection, "SELECT 1 FROM dossiers_dossier WHERE id = %s FOR UPDATE", dossier.pk)
        for table, pk in (("catalog_unit", dossier.unit_id), ("catalog_procedure", dossier.procedure_id)):
            assert not locked(other_connection, f"SELECT 1 FROM {table} WHERE id = %s FOR KEY SHARE", pk), table
