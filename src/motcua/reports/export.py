"""The TTHC report as Biểu số 06/VPCP/KSTT (TT 01/2020/TT-VPCP): a spreadsheet and a PDF.

Both only format what :func:`motcua.reports.services.tthc_report` returns. The table has
the form's thirteen columns (shared/domain/reports.md): 1 STT, 2 field by level,
3 received, 4 new online, 5 new direct + postal (one column on the form), 6 carried
over, 7–10 resolved (total, early, on time, late), 11–13 in progress (total, within,
overdue). Rows: one group per level of the receiving units (tỉnh / huyện / xã) with its
subtotal, one row per field inside it, and the grand total. Withdrawn dossiers are not
a column of the form: they are stated under the table.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from pathlib import Path

from motcua import spreadsheets
from motcua.formatting import group_digits, percent
from motcua.worktime.calendar import VN_TZ

FORM_NUMBER = "Biểu số 06/VPCP/KSTT"
FORM_BASIS = "Ban hành kèm theo Thông tư số 01/2020/TT-VPCP ngày 21/10/2020 của Văn phòng Chính phủ"
TITLE = "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC"
COUNT_UNIT = "Đơn vị tính: Số hồ sơ TTHC"
ROMAN = ["I", "II", "III", "IV", "V"]

# The form's heading, as (text, first column, last column, first row, last row) on rows 1–3.
HEADING_CELLS = [
    ("STT", 1, 1, 1, 3),
    ("Lĩnh vực, công việc giải quyết theo cấp", 2, 2, 1, 3),
    ("Số hồ sơ nhận giải quyết", 3, 6, 1, 1),
    ("Số hồ sơ đã giải quyết", 7, 10, 1, 1),
    ("Số hồ sơ đang giải quyết", 11, 13, 1, 1),
    ("Tổng số", 3, 3, 2, 3),
    ("Trong kỳ", 4, 5, 2, 2),
    ("Từ kỳ trước", 6, 6, 2, 3),
    ("Tổng số", 7, 7, 2, 3),
    ("Trước hạn", 8, 8, 2, 3),
    ("Đúng hạn", 9, 9, 2, 3),
    ("Quá hạn", 10, 10, 2, 3),
    ("Tổng số", 11, 11, 2, 3),
    ("Trong hạn", 12, 12, 2, 3),
    ("Quá hạn", 13, 13, 2, 3),
    ("Trực tuyến", 4, 4, 3, 3),
    ("Trực tiếp, dịch vụ bưu chính", 5, 5, 3, 3),
]


def columns_3_to_13(figures: dict) -> list[int]:
    """A report (or a row of it) as the form's columns 3–13."""
    received, new = figures["received"], figures["received"]["new"]
    done, doing = figures["resolved"], figures["in_progress"]
    return [
        received["total"], new["online"], new["direct"] + new["postal"], received["carried_over"],
        done["total"], done["early"], done["on_time"], done["late"],
        doing["total"], doing["within_deadline"], doing["overdue"],
    ]


def _d(day: str) -> str:
    return dt.date.fromisoformat(day).strftime("%d/%m/%Y")


def period_label(report: dict) -> str:
    return f"Từ ngày {_d(report['from'])} đến ngày {_d(report['to'])}"


def unit_label(report: dict) -> str:
    name = report.get("unit_name") or report["unit"]
    return f"{name} và các đơn vị trực thuộc" if report.get("children") else name


def table_rows(report: dict) -> list[dict]:
    """The body of the form: ``{"kind": "group"|"field"|"total", "stt", "label", "values"}``."""
    rows: list[dict] = []
    groups: dict[str, list[dict]] = {}
    for row in report.get("rows", []):
        groups.setdefault(row["level"], []).append(row)
    for index, (level, members) in enumerate(groups.items()):
        subtotal = [sum(col) for col in zip(*(columns_3_to_13(m) for m in members))]
        rows.append({"kind": "group", "stt": ROMAN[index] if index < len(ROMAN) else str(index + 1),
                     "label": members[0]["level_name"], "values": subtotal})
        for number, member in enumerate(members, start=1):
            rows.append({"kind": "field", "stt": str(number), "label": member["field_name"],
                         "values": columns_3_to_13(member)})
    rows.append({"kind": "total", "stt": "", "label": "Tổng cộng", "values": columns_3_to_13(report)})
    return rows


def notes(report: dict) -> list[str]:
    """The lines under the table: withdrawn dossiers and the docs/reports.md rates."""
    rates = report["rates"]
    return [
        f"Hồ sơ đã rút trong kỳ (không tính vào các cột 7–13): {group_digits(report['withdrawn'])}.",
        f"Tỷ lệ hồ sơ tiếp nhận trực tuyến: {percent(rates['online_pct'])}.",
        f"Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn: {percent(rates['resolved_on_time_pct'])}.",
    ]


