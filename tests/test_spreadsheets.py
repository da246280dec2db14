"""No text cell of a spreadsheet Motcua writes begins a formula (CSV/formula injection, OWASP)."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import Workbook, load_workbook

from motcua.spreadsheets import csv_text, inert, xlsx_bytes


@pytest.mark.parametrize(("value", "written"), [
    ('=HYPERLINK("http://x.example","Bấm")', '\'=HYPERLINK("http://x.example","Bấm")'),
    ("+84912345678", "'+84912345678"),
    ("-1+2", "'-1+2"),
    ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    ("Hộ tịch", "Hộ tịch"),
    ("a=b", "a=b"),           # only the first character matters
    ("", ""),
    (12, 12),                 # numbers stay numbers, negative ones too
    (-3, -3),
    (None, None),
])
def test_a_text_cell_that_would_start_a_formula_gets_an_apostrophe(value, written):
    assert inert(value) == written


def test_xlsx_has_no_formula_cell_and_keeps_numbers():
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "=1+1"
    ws["B1"] = "@cmd"
    ws["C1"] = 5
    ws2 = wb.create_sheet("hai")
    ws2["A1"] = '=HYPERLINK("http://x.example")'
    read = load_workbook(io.BytesIO(xlsx_bytes(wb)))
    cells = [c for sheet in read.worksheets for row in sheet.iter_rows() for c in row if c.value is not None]
    assert [c.data_type for c in cells] == ["s", "s", "n", "s"]
    assert [c.value for c in cells] == ["'=1+1", "'@cmd", 5, '\'=HYPERLINK("http://x.example")']


def test_csv_quotes_every_cell_that_would_start_a_formula():
    text = csv_text([["field_name", "received"], ["=2+5", 3], ["-", -1]])
    assert text.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(text[1:]))) == [["field_name", "received"], ["'=2+5", "3"], ["'-", "-1"]]
