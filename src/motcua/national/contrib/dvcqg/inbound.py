"""Dossiers filed on the national portal and forwarded to the province (docs/api.md
``POST /national/dossiers``; shared/domain/national-systems.md §1.6, §1.7).

:func:`receive` is the one way in, for the push (the API, a ``national_portal`` service account)
and the pull (:func:`pull`, a gateway polled by the worker). It creates an online dossier with
source ``national_portal`` in the receiving unit's queue through ``dossiers.intake`` (form answers
checked as for ``POST /dossiers``), keeps the national code beside Motcua's own
(``dossiers.NationalRecord``, unique: the same ``MaHoSo`` again returns the same dossier, never a
second one), and logs the arrival (``InboundLog``: codes and outcome only). Papers sent inline
(``NoiDungBase64``) are checked like uploads at once; papers given by URL are fetched afterwards
by a task (the request never waits for another server), with a timeout and the upload limits. A
paper that cannot be fetched or is refused (404, too large, not PDF/JPEG/PNG) leaves the dossier
received, with the problem on its record and its timeline. Its status goes back to the national
portal through the outbox, like every dossier's.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import logging
import time

import httpx
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from motcua import dates
from motcua.accounts.models import Role, User
from motcua.catalog.models import Procedure, Unit
from motcua.documents.services import store_received_paper
from motcua.dossiers import scope
from motcua.dossiers.audit import record_event
from motcua.dossiers.intake import receive_dossier
from motcua.dossiers.models import Channel, Delivery, Dossier, NationalRecord
from motcua.dossiers.workflow import Action
from motcua.errors import DomainError, Forbidden, InvalidInput
from motcua.national.constants import InboundOutcome
from motcua.national.contrib.dvcqg.mapping import parse_national_date
from motcua.national.models import InboundLog, InboundPaper, PullState
from motcua.server.tasks import task

log = logging.getLogger(__name__)

CODE_MAX = 80
CLOCK_SLACK = dt.timedelta(minutes=10)  # the two systems' clocks may differ a little
PAPERS_MAX = 50
# The intake's field names → the national body's (a 422 names the field the sender wrote).
FIELD_NAMES = {"procedure": "MaTTHC", "unit": "MaDonVi", "applicant": "ChuHoSo", "data": "DuLieuBieuMau",
               "delivery": "HinhThucNhanKetQua", "delivery_address": "ChuHoSo.DiaChi"}
APPLICANT_NAMES = {"full_name": "HoVaTen", "id_number": "SoDinhDanh", "phone": "SoDienThoai", "email": "Email",
                   "address": "DiaChi"}


def _national_field(name: str) -> str:
    head, _, rest = name.partition(".")
    if head == "applicant":
        return "ChuHoSo." + APPLICANT_NAMES.get(rest, rest)
    mapped = FIELD_NAMES.get(head, head)
    return f"{mapped}.{rest}" if rest and head != "delivery_address" else mapped


def _renamed(exc: DomainError) -> DomainError:
    if getattr(exc, "fields", None):
        exc.fields = {_national_field(k): v for k, v in exc.fields.items()}
    return exc


def _text(value, limit: int) -> str:
    return " ".join(str(value or "").split())[:limit]


def find_procedure(code: str) -> Procedure | None:
    """``MaTTHC``: a procedure's code as ``GET /procedures/{code}`` gives it, or its national code."""
    if not code:
        return None
    return Procedure.objects.filter(Q(code=code) | Q(national_code=code)).order_by("-code").first()


def find_unit(code: str) -> Unit | None:
    """``MaDonVi``: a unit's national identifier or its code."""
    if not code:
        return None
    return Unit.objects.valid_on().filter(Q(national_id=code) | Q(code=code)).order_by("path").first()


def _log(channel, body, outcome, *, dossier=None, problem="", papers_failed=0, started=None) -> None:
    InboundLog.objects.create(
        channel=channel, national_code=_text(body.get("MaHoSo"), 80), procedure_code=_text(body.get("MaTTHC"), 60),
        unit_code=_text(body.get("MaDonVi"), 60), outcome=outcome, dossier=dossier, problem=problem[:2000],
        papers_failed=papers_failed, seconds=round(time.perf_counter() - started, 4) if started else 0)


