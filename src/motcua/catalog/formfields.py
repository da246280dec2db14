"""The online form of a procedure as data (docs/api.md ``form``), and the one check of its answers.

A procedure's ``form`` is a list of fields ``{name, label, type, required, choices?, help?}``
kept in the catalog (admin, JSON import/export). Two functions decide everything:

- :func:`definition_problems` — whether a form definition is well made (admin, import);
- :func:`check_answers` — the answers of a dossier (``data``) against its procedure's form:
  the cleaned answers, or every problem keyed ``data.<name>``. The API (``POST /dossiers``,
  through ``dossiers.intake``) and the filing page both call it.

Plain Python: no Django forms, no ORM.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from motcua.dates import EARLIEST_YEAR, LATEST_YEAR
from motcua.identifiers import ID_NUMBER, PHONE, normalise_id_number, normalise_phone

TYPES = ("text", "textarea", "date", "number", "choice", "id_number", "phone", "email")
NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")
# Names the filing page uses for itself: a form field may not take them.
RESERVED = {"applicant", "delivery", "delivery_address", "owner", "step", "csrfmiddlewaretoken"}
MAX_LENGTH = {"text": 500, "textarea": 4000}
MAX_FIELDS = 40
NUMBER_LIMIT = Decimal("1e15")


def definition_problems(form, path: str = "form") -> dict[str, list[str]]:
    """Every problem of a form definition, keyed by JSON path; empty when it is well made."""
    problems: dict[str, list[str]] = {}

    def bad(where: str, message: str) -> None:
        problems.setdefault(where, []).append(message)

    if form in (None, ""):
        return problems
    if not isinstance(form, list):
        bad(path, "Biểu mẫu phải là một danh sách các trường.")
        return problems
    if len(form) > MAX_FIELDS:
        bad(path, f"Tối đa {MAX_FIELDS} trường.")
    names: set[str] = set()
    for i, field in enumerate(form):
        where = f"{path}[{i}]"
        if not isinstance(field, dict):
            bad(where, "Mỗi trường là một đối tượng JSON.")
            continue
        unknown = set(field) - {"name", "label", "type", "required", "choices", "help"}
        if unknown:
            bad(where, f"Khóa không dùng được: {', '.join(sorted(unknown))}.")
        name = field.get("name")
        if not isinstance(name, str) or not NAME.fullmatch(name):
            bad(f"{where}.name", "Tên trường: chữ thường không dấu, số, gạch dưới; bắt đầu bằng chữ (tối đa 40).")
        elif name in RESERVED:
            bad(f"{where}.name", f"Tên “{name}” đã dành cho trang nộp hồ sơ.")
        elif name in names:
            bad(f"{where}.name", f"Tên “{name}” bị trùng.")
        else:
            names.add(name)
        label = field.get("label")
        if not isinstance(label, str) or not label.strip() or len(label) > 200:
            bad(f"{where}.label", "Cần nhãn (tối đa 200 ký tự).")
        kind = field.get("type")
        if kind not in TYPES:
            bad(f"{where}.type", f"Chọn một trong: {', '.join(TYPES)}.")
        if not isinstance(field.get("required", False), bool):
            bad(f"{where}.required", "Phải là true hoặc false.")
        help_text = field.get("help", "")
        if not isinstance(help_text, str) or len(help_text) > 400:
            bad(f"{where}.help", "Hướng dẫn là chuỗi tối đa 400 ký tự.")
        choices = field.get("choices")
        if kind == "choice":
            if (not isinstance(choices, list) or not choices
                    or not all(isinstance(c, str) and c.strip() and len(c) <= 200 for c in choices)):
                bad(f"{where}.choices", "Trường lựa chọn cần danh sách các lựa chọn (chuỗi, tối đa 200 ký tự).")
            elif len(set(choices)) != len(choices):
                bad(f"{where}.choices", "Các lựa chọn không được trùng nhau.")
        elif choices not in (None, []):
            bad(f"{where}.choices", "Chỉ trường kiểu choice có lựa chọn.")
    return problems


def normalised(form) -> list[dict]:
    """The definition with defaults filled (``required`` false, ``help`` empty)."""
    out = []
    for field in form or []:
        item = {"name": field["name"], "label": field["label"], "type": field["type"],
                "required": bool(field.get("required", False))}
        if field["type"] == "choice":
            item["choices"] = list(field.get("choices") or [])
        if field.get("help"):
            item["help"] = field["help"]
        out.append(item)
    return out


# ------------------------------------------------------------------ answers

class _Bad(Exception):
    pass


def _text(value, kind: str) -> str:
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise _Bad("Phải là chữ.")
    value = value.strip() if kind == "textarea" else " ".join(value.split())
    if len(value) > MAX_LENGTH[kind]:
        raise _Bad(f"Dài quá {MAX_LENGTH[kind]} ký tự.")
    return value


def _date(value) -> str:
    if isinstance(value, dt.date):
        day = value
    elif isinstance(value, str):
        text = value.strip()
        try:
            if re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", text):  # 25/12/2024, as people write it
                d, m, y = (int(x) for x in text.split("/"))
                day = dt.date(y, m, d)
            else:
                day = dt.date.fromisoformat(text)
        except ValueError:
            raise _Bad("Ngày không hợp lệ (ví dụ 25/12/2024).") from None
    else:
        raise _Bad("Ngày không hợp lệ (ví dụ 25/12/2024).")
    if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        raise _Bad(f"Năm phải từ {EARLIEST_YEAR} đến {LATEST_YEAR}.")
    return day.isoformat()


def _number(value):
    if isinstance(value, bool):
        raise _Bad("Phải là một số.")
    if isinstance(value, str):
        text = value.strip().replace(" ", "")
        if re.fullmatch(r"-?\d{1,3}(\.\d{3})+", text):  # 1.234.567: Vietnamese digit groups
            text = text.replace(".", "")
        text = text.replace(",", ".")  # 2,5: Vietnamese decimal comma
    elif isinstance(value, (int, float)):
        text = str(value)
    else:
        raise _Bad("Phải là một số.")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise _Bad("Phải là một số (ví dụ 12 hoặc 2,5).") from None
    if not number.is_finite() or abs(number) >= NUMBER_LIMIT:
        raise _Bad("Số không hợp lệ.")
    return int(number) if number == number.to_integral_value() else float(number)


def _choice(value, choices: list[str]) -> str:
    if not isinstance(value, str) or value.strip() not in choices:
        raise _Bad(f"Chọn một trong: {'; '.join(choices)}.")
    return value.strip()


def _id_number(value) -> str:
    cleaned = normalise_id_number(str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else "")
    if not ID_NUMBER.fullmatch(cleaned):
        raise _Bad("Số định danh cá nhân (căn cước) phải gồm đúng 12 chữ số.")
    return cleaned


def _phone(value) -> str:
    cleaned = normalise_phone(value if isinstance(value, str) else "")
    if not PHONE.match(cleaned):
        raise _Bad("Số điện thoại không hợp lệ (ví dụ 0912345678).")
    return cleaned


def _email(value) -> str:
    cleaned = value.strip() if isinstance(value, str) else ""
    try:
        if len(cleaned) > 254:
            raise ValidationError("long")
        validate_email(cleaned)
    except ValidationError:
        raise _Bad("Địa chỉ thư điện tử không hợp lệ.") from None
    return cleaned


def clean_value(field: dict, value):
    """One answer cleaned by its field's type; raises ``ValueError`` with the Vietnamese message."""
    kind = field["type"]
    try:
        if kind in MAX_LENGTH:
            return _text(value, kind)
        if kind == "date":
            return _date(value)
        if kind == "number":
            return _number(value)
        if kind == "choice":
            return _choice(value, list(field.get("choices") or []))
        if kind == "id_number":
            return _id_number(value)
        if kind == "phone":
            return _phone(value)
        if kind == "email":
            return _email(value)
    except _Bad as exc:
        raise ValueError(str(exc)) from None
    raise ValueError(f"Kiểu trường “{kind}” không được hỗ trợ.")


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def check_answers(form, data: dict | None, *, require: bool = True, prefix: str = "data") -> tuple[dict, dict[str, list[str]]]:
    """``(cleaned data, problems)``: every answer of ``data`` checked against ``form``.

    ``require``: a required field left blank is a problem (online filing); a counter
    officer's intake keeps the answers on the paper form, so only what is given is checked.
    Keys the form does not define are kept as they are (the counter's ``received_papers``).
    """
    data = dict(data or {})
    problems: dict[str, list[str]] = {}
    for field in form or []:
        name = field["name"]
        value = data.get(name)
        if _blank(value):
            data.pop(name, None)
            if require and field.get("required"):
                problems[f"{prefix}.{name}"] = [f"Vui lòng điền “{field['label']}”."]
            continue
        try:
            data[name] = clean_value(field, value)
        except ValueError as exc:
            problems[f"{prefix}.{name}"] = [str(exc)]
    return data, problems


def answers_for_display(form, data: dict | None) -> list[tuple[str, str]]:
    """``[(label, answer as shown)]`` in the form's order, for review pages and the office."""
    rows = []
    for field in form or []:
        value = (data or {}).get(field["name"])
        if _blank(value):
            continue
        if field["type"] == "date":
            try:
                value = dt.date.fromisoformat(str(value)).strftime("%d/%m/%Y")
            except ValueError:
                pass
        rows.append((field["label"], str(value)))
    return rows
