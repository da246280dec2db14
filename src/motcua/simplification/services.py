"""Simplification proposals: propose, review, savings from real volumes, export.

* Who proposes: specialists and leaders for a unit they work at (``dossiers.scope.handling_unit_ids``),
  administrators for any unit.
* Who reads the register: everyone above, within ``dossiers.scope`` (leaders and inspectors their
  units and below, administrators all).
* Who reviews: leaders (their units and below) and administrators, never their own proposal.
* **Savings** come from the procedure's real volume: the dossiers of that procedure received by the
  proposing unit and every unit below it in the 12 months before the day asked about (never the
  refused or the not-yet-accepted, as the TTHC report counts them), times what one dossier saves:
  the paper's copies, the working days, or the fee.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from motcua import errors
from motcua.accounts.models import Role
from motcua.catalog import services as catalog
from motcua.catalog.models import Procedure, RequiredDocument, Unit
from motcua.dossiers import scope
from motcua.dossiers.models import Dossier, Status
from motcua.errors import Conflict, Forbidden, InvalidInput
from motcua.formatting import group_digits, vnd
from motcua.simplification.models import Cut, Proposal, State
from motcua.worktime.calendar import VN_TZ

REASON_MAX = 4000
FEE_MAX = 100_000_000
PROPOSING_ROLES = frozenset({Role.SPECIALIST, Role.LEADER})
REVIEWING_ROLES = frozenset({Role.LEADER, Role.ADMIN})


def may_propose(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.role == Role.ADMIN or user.role in PROPOSING_ROLES)


def may_review(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.role in REVIEWING_ROLES)


def visible(user) -> QuerySet[Proposal]:
    ids = scope.unit_ids(user, scope.Purpose.DOSSIERS)
    qs = Proposal.objects.select_related("procedure", "unit", "document", "reviewer")
    if user.role == Role.CITIZEN:
        return qs.none()
    return qs if ids is None else qs.filter(unit_id__in=ids)


def proposed_in(proposals: QuerySet[Proposal], year) -> QuerySet[Proposal]:
    """The proposals made in calendar ``year`` (Vietnam's time): the list for that year's review.
    ``year`` as typed (text or number); a bad one is refused with a Vietnamese message."""
    from motcua.reports import periods

    try:
        number = int(str(year).strip())
    except (TypeError, ValueError):
        raise InvalidInput("Năm không hợp lệ.", code="invalid_year", fields={"nam": ["Nhập năm, ví dụ 2025."]}) from None
    first, last = periods.period_for(periods.YEAR, number)
    start = dt.datetime.combine(first, dt.time(0), tzinfo=VN_TZ)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), tzinfo=VN_TZ)
    return proposals.filter(proposed_at__gte=start, proposed_at__lt=end)


def years(proposals: QuerySet[Proposal]) -> list[int]:
    """The years with proposals, and this one, newest first."""
    seen = {timezone.localtime(at).year for at in proposals.values_list("proposed_at", flat=True)}
    return sorted(seen | {timezone.localdate().year}, reverse=True)


def get_visible(user, pk) -> Proposal:
    return errors.one_by_id(visible(user), pk, "Không tìm thấy đề xuất.", "proposal_not_found")


def proposing_units(user) -> list[Unit]:
    if not may_propose(user):
        return []
    if user.is_superuser or user.role == Role.ADMIN:
        return list(Unit.objects.valid_on().order_by("path"))
    return list(Unit.objects.filter(pk__in=scope.handling_unit_ids(user)).order_by("path"))


def propose(user, *, unit_code: str, procedure_code: str, cut: str, reason: str, document: str = "",
            step_text: str = "", days="", fee_amount="") -> Proposal:
    """A new proposal (state ``proposed``); every problem named by its field (422), nothing written."""
    if not may_propose(user):
        raise Forbidden("Chỉ chuyên viên, lãnh đạo và quản trị được đề xuất đơn giản hóa.", code="role_not_allowed")
    problems: dict[str, list[str]] = {}
    unit = next((u for u in proposing_units(user) if u.code == str(unit_code or "").strip()), None)
    if unit is None:
        problems["unit"] = ["Chọn đơn vị bạn công tác."]
    procedure = Procedure.objects.filter(code=str(procedure_code or "").strip()[:60]).first()
    if procedure is None:
        problems["procedure"] = ["Không có thủ tục này."]
    cut = str(cut or "").strip()
    if cut not in Cut.values:
        problems["cut"] = [f"Chọn một trong: {', '.join(Cut.values)}."]
    reason = str(reason or "").strip()
    if not reason:
        problems["reason"] = ["Vui lòng nêu lý do."]
    elif len(reason) > REASON_MAX:
        problems["reason"] = [f"Tối đa {REASON_MAX} ký tự."]
    fields: dict = {}
    if procedure is not None and cut == Cut.PAPER:
        paper = None
        try:
            paper = procedure.documents.filter(pk=int(document)).first()
        except (TypeError, ValueError):
            pass
        if paper is None:
            problems["document"] = ["Chọn một thành phần hồ sơ của thủ tục."]
        else:
            fields.update(document=paper, document_name=paper.name[:400])
    if cut == Cut.STEP:
        step_text = str(step_text or "").strip()
        if not step_text or len(step_text) > 300:
            problems["step_text"] = ["Ghi bước được bỏ (tối đa 300 ký tự)."]
        fields["step_text"] = step_text
    if cut in (Cut.DAYS, Cut.STEP):
        try:
            value = Decimal(str(days or "0").strip().replace(",", "."))
        except InvalidOperation:
            value = Decimal(-1)
        limit = procedure.processing_time_value if procedure is not None else Decimal(0)
        if not value.is_finite() or value < 0 or (cut == Cut.DAYS and value <= 0) or value > max(limit, Decimal(0)):
            problems["days"] = [f"Số ngày làm việc giảm: lớn hơn 0, không quá thời hạn hiện tại ({limit:g})."
                                if cut == Cut.DAYS else f"Từ 0 đến thời hạn hiện tại ({limit:g})."]
        else:
            fields["days"] = value.quantize(Decimal("0.1"))
    if cut == Cut.FEE:
        try:
            amount = int(str(fee_amount or "").strip().replace(".", ""))
        except ValueError:
            amount = 0
        if not 0 < amount <= FEE_MAX:
            problems["fee_amount"] = ["Số tiền giảm (đồng) phải lớn hơn 0."]
        fields["fee_amount"] = amount
    if problems:
        raise InvalidInput("Đề xuất chưa hợp lệ.", code="invalid_proposal", fields=problems)
    return Proposal.objects.create(procedure=procedure, unit=unit, cut=cut, reason=reason, proposer=user,
                                   proposer_name=user.display_name(), proposed_at=timezone.now(), **fields)


def review(user, pk, *, approve: bool, note: str = "") -> Proposal:
    if not may_review(user):
        raise Forbidden("Chỉ lãnh đạo và quản trị được phê duyệt đề xuất.", code="role_not_allowed")
    note = str(note or "").strip()
    if len(note) > REASON_MAX:
        raise InvalidInput("Ý kiến quá dài.", fields={"note": [f"Tối đa {REASON_MAX} ký tự."]})
    if not approve and not note:
        raise InvalidInput("Vui lòng ghi lý do không phê duyệt.", code="missing_fields", fields={"note": ["Bắt buộc."]})
    with transaction.atomic():
        proposal = get_visible(user, pk)
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if proposal.proposer_id == user.pk:
            raise Forbidden("Không tự phê duyệt đề xuất của mình.", code="own_proposal")
        if proposal.state != State.PROPOSED:
            raise Conflict("Đề xuất đã được xem xét.", code="already_reviewed")
        proposal.state = State.APPROVED if approve else State.REJECTED
        proposal.reviewer = user
        proposal.reviewed_at = timezone.now()
        proposal.review_note = note
        proposal.save(update_fields=["state", "reviewer", "reviewed_at", "review_note"])
    return proposal


# ------------------------------------------------------------------ savings from real volumes

def volume(procedure_id: int, unit: Unit, today: dt.date) -> int:
    """Dossiers of the procedure received by ``unit`` and the units below it in the 12 months
    before ``today`` (never the refused or the not yet accepted)."""
    end = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(0), tzinfo=VN_TZ)
    start = end - dt.timedelta(days=365)
    below = Unit.objects.subtrees(Unit.objects.filter(pk=unit.pk)).values("pk")
    return (Dossier.objects.filter(procedure_id=procedure_id, unit_id__in=below, received_at__gte=start, received_at__lt=end,
                                   refused_at__isnull=True)
            .exclude(status__in=[Status.REFUSED, Status.SUBMITTED]).count())


def saving_per_dossier(p: Proposal) -> tuple[Decimal, str]:
    """What one dossier saves, and in what."""
    if p.cut == Cut.PAPER:
        copies = p.document.count if p.document is not None else 1
        return Decimal(copies), "bản giấy tờ"
    if p.cut in (Cut.DAYS, Cut.STEP):
        return Decimal(p.days), "ngày làm việc"
    return Decimal(p.fee_amount), "đồng"


def savings(p: Proposal, today: dt.date | None = None, cache: dict | None = None) -> dict:
    today = today or timezone.localdate()
    key = (p.procedure_id, p.unit_id, today)
    if cache is not None and key in cache:
        n = cache[key]
    else:
        n = volume(p.procedure_id, p.unit, today)
        if cache is not None:
            cache[key] = n
    each, what = saving_per_dossier(p)
    total = each * n
    if p.cut == Cut.FEE:
        text = vnd(int(total))
    else:
        whole = total == total.to_integral_value()
        text = f"{group_digits(int(total)) if whole else str(total).replace('.', ',')} {what}"
    return {"volume": n, "per_dossier": float(each), "total": float(total), "unit": what, "text": text}


def what_text(p: Proposal) -> str:
    if p.cut == Cut.PAPER:
        return p.document_name
    if p.cut == Cut.STEP:
        return f"{p.step_text} ({p.days:g} ngày làm việc)"
    if p.cut == Cut.DAYS:
        return f"{p.days:g} ngày làm việc (hiện {p.procedure.processing_time_value:g})"
    return vnd(p.fee_amount)


EXPORT_HEADER = ["Mã thủ tục", "Tên thủ tục", "Đơn vị đề xuất", "Nội dung cắt giảm", "Cụ thể", "Lý do", "Người đề xuất",
                 "Ngày đề xuất", "Tình trạng", "Hồ sơ 12 tháng qua", "Tiết kiệm mỗi hồ sơ", "Tiết kiệm một năm",
                 "Đơn vị tính", "Lãnh đạo xem xét", "Ý kiến"]


def export_rows(proposals, today: dt.date | None = None) -> list[list]:
    """The register as rows for the yearly review (``spreadsheets.csv_text`` / ``xlsx_bytes``)."""
    cache: dict = {}
    rows = [EXPORT_HEADER]
    for p in proposals:
        s = savings(p, today, cache)
        rows.append([p.procedure.code, p.procedure.name, p.unit.name, str(p.get_cut_display()), what_text(p), p.reason,
                     p.proposer_name, timezone.localtime(p.proposed_at).strftime("%d/%m/%Y"), str(p.get_state_display()),
                     s["volume"], s["per_dossier"], s["total"], s["unit"],
                     p.reviewer.display_name() if p.reviewer else "", p.review_note])
    return rows


def export_xlsx(proposals, today: dt.date | None = None) -> bytes:
    from openpyxl import Workbook

    from motcua import spreadsheets

    book = Workbook()
    sheet = book.active
    sheet.title = "De xuat don gian hoa"
    for row in export_rows(proposals, today):
        sheet.append(row)
    return spreadsheets.xlsx_bytes(book)


def procedure_choices(unit_ids=None) -> QuerySet[Procedure]:
    return catalog.current_procedures().order_by("code")


__all__ = ["propose", "review", "savings", "export_rows", "export_xlsx", "proposed_in", "years", "RequiredDocument"]
