"""Fixtures for the printable documents: dossiers made through the real workflow, PDF reading."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata

import pypdf
import pytest

from motcua.worktime.calendar import VN_TZ

APPLICANT = {
    "full_name": "Nguyễn Thị Ánh Tuyết",
    "id_number": "015190000123",
    "phone": "0912345678",
    "email": "anhtuyet@example.vn",
    "address": "Tổ dân phố số 3, thị trấn Yên Thế, huyện Lục Yên, tỉnh Yên Bái",
}

A4 = (595.28, 841.89)


def user(username: str):
    from motcua.accounts.models import User

    return User.objects.get(username=username)


@pytest.fixture
def make_dossier(demo):
    """``make_dossier(procedure=…, unit=…, arrived_at=…)``: a dossier taken in at the counter."""
    from motcua.dossiers.intake import receive_dossier

    def make(procedure: str = "1.004873", unit: str = "YB.LY.YT", counter: str = "motcua.yt",
             arrived_at: dt.datetime | None = None, applicant: dict | None = None, **kwargs):
        return receive_dossier(
            actor=user(counter), procedure_code=procedure, unit_code=unit, channel=kwargs.pop("channel", "direct"),
            applicant=applicant or APPLICANT, arrived_at=arrived_at or dt.datetime(2026, 4, 29, 10, 5, tzinfo=VN_TZ),
            **kwargs,
        )

    return make


def act(username: str, code: str, action: str, **payload):
    from motcua.dossiers.actions import apply_action

    return apply_action(user(username), code, action, payload)


def pdf_reader(content: bytes) -> pypdf.PdfReader:
    assert content[:5] == b"%PDF-", content[:40]
    return pypdf.PdfReader(io.BytesIO(content))


def pdf_text(content: bytes) -> str:
    """All the text of a PDF, NFC-normalised with runs of whitespace collapsed."""
    reader = pdf_reader(content)
    raw = "\n".join(page.extract_text() for page in reader.pages)
    return " ".join(unicodedata.normalize("NFC", raw).split())


def nfc(value: str) -> str:
    return " ".join(unicodedata.normalize("NFC", value).split())


def page_size(page) -> tuple[float, float]:
    box = page.mediabox
    return round(float(box.width), 2), round(float(box.height), 2)


def is_a4_portrait(page) -> bool:
    w, h = page_size(page)
    return abs(w - A4[0]) < 1 and abs(h - A4[1]) < 1


def is_a4_landscape(page) -> bool:
    w, h = page_size(page)
    return abs(w - A4[1]) < 1 and abs(h - A4[0]) < 1


def images(page) -> list:
    """The image XObjects drawn on ``page``."""
    resources = page["/Resources"].get_object()
    xobjects = resources.get("/XObject")
    if not xobjects:
        return []
    found = [x.get_object() for x in xobjects.get_object().values()]
    return [x for x in found if x.get("/Subtype") == "/Image"]


def has_image(page) -> bool:
    return bool(images(page))


def qr_modules_in(page) -> list[list[bool]]:
    """Each QR image on ``page`` read back as its module matrix (one pixel per module)."""
    matrices = []
    for image in images(page):
        width, height = int(image["/Width"]), int(image["/Height"])
        pixels = image.get_data()
        if width != height or len(pixels) != width * height:
            continue
        matrices.append([[pixels[y * width + x] < 128 for x in range(width)] for y in range(height)])
    return matrices


def qr_modules_of(url: str) -> list[list[bool]]:
    """The module matrix segno makes for ``url`` with the settings the documents use."""
    import segno

    return [[bool(v) for v in row] for row in segno.make(url, error="m").matrix_iter(scale=1, border=2)]

LONG_NAME = (
    "Đăng ký đất đai, tài sản gắn liền với đất, cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản "
    "gắn liền với đất lần đầu đối với hộ gia đình, cá nhân, cộng đồng dân cư đang sử dụng đất ổn định, "
    "không có tranh chấp, phù hợp với quy hoạch sử dụng đất đã được cơ quan nhà nước có thẩm quyền phê duyệt"
)
TRICKY_NAME = "Thủ tục #thử $x$ *đậm* _nghiêng_ @nhãn <a> [ngoặc] \\ // không phải chú thích"


@pytest.fixture
def many_procedures(demo):
    """``many_procedures(n)``: n extra commune procedures (one very long name, one full of
    Typst markup) in two fields, with fees and times, so a poster runs over several pages."""
    from motcua.catalog.models import Field, Procedure, ProcedureLevel, RequiredDocument

    def make(n: int = 32) -> list:
        fields = [
            Field.objects.get_or_create(code="LDTBXH", defaults={"name": "Lao động, thương binh và xã hội"})[0],
            Field.objects.get_or_create(code="DD", defaults={"name": "Đất đai"})[0],
        ]
        created = []
        for i in range(n):
            name = LONG_NAME if i == 0 else TRICKY_NAME if i == 1 else f"Thủ tục thử nghiệm số {i:02d}: xác nhận hộ nghèo, cận nghèo"
            procedure = Procedure.objects.create(
                code=f"9.{i:06d}", name=name, field=fields[i % 2], online_level="partial" if i % 3 else "full",
                processing_time_value=i % 10 + 1, processing_time_unit="working_days",
                fee_amount=(i % 4) * 25000,
            )
            ProcedureLevel.objects.create(procedure=procedure, level="commune")
            RequiredDocument.objects.create(procedure=procedure, name="Đơn đề nghị (theo mẫu)", copy_type="original")
            created.append(procedure)
        return created

    return make
