"""How Motcua's values are written in the national portal's codes (shared/domain/national-systems.md
§1.2–1.4). One table per code; ``tests/national/test_status_mapping.py`` has a row per value.

``TrangThaiHoSo`` (§1.4): 3 is a refusal at intake (the dossier was never received), 8 a stop
after acceptance ("Dừng xử lý": Motcua's ``rejected``, a decision not to resolve). The two
codebases the domain file read disagree on 3 and 8; this is the reading it recommends.
"""

from __future__ import annotations

import datetime as dt

from motcua.dossiers.models import Channel, Delivery, Source, Status
from motcua.dossiers.workflow import Action
from motcua.worktime.calendar import VN_TZ

# ------------------------------------------------------------------ TrangThaiHoSo 1–10
NEW, ACCEPTED, REFUSED_AT_INTAKE, PROCESSING, SUPPLEMENT, PAYMENT, WITHDRAWN, STOPPED, PROCESSED, RETURNED = range(1, 11)

STATUS_CODES: dict[str, int] = {
    Status.SUBMITTED: NEW,                   # Mới đăng ký
    Status.REFUSED: REFUSED_AT_INTAKE,       # Không được tiếp nhận
    Status.RECEIVED: ACCEPTED,               # Được tiếp nhận
    Status.PROCESSING: PROCESSING,           # Đang xử lý
    Status.AWAITING_SUPPLEMENT: SUPPLEMENT,  # Yêu cầu bổ sung giấy tờ
    Status.AWAITING_APPROVAL: PROCESSING,    # still being processed (the leader's approval)
    Status.APPROVED: PROCESSED,              # Đã xử lý xong
    Status.REJECTED: STOPPED,                # Dừng xử lý: not resolved, after acceptance
    Status.RESULT_RETURNED: RETURNED,        # Đã trả kết quả
    Status.WITHDRAWN: WITHDRAWN,             # Công dân yêu cầu rút hồ sơ
}

# The progress step (CapNhatTienDoHoSoMC ``TrangThai``) an event reports: the status it led to,
# except a fee order asked for (6, "Yêu cầu thực hiện nghĩa vụ tài chính"). Events that are not
# steps (a paper uploaded, a rating) are not in the table.
STEP_ACTIONS = frozenset({
    Action.SUBMIT, Action.RECEIVE, Action.ACCEPT, Action.REFUSE, Action.REQUEST_SUPPLEMENT, Action.SUPPLEMENT,
    Action.ASSIGN, Action.TRANSFER, Action.PROPOSE, Action.APPROVE, Action.REJECT, Action.RETURN_RESULT,
    Action.WITHDRAW, Action.RESCHEDULE, Action.PAY_FEE, Action.PAYMENT,
})


def step_code(event) -> int | None:
    """The ``TrangThai`` of the progress step ``event`` (a ``DossierEvent``) reports; None when
    it is not a step. A fee order asked for is 6; its cancellation or failure is no step."""
    if event.action not in STEP_ACTIONS:
        return None
    if event.action == Action.PAYMENT:
        status = ((event.changes or {}).get("payment") or {}).get("status") or []
        return PAYMENT if list(status)[:1] == [""] else None
    return STATUS_CODES.get(event.to_status)


# ------------------------------------------------------------------ other codes
# KenhThucHien: 1 in person, 2 online, 3 public postal service (766DOC 3.3: online only if 2).
CHANNEL_CODES: dict[str, int] = {Channel.DIRECT: 1, Channel.ONLINE: 2, Channel.POSTAL: 3}
# HinhThuc: how the result is handed over: 0 at the counter, 1 by post. An electronic result is
# downloaded, not handed over: 0 (the code list has no third value).
DELIVERY_CODES: dict[str, int] = {Delivery.COUNTER: 0, Delivery.POST: 1, Delivery.ELECTRONIC: 0}
# LoaiDoiTuong: 1 citizen, 2 enterprise, 3 state agency, 4 other organisation. Motcua's applicant
# is a person (an ID number); a business household files through its owner.
CITIZEN = 1
# DinhDanhCHS[].LoaiDinhDanh: 1 the 12-digit CCCD / personal ID, 2 the 9-digit CMND.
ID_KINDS = {12: 1, 9: 2}
# NoiNopHoSo: 1 filed on the national portal, 2 on the province's system [U in the domain file].
FILED_ON_NATIONAL_PORTAL, FILED_HERE = 1, 2
FILED_AT: dict[str, int] = {Source.NATIONAL_PORTAL: FILED_ON_NATIONAL_PORTAL}

DATE_FORMAT = "%Y%m%d%H%M%S"


def national_date(moment: dt.datetime | None) -> str:
    """``yyyyMMddHHmmss`` in Vietnam's time; ``""`` for no value (§1.2 Formats)."""
    if moment is None:
        return ""
    return moment.astimezone(VN_TZ).strftime(DATE_FORMAT)


def parse_national_date(text: str) -> dt.datetime | None:
    """``yyyyMMddHHmmss`` (Vietnam's time) or ISO 8601; None when it is neither."""
    text = str(text or "").strip()
    try:
        return dt.datetime.strptime(text, DATE_FORMAT).replace(tzinfo=VN_TZ)
    except ValueError:
        pass
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=VN_TZ)


def id_documents(id_number: str) -> list[dict]:
    """``DinhDanhCHS``: the owner's identity paper by its length."""
    kind = ID_KINDS.get(len(id_number or ""))
    return [{"LoaiDinhDanh": str(kind), "SoDinhDanh": id_number}] if kind else []
