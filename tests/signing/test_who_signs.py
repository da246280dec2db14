"""Who signs: the leader's own certificate on approval, the agency's on return — in the
background, with the audit event, the register of issued files, and failures told and retried."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.signing import demo_pki
from tests.files.conftest import advance
from tests.signing.conftest import a_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader_key(pki):
    """lanhdao.yt's own certificate (set by an administrator)."""
    from motcua.accounts.models import User
    from motcua.signing.models import Signer

    def give(label: str = "leader"):
        leader = User.objects.get(username="lanhdao.yt")
        row = Signer(user=leader, backend="pkcs12")
        row.p12_file.save(f"{label}.p12", io.BytesIO(pki.pki.p12(label).read_bytes()), save=False)
        row.set_secret(demo_pki.PASSWORD)
        row.save()
        return row

    return give


def with_result(online_dossier, committed):
    from motcua.accounts.models import User
    from motcua.documents import services as documents

    dossier = online_dossier()
    dossier = advance(dossier, ("motcua.yt", "assign", {"assignee": "chuyenvien.yt"}))
    with committed():
        documents.upload_document(User.objects.get(username="chuyenvien.yt"), dossier.code,
                                  SimpleUploadedFile("ket-qua.pdf", a_pdf(), "application/pdf"), kind="result")
    return advance(dossier, ("chuyenvien.yt", "propose", {}))


def signatures(record) -> list[str]:
    from pyhanko.pdf_utils.reader import PdfFileReader

    from motcua.signing.pades import subject_name

    with record.file.open("rb") as f:
        reader = PdfFileReader(io.BytesIO(f.read()))
    return [subject_name(s.signer_cert) for s in reader.embedded_signatures]


def test_leader_signs_on_approval_and_the_agency_on_return(pki, leader_key, online_dossier, committed, run_worker):
    from motcua.documents.models import DossierFile
    from motcua.signing.models import IssuedDocument, JobStatus, SigningJob

    leader_key()
    dossier = with_result(online_dossier, committed)
    before = DossierFile.objects.get(dossier=dossier, is_result=True)
    with committed():
        dossier = advance(dossier, ("lanhdao.yt", "approve", {}))
    job = SigningJob.objects.get(file=before)
    assert (job.role, job.status, job.signer_user.username) == ("leader", JobStatus.PENDING, "lanhdao.yt")
    assert signatures(before) == []  # nothing signed in the request
    run_worker()
    after = DossierFile.objects.get(pk=before.pk)
    assert signatures(after) == [demo_pki.SIGNERS["leader"]]
    assert after.sha256 != before.sha256
    with committed():
        advance(dossier, ("motcua.yt", "return_result", {}))
    run_worker()
    final = DossierFile.objects.get(pk=before.pk)
    assert signatures(final) == [demo_pki.SIGNERS["leader"], demo_pki.SIGNERS["agency"]]
    events = list(dossier.events.filter(action="sign_result").order_by("seq"))
    assert [e.changes["document"]["signed_by"] for e in events] == ["leader", "agency"]
    assert events[-1].changes["document"]["sha256"] == final.sha256
    assert events[0].actor.username == "lanhdao.yt"
    issued = IssuedDocument.objects.get(file=final)
    assert issued.issued_at is not None and issued.unit.code == "YB.LY.YT"
    assert final.sha256 in set(issued.versions.values_list("sha256", flat=True))
    assert "Đăng ký" in issued.title or issued.title.startswith("Kết quả giải quyết thủ tục")


def test_without_a_leader_certificate_only_the_agency_signs(pki, online_dossier, committed, run_worker):
    from motcua.documents.models import DossierFile
    from motcua.signing.models import SigningJob

    dossier = with_result(online_dossier, committed)
    with committed():
        advance(dossier, ("lanhdao.yt", "approve", {}), ("motcua.yt", "return_result", {}))
    assert list(SigningJob.objects.values_list("role", flat=True)) == ["agency"]
    run_worker()
    assert signatures(DossierFile.objects.get(dossier=dossier, is_result=True)) == [demo_pki.SIGNERS["agency"]]


