"""The national portal's connection (docs/api.md): dossiers it forwards, and a dossier's sync state."""

from __future__ import annotations

from ninja import Router, Schema
from pydantic import Field as PydField

from motcua.api.auth import token_or_session
from motcua.api.timefmt import local_iso
from motcua.national import services as national

router = Router(tags=["national"])


class OwnerIn(Schema):
    HoVaTen: str = PydField(..., max_length=200)
    SoDinhDanh: str = PydField(..., max_length=20)
    SoDienThoai: str | None = PydField(None, max_length=20)
    Email: str | None = PydField(None, max_length=254)
    DiaChi: str | None = PydField(None, max_length=300)


class PaperIn(Schema):
    TenTepDinhKem: str = PydField(..., max_length=255)
    MaThanhPhanHoSo: str | None = PydField(None, max_length=400)
    DuongDanTaiTepTin: str | None = PydField(None, max_length=4000)
    NoiDungBase64: str | None = None


class NationalDossierIn(Schema):
    MaHoSo: str = PydField(..., max_length=80)
    MaTTHC: str = PydField(..., max_length=60)
    MaDonVi: str = PydField(..., max_length=60)
    NgayNopHoSo: str = PydField(..., max_length=40, description="yyyyMMddHHmmss (giờ Việt Nam) hoặc ISO 8601")
    ChuHoSo: OwnerIn
    DuLieuBieuMau: dict | None = None
    TaiLieuNop: list[PaperIn] | None = PydField(None, max_length=50)
    HinhThucNhanKetQua: str | None = PydField(None, max_length=20, description="counter, post hoặc electronic")


class NationalDossierOut(Schema):
    code: str
    national_code: str
    status: str
    received_at: str | None
    due_at: str | None


class NationalStateOut(Schema):
    national_code: str | None
    pending: bool
    synced_at: str | None
    status_sent: int | None = PydField(..., description="TrangThaiHoSo the national portal last acknowledged")
    steps_sent: int
    last_answer: str


@router.post("/national/dossiers", auth=token_or_session, response={200: NationalDossierOut, 201: NationalDossierOut},
             summary="Hồ sơ nộp trên Cổng Dịch vụ công quốc gia chuyển về (tài khoản national_portal)")
def receive_national_dossier(request, payload: NationalDossierIn):
    dossier, created = national.receive_forwarded(request.auth, payload.dict(exclude_none=True))
    body = {"code": dossier.code, "national_code": dossier.national.national_code, "status": dossier.status,
            "received_at": local_iso(dossier.received_at), "due_at": local_iso(dossier.due_at)}
    return (201 if created else 200), body


@router.get("/dossiers/{code}/national", auth=token_or_session, response=NationalStateOut,
            summary="Tình trạng đồng bộ hồ sơ với Cổng Dịch vụ công quốc gia")
def national_state(request, code: str):
    state = national.sync_state(request.auth, code)
    return {**state, "synced_at": local_iso(state["synced_at"])}
