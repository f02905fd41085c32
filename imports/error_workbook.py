"""The invalid rows handed back as a workbook, ready to fix and upload again.

Given the uploaded file, it copies the sheet's own top rows (titles, the one or two header rows
with their merges, the Nam/Nữ birth columns, the column-number row) and, for xlsx, their look;
then every cell of every failing row as the import read it, under the section row that gave its
unit; then a "Lỗi" column, the cell at fault filled and commented. The row a duplicate repeats
comes along (marked as correct): imported again unchanged, the file gives the same reasons.
Without the file (an old batch) the rows come under one header row of the column titles."""
from __future__ import annotations

import io
import re

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from . import error_format
from .error_source import SheetSource, read_sources
from .text import collapse_spaces, fold_case

FAULT = PatternFill("solid", fgColor="FFC7CE")
HEAD = PatternFill("solid", fgColor="DDEBF7")
ERRORS = "Lỗi"
KEPT_NOTE = "không lỗi; {rows} trùng với dòng này (để đối chiếu, giữ nguyên hoặc sửa)."
# A hostile upload may carry what a workbook cannot hold (control characters anywhere; \ * ? : /
# [ ] in a sheet name): it is written as U+FFFD or "_" rather than failing the download.
_SHEET_NAME_BAD = re.compile(r"[\\*?:/\[\]]")
_MAX_COLUMN = 16384   # Excel's last column (XFD)
_MAX_MERGE = 10_000   # cells; a title or header merge is far smaller, a damaged file's not
_ROMAN = (("C", 100), ("XC", 90), ("L", 50), ("XL", 40), ("X", 10), ("IX", 9), ("V", 5),
          ("IV", 4), ("I", 1))


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


def build(sheets: list[dict], rows_by_sheet: dict[int, list], original: bytes | None = None
          ) -> bytes:
    """`sheets`: batch meta per sheet; `rows_by_sheet`: invalid rows per sheet (`.row`, and
    `.data` as ImportRow stores it); `original`: the uploaded bytes when they were kept.
    Any text the upload carried is made storable here, so every caller gets a workbook."""
    wanted = {i: _wanted(rows) for i, rows in rows_by_sheet.items() if rows}
    sources = read_sources(original, sheets, wanted) if original and wanted else {}
    wb = Workbook()
    wb.remove(wb.active)
    for index, meta in enumerate(sheets):
        rows = rows_by_sheet.get(index, [])
        if rows:
            name = _SHEET_NAME_BAD.sub("_", _storable(meta.get("sheet") or ""))
            ws = wb.create_sheet((name or "Danh sách")[:31])
            source = sources.get(index)
            if source is None:
                _plain_sheet(ws, meta, rows)
            else:
                _copied_sheet(ws, source, rows, original)
    if not wb.worksheets:
        wb.create_sheet("Không có lỗi").cell(1, 1, "Không có dòng lỗi nào.")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _wanted(rows: list) -> set[int]:
    return {r.row for r in rows} | {
        r.data["duplicate_of_row"] for r in rows if r.data.get("duplicate_of_row")
    }


def _copied_sheet(ws, source: SheetSource, rows: list, original: bytes) -> None:
    for line, cells in enumerate(source.head, start=1):
        _write_row(ws, line, cells)
    header = [source.head[r - 1] for r in source.header_rows if r <= len(source.head)]
    column = _errors_column(header, [found.cells for found in source.rows.values()])
    covered = _merge(ws, source.merges)
    fmt = None
    if source.kind == "xlsx":
        fmt = error_format.head_format(original, source.name, len(source.head))
    if fmt is not None:
        error_format.apply(ws, fmt, column - 1)
    _errors_title(ws, source.header_rows, column, covered)
    _body(ws, len(source.head) + 1, rows, source, column)
    _widths(ws, column, fmt.widths if fmt else {})
    ws.freeze_panes = f"A{len(source.head) + 1}"


def _plain_sheet(ws, meta: dict, rows: list) -> None:
    titles = list(meta.get("columns") or [])
    column = _errors_column([titles], [r.data.get("cells") or [] for r in rows])
    _write_row(ws, 1, titles)
    _errors_title(ws, (1,), column, set())
    for col in range(1, column):
        ws.cell(1, col).font, ws.cell(1, col).fill = Font(bold=True), HEAD
        ws.cell(1, col).alignment = Alignment(wrap_text=True, vertical="center")
    _body(ws, 2, rows, None, column)
    _widths(ws, column, {})
    ws.freeze_panes = "A2"


