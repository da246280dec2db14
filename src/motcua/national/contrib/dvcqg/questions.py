"""Questions and answers with the national portal (shared/domain/national-systems.md "Q&A").

- :func:`dong_bo_hoi_dap`: one ``DongBoHoiDap`` item ``{HOIDAPID, MaLinhVuc, NOIDUNG, MADONVI,
  TENDONVI}`` for a published question (its public text: no personal data).
- :func:`ket_qua_hoi_dap`: one ``DongBoKetQuaHoiDapGuiTuDVCQG`` item ``{HOIDAPID, MADONVI,
  NGUOITRALOI, CHUCVUNGUOITRALOI, NGAYTRALOI, NOIDUNGTRALOI}``: the answer to a question that
  came from the portal.
- :func:`receive_national_question`: a row of ``LayDanhSachHoiDapGuiTuDVCQG`` (``HOIDAPID,
  MALINHVUC, MATTHCDP, MADONVI, TENDONVI, NOIDUNG, HOVATEN, DIACHI, THUDIENTU, SODIENTHOAI …``)
  becomes a question routed like any other (``voices.services.ask``), once per ``HOIDAPID``;
  :func:`pull_questions` reads them from the portal, a recurring task of the worker
  (:func:`questions_due`, every ``MOTCUA_DVCQG_QUESTIONS_MINUTES``).
Sending: when a leader approves an answer (``voices.services.answered``) the question goes in
the national outbox (``national.outbox.on_question_answered``, one item per question) if
:func:`to_send` says the portal takes something of it; the worker's :func:`push_question` sends,
with the outbox's retries, backoff and parking, what is true of it **then**: ``DongBoHoiDap``
while it is public (answered, published, not hidden), and ``DongBoKetQuaHoiDapGuiTuDVCQG`` for a
question that came from the portal. Nothing of the asker goes (name, phone, e-mail, address):
the question's public text, its field, the unit, and for the answer the answering officer's
name and title, which the portal shows.
"""

from __future__ import annotations

from motcua.national.contrib.dvcqg.mapping import national_date
from motcua.voices import services as voices
from motcua.voices.models import Question, Source, State


def national_unit_code(unit) -> str:
    return unit.national_id or unit.code


def question_id(item: Question) -> str:
    return item.national_id or f"MC-{item.pk}"


def dong_bo_hoi_dap(item: Question) -> dict:
    field = item.procedure.field
    return {"HOIDAPID": question_id(item), "MaLinhVuc": field.code if field else "",
            "NOIDUNG": item.public_question or voices.mask(item.text, item),
            "MADONVI": national_unit_code(item.unit), "TENDONVI": item.unit.name}


def ket_qua_hoi_dap(item: Question) -> dict:
    who = item.answered_by
    return {"HOIDAPID": question_id(item), "MADONVI": national_unit_code(item.unit),
            "NGUOITRALOI": who.display_name() if who else item.unit.name,
            "CHUCVUNGUOITRALOI": who.get_role_display() if who else "",
            "NGAYTRALOI": national_date(item.answered_at), "NOIDUNGTRALOI": voices.mask(item.answer, item)}


def to_send(item: Question) -> list[str]:
    """The pushes the national portal takes of ``item`` now, in order."""
    services = []
    if item.is_public:
        services.append("DongBoHoiDap")
    if item.source == Source.NATIONAL_PORTAL and item.national_id and item.state == State.ANSWERED:
        services.append("DongBoKetQuaHoiDapGuiTuDVCQG")
    return services


BUILDERS = {"DongBoHoiDap": dong_bo_hoi_dap, "DongBoKetQuaHoiDapGuiTuDVCQG": ket_qua_hoi_dap}


def push_question(client, key: str):
    """Send what the portal takes of question ``key`` (nothing left to send — deleted, hidden
    since — is a success with nothing sent). Raises ``sync.Refused`` on a refusal."""
    from motcua.national.contrib.dvcqg.client import Answer
    from motcua.national.contrib.dvcqg.sync import Refused

    item = (Question.objects.select_related("procedure__field", "unit", "answered_by")
            .filter(pk=int(key) if str(key).isdigit() else 0).first())
    services = to_send(item) if item is not None else []
    if not services:
        return Answer("0", f"Câu hỏi {key}: không còn gì cần gửi.")
    answer = None
    for service in services:
        answer = client.push(service, [BUILDERS[service](item)])
        if not answer.ok:
            raise Refused(service, answer)
    return answer