def _problem_text(exc: DomainError) -> str:
    fields = getattr(exc, "fields", None) or {}
    return "; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in fields.items()) or str(exc)


def receive(actor: User, body: dict, *, channel: str = "push") -> tuple[Dossier, bool]:
    """Take in one forwarded dossier; ``(dossier, created)``. Raises ``InvalidInput`` (422) naming
    the field at fault, ``Forbidden`` for an account that is not the national portal's."""
    started = time.perf_counter()
    if actor is None or not actor.is_authenticated or actor.role != Role.NATIONAL_PORTAL:
        raise Forbidden("Chỉ tài khoản kết nối của Cổng Dịch vụ công quốc gia được chuyển hồ sơ.",
                        code="not_national_portal")
    try:
        dossier, created, papers_failed = _receive(actor, body, channel)
    except DomainError as exc:
        _log(channel, body, InboundOutcome.REFUSED, problem=_problem_text(exc), started=started)
        raise
    _log(channel, body, InboundOutcome.CREATED if created else InboundOutcome.DUPLICATE, dossier=dossier,
         papers_failed=papers_failed, started=started)
    return dossier, created


def _existing(code: str) -> Dossier | None:
    record = NationalRecord.objects.filter(national_code=code).select_related("dossier").first()
    return record.dossier if record is not None else None


def _receive(actor: User, body: dict, channel: str) -> tuple[Dossier, bool, int]:
    code = _text(body.get("MaHoSo"), CODE_MAX + 1)
    problems: dict[str, list[str]] = {}
    if not code:
        problems["MaHoSo"] = ["Thiếu mã hồ sơ trên Cổng Dịch vụ công quốc gia."]
    elif len(code) > CODE_MAX:
        problems["MaHoSo"] = [f"Dài quá {CODE_MAX} ký tự."]
    if problems:
        raise InvalidInput("Hồ sơ chuyển đến chưa hợp lệ.", code="invalid_national_dossier", fields=problems)
    existing = _existing(code)
    if existing is not None:
        return existing, False, 0

    procedure = find_procedure(_text(body.get("MaTTHC"), 60))
    unit = find_unit(_text(body.get("MaDonVi"), 60))
    if procedure is None:
        problems["MaTTHC"] = ["Không có thủ tục với mã này."]
    if unit is None:
        problems["MaDonVi"] = ["Không có đơn vị với mã định danh hoặc mã này."]
    elif not scope.forwards_to(actor, unit):
        problems["MaDonVi"] = ["Đơn vị không thuộc phạm vi của tài khoản kết nối."]
    submitted = parse_national_date(body.get("NgayNopHoSo"))
    if submitted is None:
        problems["NgayNopHoSo"] = ["Dùng dạng yyyyMMddHHmmss (giờ Việt Nam) hoặc ISO 8601."]
    else:
        try:
            dates.check(submitted, "NgayNopHoSo")
        except InvalidInput as exc:
            problems.update(exc.fields)
        if submitted > timezone.now() + CLOCK_SLACK:
            problems["NgayNopHoSo"] = ["Ngày nộp ở tương lai."]
    owner = body.get("ChuHoSo")
    if not isinstance(owner, dict):
        problems["ChuHoSo"] = ["Thiếu thông tin chủ hồ sơ."]
        owner = {}
    answers = body.get("DuLieuBieuMau")
    if answers is not None and not isinstance(answers, dict):
        problems["DuLieuBieuMau"] = ["Phải là một đối tượng JSON."]
    papers = body.get("TaiLieuNop") or []
    if not isinstance(papers, list) or len(papers) > PAPERS_MAX or not all(isinstance(p, dict) for p in papers):
        problems["TaiLieuNop"] = [f"Một danh sách (tối đa {PAPERS_MAX}) giấy tờ {{TenTepDinhKem, DuongDanTaiTepTin hoặc NoiDungBase64}}."]
        papers = []
    delivery = body.get("HinhThucNhanKetQua") or Delivery.COUNTER
    if delivery not in Delivery.values:
        problems["HinhThucNhanKetQua"] = ["Chọn counter, post hoặc electronic."]
    if problems:
        raise InvalidInput("Hồ sơ chuyển đến chưa hợp lệ.", code="invalid_national_dossier", fields=problems)

    applicant = {"full_name": owner.get("HoVaTen"), "id_number": owner.get("SoDinhDanh"),
                 "phone": owner.get("SoDienThoai") or "", "email": owner.get("Email") or "",
                 "address": owner.get("DiaChi") or ""}
    inline, by_url, paper_problems = [], [], []
    for paper in papers:
        name = _text(paper.get("TenTepDinhKem"), 255) or "tep"
        kind = _text(paper.get("MaThanhPhanHoSo") or paper.get("TenThanhPhanHoSo"), 400)
        if paper.get("NoiDungBase64"):
            try:
                content = base64.b64decode(str(paper["NoiDungBase64"]), validate=True)
            except (binascii.Error, ValueError):
                paper_problems.append(f"{name}: nội dung base64 không hợp lệ")
                continue
            inline.append((name, kind, content))
        elif str(paper.get("DuongDanTaiTepTin") or "").startswith(("http://", "https://")):
            by_url.append((name, kind, str(paper["DuongDanTaiTepTin"])[:4000]))
        else:
            paper_problems.append(f"{name}: không có nội dung hay đường dẫn tải (http/https)")

    try:
        with transaction.atomic():
            try:
                dossier = receive_dossier(
                    actor=actor, procedure_code=procedure.code, unit_code=unit.code, channel=Channel.ONLINE,
                    applicant=applicant, data=answers, arrived_at=submitted, delivery=delivery,
                    delivery_address=_text(owner.get("DiaChi"), 300) if delivery == Delivery.POST else "",
                    require_answers=True,
                )
            except DomainError as exc:
                raise _renamed(exc)
            record = NationalRecord.objects.create(dossier=dossier, national_code=code, inbound=True)
            for name, kind, content in inline:
                try:
                    store_received_paper(dossier, SimpleUploadedFile(name, content), name=name, kind=kind, actor=actor)
                except DomainError as exc:
                    paper_problems.append(f"{name}: {exc}")
            for name, kind, url in by_url:
                InboundPaper.objects.create(dossier=dossier, name=name, kind=kind, url=url)
            if paper_problems:
                _record_problems(dossier, record, paper_problems, actor)
            if by_url:
                transaction.on_commit(lambda: fetch_inbound_papers.enqueue(dossier.pk), robust=True)
    except IntegrityError:
        existing = _existing(code)  # the same dossier, forwarded twice at once: the other one won
        if existing is None:
            raise
        return existing, False, 0
    return dossier, True, len(paper_problems)


