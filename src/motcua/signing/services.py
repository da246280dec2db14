"""Who signs which result, when — and what happens when signing fails.

* ``approve``: each PDF result of the dossier gets a signing job for the approving leader's own
  certificate, when an administrator set one (:func:`keys.leader_key`).
* ``return_result``: each PDF result gets a job for the agency's key (:func:`keys.agency_key` of
  the unit that returns it), and every result file is entered in the register
  (:class:`IssuedDocument`, its current hash as an :class:`IssuedVersion`).
* A result uploaded after the return is signed by the agency at once.

Jobs are created in the transaction of the event (``post_save`` of ``DossierEvent``, in a
savepoint: a signing problem never undoes the action) and worked by the task
:func:`motcua.signing.tasks.sign_job` after it commits — never in a request. One file's jobs run
in order (the leader's, then the agency's). The signed file replaces the result (same row, new
bytes, new hash), the one audit writer records ``sign_result``, and the new hash goes in the
register. A failure leaves the result as it was (unsigned), tells the leader and the
administrators in plain Vietnamese (a notification, and the dossier page), and is retried
(:data:`RETRY_DELAYS`) when it may pass (a service down); a refused certificate or a wrong PIN
waits for an administrator, who retries from the dossier page.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from motcua.accounts.models import Role, User
from motcua.documents.models import DossierFile
from motcua.dossiers.audit import record_event
from motcua.dossiers.models import DossierEvent, Status
from motcua.dossiers.workflow import Action
from motcua.signing import keys
from motcua.signing.base import SigningRefused
from motcua.signing.models import IssuedDocument, IssuedVersion, JobRole, JobStatus, Signer, SigningJob

log = logging.getLogger(__name__)

RETRY_DELAYS = (60, 300, 1800, 7200)  # seconds before the 2nd … 5th try of a job that may pass later
SYSTEM_NAME = "Hệ thống ký số"
PDF = "application/pdf"


def _results(dossier_id: int):
    return DossierFile.objects.filter(dossier_id=dossier_id, is_result=True, reused_from__isnull=True).select_related(
        "dossier", "dossier__procedure", "dossier__current_unit")


def title_of(record: DossierFile) -> str:
    return f"Kết quả giải quyết thủ tục “{record.dossier.procedure.name}”"[:500]


def register_document(record: DossierFile) -> IssuedDocument:
    """The register's row of a result file (made once): its token is the QR link's."""
    found = IssuedDocument.objects.filter(file=record).first()
    if found is None:
        found = IssuedDocument.objects.create(file=record, dossier=record.dossier, unit=record.dossier.current_unit,
                                              title=title_of(record))
    return found


def register_version(document: IssuedDocument, sha256: str, signed_by: str = "") -> None:
    IssuedVersion.objects.get_or_create(document=document, sha256=sha256, defaults={"signed_by": signed_by})


def _plan(record: DossierFile, role: str, *, signer_user=None, requested_by=None) -> SigningJob | None:
    if record.content_type != PDF:
        return None
    if SigningJob.objects.filter(file=record, role=role, status__in=[JobStatus.PENDING, JobStatus.DONE]).exists():
        return None
    register_document(record)
    job = SigningJob.objects.create(file=record, role=role, signer_user=signer_user, requested_by=requested_by,
                                    step="Đang chờ ký số", next_attempt_at=timezone.now())
    _enqueue_on_commit(job.pk)
    return job


def _enqueue_on_commit(job_id: int, run_after: dt.datetime | None = None) -> None:
    from motcua.signing.tasks import sign_job

    def enqueue() -> None:
        (sign_job.using(run_after=run_after) if run_after else sign_job).enqueue(job_id)

    transaction.on_commit(enqueue, robust=True)


def on_event(event: DossierEvent) -> list[SigningJob]:
    jobs: list = []
    if event.action == Action.APPROVE and event.actor_id:
        leader = User.objects.filter(pk=event.actor_id).first()
        if leader is not None and keys.leader_key(leader) is not None:
            jobs = [_plan(r, JobRole.LEADER, signer_user=leader, requested_by=leader) for r in _results(event.dossier_id)]
    elif event.action == Action.RETURN_RESULT:
        for record in _results(event.dossier_id):
            document = register_document(record)
            document.issued_at = event.at
            document.unit = record.dossier.current_unit
            document.save(update_fields=["issued_at", "unit"])
            register_version(document, record.sha256)
            if keys.agency_key(record.dossier.current_unit) is not None:
                jobs.append(_plan(record, JobRole.AGENCY, requested_by=event.actor))
    elif event.action == Action.UPLOAD_DOCUMENT:
        document = (event.changes or {}).get("document") or {}
        if not document.get("is_result") and document.get("id"):
            plan_paper_check(document["id"])
        elif document.get("is_result") and event.to_status == Status.RESULT_RETURNED:
            record = _results(event.dossier_id).filter(pk=document.get("id")).first()
            if record is not None:
                issued = register_document(record)
                issued.issued_at = issued.issued_at or event.at
                issued.save(update_fields=["issued_at"])
                register_version(issued, record.sha256)
                if keys.agency_key(record.dossier.current_unit) is not None:
                    jobs.append(_plan(record, JobRole.AGENCY, requested_by=event.actor))
    return [j for j in jobs if j is not None]


def plan_paper_check(file_id: int) -> None:
    """A PDF paper uploaded: its signatures are checked in the background (never in the request)."""
    from motcua.signing.models import PaperCheck
    from motcua.signing.tasks import check_paper

    record = DossierFile.objects.filter(pk=file_id, content_type=PDF, reused_from__isnull=True).first()
    if record is None or PaperCheck.objects.filter(file=record).exists():
        return
    PaperCheck.objects.create(file=record)
    transaction.on_commit(lambda: check_paper.enqueue(file_id), robust=True)


def check_paper_now(file_id: int) -> None:
    """Verify the paper's signatures and keep the verdict (the worker)."""
    from motcua.errors import DomainError
    from motcua.signing.models import PaperCheck
    from motcua.signing.verify import verify_pdf

    check = PaperCheck.objects.select_related("file").filter(file_id=file_id).first()
    if check is None:
        return
    try:
        with default_storage.open(check.file.file.name, "rb") as f:
            data = f.read()
        result = verify_pdf(data)
        check.signed, check.valid = result.signed, result.all_good
        check.verdict = [{**s.contract(), "problem": s.problem, "revocation_checked": s.revocation_checked}
                         for s in result.signatures]
        check.error = ""
    except DomainError as error:
        check.signed, check.valid, check.verdict, check.error = False, False, [], error.message[:500]
    except OSError:
        check.error = "Không đọc được tệp đã lưu."
    check.done = True
    check.checked_at = timezone.now()
    check.save()


