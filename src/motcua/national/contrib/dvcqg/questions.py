"""Questions and answers with the national portal (shared/domain/national-systems.md "Q&A").

- :func:`dong_bo_hoi_dap`: one ``DongBoHoiDap`` item ``{HOIDAPID, MaLinhVuc, NOIDUNG, MADONVI,
  TENDONVI}`` for a published question (its public text: no personal data).
- :func:`ket_qua_hoi_dap`: one ``DongBoKetQuaHoiDapGuiTuDVCQG`` item ``{HOIDAPID, MADONVI,
  NGUOITRALOI, CHUCVUNGUOITRALOI, NGAYTRALOI, NOIDUNGTRALOI}``: the answer to a question that
  came from the portal.
- :func:`receive_national_question`: a row of ``LayDanhSachHoiDapGuiTuDVCQG`` (``HOIDAPID,
  MALINHVUC, MATTHCDP, MADONVI, TENDONVI, NOIDUNG, HOVATEN, DIACHI, THUDIENTU, SODIENTHOAI …``)
  becomes a question routed like any other (``voices.services.ask``), once per ``HOIDAPID``.
Sending them is the outbox's business (not wired yet: the builders are what it will call).
"""

from __future__ import annotations

from motcua.national.contrib.dvcqg.mapping import national_date
from motcua.voices import services as voices
from motcua.voices.models import Question, Source


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