def _record_problems(dossier: Dossier, record: NationalRecord, problems: list[str], actor=None) -> None:
    """The problems on the dossier's national record and its timeline (the counter sees them)."""
    NationalRecord.objects.filter(pk=record.pk).update(problems=[*record.problems, *problems])
    record.problems = [*record.problems, *problems]
    record_event(dossier.pk, action=Action.PAPER_NOT_FETCHED, actor=actor,
                 actor_name="" if actor else "Cổng Dịch vụ công quốc gia", note="; ".join(problems)[:2000])


# ------------------------------------------------------------------ papers by URL

class FetchProblem(Exception):
    pass


def download(url: str) -> bytes:
    """The bytes at ``url``, at most ``MOTCUA_UPLOAD_MAX_BYTES`` (413's rule), within the timeout."""
    limit = settings.UPLOAD_MAX_BYTES
    try:
        with httpx.stream("GET", url, timeout=settings.NATIONAL_FETCH_TIMEOUT, follow_redirects=True) as response:
            if response.status_code != 200:
                raise FetchProblem(f"không tải được (HTTP {response.status_code})")
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limit:
                raise FetchProblem(f"tệp quá lớn (tối đa {limit} byte)")
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > limit:
                    raise FetchProblem(f"tệp quá lớn (tối đa {limit} byte)")
                chunks.append(chunk)
            return b"".join(chunks)
    except httpx.TimeoutException:
        raise FetchProblem(f"quá thời gian chờ ({settings.NATIONAL_FETCH_TIMEOUT} giây)") from None
    except httpx.HTTPError as exc:
        raise FetchProblem(f"không kết nối được ({type(exc).__name__})") from None


