"""The outbox drained in batches (issue 18 §2), against the national portal's simulator over HTTP
on the live server: many dossiers in one ``DongBoHoSoMC`` call and their steps in one
``CapNhatTienDoHoSoMC`` call, one login; a dossier the portal refuses inside a batch fails alone;
the session ending mid-batch costs one re-login; steps whose answer was lost are looked up, not
sent twice. The client used is the real one, which also notes each service it called."""

from __future__ import annotations

from motcua.dossiers.models import NationalRecord
from motcua.national.constants import OutboxState
from motcua.national.contrib.dvcqg.client import PortalClient
from motcua.national.contrib.dvcqg.sync import drain
from motcua.national.models import OutboxItem, SyncStep
from tests.files.conftest import advance
from tests.national.conftest import held
from tests.national.test_worker_killed_mid_batch import wait_for


class NotingClient(PortalClient):
    """The portal's client, noting ``(service, items in data, isUpdating)`` of every call it makes."""

    def __init__(self):
        super().__init__()
        self.noted: list[tuple] = []

    def _post(self, url, body, service):
        self.noted.append((service, len(body.get("data") or []), body.get("isUpdating")))
        return super()._post(url, body, service)


def run() -> tuple:
    with NotingClient() as client:
        result = drain("test", limit=1000, client=client)
    return result, client.noted


def fault(**kwargs):
    from motcua.national.contrib.dvcqg_sandbox.models import SandboxFault

    return SandboxFault.objects.create(**kwargs)


def test_a_batch_goes_in_one_dossier_call_and_one_steps_call(portal_sandbox, online_dossier):
    dossiers = [online_dossier() for _ in range(6)]  # each: submitted, accepted → steps 1, 2
    result, noted = run()
    assert result.ok and len(result.sent) == 6
    assert noted == [("login", 0, None), ("DongBoHoSoMC", 6, "False"), ("CapNhatTienDoHoSoMC", 12, None)]
    for dossier in dossiers:
        remote, steps = held(dossier.code)
        assert remote.data["TrangThaiHoSo"] == 2 and remote.updates == 0
        assert [s["TrangThai"] for s in steps] == [1, 2]
        record = NationalRecord.objects.get(dossier=dossier)
        assert record.synced_at is not None and record.steps_sent == 2 and record.status_sent == 2
    assert OutboxItem.objects.filter(state=OutboxState.SENT).count() == 6

    # Two of them change: one update call (our records say the portal has them: no lookup), one steps call.
    advance(dossiers[0], ("motcua.yt", "assign", {"assignee": "chuyenvien.yt"}))
    advance(dossiers[3], ("motcua.yt", "assign", {"assignee": "chuyenvien.yt"}))
    result, noted = run()
    assert result.ok and len(result.sent) == 2
    assert noted == [("DongBoHoSoMC", 2, "True"), ("CapNhatTienDoHoSoMC", 2, None)]  # the cached session
    assert [s["TrangThai"] for s in held(dossiers[0].code)[1]] == [1, 2, 4]
    assert held(dossiers[0].code)[0].updates == 1 and held(dossiers[1].code)[0].updates == 0
    assert run()[1] == []  # nothing left: nothing sent again


def test_a_dossier_refused_inside_a_batch_fails_alone(portal_sandbox, online_dossier):
    from motcua.national.contrib.dvcqg_sandbox.models import SandboxDossier

    dossiers = [online_dossier() for _ in range(5)]
    assert run()[0].ok
    for dossier in dossiers:
        advance(dossier, ("motcua.yt", "assign", {"assignee": "chuyenvien.yt"}))
    # The portal lost one of them: an update of it is answered -1, and the portal answers the
    # whole call with that one error.
    SandboxDossier.objects.filter(ma_ho_so=dossiers[2].code).delete()
    result, noted = run()
    sent = OutboxItem.objects.filter(pk__in=result.sent, state=OutboxState.SENT)
    assert sorted(sent.values_list("dossier_id", flat=True)) == sorted(d.pk for i, d in enumerate(dossiers) if i != 2)
    [(item, state)] = result.failed
    assert item.dossier_id == dossiers[2].pk and state == OutboxState.FAILED
    failed = OutboxItem.objects.get(pk=item.pk)
    assert failed.answer.startswith("DongBoHoSoMC — -1: Hồ sơ " + dossiers[2].code + " chưa có")
    assert failed.next_attempt_at is not None  # retried with backoff, not lost
    # The refused call halved down to the dossier at fault, then the others' steps together.
    assert noted[0] == ("DongBoHoSoMC", 5, "True") and noted[-1] == ("CapNhatTienDoHoSoMC", 4, None)
    assert sum(1 for n in noted if n[0] == "DongBoHoSoMC" and n[1] == 1) == 1  # the one at fault, alone
    for i, dossier in enumerate(dossiers):
        steps = [s["TrangThai"] for s in held(dossier.code)[1]]
        assert steps == ([1, 2] if i == 2 else [1, 2, 4]), (i, steps)
        assert SyncStep.objects.filter(dossier=dossier).count() == (2 if i == 2 else 3)


