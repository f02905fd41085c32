"""The workbook toolkit: xlsxwriter in constant-memory mode writing to an unnamed temporary file,
so that memory stays flat however many rows go out; formats made once per workbook.

Rules every document follows: real dates as numbers formatted dd/mm/yyyy, text always written
as a string cell (never a formula: `=`, `+`, `-`, `@` at the start get a quote prefix and stay
text), bold wrapped headers, widths from the contents, landscape A4 fitted to the page width.

Constant-memory mode writes a row for good once a later row is started, so a sheet is written
top to bottom; merged ranges are registered with `merge`, after their cells are written.
"""
from __future__ import annotations

import datetime as dt
import tempfile
from typing import IO

import xlsxwriter

from registry.exports.fastrows import FastRowsWorksheet

EPOCH = dt.date(1899, 12, 30)  # Excel's day 0 (1900 date system)
FORMULA_STARTS = ("=", "+", "-", "@")
DATE_FORMAT = "dd/mm/yyyy"
MONEY_FORMAT = "#,##0"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_BORDER = {"border": 1, "valign": "top"}


def excel_date(day: dt.date) -> int:
    """The serial number Excel stores for a date (what write_datetime would compute)."""
    return (day - EPOCH).days


class Formats:
    """Every cell format a document uses, created once per workbook."""

    def __init__(self, wb: xlsxwriter.Workbook):
        add = wb.add_format
        base = {"font_name": "Times New Roman", "font_size": 11}
        self.base = base
        self.agency = add({**base, "align": "center"})
        self.agency_bold = add({**base, "bold": True, "align": "center"})
        self.party = add({**base, "bold": True, "underline": True, "align": "center"})
        self.place_date = add({**base, "italic": True, "align": "center"})
        self.title = add({**base, "bold": True, "font_size": 13, "align": "center",
                          "valign": "vcenter", "text_wrap": True})
        self.subtitle = add({**base, "italic": True, "align": "center", "text_wrap": True})
        self.header = add({**base, "bold": True, "text_wrap": True, "align": "center",
                           "valign": "vcenter", "border": 1, "bg_color": "#DDEBF7"})
        # Plain data cells (the complete layout): no borders, so that big files stay quick.
        self.text = None
        self.text_q = add({"quote_prefix": True})
        self.date = add({"num_format": DATE_FORMAT, "align": "center"})
        self.number = None
        # Table cells of office documents: borders, wrapped text.
        self.cell = add({**base, **_BORDER, "text_wrap": True})
        self.cell_q = add({**base, **_BORDER, "text_wrap": True, "quote_prefix": True})
        self.cell_center = add({**base, **_BORDER, "align": "center"})
        self.cell_date = add({**base, **_BORDER, "align": "center", "num_format": DATE_FORMAT})
        self.cell_money = add({**base, **_BORDER, "num_format": MONEY_FORMAT})
        self.group = add({**base, **_BORDER, "bold": True})
        self.group_sub = add({**base, **_BORDER, "bold": True, "italic": True})
        self.total = add({**base, **_BORDER, "bold": True})
        self.total_center = add({**base, **_BORDER, "bold": True, "align": "center"})
        self.total_money = add({**base, **_BORDER, "bold": True, "num_format": MONEY_FORMAT})
        self.note = add({**base, "italic": True, "text_wrap": True, "valign": "top"})
        self.words = add({**base, "italic": True})
        self.sign_title = add({**base, "bold": True, "align": "center", "text_wrap": True})
        self.sign_note = add({**base, "italic": True, "align": "center"})


class Book:
    """One xlsx being written; `close()` returns the finished file, positioned at its start."""

    def __init__(self) -> None:
        self.file: IO[bytes] = tempfile.TemporaryFile()
        self.wb = xlsxwriter.Workbook(self.file, {
            "constant_memory": True, "strings_to_formulas": False, "strings_to_numbers": False,
            "strings_to_urls": False})
        self.f = Formats(self.wb)

    def sheet(self, name: str, widths: list[float]) -> Sheet:
        ws = self.wb.add_worksheet(safe_sheet_name(name), worksheet_class=FastRowsWorksheet)
        return Sheet(self, ws, widths)

    def close(self) -> IO[bytes]:
        self.wb.close()
        self.file.seek(0)
        return self.file