WATCHED = {Action.APPROVE, Action.RETURN_RESULT, Action.UPLOAD_DOCUMENT}


def on_event_saved(sender, instance: DossierEvent, created: bool, raw: bool = False, **kwargs) -> None:
    """``post_save`` receiver: plan the signatures; a problem never undoes the dossier's action."""
    if not created or raw or instance.action not in WATCHED:
        return
    try:
        with transaction.atomic():
            on_event(instance)
    except Exception:
        log.exception("signing plan for event %s of dossier %s failed", instance.pk, instance.dossier_id)


# ------------------------------------------------------------------ working a job (in the worker)

def _key_for(job: SigningJob):
    if job.role == JobRole.LEADER:
        return keys.leader_key(job.signer_user) if job.signer_user_id else None
    return keys.agency_key(job.file.dossier.current_unit)


def _images(job: SigningJob) -> tuple[bytes, bytes]:

    signer_image = seal = b""
    if job.role == JobRole.LEADER and job.signer_user_id:
        row = Signer.objects.filter(user_id=job.signer_user_id).first()
        if row is not None and row.signer_image:
            signer_image = _read(row.signer_image)
    if job.role == JobRole.AGENCY:
        seal = seal_of(job.file.dossier.current_unit)
    return signer_image, seal


def seal_of(unit) -> bytes:
    """The agency's seal (PNG) in ``unit``'s signatures: the unit's own or the nearest above it, else
    ``MOTCUA_SIGNING_SEAL_IMAGE``; empty when none."""
    from django.conf import settings

    while unit is not None:
        row = Signer.objects.filter(unit=unit).first()
        if row is not None and row.seal_image:
            seal = _read(row.seal_image)
            if seal:
                return seal
        unit = unit.parent
    if settings.SIGNING_SEAL_IMAGE:
        try:
            with open(settings.SIGNING_SEAL_IMAGE, "rb") as f:
                return f.read()
        except OSError:
            return b""
    return b""


