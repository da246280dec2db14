"""Questions and answers with the national portal (shared/domain/national-systems.md "Q&A").

- :func:`dong_bo_hoi_dap`: one ``DongBoHoiDap`` item ``{HOIDAPID, MaLinhVuc, NOIDUNG, MADONVI,
  TENDONVI}`` for a published question (its public text: no personal data).
- :func:`ket_qua_hoi_dap`: one ``DongBoKetQuaHoiDapGuiTuDVCQG`` item ``{HOIDAPID, MADONVI,
  NGUOITRALOI, CHUCVUNGUOITRALOI, NGAYTRALOI, NOIDUNGTRALOI}``: the answer to a question that
  came from the portal.
- :func:`receive_national_question`: a row of ``LayDanhSachHoiDapGuiTuDVCQG`` (``HOIDAPID,
  MALINHVUC, MATTHCDP, MADONVI, TENDONVI, NOIDUNG, HOVATEN, DIACHI, THUDIENTU, SODIENTHOAI …``)
  becomes a question routed like any other (``voices.services.ask``), once per ``HOIDAPID``.
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
    """A question asked on the national portal, kept once per ``HOIDAPID``."""
    national_id = str(row.get("HOIDAPID") or "")[:60]
    existing = Question.objects.filter(national_id=national_id).first() if national_id else None
    if existing is not None:
        return existing
    from motcua.catalog.models import Unit
    from django.db.models import Q

    unit_code = str(row.get("MADONVI") or "")
    unit = Unit.objects.valid_on().filter(Q(national_id=unit_code) | Q(code=unit_code)).first() if unit_code else None
    contact = {"name": row.get("HOVATEN") or "Người hỏi trên Cổng DVCQG", "phone": row.get("SODIENTHOAI") or "",
               "email": row.get("THUDIENTU") or ""}
    return voices.ask(row.get("MATTHCDP"), row.get("NOIDUNG"), contact, unit_code=unit.code if unit else None,
                      source=Source.NATIONAL_PORTAL, national_id=national_id)
