"""Every spreadsheet Motcua writes (``.xlsx`` and ``.csv``): no text cell is a formula.

Text in a report comes from the catalog and the unit tree, which administrators and
imports write. A field named ``=HYPERLINK("http://…","Bấm vào đây")`` or ``@SUM(…)`` would
be a live formula in Excel or LibreOffice when the report is opened (CSV injection, OWASP).
So every text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
written with an apostrophe in front — the spreadsheet programs' own sign for "this is text"
(OWASP's advice) — and numbers stay numbers. Writers never save or serialise a sheet
themselves: ``xlsx_bytes`` and ``csv_text`` pass every cell through :func:`inert`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(value):
    """``value`` as a spreadsheet cell that is never a formula: text beginning with one of
    :data:`FORMULA_STARTS` gets a leading apostrophe; anything else (numbers, None, text)
    is returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def xlsx_bytes(workbook) -> bytes:
    """An openpyxl ``workbook`` saved as ``.xlsx`` bytes, after every text cell of every sheet
    went through :func:`inert` (openpyxl stores a string beginning with ``=`` as a formula)."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and inert(cell.value) != cell.value:
                    cell.value = inert(cell.value)  # a string no longer beginning with "=": type "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_text(rows: Iterable[Iterable]) -> str:
    """``rows`` as CSV text with a UTF-8 byte-order mark (Excel then reads Vietnamese right),
    every cell through :func:`inert`."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([inert(value) for value in row])
    return "\ufeff" + out.getvalue()
