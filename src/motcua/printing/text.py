"""How printed documents write moments, dates and agency names in Vietnamese (money: ``motcua.formatting``)."""

from __future__ import annotations

import datetime as dt
import unicodedata

from motcua.catalog.models import Level, Procedure, Unit
from motcua.formatting import vnd
from motcua.worktime.calendar import VN_TZ

# Administrative prefixes of unit names (NĐ 08/2016, Luật Tổ chức chính quyền địa phương).
_UNIT_PREFIXES = ("Thành phố", "Thị trấn", "Thị xã", "Phường", "Huyện", "Quận", "Tỉnh", "Xã")


def local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(VN_TZ)


def moment_text(moment: dt.datetime | None) -> str:
    """``"10 giờ 05 phút, ngày 29/04/2026"``: the "giờ, phút, ngày" of TT 01/2018 Mẫu 01."""
    if moment is None:
        return ""
    m = local(moment)
    return f"{m.hour:02d} giờ {m.minute:02d} phút, ngày {m:%d/%m/%Y}"


def short_moment(moment: dt.datetime | None) -> str:
    """``"10:05 29/04/2026"`` for table cells."""
    if moment is None:
        return ""
    return f"{local(moment):%H:%M %d/%m/%Y}"


def date_text(day: dt.date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


def long_date(day: dt.date) -> str:
    """``"ngày 29 tháng 4 năm 2026"`` as written under the national motto.

    NĐ 30/2020/NĐ-CP Phụ lục I: days below 10 and the months 1 and 2 take a leading zero.
    """
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def place_name(unit: Unit) -> str:
    """The unit's name without its administrative prefix: "Thị trấn Yên Thế" → "Yên Thế"."""
    for prefix in _UNIT_PREFIXES:
        if unit.name.startswith(prefix + " "):
            return unit.name[len(prefix) + 1:]
    return unit.name


def agency_lines(unit: Unit) -> list[str]:
    """The top-left block of an administrative form, upper case: who issues it.

    A commune or district: "UBND THỊ TRẤN YÊN THẾ" / "BỘ PHẬN MỘT CỬA"; a province:
    its public administration service centre (TT 01/2018 Art. 3).
    """
    return [f"UBND {unit.name}".upper(), office_name(unit).upper()]


def office_name(unit: Unit) -> str:
    """The one-stop office of ``unit``: the provincial centre or the Bộ phận Một cửa."""
    return "Trung tâm Phục vụ hành chính công" if unit.level == Level.PROVINCE else "Bộ phận Một cửa"


def fee_text(procedure: Procedure) -> str:
    """The fee line of a procedure: the amount (or "Không thu") and its note."""
    lines = list(procedure.fee_lines.all())
    if lines:
        parts = [f"{line.name}: {vnd(line.amount)}" + (f"/{line.per}" if line.per else "") for line in lines]
        text = "; ".join(parts)
    elif procedure.fee_amount:
        text = vnd(procedure.fee_amount)
    else:
        text = "Không thu phí, lệ phí"
    if procedure.fee_note:
        text += f" ({procedure.fee_note.rstrip('.')})"
    return text


def fee_short(procedure: Procedure) -> str:
    """The fee in a few words for a poster card: "2.000 đồng/trang", "Từ 10.000 đồng", "Không thu"."""
    lines = list(procedure.fee_lines.all())
    if lines:
        amounts = sorted({line.amount for line in lines})
        if len(lines) == 1 or len(amounts) == 1:
            per = lines[0].per if len(lines) == 1 else ""
            text = vnd(amounts[0]) + (f"/{per}" if per else "")
        else:
            text = f"Từ {vnd(amounts[0])} đến {vnd(amounts[-1])}"
    elif procedure.fee_amount:
        text = vnd(procedure.fee_amount)
    elif procedure.fee_note and len(procedure.fee_note) <= 70:
        return procedure.fee_note.rstrip(".")
    else:
        return "Không thu"
    if procedure.fee_note and len(text) + len(procedure.fee_note) <= 70:
        text += f" ({procedure.fee_note.rstrip('.')})"
    return text


# The Vietnamese alphabet (ă, â after a; đ after d; …), then tones as a second level.
_ALPHABET = ["a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m", "n",
             "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z"]
_RANK = {letter: i for i, letter in enumerate(_ALPHABET)}
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve, circumflex, horn: they make new letters
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền hỏi ngã sắc nặng


def vietnamese_key(value: str) -> tuple:
    """A sort key in Vietnamese dictionary order: "Đất đai" after "Dân số", before "Hộ tịch"."""
    letters: list[str] = []
    tones: list[int] = []
    for ch in unicodedata.normalize("NFD", value.lower()):
        if ch in _TONES and letters:
            tones[-1] = _TONES[ch]
        elif ch in _LETTER_MARKS and letters:
            letters[-1] = unicodedata.normalize("NFC", letters[-1] + ch)
        else:
            letters.append(ch)
            tones.append(0)
    primary = tuple(_RANK[c] if c in _RANK else 100 + ord(c) for c in letters)
    return primary, tuple(tones)