def _read(field) -> bytes:
    try:
        with field.open("rb") as f:
            return f.read()
    except OSError:
        return b""


def run_job(job_id: int) -> str:
    """One attempt at job ``job_id``; returns its status afterwards."""
    from motcua.links import public_url
    from motcua.signing.pades import Appearance, sign_pdf

    job = SigningJob.objects.select_related("file", "file__dossier", "file__dossier__current_unit", "signer_user").filter(
        pk=job_id).first()
    if job is None or job.status != JobStatus.PENDING:
        return job.status if job else ""
    earlier = SigningJob.objects.filter(file=job.file, status=JobStatus.PENDING, id__lt=job.pk).exists()
    if earlier:
        return job.status  # the earlier job enqueues this one when it is done
    SigningJob.objects.filter(pk=job.pk).update(step="Đang ký số", progress=30)
    record = job.file
    document = register_document(record)
    try:
        spec = _key_for(job)
        if spec is None:
            raise SigningRefused("not_configured", "Chưa cấu hình chứng thư ký số cho chữ ký này.")
        with default_storage.open(record.file.name, "rb") as f:
            data = f.read()
        signer_image, seal = _images(job)
        appearance = Appearance(
            role=job.role, agency=record.dossier.current_unit.name,
            verify_url=public_url(f"/xac-thuc/{document.token}/"), signer_image=signer_image, seal_image=seal)
        signed = sign_pdf(data, spec, appearance)
    except SigningRefused as refused:
        return _failed(job, refused)
    except Exception as error:  # anything unforeseen: kept, told, retried
        log.exception("signing job %s failed", job.pk)
        return _failed(job, SigningRefused("signing_failed", f"Ký số không thành công ({type(error).__name__}).", retry=True))
    return _done(job, data, signed)


def _done(job: SigningJob, before: bytes, signed: bytes) -> str:
    from motcua.signing.pades import signer_of_last

    record = job.file
    sha256 = hashlib.sha256(signed).hexdigest()
    name = default_storage.save(f"documents/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.pdf", ContentFile(signed))
    try:
        with transaction.atomic():
            locked = DossierFile.objects.select_for_update().get(pk=record.pk)
            if locked.file.name != record.file.name:  # replaced meanwhile: sign the new one next time
                raise _Changed
            previous = locked.file.name
            DossierFile.objects.filter(pk=record.pk).update(file=name, sha256=sha256, size=len(signed))
            now = timezone.now()
            SigningJob.objects.filter(pk=job.pk).update(
                status=JobStatus.DONE, step="Đã ký số", progress=100, finished_at=now, error="", error_code="",
                next_attempt_at=None, unsigned_name=previous, attempts=job.attempts + 1)
            register_version(register_document(locked), sha256, job.role)
            record_event(record.dossier_id, action=Action.SIGN_RESULT, actor=job.signer_user if job.role == JobRole.LEADER else None,
                         actor_name=SYSTEM_NAME,
                         changes={"document": {"id": record.pk, "name": record.name, "sha256": sha256, "size": len(signed),
                                               "signed_by": job.role, "signer": signer_of_last(signed)}})
            following = SigningJob.objects.filter(file=record, status=JobStatus.PENDING).exclude(pk=job.pk).order_by("id").first()
            if following is not None:
                _enqueue_on_commit(following.pk)
    except _Changed:
        default_storage.delete(name)
        SigningJob.objects.filter(pk=job.pk).update(step="Đang chờ ký số", progress=0)
        _enqueue_on_commit(job.pk)
        return JobStatus.PENDING
    except BaseException:
        default_storage.delete(name)
        raise
    return JobStatus.DONE


