"""The filtered audit entries as an xlsx file: one row per changed field (openpyxl, write-only,
so that a long log streams instead of building a whole workbook in memory)."""
from __future__ import annotations

import datetime as dt
import tempfile
from typing import IO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from imports.error_workbook import safe_text
from models import db
from registry.audit.service import AuditFilter, build_query, present

HEADERS = ("Thời điểm", "Người thực hiện", "Địa chỉ máy", "Hành động", "Đối tượng", "Trường",
           "Trước", "Sau")
WIDTHS = (17, 18, 16, 18, 36, 24, 36, 36)
CHUNK = 500


def filename(day: dt.date) -> str:
    return f"nhat-ky-thay-doi-{day:%Y-%m-%d}.xlsx"


def build(f: AuditFilter) -> tuple[IO[bytes], int]:
    """The file (a temporary file, at its start) and the number of entries written."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Nhật ký")
    for i, width in enumerate(WIDTHS):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    ws.freeze_panes = "A2"
    ws.append([_bold(ws, h) for h in HEADERS])
    count = 0
    rows = db.session.execute(build_query(f).execution_options(yield_per=CHUNK)).scalars()
    for chunk in rows.partitions(CHUNK):
        for entry in present(list(chunk)):
            count += 1
            for line in _lines(entry):
                ws.append([_printable(ws, v) for v in line])
    out = tempfile.TemporaryFile()
    wb.save(out)
    out.seek(0)
    return out, count


def _lines(entry) -> list[list]:
    head = [entry.at.strftime("%d/%m/%Y %H:%M:%S"), entry.actor, entry.client_addr,
            entry.action, entry.subject]
    if not entry.changes:
        return [[*head, "", "", ""]]
    return [[*head, c.label, c.before, c.after] for c in entry.changes]


def _printable(ws, value):
    """Entries quote what users typed (a failed login's username, an export's filters from any
    query string): the control characters no worksheet may hold are dropped, or the whole file
    would fail, and a leading = + - @ stays text, never a formula."""
    if not isinstance(value, str):
        return value
    text, quoted = safe_text(ILLEGAL_CHARACTERS_RE.sub("", value))
    if not quoted:
        return text
    cell = WriteOnlyCell(ws, value=text)
    cell.data_type, cell.quotePrefix = "s", True
    return cell


def _bold(ws, text: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=text)
    cell.font = Font(bold=True)
    return cell
