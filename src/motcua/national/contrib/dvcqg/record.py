"""The dossier as the national portal receives it: the one builder of the ``DongBoHoSoMC``
object and of the ``CapNhatTienDoHoSoMC`` progress steps (shared/domain/national-systems.md
§1.2, §1.3). Every field comes from the dossier's own records, and the flags the QĐ 766
scorecard reads come from the homes it reads too: ``documents.components`` (a paper's
``DuocSoHoa`` / ``DuocTaiSuDung`` / ``DuocLayTuKhoDMQG``, the dossier's ``HoSoCoThanhPhanSoHoa``),
``dossier_flags`` (``TaiKhoanDuocXacThucVoiVNeID``, ``DuocThanhToanTrucTuyen``, ``DSKetNoiCSDL``),
``payments.fees`` (the fee lines). The national codes of papers (``MaThanhPhanHoSo``), fees
(``MaPhiLePhi``) and results (``MaGiayToKetQua``, ``MaKetQuaThayThe``) come from the catalog
of the dossier's own procedure version (the codes the national catalog pull stored). Dates
are ``yyyyMMddHHmmss`` in Vietnam's time, codes strings.
"""

from __future__ import annotations

from collections.abc import Mapping

from motcua import dossier_flags
from motcua.catalog.text import fold
from motcua.documents.components import (
    HELD,
    dossier_components,
    dossiers_with,
    file_flags,
    has_digitised_component,
    result_files,
)
from motcua.documents.papers import paper_named, procedure_papers
from motcua.dossiers.models import Dossier, DossierEvent, Status
from motcua.dossiers.workflow import EVENT_LABELS, Action, transition_for
from motcua.national.contrib.dvcqg import mapping as m
from motcua.national.contrib.dvcqg.files import file_url
from motcua.payments.constants import OrderStatus
from motcua.payments.fees import default_quantities, fee_codes, fee_for, fee_rows

NAME_MAX = 50        # NguoiXuLy (HV cuts it to 50)
SUMMARY_MAX = 1000   # TrichYeuHoSo
NOTE_MAX = 500
# Fee items: HinhThucThu 1 on receipt; LoaiPhiLePhi 1 ordinary (VNPT iGate guide, [I]).
ON_RECEIPT, ORDINARY_FEE = "1", "1"


def _flag(value: bool) -> int:
    return 1 if value else 0


def _events(dossier: Dossier) -> list[DossierEvent]:
    return list(DossierEvent.objects.filter(dossier=dossier).select_related("unit").order_by("seq"))


def batch_dossiers(ids: list[int]) -> Mapping[int, Dossier]:
    """``{id: dossier}`` ready for :func:`national_dossier` over a batch: what it reads per
    procedure (fee lines, papers) read once for all, and the flags the scorecard reads computed
    in the same query by the same homes' conditions (``documents.components.dossiers_with(HELD)``,
    ``dossier_flags.owner_verified_exists``, ``dossier_flags.paid_online_exists``)."""
    return (Dossier.objects.select_related("procedure__field", "current_unit", "owner")
            .prefetch_related("procedure__fee_lines", "procedure__documents")
            .annotate(national_digitised=dossiers_with(HELD), national_vneid=dossier_flags.owner_verified_exists(),
                      national_paid_online=dossier_flags.paid_online_exists())
            .in_bulk(ids))


def _read(dossier: Dossier, name: str, compute):
    """An annotation of :func:`batch_dossiers`, else the home's own function."""
    value = getattr(dossier, name, None)
    return compute(dossier) if value is None else value


def fee_items(dossier: Dossier) -> list[dict]:
    """``DanhSachLePhi``: what was paid (the lines of the paid orders), else what the catalog's fee
    lines make due (``payments.fees``). A free procedure has none. ``MaPhiLePhi``: the national
    code the catalog of the dossier's procedure version gives the fee of that name
    (``payments.fees.fee_codes``), empty when it holds none."""
    paid = list(dossier.payment_orders.filter(status=OrderStatus.PAID).order_by("paid_at", "id"))
    lines = [line for order in paid for line in (order.lines or [])]
    if not lines and paid:
        lines = [{"name": "Phí, lệ phí", "amount": order.amount} for order in paid]
    if not lines:
        rows = fee_rows(dossier.procedure)
        fee = fee_for(dossier.procedure, default_quantities(rows)) if rows else None
        lines = fee.lines_json() if fee is not None else []
    codes = fee_codes(dossier.procedure, dossier.channel)
    return [{"TenPhiLePhi": str(line.get("name", ""))[:300], "MaPhiLePhi": codes.get(fold(str(line.get("name", ""))), ""),
             "HinhThucThu": ON_RECEIPT, "Gia": int(line.get("amount") or 0), "LoaiPhiLePhi": ORDINARY_FEE}
            for line in lines if int(line.get("amount") or 0) > 0]