class _Changed(Exception):
    pass


def _failed(job: SigningJob, refused: SigningRefused) -> str:
    attempts = job.attempts + 1
    now = timezone.now()
    if refused.retry and attempts <= len(RETRY_DELAYS):
        when = now + dt.timedelta(seconds=RETRY_DELAYS[attempts - 1])
        status, step = JobStatus.PENDING, f"Chưa ký được, sẽ thử lại lúc {timezone.localtime(when):%H:%M %d/%m/%Y}"
    else:
        when, status, step = None, JobStatus.FAILED, "Chưa ký được: cần quản trị xử lý"
    SigningJob.objects.filter(pk=job.pk).update(
        status=status, step=step, progress=0, attempts=attempts, next_attempt_at=when,
        error_code=refused.code, error=refused.message[:500])
    if attempts == 1 or status == JobStatus.FAILED:
        tell_failure(job, refused, retry_at=when)
    log.warning("signing job %s of dossier %s not signed: %s (attempt %s)", job.pk, job.file.dossier_id, refused.code, attempts)
    if when is not None:
        _enqueue_on_commit(job.pk, run_after=when)
    return status


def people_to_tell(job: SigningJob) -> list[User]:
    """The leader whose signature it is (or the unit's leaders, for the agency's) and the administrators."""
    return _people(job.file.dossier.current_unit, job.signer_user if job.signer_user_id else None)


def _people(unit, signer_user=None) -> list[User]:
    leaders = ([signer_user] if signer_user is not None else
               list(User.objects.filter(role=Role.LEADER, is_active=True, memberships__unit=unit)))
    admins = list(User.objects.filter(Q(role=Role.ADMIN) | Q(is_superuser=True), is_active=True))
    seen, people = set(), []
    for person in leaders + admins:
        if person.pk not in seen:
            seen.add(person.pk)
            people.append(person)
    return people


def failure_text(job: SigningJob, refused: SigningRefused, retry_at=None) -> tuple[str, str]:
    code = job.file.dossier.code
    who = "chữ ký của lãnh đạo" if job.role == JobRole.LEADER else "chữ ký của cơ quan"
    subject = f"Chưa ký số được kết quả hồ sơ {code}"
    body = (f"Kết quả “{job.file.name}” của hồ sơ {code} chưa được ký số ({who}).\n"
            f"Lý do: {refused.message}\n"
            + (f"Hệ thống sẽ tự thử lại lúc {timezone.localtime(retry_at):%H:%M ngày %d/%m/%Y}.\n" if retry_at else
               "Hệ thống không tự thử lại: hãy khắc phục rồi bấm “Ký lại” trên trang hồ sơ.\n")
            + "Kết quả vẫn được giữ nguyên (chưa ký số); không có gì bị mất.")
    return subject, body


def tell_failure(job: SigningJob, refused: SigningRefused, retry_at=None) -> None:
    subject, body = failure_text(job, refused, retry_at)
    _tell(job.file.dossier, people_to_tell(job), subject, body)