def safe_sheet_name(name: str) -> str:
    for ch in "[]:*?/\\":
        name = name.replace(ch, " ")
    return name.strip()[:31] or "Sheet"


class WriteOrderError(RuntimeError):
    """A cell written above a row already finished (constant-memory mode would drop it)."""


def _written(result: int, row: int, col: int) -> None:
    if result == -1:
        raise WriteOrderError(f"cell ({row}, {col}) is above a finished row or out of bounds")


class Sheet:
    """A worksheet with the helpers every document needs; `widths` starts at the minimum
    width of each column (in characters) and grows with what is written. Writing above a
    finished row raises instead of losing the cell."""

    def __init__(self, book: Book, ws, widths: list[float]):
        self.book, self.ws, self.f = book, ws, book.f
        self.widths = list(widths)

    # Cells ------------------------------------------------------------------------------

    def text(self, row: int, col: int, value: str | None, fmt=None, quoted=None,
             measure: bool = True) -> None:
        """A string cell (never a formula); empty values are skipped unless `fmt` draws one."""
        if not value:
            if fmt is not None:
                _written(self.ws.write_blank(row, col, None, fmt), row, col)
            return
        if value[:1] in FORMULA_STARTS:
            fmt = quoted if quoted is not None else (self.f.cell_q if fmt is self.f.cell
                                                    else self.f.text_q)
        _written(self.ws.write_string(row, col, value, fmt), row, col)
        if measure and len(value) > self.widths[col]:
            self.widths[col] = len(value)

    def number(self, row: int, col: int, value, fmt=None) -> None:
        if value is None:
            if fmt is not None:
                _written(self.ws.write_blank(row, col, None, fmt), row, col)
            return
        _written(self.ws.write_number(row, col, value, fmt), row, col)

    def date(self, row: int, col: int, value: dt.date | None, fmt=None) -> None:
        fmt = fmt or self.f.date
        if value is None:
            if fmt is not self.f.date:
                _written(self.ws.write_blank(row, col, None, fmt), row, col)
            return
        _written(self.ws.write_number(row, col, excel_date(value), fmt), row, col)
        if self.widths[col] < 10:
            self.widths[col] = 10

    def blank(self, row: int, col: int, fmt) -> None:
        _written(self.ws.write_blank(row, col, None, fmt), row, col)

    def merge(self, first_row: int, first_col: int, last_row: int, last_col: int) -> None:
        """Register a merged range whose cells were already written (constant-memory mode
        cannot go back to an earlier row, so xlsxwriter's merge_range cannot be used for a
        range spanning rows)."""
        self.ws.merge.append([first_row, first_col, last_row, last_col])

    def merged(self, row: int, first_col: int, last_col: int, value: str, fmt) -> None:
        """Text across columns of one row (title lines, group rows, signatures)."""
        self.text(row, first_col, value, fmt, measure=False)
        for col in range(first_col + 1, last_col + 1):
            self.blank(row, col, fmt)
        if last_col > first_col:
            self.merge(row, first_col, row, last_col)

    # Layout ------------------------------------------------------------------------------

    def fit_columns(self, cap: float = 45, pad: float = 2) -> None:
        for col, width in enumerate(self.widths):
            self.ws.set_column(col, col, min(width, cap) + pad)

    def print_setup(self, header_first: int, header_last: int) -> None:
        """Landscape A4, fitted to one page wide, header rows repeated, page numbers."""
        ws = self.ws
        ws.set_landscape()
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(header_first, header_last)
        ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
        ws.set_footer("&CTrang &P/&N")
        ws.hide_gridlines(0)

    def table_finish(self, header_first: int, header_last: int, last_row: int,
                     last_col: int) -> None:
        """Frozen header rows, an autofilter on the last header row, widths, print setup."""
        self.ws.freeze_panes(header_last + 1, 0)
        self.ws.autofilter(header_last, 0, max(last_row, header_last), last_col)
        self.fit_columns()
        self.print_setup(header_first, header_last)