def papers(dossier: Dossier) -> tuple[list[dict], list[dict]]:
    """``TaiLieuNop`` (each paper held as a file, with its flags and a link the portal downloads)
    and ``DanhSachTepDinhKemKhac`` (papers handed in on paper only). ``MaThanhPhanHoSo``: the
    national code (``MAGIAYTO``) of the paper of the dossier's procedure version the file is
    for (``documents.papers.paper_named``); empty for a file of no catalogued paper or a paper
    without a code."""
    submitted, other = [], []
    catalog_papers = procedure_papers(dossier.procedure)
    for component in dossier_components(dossier):
        if component.file is None:
            other.append({"TenGiayTo": component.name[:400], "SoLuong": 1, "LoaiGiayTo": 1})
            continue
        record = component.file
        paper = paper_named(catalog_papers, record.kind)
        submitted.append({
            "TepDinhKemId": str(record.pk), "TenTepDinhKem": record.name, "IsDeleted": "False",
            "MaThanhPhanHoSo": paper.code if paper is not None else "", "DuongDanTaiTepTin": file_url(record),
            **file_flags(record, paper).national(),
        })
    return submitted, other


def results(dossier: Dossier) -> list[dict]:
    """``DanhSachGiayToKetQua``: each result file with a link the portal downloads and
    ``MaGiayToKetQua``, the national result code (``MAKETQUA``) the catalog of the dossier's
    procedure version gives it (``Procedure.coded_result``: the result the file is named after,
    else the main one); empty, with the procedure's result as the name, when the catalog holds
    no coded result. ``MaThanhPhanHoSo`` stays empty: a result is no paper of the dossier."""
    items = []
    for record in result_files(dossier):
        entry = dossier.procedure.coded_result(record.name)
        items.append({"TenGiayTo": (entry.get("name") or dossier.procedure.result or record.name)[:400],
                      "MaThanhPhanHoSo": "", "GiayToId": str(record.pk), "DuongDanTepTinKetQua": file_url(record),
                      "MaGiayToKetQua": str(entry.get("code") or "")})
    return items


def supplement_rounds(dossier: Dossier, events: list[DossierEvent]) -> list[dict]:
    """``DanhSachHoSoBoSung``: one entry per request to supplement, with its answer when given."""
    rounds: list[dict] = []
    open_round: dict | None = None
    for event in events:
        if event.action == Action.REQUEST_SUPPLEMENT:
            open_round = {
                "HoSoBoSungId": f"{dossier.code}-BS{len(rounds) + 1}", "NguoiYeuCauBoSung": event.actor_name[:NAME_MAX],
                "NoiDungBoSung": event.note[:NOTE_MAX], "NgayBoSung": m.national_date(event.at),
                "NguoiTiepNhanBoSung": "", "ThongTinTiepNhan": "", "NgayTiepNhanBoSung": "", "TrangThaiBoSung": 0,
                "DanhSachGiayToBoSung": [], "DanhSachLePhiBoSung": [], "NgayHenTraTruoc": "", "NgayHenTraMoi": "",
            }
            rounds.append(open_round)
        elif open_round is not None and event.action == Action.UPLOAD_DOCUMENT:
            document = (event.changes or {}).get("document") or {}
            if not document.get("is_result"):
                open_round["DanhSachGiayToBoSung"].append({"TenGiayTo": str(document.get("kind") or document.get("name", ""))[:400]})
        elif open_round is not None and event.action in (Action.SUPPLEMENT, Action.WITHDRAW):
            due = (event.changes or {}).get("due_at") or []
            open_round.update({
                "NguoiTiepNhanBoSung": event.actor_name[:NAME_MAX], "ThongTinTiepNhan": event.note[:NOTE_MAX],
                "NgayTiepNhanBoSung": m.national_date(event.at), "TrangThaiBoSung": 1 if event.action == Action.SUPPLEMENT else 2,
                "NgayHenTraTruoc": m.national_date(m.parse_national_date(due[0])) if len(due) == 2 else "",
                "NgayHenTraMoi": m.national_date(m.parse_national_date(due[1])) if len(due) == 2 else "",
            })
            open_round = None
    return rounds