# ------------------------------------------------------------------ spreadsheet

def to_xlsx(report: dict) -> bytes:
    """Biểu 06 as an .xlsx workbook (openpyxl): heading, 13 numbered columns, rows by level and field."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "Biểu 06"
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    bold = Font(bold=True)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)

    ws["A1"] = FORM_NUMBER
    ws["A1"].font = bold
    ws["A2"] = FORM_BASIS
    ws["A2"].font = Font(italic=True, size=9)
    ws.merge_cells("A4:M4")
    ws["A4"] = TITLE
    ws["A4"].font = Font(bold=True, size=13)
    ws["A4"].alignment = centre
    ws.row_dimensions[4].height = 36
    ws.merge_cells("A5:M5")
    ws["A5"] = f"Kỳ báo cáo: {period_label(report)}"
    ws["A5"].alignment = centre
    ws.merge_cells("A6:M6")
    ws["A6"] = f"Đơn vị báo cáo: {unit_label(report)} ({report['unit']})"
    ws["A6"].alignment = centre
    ws.merge_cells("J7:M7")
    ws["J7"] = COUNT_UNIT
    ws["J7"].font = Font(italic=True)
    ws["J7"].alignment = Alignment(horizontal="right")

    top = 8  # heading rows 8–10, column numbers on 11, data from 12
    for text, c1, c2, r1, r2 in HEADING_CELLS:
        for r in range(top + r1 - 1, top + r2):
            for c in range(c1, c2 + 1):
                ws.cell(row=r, column=c).border = box
        cell = ws.cell(row=top + r1 - 1, column=c1, value=text)
        cell.font = bold
        cell.alignment = centre
        if (c1, r1) != (c2, r2):
            ws.merge_cells(start_row=top + r1 - 1, start_column=c1, end_row=top + r2 - 1, end_column=c2)
    numbers_row = top + 3
    for col in range(1, 14):
        cell = ws.cell(row=numbers_row, column=col, value=f"({col})")
        cell.alignment = centre
        cell.font = Font(italic=True, size=9)
        cell.border = box

    r = numbers_row + 1
    for row in table_rows(report):
        emphasis = row["kind"] in ("group", "total")
        ws.cell(row=r, column=1, value=row["stt"]).alignment = centre
        ws.cell(row=r, column=2, value=row["label"]).alignment = Alignment(wrap_text=True, vertical="center")
        for offset, value in enumerate(row["values"]):
            cell = ws.cell(row=r, column=3 + offset, value=value)
            cell.alignment = Alignment(horizontal="right")
            cell.number_format = "#,##0"
        for col in range(1, 14):
            ws.cell(row=r, column=col).border = box
            if emphasis:
                ws.cell(row=r, column=col).font = bold
        r += 1

    r += 1
    for line in notes(report):
        ws.cell(row=r, column=1, value=line)
        r += 1

    widths = {1: 6, 2: 38}
    for col in range(1, 14):
        ws.column_dimensions[get_column_letter(col)].width = widths.get(col, 12)
    for row_number in range(top, top + 3):
        ws.row_dimensions[row_number].height = 30
    ws.freeze_panes = ws.cell(row=numbers_row + 1, column=3)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True

    return spreadsheets.xlsx_bytes(wb)


# ------------------------------------------------------------------ PDF

TEMPLATE = Path(__file__).parent / "typst" / "tthc.typ"
_local = threading.local()


def _compiler():
    """One Typst compiler per thread (fonts load once), only the fonts embedded in the wheel."""
    import typst

    compiler = getattr(_local, "compiler", None)
    if compiler is None:
        compiler = typst.Compiler(root=str(TEMPLATE.parent), ignore_system_fonts=True)
        _local.compiler = compiler
    return compiler


def pdf_data(report: dict) -> dict:
    """What the Typst template shows: every text prepared here, never spliced into Typst source."""
    return {
        "form_number": FORM_NUMBER,
        "form_basis": FORM_BASIS,
        "title": TITLE,
        "period": period_label(report),
        "unit_label": unit_label(report),
        "unit": report["unit"],
        "count_unit": COUNT_UNIT,
        "heading": [{"text": t, "c1": c1, "c2": c2, "r1": r1, "r2": r2} for t, c1, c2, r1, r2 in HEADING_CELLS],
        "rows": [{**row, "values": [group_digits(v) for v in row["values"]]} for row in table_rows(report)],
        "notes": notes(report),
        "generated": dt.datetime.now(VN_TZ).strftime("%H:%M %d/%m/%Y"),
    }


def to_pdf(report: dict) -> bytes:
    """Biểu 06 as an A4 landscape PDF, typeset by Typst from ``reports/typst/tthc.typ``."""
    inputs = {"data": json.dumps(pdf_data(report), ensure_ascii=False)}
    return _compiler().compile(TEMPLATE.read_bytes(), format="pdf", sys_inputs=inputs)