def _errors_column(header: list, rows: list) -> int:
    """1-based column for «Lỗi»: after the table, or the one an earlier error workbook added
    (so that fixing a file twice does not stack two of them)."""
    width = max((_width(cells) for cells in header), default=0)
    for cells in header:
        if width and width == _width(cells) and fold_case(
            collapse_spaces(str(cells[width - 1]))
        ) == fold_case(ERRORS):
            return width
    return min(max([width, *(_width(cells) for cells in rows)]) + 1, _MAX_COLUMN)


def _width(cells) -> int:
    """Columns up to the last non-blank cell."""
    for i in range(len(cells) - 1, -1, -1):
        if cells[i] not in ("", None) and not (isinstance(cells[i], str) and not cells[i].strip()):
            return i + 1
    return 0


def _write_row(ws, line: int, cells) -> None:
    for col, value in enumerate(cells, start=1):
        if value not in ("", None):
            write_cell(ws, line, col, value)


def _merge(ws, merges) -> set[tuple[int, int]]:
    """Merge the head's ranges (values already written), skipping any that overlaps another
    (Excel would refuse the workbook) or is huge: a damaged file may hold such."""
    covered: set[tuple[int, int]] = set()
    for r0, c0, r1, c1 in merges:
        if (r1 - r0 + 1) * (c1 - c0 + 1) > _MAX_MERGE:
            continue
        cells = {(r, c) for r in range(r0 + 1, r1 + 2) for c in range(c0 + 1, c1 + 2)}
        if len(cells) > 1 and not cells & covered:
            covered |= cells
            ws.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1,
                           end_column=c1 + 1)
    return covered


def _errors_title(ws, header_rows, column: int, covered: set) -> None:
    top, bottom = header_rows[0], header_rows[-1]
    cell = write_cell(ws, top, column, ERRORS)
    cell.font, cell.fill = Font(bold=True), HEAD
    cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    if bottom > top and not {(r, column) for r in range(top, bottom + 1)} & covered:
        ws.merge_cells(start_row=top, start_column=column, end_row=bottom, end_column=column)


def _body(ws, line: int, rows: list, source: SheetSource | None, column: int) -> None:
    """The failing rows in file order, each repeated row beside them, a section row wherever
    the section changes (the section gives the unit when the sheet has no unit column)."""
    failing = {r.row: r for r in rows}
    repeated: dict[int, list[int]] = {}
    for r in rows:
        if r.data.get("duplicate_of_row"):
            repeated.setdefault(r.data["duplicate_of_row"], []).append(r.row)
    section, sections = None, 0
    for number in sorted(failing.keys() | repeated.keys()):
        found = source.rows.get(number) if source is not None else None
        if found is None and number not in failing:
            continue    # the repeated row could not be read again: the duplicate still says so
        if found is not None and found.section is not None and found.section != section:
            section, sections = found.section, sections + 1
            _section_row(ws, line, sections, section, source)
            line += 1
        cells = found.cells if found is not None else failing[number].data.get("cells") or []
        _write_row(ws, line, cells[: column - 1])
        if number in failing:
            _fault(ws, line, column, failing[number])
        else:
            others = ", ".join(f"dòng {n}" for n in repeated[number])
            write_cell(ws, line, column, f"Dòng {number}: " + KEPT_NOTE.format(rows=others))
        line += 1


def _section_row(ws, line: int, count: int, label: str, source: SheetSource) -> None:
    """`I  label` as the import reads a section: the numeral in the STT column, the label in
    the name column; or both in one cell when there is no STT column."""
    numeral = _roman(count)
    if source.stt_col is None:
        cells = {1: f"{numeral}  {label}"}
    else:
        name = source.name_col
        name = source.stt_col + 1 if name is None or name == source.stt_col else name
        cells = {source.stt_col + 1: numeral, name + 1: label}
    for col, value in cells.items():
        write_cell(ws, line, col, value).font = Font(bold=True)


def _roman(n: int) -> str:
    out = ""
    for numeral, value in _ROMAN:
        count, n = divmod(n, value)
        out += numeral * count
    return out if 0 < len(out) <= 7 else "I"   # the import reads up to seven numerals


def _fault(ws, line: int, column: int, r) -> None:
    message = r.data.get("message") or ""
    write_cell(ws, line, column, f"Dòng {r.row}: {message}")
    col = r.data.get("column")
    if col is not None and col < column - 1:
        bad = ws.cell(row=line, column=col + 1)
        bad.fill = FAULT
        bad.comment = Comment(_storable(message), "Sổ đội ngũ")


def _widths(ws, column: int, known: dict[int, float]) -> None:
    for col in range(1, column):
        if col not in known:
            ws.column_dimensions[get_column_letter(col)].width = 18
    ws.column_dimensions[get_column_letter(column)].width = 60