def national_dossier(dossier: Dossier, national_code: str, events: list[DossierEvent] | None = None,
                     databases: list[str] | None = None) -> dict:
    """The ``DongBoHoSoMC`` object of ``dossier`` as it is now. ``events`` and ``databases``
    (``NationalRecord.databases``), when the caller read them already; ``dossier`` as
    :func:`batch_dossiers` gives it, or any."""
    events = _events(dossier) if events is None else events
    databases = dossier_flags.databases_used(dossier) if databases is None else list(databases)
    procedure = dossier.procedure
    received = dossier.status not in (Status.SUBMITTED, Status.REFUSED)
    ended = dossier.resolved_at or dossier.withdrawn_at or dossier.refused_at
    submitted, other = papers(dossier)
    return {
        "MaHoSo": national_code,
        "MaTTHC": procedure.national_code or procedure.code,
        "TenTTHC": procedure.name,
        "MaLinhVuc": procedure.field.code,
        "TenLinhVuc": procedure.field.name,
        "KenhThucHien": m.CHANNEL_CODES[dossier.channel],
        "SoBienNhan": dossier.code,
        "ChuHoSo": dossier.applicant_name,
        "SoGiayToChuHoSo": dossier.applicant_id_number,
        "LoaiDoiTuong": m.CITIZEN,
        "MaDoiTuong": "",
        "ThongTinKhac": "",
        "Email": dossier.applicant_email,
        "Fax": "",
        "SoDienThoai": dossier.applicant_phone,
        "TrichYeuHoSo": procedure.name[:SUMMARY_MAX],
        "NgayNopHoSo": m.national_date(dossier.submitted_at),
        "NgayTiepNhan": m.national_date(dossier.received_at) if received else "",
        "NgayHenTra": m.national_date(dossier.due_at) if received else "",
        "NgayTra": m.national_date(dossier.returned_at),
        "NgayKetThucXuLy": m.national_date(ended) if dossier.status != Status.REFUSED else "",
        "NgayTuChoi": m.national_date(dossier.refused_at),
        "TrangThaiHoSo": m.STATUS_CODES[dossier.status],
        "ThongTinTra": dossier.delivery_address if dossier.delivery == "post" else "",
        "HinhThuc": m.DELIVERY_CODES[dossier.delivery],
        "DonViXuLy": dossier.current_unit.name,
        "GhiChu": "",
        "NoiNopHoSo": m.FILED_AT.get(dossier.source, m.FILED_HERE),
        "HoSoCoThanhPhanSoHoa": _flag(_read(dossier, "national_digitised", has_digitised_component)),
        "TaiKhoanDuocXacThucVoiVNeID": _flag(_read(dossier, "national_vneid", dossier_flags.owner_verified_by_vneid)),
        "DuocThanhToanTrucTuyen": dossier_flags.paid_online_code(bool(
            _read(dossier, "national_paid_online", lambda d: dossier_flags.paid_online(d) != dossier_flags.NOT_PAID_ONLINE))),
        "DinhDanhCHS": m.id_documents(dossier.applicant_id_number),
        "DSKetNoiCSDL": [{"MaCSDL": code} for code in databases],
        "TaiLieuNop": submitted,
        "DanhSachLePhi": fee_items(dossier),
        "DanhSachTepDinhKemKhac": other,
        "DanhSachHoSoBoSung": supplement_rounds(dossier, events),
        "DanhSachGiayToKetQua": results(dossier),
    }


def event_label(event: DossierEvent) -> str:
    transition = transition_for(event.action)
    return str(transition.label if transition is not None else EVENT_LABELS.get(event.action, event.action))


def progress_steps(dossier: Dossier, national_code: str, events: list[DossierEvent] | None = None) -> list[tuple[int, dict]]:
    """``[(event seq, CapNhatTienDoHoSoMC item)]`` of every event that is a progress step, in order."""
    events = _events(dossier) if events is None else events
    steps = []
    for event in events:
        code = m.step_code(event)
        if code is None:
            continue
        content = event_label(event) + (f": {event.note[:NOTE_MAX]}" if event.note else "")
        steps.append((event.seq, {
            "MaHoSo": national_code,
            "NguoiXuLy": (event.actor_name or "Hệ thống Một cửa")[:NAME_MAX],
            "ChucDanh": str(event.get_actor_role_display()) if event.actor_role else "",
            "ThoiDiemXuLy": m.national_date(event.at),
            "PhongBanXuLy": event.unit.name if event.unit is not None else dossier.current_unit.name,
            "NoiDungXuLy": content,
            "TrangThai": code,
            "NgayBatDau": m.national_date(event.at),
            "NgayKetThucTheoQuyDinh": m.national_date(dossier.due_at),
        }))
    return steps


def step_key(item: dict) -> tuple[str, str, str]:
    """What identifies a step the national portal already holds: when, which state, what was done."""
    return (str(item.get("ThoiDiemXuLy", "")), str(item.get("TrangThai", "")), str(item.get("NoiDungXuLy", "")))
