"""The invalid rows handed back as a workbook: original columns, a "Lỗi" column, the cell at
fault filled and commented, ready to fix and upload again."""
from __future__ import annotations

import io
import re

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

FAULT = PatternFill("solid", fgColor="FFC7CE")
HEAD = PatternFill("solid", fgColor="DDEBF7")
# A hostile upload may carry what a workbook cannot hold (control characters anywhere; \ * ? : /
# [ ] in a sheet name): it is written as U+FFFD or "_" rather than failing the download.
_SHEET_NAME_BAD = re.compile(r"[\\*?:/\[\]]")


def _storable(value):
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value) if isinstance(value, str) else value


def safe_text(value):
    """Cells are written as data, never as formulas: a leading = + - @ stays text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return value, True
    return value, False


def write_cell(ws, row: int, col: int, value):
    text, quoted = safe_text(_storable(value))
    cell = ws.cell(row=row, column=col)
    cell.value = text
    if quoted:
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def build(sheets: list[dict], rows_by_sheet: dict[int, list]) -> bytes:
    """`sheets`: batch meta per sheet; `rows_by_sheet`: invalid ImportRow objects per sheet.
    Any text the upload carried is made storable here, so every caller gets a workbook."""
    wb = Workbook()
    wb.remove(wb.active)
    for index, meta in enumerate(sheets):
        rows = rows_by_sheet.get(index, [])
        if rows:
            _sheet(wb, meta, rows)
    if not wb.worksheets:
        wb.create_sheet("Không có lỗi").cell(1, 1, "Không có dòng lỗi nào.")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _sheet(wb: Workbook, meta: dict, rows: list) -> None:
    name = _SHEET_NAME_BAD.sub("_", _storable(meta.get("sheet") or ""))
    ws = wb.create_sheet((name or "Danh sách")[:31])
    titles = list(meta.get("columns") or [])
    width = max([len(titles)] + [len(r.data.get("cells") or []) for r in rows])
    titles += [""] * (width - len(titles))
    for col, title in enumerate(titles + ["Lỗi"], start=1):
        cell = write_cell(ws, 1, col, title)
        cell.font, cell.fill = Font(bold=True), HEAD
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for i, r in enumerate(rows, start=2):
        cells = list(r.data.get("cells") or []) + [None] * width
        for col in range(width):
            write_cell(ws, i, col + 1, cells[col])
        message = r.data.get("message") or ""
        write_cell(ws, i, width + 1, f"Dòng {r.row}: {message}")
        col = r.data.get("column")
        if col is not None and col < width:
            bad = ws.cell(row=i, column=col + 1)
            bad.fill = FAULT
            bad.comment = Comment(_storable(message), "Sổ đội ngũ")
    for col in range(1, width + 2):
        ws.column_dimensions[get_column_letter(col)].width = 60 if col == width + 1 else 18
    ws.freeze_panes = "A2"