def test_timestamp_authority_down_leaves_the_result_unsigned_tells_and_retries(pki, online_dossier, committed, run_worker,
                                                                               settings):
    from django.utils import timezone

    from motcua.accounts.models import User
    from motcua.documents.models import DossierFile
    from motcua.notifications.models import Notification
    from motcua.signing.models import JobStatus, SigningJob

    User.objects.filter(username__in=["lanhdao.yt", "admin"]).update(email="canbo@example.vn")
    dossier = with_result(online_dossier, committed)
    before = DossierFile.objects.get(dossier=dossier, is_result=True)
    with committed():
        advance(dossier, ("lanhdao.yt", "approve", {}), ("motcua.yt", "return_result", {}))
    pki.down = True
    with committed():
        run_worker()
    job = SigningJob.objects.get()
    assert job.status == JobStatus.PENDING and job.next_attempt_at > timezone.now()
    assert "thử lại" in job.step and "không trả lời" in job.error
    assert DossierFile.objects.get(pk=before.pk).sha256 == before.sha256  # kept, unsigned
    told = Notification.objects.filter(kind="signing_failed")
    assert {n.user.username for n in told} >= {"lanhdao.yt"}
    assert any(n.user.role == "admin" for n in told)
    message = told.first()
    assert dossier.code in message.subject and "không trả lời" in message.body and "tự thử lại" in message.body
    pki.down = False
    SigningJob.objects.update(next_attempt_at=timezone.now() - timezone.timedelta(minutes=5))
    from motcua.signing.services import enqueue_due

    enqueue_due()
    run_worker()
    assert SigningJob.objects.get().status == JobStatus.DONE
    assert signatures(DossierFile.objects.get(pk=before.pk)) == [demo_pki.SIGNERS["agency"]]


def test_an_expired_leader_certificate_is_refused_and_waits_for_an_administrator(pki, leader_key, online_dossier,
                                                                                committed, run_worker, client):
    from motcua.accounts.models import User
    from motcua.documents.models import DossierFile
    from motcua.signing.models import JobStatus, SigningJob

    leader_key("expired")
    dossier = with_result(online_dossier, committed)
    with committed():
        advance(dossier, ("lanhdao.yt", "approve", {}))
    run_worker()
    job = SigningJob.objects.get()
    assert job.status == JobStatus.FAILED and job.error_code == "cert_expired"
    assert "hết hạn" in job.error
    assert signatures(DossierFile.objects.get(dossier=dossier, is_result=True)) == []
    # The dossier page says so, and offers "Ký lại" to the leader
    client.force_login(User.objects.get(username="lanhdao.yt"))
    page = client.get(f"/can-bo/ho-so/{dossier.code}/").content.decode()
    assert "chưa ký số được" in page and "hết hạn" in page and "Ký lại" in page


def test_a_refused_signature_tells_the_leader_and_the_admin_and_ky_lai_signs_it_once_fixed(
        pki, leader_key, online_dossier, committed, run_worker, client):
    """Issue 19 §1: a failed signature tells the leader and the administrator in plain words; once
    the certificate is fixed, "Ký lại" (a leader of the unit or an administrator) signs it."""
    from django.urls import reverse

    from motcua.accounts.models import User
    from motcua.documents.models import DossierFile
    from motcua.notifications.models import Notification
    from motcua.signing.models import JobStatus, SigningJob, Signer

    User.objects.filter(username__in=["lanhdao.yt", "admin"]).update(email="canbo@example.vn")
    leader_key("expired")
    dossier = with_result(online_dossier, committed)
    with committed():
        advance(dossier, ("lanhdao.yt", "approve", {}))
    with committed():
        run_worker()
    job = SigningJob.objects.get()
    assert job.status == JobStatus.FAILED
    told = Notification.objects.filter(kind="signing_failed")
    assert {n.user.username for n in told} == {"lanhdao.yt", "admin"}
    body = told.first().body
    assert "hết hạn" in body and "không tự thử lại" in body and "Ký lại" in body and "không có gì bị mất" in body

    # Someone who may not: refused, nothing changes
    client.force_login(User.objects.get(username="chuyenvien.yt"))
    client.post(reverse("office:result_resign", args=[dossier.code, job.pk]))
    assert SigningJob.objects.get().status == JobStatus.FAILED

    Signer.objects.filter(user__username="lanhdao.yt").delete()
    leader_key("leader")  # the administrator sets a valid certificate
    client.force_login(User.objects.get(username="admin"))
    with committed():
        response = client.post(reverse("office:result_resign", args=[dossier.code, job.pk]))
    assert response.status_code == 302
    run_worker()
    assert SigningJob.objects.get().status == JobStatus.DONE
    assert signatures(DossierFile.objects.get(dossier=dossier, is_result=True)) == [demo_pki.SIGNERS["leader"]]