def fetch_papers(dossier_id: int) -> list[str]:
    """Fetch the dossier's pending papers; returns the problems recorded."""
    problems = []
    for paper in InboundPaper.objects.filter(dossier_id=dossier_id, state=InboundPaper.State.PENDING):
        try:
            content = download(paper.url)
            with transaction.atomic():
                dossier = Dossier.objects.get(pk=dossier_id)
                stored = store_received_paper(dossier, SimpleUploadedFile(paper.name, content), name=paper.name,
                                              kind=paper.kind, actor_name="Cổng Dịch vụ công quốc gia")
                InboundPaper.objects.filter(pk=paper.pk).update(state=InboundPaper.State.FETCHED, file=stored,
                                                               fetched_at=timezone.now())
        except (FetchProblem, DomainError) as exc:
            text = f"{paper.name}: {exc}"
            problems.append(text)
            InboundPaper.objects.filter(pk=paper.pk).update(state=InboundPaper.State.FAILED, problem=str(exc)[:300],
                                                           fetched_at=timezone.now())
    if problems:
        with transaction.atomic():
            dossier = Dossier.objects.get(pk=dossier_id)
            record = NationalRecord.objects.get(dossier=dossier)
            _record_problems(dossier, record, problems)
    return problems


@task()
def fetch_inbound_papers(dossier_id: int) -> list[str]:
    return fetch_papers(dossier_id)


# ------------------------------------------------------------------ pull mode

def pull_url() -> str:
    """``MOTCUA_DVCQG_PULL_URL``, or with the simulator on and no URL its queue; "" when neither."""
    if settings.DVCQG_PULL_URL:
        return settings.DVCQG_PULL_URL
    from motcua.national.contrib.dvcqg.plugin import portal

    if portal().uses_sandbox():
        from django.urls import reverse

        from motcua.links import public_url

        return public_url(reverse("national:dvcqg_sandbox:pull"))
    return ""


def pull_due(now=None) -> bool:
    url = pull_url()
    if not url:
        return False
    state = PullState.objects.filter(url=url).first()
    now = now or timezone.now()
    return state is None or state.last_pulled_at is None or \
        now - state.last_pulled_at >= dt.timedelta(minutes=settings.DVCQG_PULL_MINUTES)


def service_account() -> User | None:
    """The national portal's service account that pulled dossiers are taken in as (with the
    simulator and no pull URL of its own: the simulator's account)."""
    if not settings.DVCQG_PULL_URL:
        from motcua.national.contrib.dvcqg.plugin import portal

        if portal().uses_sandbox():
            from motcua.national.contrib.dvcqg_sandbox.filings import service_account as sandbox_account

            return sandbox_account()
    return User.objects.filter(role=Role.NATIONAL_PORTAL, is_active=True).order_by("id").first()


def pull() -> dict:
    """One look at the pull URL: each dossier it lists goes through :func:`receive`."""
    url = pull_url()
    if not url:
        return {"url": "", "received": 0}
    state, _ = PullState.objects.get_or_create(url=url)
    PullState.objects.filter(pk=state.pk).update(last_pulled_at=timezone.now())
    actor = service_account()
    if actor is None:
        PullState.objects.filter(pk=state.pk).update(
            last_error="Chưa có tài khoản kết nối (motcua create-user … --role national_portal --unit TỈNH).")
        return {"url": url, "received": 0, "error": "no_service_account"}
    try:
        response = httpx.get(url, timeout=settings.DVCQG_TIMEOUT)
        payload = response.json() if response.status_code == 200 else None
    except (httpx.HTTPError, ValueError) as exc:
        PullState.objects.filter(pk=state.pk).update(last_error=f"Không lấy được: {type(exc).__name__}")
        return {"url": url, "received": 0, "error": type(exc).__name__}
    items = payload.get("result") if isinstance(payload, dict) else payload
    if isinstance(items, dict):
        items = items.get("data")
    if not isinstance(items, list):
        PullState.objects.filter(pk=state.pk).update(last_error="Câu trả lời không phải danh sách hồ sơ.")
        return {"url": url, "received": 0, "error": "invalid_reply"}
    received, refused = 0, 0
    for body in items:
        try:
            _, created = receive(actor, body if isinstance(body, dict) else {}, channel="pull")
            received += int(created)
        except DomainError:
            refused += 1
    PullState.objects.filter(pk=state.pk).update(last_error="")
    return {"url": url, "received": received, "refused": refused}
