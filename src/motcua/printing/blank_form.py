"""A blank form (mẫu đơn, tờ khai) to print and fill by hand, made from the catalog (issue 17 §2).

For a paper whose official form Motcua does not hold (``RequiredDocument.template_blank``), the
citizen downloads this instead: the national motto, the paper's name as title, "Kính gửi", the
applicant's lines, one dotted line (or box, or date) per field of the procedure's online form
(``catalog.formfields``), the pledge, the signature, and the procedure's legal basis. The note
under the title and the footer say Motcua generated it, and which official form it stands for.

``catalog.blankforms`` decides when one is made and keeps it; this module only draws it. The
data carries no date or person, so the same catalog gives the same bytes' content:
:func:`fingerprint` tells whether a stored blank is still the one the catalog describes.
"""

from __future__ import annotations

import functools
import hashlib
import json

from motcua.catalog.text import public_text
from motcua.printing.pdf import TEMPLATE_DIR, render_pdf

TEMPLATE = "blank_form"

# The applicant's lines, as the paper forms ask them (the API's applicant fields, docs/api.md).
APPLICANT_LINES = (
    "Họ, chữ đệm và tên người yêu cầu",
    "Số định danh cá nhân",
    "Nơi cư trú",
    "Số điện thoại",
    "Thư điện tử (nếu có)",
)
WRITING_LINES = 3  # a textarea: three dotted lines


def _field(label: str, kind: str = "line", *, help_text: str = "", choices=(), lines: int = 0) -> dict:
    return {"label": label, "kind": kind, "help": help_text, "choices": list(choices), "lines": lines}


def _form_field(f: dict) -> dict:
    kind = f.get("type")
    label, help_text = public_text(f.get("label", "")), public_text(f.get("help", ""))
    if kind == "textarea":
        return _field(label, "lines", help_text=help_text, lines=WRITING_LINES)
    if kind == "date":
        return _field(label, "date", help_text=help_text)
    if kind == "choice":
        return _field(label, "choice", help_text=help_text, choices=[str(c) for c in f.get("choices") or []])
    return _field(label, help_text=help_text)


def blank_form_data(document) -> dict:
    """What the template draws for ``document`` (a ``catalog.RequiredDocument``)."""
    procedure = document.procedure
    official = public_text(document.template_name)
    note = "Mẫu trống do hệ thống Motcua tạo từ thông tin thủ tục, để in và điền tay"
    note += f"; mẫu chính thức: {official}." if official else "."
    fields = [_form_field(f) for f in procedure.form or []]
    if not fields:
        fields = [_field("Nội dung đề nghị", "lines", lines=WRITING_LINES + 2)]
    return {
        "title": public_text(document.name),
        "note": note,
        "footer": f"Mẫu trống do Motcua tạo · Thủ tục {procedure.code}: {public_text(procedure.name)}",
        "sections": [
            {"heading": "I. Thông tin người yêu cầu", "fields": [_field(label) for label in APPLICANT_LINES]},
            {"heading": "II. Nội dung khai", "fields": fields},
        ],
        "legal_basis": [public_text(item) for item in procedure.legal_basis or [] if str(item).strip()],
    }


@functools.cache
def _template_digest() -> str:
    sha = hashlib.sha256()
    for name in ("common.typ", f"{TEMPLATE}.typ"):
        sha.update((TEMPLATE_DIR / name).read_bytes())
    return sha.hexdigest()


def fingerprint(data: dict) -> str:
    """The digest of what a blank is made from: its data and the templates that draw it."""
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True).encode()
    return hashlib.sha256(_template_digest().encode() + payload).hexdigest()


def render_blank_form(data: dict) -> bytes:
    """The PDF of :func:`blank_form_data`'s ``data``."""
    return render_pdf(TEMPLATE, data)