def _tell(dossier, people: list[User], subject: str, body: str) -> None:
    """E-mail ``people`` that a signature failed (kind ``signing_failed``)."""
    from motcua.notifications.constants import Channel
    from motcua.notifications.models import Notification
    from motcua.notifications.services import deliver_notification

    now = timezone.now()
    for person in people:
        if not person.email:
            continue  # the dossier page (a result) or the admin (a form) shows the same
        notification = Notification.objects.create(
            dossier=dossier, user=person, kind="signing_failed", channel=Channel.EMAIL, recipient=person.email,
            subject=subject[:300], body=body, next_attempt_at=now)
        transaction.on_commit(lambda pk=notification.pk: deliver_notification.enqueue(pk), robust=True)


def retry(user, job_id: int) -> SigningJob:
    """An administrator or the unit's leader asks again for a job that gave up."""
    from motcua.errors import Forbidden, NotFound

    job = SigningJob.objects.select_related("file__dossier").filter(pk=job_id).first()
    if job is None:
        raise NotFound("Không tìm thấy lượt ký số này.", code="signing_job_not_found")
    if not may_retry(user, job):
        raise Forbidden("Chỉ lãnh đạo đơn vị hoặc quản trị được yêu cầu ký lại.", code="signing_retry_not_allowed")
    if job.status == JobStatus.FAILED:
        with transaction.atomic():
            SigningJob.objects.filter(pk=job.pk).update(status=JobStatus.PENDING, step="Đang chờ ký số",
                                                        next_attempt_at=timezone.now(), attempts=0)
            _enqueue_on_commit(job.pk)
    return job


def may_retry(user, job: SigningJob) -> bool:
    from motcua.dossiers.scope import handles

    if getattr(user, "role", None) == Role.ADMIN or getattr(user, "is_superuser", False):
        return True
    return getattr(user, "role", None) == Role.LEADER and handles(user, job.file.dossier)


def jobs_of(dossier) -> list[SigningJob]:
    return list(SigningJob.objects.filter(file__dossier=dossier).select_related("file", "signer_user").order_by("file_id", "id"))


def retries_due(now) -> bool:
    """A pending job whose time has come (the heartbeat enqueues :func:`tasks.retry_due`)."""
    return SigningJob.objects.filter(status=JobStatus.PENDING, next_attempt_at__lte=now - dt.timedelta(minutes=2)).exists()


def enqueue_due(now=None) -> int:
    """Enqueue every pending job whose time came and whose task was lost (a worker restarted)."""
    now = now or timezone.now()
    ids = list(SigningJob.objects.filter(status=JobStatus.PENDING, next_attempt_at__lte=now - dt.timedelta(minutes=2))
               .values_list("id", flat=True)[:200])
    from motcua.signing.tasks import sign_job

    for pk in ids:
        SigningJob.objects.filter(pk=pk).update(next_attempt_at=now)
        sign_job.enqueue(pk)
    return len(ids)


# ------------------------------------------------------------------ printed forms (Mẫu 01–04)
# The agency signs the forms its unit prints — receipt, supplement request, refusal, apology —
# where an administrator turned "ký số các mẫu in" on (keys.printed_forms_signed). They are signed
# when downloaded, with the same signer as results (pades.sign_pdf, the agency's key of
# keys.agency_key): a form is drawn from the dossier as it is now, so what is signed is exactly
# what is served. The signed bytes are kept in the cache for FORM_CACHE_SECONDS, keyed by what
# the form says (its data and edition: ``fingerprint``; not its bytes, which carry the time they
# were drawn), the key and the box: downloading it again costs nothing, and a change to the
# dossier that changes the form signs it afresh.
# Signing never fails a download: without a signature the user gets the unsigned form, the
# attempt is recorded (FormSignature), the unit's leaders and the administrators are e-mailed (at
# most once an hour per unit and reason), and after a failure that may pass (a service down) the
# unit's forms are served unsigned for FORM_PAUSE_SECONDS without trying, so no download waits
# for a service that is down.

FORM_CACHE_SECONDS = 3600
FORM_PAUSE_SECONDS = 300
FORM_TELL_SECONDS = 3600


