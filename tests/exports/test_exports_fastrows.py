"""The fast row writer produces exactly the XML of xlsxwriter's own constant-memory writer."""
from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from registry.exports.fastrows import FastRowsWorksheet

TEXTS = ["Nguyễn Văn An", "A & B <c> \"d\"", " leading", "trailing ", "\u00a0nbsp", "tab\tin",
         "line\nbreak", "ctrl\x01char", "_x0041_ literal", "non\ufffechar", "=SUM(A1)", "+84 91",
         "-1", "@x", "", "Ksor H'Blơ", "x" * 300]
RICH_LOOKING = "<r>not rich</r>"
NUMBERS = [0, 1, -7, 3.14159, 1e20, 123456789012, 0.1 + 0.2, 2**53 + 1]


def _sheet_xml(worksheet_class, texts=TEXTS) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"constant_memory": True, "strings_to_formulas": False,
                                   "strings_to_numbers": False, "strings_to_urls": False})
    ws = wb.add_worksheet("S", worksheet_class=worksheet_class)
    bold = wb.add_format({"bold": True, "border": 1})
    date = wb.add_format({"num_format": "dd/mm/yyyy"})
    quoted = wb.add_format({"quote_prefix": True})
    ws.set_column(5, 5, 20, bold)  # a column format: used by cells without their own
    row = 0
    for i, text in enumerate(texts):
        ws.write_string(row, 0, text)
        ws.write_string(row, 1, text, quoted if i % 2 else bold)
        ws.write_number(row, 2, NUMBERS[i % len(NUMBERS)])
        ws.write_datetime(row, 3, dt.datetime(1980 + i, 1 + i % 12, 1), date)
        ws.write_blank(row, 4, None, bold)
        ws.write_string(row, 5, "column format")
        row += 1
    ws.set_row(row, 30)  # row attributes: the stock writer
    ws.write_string(row, 0, "tall row")
    row += 1
    ws.write_formula(row, 0, "=1+1", None, 2)  # a formula: the stock writer
    ws.write_string(row, 1, "after a formula")
    row += 1
    ws.write_rich_string(row, 0, "plain ", bold, "bold")  # rich text: the stock writer
    ws.write_number(row + 5, 0, 42)  # a gap of empty rows
    wb.close()
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as z:
        return z.read("xl/worksheets/sheet1.xml")


def test_fast_rows_write_the_same_xml_as_xlsxwriter():
    stock, fast = _sheet_xml(Worksheet), _sheet_xml(FastRowsWorksheet)
    assert fast == stock
    assert b"&amp; B &lt;c&gt;" in fast and b'xml:space="preserve"> leading' in fast
    assert b'<row r="18" ht="30" customHeight="1">' in fast  # a tall row, fast path too


def test_text_that_looks_like_rich_markup_stays_text():
    stock = _sheet_xml(Worksheet, [RICH_LOOKING])
    fast = _sheet_xml(FastRowsWorksheet, [RICH_LOOKING])
    assert b"<is><r>not rich</r></is>" in stock  # xlsxwriter: raw markup
    assert b"<t>&lt;r&gt;not rich&lt;/r&gt;</t>" in fast


def test_fast_rows_read_back(tmp_path):
    path = tmp_path / "f.xlsx"
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("S", worksheet_class=FastRowsWorksheet)
    for r, text in enumerate(TEXTS + [RICH_LOOKING]):
        ws.write_string(r, 0, text)
    wb.close()
    values = [c.value for c in openpyxl.load_workbook(path)["S"]["A"]]
    # Excel's _xHHHH_ escapes (control characters, a literal "_x…_") stay escaped in openpyxl.
    expected = TEXTS + [RICH_LOOKING]
    plain = [i for i, t in enumerate(expected) if t.isprintable() and "_x" not in t]
    assert [values[i] for i in plain] == [expected[i] for i in plain]
    assert values[TEXTS.index("ctrl\x01char")] == "ctrl_x0001_char"