def test_already_exists_inside_a_batch_sends_that_one_again_as_an_update(portal_sandbox, online_dossier):
    from motcua.national.contrib.dvcqg_sandbox.models import SandboxDossier

    dossiers = [online_dossier() for _ in range(4)]
    SandboxDossier.objects.create(ma_ho_so=dossiers[1].code, data={"MaHoSo": dossiers[1].code})
    result, noted = run()
    assert result.ok and len(result.sent) == 4
    assert ("DongBoHoSoMC", 1, "True") in noted  # only that one as an update
    for i, dossier in enumerate(dossiers):
        remote, steps = held(dossier.code)
        assert remote.updates == (1 if i == 1 else 0) and remote.data["TrangThaiHoSo"] == 2
        assert [s["TrangThai"] for s in steps] == [1, 2]


def test_a_dossier_answered_minus_one_for_its_steps_fails_alone(portal_sandbox, online_dossier):
    dossiers = [online_dossier() for _ in range(3)]
    # The steps call of the three is refused once: halved, the first half is refused again
    # (the second fault), and the dossier alone in it fails; the others' steps go through.
    fault(service="CapNhatTienDoHoSoMC", error_code=-1, message="Lỗi hệ thống.", remaining=2)
    result, _ = run()
    [(item, _)] = result.failed
    assert item.dossier_id == dossiers[0].pk
    assert OutboxItem.objects.get(pk=item.pk).answer == "CapNhatTienDoHoSoMC — -1: Lỗi hệ thống."
    assert held(dossiers[0].code)[1] == [] and SyncStep.objects.filter(dossier=dossiers[0]).count() == 0
    for dossier in dossiers[1:]:
        assert [s["TrangThai"] for s in held(dossier.code)[1]] == [1, 2]
    # Its retry: our records do not say the portal has it, so it goes as new, is answered
    # "đã tồn tại", goes again as an update; then its steps, once.
    OutboxItem.objects.filter(pk=item.pk).update(next_attempt_at=None)
    result, _ = run()
    assert result.ok and result.sent == [item.pk]
    assert [s["TrangThai"] for s in held(dossiers[0].code)[1]] == [1, 2]


def test_the_session_ending_mid_batch_costs_one_login(portal_sandbox, online_dossier):
    from motcua.national.contrib.dvcqg_sandbox.models import SandboxSession

    dossiers = [online_dossier() for _ in range(3)]
    fault(service="CapNhatTienDoHoSoMC", mode="expire_session")  # after the dossiers went
    result, noted = run()
    assert result.ok and len(result.sent) == 3
    assert [n[0] for n in noted] == ["login", "DongBoHoSoMC", "CapNhatTienDoHoSoMC", "login", "CapNhatTienDoHoSoMC"]
    assert SandboxSession.objects.count() == 1
    for dossier in dossiers:
        assert [s["TrangThai"] for s in held(dossier.code)[1]] == [1, 2]


def test_steps_whose_answer_was_lost_are_looked_up_not_sent_twice(portal_sandbox, online_dossier):
    """The portal takes the steps but its answer never comes back (slower than our timeout): they
    are not recorded as acknowledged. The next round asks ``TraCuuHoSo`` for those dossiers only,
    records what the portal holds, and sends nothing twice."""
    portal_sandbox.DVCQG_TIMEOUT = 1
    dossiers = [online_dossier() for _ in range(3)]
    fault(service="CapNhatTienDoHoSoMC", mode="slow", delay=1.5)
    result, _ = run()
    assert result.stopped == "timeout" and len(result.failed) == 3
    assert SyncStep.objects.count() == 0
    assert all(OutboxItem.objects.filter(in_doubt=True, dossier=d).exists() for d in dossiers)
    from motcua.national.contrib.dvcqg_sandbox.models import SandboxStep

    assert wait_for(lambda: SandboxStep.objects.count() == 6)  # the portal did take them, late

    other = online_dossier()  # not in doubt: sent without a lookup
    OutboxItem.objects.update(next_attempt_at=None)
    from motcua.national import outbox

    outbox.resume()
    result, noted = run()
    assert result.ok and len(result.sent) == 4
    assert sorted(n for n in noted if n[0] == "TraCuuHoSo") == [("TraCuuHoSo", 0, None)] * 3
    assert ("CapNhatTienDoHoSoMC", 2, None) in noted  # only the new dossier's steps
    for dossier in [*dossiers, other]:
        assert [s["TrangThai"] for s in held(dossier.code)[1]] == [1, 2], dossier.code  # each step once
        assert SyncStep.objects.filter(dossier=dossier).count() == 2
    assert not OutboxItem.objects.filter(in_doubt=True).exists()
