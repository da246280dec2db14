"""Dossiers "filed on the simulated national portal", forwarded to the province as DVCQG would:
pushed to ``POST /api/v1/national/dossiers`` over HTTP with the simulator's own ``national_portal``
service account, or left in the queue the pull mode reads. Demo data only (a test system)."""

from __future__ import annotations

import base64
import secrets

import httpx
from django.urls import reverse
from django.utils import timezone

from motcua.accounts.models import ApiToken, Membership, Role, User
from motcua.catalog.models import Procedure, Unit
from motcua.links import public_url
from motcua.national.contrib.dvcqg.mapping import national_date
from motcua.national.contrib.dvcqg_sandbox.models import SandboxFiling, SandboxQuestion

SERVICE_ACCOUNT = "dvcqg-sandbox"
DEMO_PROCEDURE, DEMO_UNIT = "1.001193", "YB.LY.YT"  # Đăng ký khai sinh at Thị trấn Yên Thế (docs/commands.md#demo-data)
# A one-page PDF (its first bytes make it a PDF, which is what intake checks).
DEMO_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
            b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
SAMPLE = {"text": "Mẫu thử", "textarea": "Nội dung mẫu thử", "date": "2026-01-15", "number": "1",
          "id_number": "001090000001", "phone": "0912000001", "email": "mau.thu@example.vn"}


def sample_answers(form) -> dict:
    """An answer to every field of a procedure's form, by its type."""
    answers = {}
    for field in form or []:
        if field.get("type") == "choice":
            answers[field["name"]] = (field.get("choices") or [""])[0]
        else:
            answers[field["name"]] = SAMPLE.get(field.get("type"), "Mẫu thử")
    return answers


def new_filing(procedure_code: str = DEMO_PROCEDURE, unit_code: str = DEMO_UNIT, *, papers: list | None = None,
               owner: dict | None = None) -> SandboxFiling:
    """A new dossier filed on the simulated portal (a national code of its own, "G22.99-…")."""
    procedure = Procedure.objects.get(code=procedure_code)
    unit = Unit.objects.get(code=unit_code)
    now = timezone.now()
    code = f"G22.99-{now:%y%m%d}-{secrets.randbelow(10**6):06d}"
    body = {
        "MaHoSo": code, "MaTTHC": procedure.national_code or procedure.code, "MaDonVi": unit.national_id or unit.code,
        "NgayNopHoSo": national_date(now),
        "ChuHoSo": owner or {"HoVaTen": "Trần Thị Bình", "SoDinhDanh": "001190000002", "SoDienThoai": "0912000002",
                             "DiaChi": "Thị trấn Yên Thế, Lục Yên, Yên Bái"},
        "DuLieuBieuMau": sample_answers(procedure.form),
        "TaiLieuNop": papers if papers is not None else [
            {"TenTepDinhKem": "to-khai.pdf", "NoiDungBase64": base64.b64encode(DEMO_PDF).decode()}],
        "HinhThucNhanKetQua": "counter",
    }
    return SandboxFiling.objects.create(ma_ho_so=code, body=body)


def service_account() -> User:
    """The simulator's ``national_portal`` account, member of every top-level unit."""
    user, created = User.objects.get_or_create(username=SERVICE_ACCOUNT, defaults={"role": Role.NATIONAL_PORTAL,
                                                                                   "full_name": "Cổng DVCQG mô phỏng"})
    if created:
        user.set_unusable_password()
        user.save()
    for unit in Unit.objects.filter(parent__isnull=True):
        Membership.objects.get_or_create(user=user, unit=unit)
    return user


def forward(filing: SandboxFiling, *, timeout: float = 30) -> httpx.Response:
    """Push ``filing`` to the province's system over HTTP, as DVCQG would."""
    _, token = ApiToken.issue(service_account(), name="dvcqg-sandbox")
    response = httpx.post(public_url(reverse("api:receive_national_dossier")), json=filing.body, timeout=timeout,
                          headers={"Authorization": f"Bearer {token}"})
    if response.status_code in (200, 201):
        SandboxFiling.objects.filter(pk=filing.pk).update(delivered_at=timezone.now())
    return response




DEMO_QUESTION = "Con tôi sinh ở bệnh viện tỉnh khác, tôi có đăng ký khai sinh ở Thị trấn Yên Thế được không?"


def new_question(procedure_code: str = DEMO_PROCEDURE, unit_code: str = DEMO_UNIT, *, text: str = DEMO_QUESTION,
                 asker: dict | None = None) -> SandboxQuestion:
    """A question asked on the simulated portal about a procedure, for a unit (``HOIDAPID`` "HD-…")."""
    procedure = Procedure.objects.select_related("field").get(code=procedure_code)
    unit = Unit.objects.get(code=unit_code)
    hoi_dap_id = f"HD-{timezone.now():%y%m%d}-{secrets.randbelow(10**6):06d}"
    asker = asker or {"HOVATEN": "Lê Thị Hoa", "DIACHI": "Thị trấn Yên Thế, Lục Yên, Yên Bái",
                      "THUDIENTU": "le.hoa@example.vn", "SODIENTHOAI": "0912000003"}
    row = {"HOIDAPID": hoi_dap_id, "MALINHVUC": procedure.field.code if procedure.field_id else "",
           "MATTHCDP": procedure.national_code or procedure.code, "MADONVI": unit.national_id or unit.code,
           "TENDONVI": unit.name, "NOIDUNG": text, **asker, "TRANGTHAI": 1, "TRALOIID": "", "NOIDUNGTRALOI": ""}
    return SandboxQuestion.objects.create(hoi_dap_id=hoi_dap_id, row=row)