def sign_printed_form(dossier, form: str, data: bytes, title: str, fingerprint: str) -> bytes:
    """``data`` (the PDF of printed form ``form`` of ``dossier``, titled ``title``; ``fingerprint``:
    a digest of what it says, its edition included) as the user gets it: signed by the agency
    where the dossier's unit turns it on, else as it is."""
    try:
        unit = dossier.unit
        if not keys.printed_forms_signed(unit):
            return data
        return _sign_form(dossier, unit, form, data, title, fingerprint)
    except Exception:  # never a 500 for a signature: the unsigned form is what it was before
        log.exception("signing printed form %s of dossier %s failed", form, dossier.pk)
        return data


def _sign_form(dossier, unit, form: str, data: bytes, title: str, fingerprint: str) -> bytes:
    from django.conf import settings
    from django.core.cache import cache

    from motcua.signing.models import FormSignature
    from motcua.signing.pades import Appearance, sign_pdf, signer_of_last

    spec = keys.agency_key(unit)
    digest = hashlib.sha256(f"{fingerprint}|{form}|{dossier.pk}|{unit.pk}|{spec!r}|{settings.SIGNING_FORM_BOX}".encode()).hexdigest()
    cache_key = f"signing:form:{digest}"
    signed = cache.get(cache_key)
    if signed:
        return signed
    if cache.get(f"signing:form-pause:{unit.pk}"):
        return data
    try:
        if spec is None:
            raise SigningRefused("not_configured", "Chưa cấu hình chứng thư ký số của cơ quan.")
        appearance = Appearance(role=JobRole.AGENCY, agency=unit.name, seal_image=seal_of(unit),
                                box=settings.SIGNING_FORM_BOX)
        signed = sign_pdf(data, spec, appearance)
    except SigningRefused as refused:
        _form_failed(dossier, unit, form, title, refused)
        return data
    except Exception as error:
        log.exception("signing printed form %s of dossier %s failed", form, dossier.pk)
        _form_failed(dossier, unit, form, title,
                     SigningRefused("signing_failed", f"Ký số không thành công ({type(error).__name__}).", retry=True))
        return data
    FormSignature.objects.create(dossier=dossier, unit=unit, form=form, title=title[:500], signed=True,
                                 sha256=hashlib.sha256(signed).hexdigest(), signer=signer_of_last(signed)[:300])
    cache.set(cache_key, signed, FORM_CACHE_SECONDS)
    return signed


def _form_failed(dossier, unit, form: str, title: str, refused: SigningRefused) -> None:
    from django.core.cache import cache

    from motcua.signing.models import FormSignature

    log.warning("printed form %s of dossier %s not signed: %s", form, dossier.pk, refused.code)
    FormSignature.objects.create(dossier=dossier, unit=unit, form=form, title=title[:500], signed=False,
                                 error_code=refused.code, error=refused.message[:500])
    if refused.retry:
        cache.set(f"signing:form-pause:{unit.pk}", refused.code, FORM_PAUSE_SECONDS)
    if cache.add(f"signing:form-told:{unit.pk}:{refused.code}", 1, FORM_TELL_SECONDS):
        subject = f"Chưa ký số được mẫu in của {unit.name}"
        body = (f"“{title}” của hồ sơ {dossier.code} đã được tải về nhưng chưa có chữ ký số của cơ quan.\n"
                f"Lý do: {refused.message}\n"
                "Người tải vẫn nhận được bản chưa ký số; lần tải sau hệ thống sẽ ký lại"
                + (f" (sau {FORM_PAUSE_SECONDS // 60} phút)" if refused.retry else "") + ".\n"
                "Hãy kiểm tra cấu hình ký số (Quản trị → Ký số và xác thực). Các lượt ký mẫu in được ghi tại "
                "“Lượt ký mẫu in”; thông báo này gửi tối đa mỗi giờ một lần cho mỗi lý do.")
        _tell(dossier, _people(unit), subject, body)