def receive_national_question(row: dict) -> Question:
    """A question asked on the national portal, kept once per ``HOIDAPID`` and routed like any
    other (``voices.services.ask``): the procedure by its code here or its national code
    (``MATTHCDP``), the unit by its national code or code (``MADONVI``) — a unit that does not
    perform the procedure, or none named, leaves the routing to ``voices``. The asker's phone and
    e-mail are kept when given; the answer goes back through the portal either way."""
    national_id = str(row.get("HOIDAPID") or "").strip()[:60]
    existing = Question.objects.filter(national_id=national_id).first() if national_id else None
    if existing is not None:
        return existing
    from django.db import IntegrityError, transaction
    from django.db.models import Q

    from motcua.catalog.models import Procedure, Unit
    from motcua.errors import InvalidInput

    procedure_code = str(row.get("MATTHCDP") or "").strip()[:80]
    procedure = (Procedure.objects.valid_on().filter(Q(code=procedure_code) | Q(national_code=procedure_code))
                 .order_by("code").first() if procedure_code else None)
    unit_code = str(row.get("MADONVI") or "").strip()[:40]
    unit = Unit.objects.valid_on().filter(Q(national_id=unit_code) | Q(code=unit_code)).first() if unit_code else None
    contact = {"name": str(row.get("HOVATEN") or "").strip() or "Người hỏi trên Cổng DVCQG",
               "phone": str(row.get("SODIENTHOAI") or ""), "email": str(row.get("THUDIENTU") or "")}

    def ask(unit_code):
        return voices.ask(procedure.code if procedure else procedure_code, row.get("NOIDUNG"), contact,
                          unit_code=unit_code, source=Source.NATIONAL_PORTAL, national_id=national_id)

    try:
        with transaction.atomic():
            try:
                return ask(unit.code if unit else None)
            except InvalidInput as exc:
                if unit is None or exc.code != "unknown_unit":
                    raise
            return ask(None)  # the named unit does not perform it: routed as a question without one
    except IntegrityError:  # another worker took the same HOIDAPID meanwhile
        existing = Question.objects.filter(national_id=national_id).first()
        if existing is None:
            raise
        return existing


# ------------------------------------------------------------------ pulling the portal's questions

PULL_SERVICE = "LayDanhSachHoiDapGuiTuDVCQG"
PULL_KEY = f"dvcqg:{PULL_SERVICE}"  # its row in ``national.PullState``


def questions_due(now=None) -> bool:
    """The recurring check (``motcua.server.periodic``; ``now``: the heartbeat's moment): the
    national portal is connected and its questions were last read ``MOTCUA_DVCQG_QUESTIONS_MINUTES``
    ago or more (never: due)."""
    import datetime as dt

    from django.conf import settings
    from django.utils import timezone

    from motcua.national.models import PullState
    from motcua.national.outbox import connected

    if not connected():
        return False
    state = PullState.objects.filter(url=PULL_KEY).first()
    now = now or timezone.now()
    return state is None or state.last_pulled_at is None or \
        now - state.last_pulled_at >= dt.timedelta(minutes=settings.DVCQG_QUESTIONS_MINUTES)


def pull_questions(client=None) -> dict:
    """Read ``LayDanhSachHoiDapGuiTuDVCQG`` and take each question not held yet into its unit's
    queue (:func:`receive_national_question`, once per ``HOIDAPID``). A question the portal already
    shows answered (``NOIDUNGTRALOI``) is not taken. The portal down or refusing changes nothing
    and is noted on the pull's state for the operator's page; a row that cannot be taken (no
    ``HOIDAPID``, an unknown procedure, no text) is counted and tried again at the next pull."""
    from django.utils import timezone

    from motcua.errors import DomainError
    from motcua.national.contrib.dvcqg.client import PortalClient, PortalError
    from motcua.national.models import PullState

    state, _ = PullState.objects.get_or_create(url=PULL_KEY)
    PullState.objects.filter(pk=state.pk).update(last_pulled_at=timezone.now())
    own = client is None
    client = client or PortalClient()
    try:
        answer = client.call(PULL_SERVICE)
    except PortalError as exc:
        PullState.objects.filter(pk=state.pk).update(last_error=f"Không lấy được câu hỏi: {exc.message}"[:300])
        return {"received": 0, "error": exc.code}
    finally:
        if own:
            client.close()
    if not answer.ok:
        PullState.objects.filter(pk=state.pk).update(last_error=f"{PULL_SERVICE} — {answer.text()}"[:300])
        return {"received": 0, "error": answer.error_code}
    received = known = answered = refused = 0
    for row in answer.result:
        national_id = str(row.get("HOIDAPID") or "").strip()[:60] if isinstance(row, dict) else ""
        if not national_id:
            refused += 1
            continue
        if Question.objects.filter(national_id=national_id).exists():
            known += 1
            continue
        if str(row.get("NOIDUNGTRALOI") or "").strip():
            answered += 1
            continue
        try:
            receive_national_question(row)
            received += 1
        except DomainError:
            refused += 1
    note = f"{refused} câu hỏi chưa nhận được (thiếu mã, thủ tục không có trong danh mục hoặc nội dung không hợp lệ)." \
        if refused else ""
    PullState.objects.filter(pk=state.pk).update(last_error=note)
    return {"received": received, "known": known, "answered_there": answered, "refused": refused}
