"""What the error-workbook round-trip tests share: reading the «Lỗi» column back, and fixing the
workbook as a user would (edit the cell the workbook marked, delete a duplicate row)."""
from __future__ import annotations

import io
import re

import openpyxl

ERRORS = "Lỗi"
DELETE = object()   # a fix that removes the row
_ORIGIN = re.compile(r"^Dòng (\d+):")


def errors_column(ws) -> int:
    """1-based column titled «Lỗi» (in the header, wherever it sits)."""
    for row in ws.iter_rows(max_row=40):
        for cell in row:
            if cell.value == ERRORS:
                return cell.column
    raise AssertionError("no «Lỗi» column")


def origins(ws) -> dict[int, int]:
    """Row of the error sheet -> row of the uploaded file, from «Dòng N: …»."""
    column = errors_column(ws)
    out = {}
    for (cell,) in ws.iter_rows(min_col=column, max_col=column):
        match = _ORIGIN.match(str(cell.value or ""))
        if match:
            out[cell.row] = int(match.group(1))
    return out


def fix(data: bytes, fixes: dict[str, dict[int, object]]) -> bytes:
    """fixes: sheet name -> {row of the uploaded file: new value of the marked cell | DELETE}."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    for ws in wb.worksheets:
        doomed = []
        for line, origin in origins(ws).items():
            value = fixes.get(ws.title, {}).get(origin, ...)
            if value is DELETE:
                doomed.append(line)
            elif value is not ...:
                (marked,) = [c for c in ws[line] if c.comment is not None]
                marked.value = value
        for line in sorted(doomed, reverse=True):
            ws.delete_rows(line)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
