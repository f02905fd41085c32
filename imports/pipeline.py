"""parse_upload: bytes of an upload -> ParseResult (no Flask, no database)."""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from dataclasses import replace
from itertools import chain

from .assign import Placer, UploadContext
from .catalogue import Catalogue, UnitRef
from .errors import ImportFileError, file_error, reader_panicked
from .gcpause import paused_gc
from .header import HEADER_SEARCH_ROWS, Layout, build_layout, find_header_row, title_lines
from .legacy import TCVN3, UNICODE, decoder_for, detect_encoding
from .read import open_workbook
from .result import ParseResult, SheetResult
from .rows import data_rows
from .sheetdata import Row, SheetData
from .text import fold_case, is_blank
from .validate import DuplicateTracker, RowValidator
from .zipcheck import Limits

log = logging.getLogger(__name__)
_HEAD_ROWS = HEADER_SEARCH_ROWS + 3


@paused_gc()
def parse_upload(
    data: bytes,
    filename: str,
    catalogue: Catalogue,
    uploader: UnitRef,
    *,
    max_bytes: int = 10 * 1024 * 1024,
    limits: Limits | None = None,
    keep_raw: bool = False,
    today: dt.date | None = None,
) -> ParseResult:
    """Read, decode, find the table and validate every row.  Never raises for any input bytes
    (not even the Rust reader's panic).

    uploader: the uploading unit (a province-level unit means a province upload).
    keep_raw: keep the raw cells of valid rows too (invalid rows always keep theirs).
    today: the import day (default: today); no appointment in the file starts after it.
    """
    limits = replace(limits or Limits(), max_bytes=max_bytes)
    ctx = UploadContext(catalogue.seen_from(uploader), uploader)
    try:
        return _parse(bytes(data), filename, ctx, limits, keep_raw, today or dt.date.today())
    except ImportFileError as exc:
        return ParseResult(filename, None, exc.error, UNICODE)
    except MemoryError:
        return ParseResult(filename, None, file_error("too_large"), UNICODE)
    except Exception:  # noqa: BLE001 - a damaged file must not become a server error
        log.exception("unexpected failure while parsing %r", filename)
        return ParseResult(filename, None, file_error("corrupt_file"), UNICODE)
    except BaseException as exc:
        # xls.py turns the reader's panic into corrupt_file already; an xlsx sheet's rows are read
        # through calamine lazily, inside _parse, so a panic there arrives here.
        if not reader_panicked(exc):
            raise
        log.exception("the spreadsheet reader panicked on %r", filename)
        return ParseResult(filename, None, file_error("corrupt_file"), UNICODE)


def _parse(
    data: bytes,
    filename: str,
    ctx: UploadContext,
    limits: Limits,
    keep_raw: bool,
    today: dt.date,
) -> ParseResult:
    book = open_workbook(data, limits)
    encoding = detect_encoding(book.text_sample, book.fonts)
    decode = decoder_for(encoding)
    sheets: list[SheetResult] = []
    ignored: list[str] = []
    header_only: list[SheetResult] = []
    any_cells = False
    for index, name in enumerate(book.sheet_names):
        sheet = book.load(index, encoding == TCVN3 and book.has_caps_font)
        result, had_cells = _parse_sheet(sheet, decode, ctx, keep_raw, today)
        any_cells = any_cells or had_cells
        if result is not None and result.rows:
            sheets.append(result)
        elif result is not None:
            header_only.append(result)
        elif name is not None:
            ignored.append(name)
    if not sheets and header_only:
        # The report lists the tables found without rows, so the uploader sees where the
        # header was read.
        error = file_error("no_data_rows", no_data_message(header_only))
        return ParseResult(filename, book.kind, error, encoding, tuple(header_only),
                           tuple(ignored))
    error = None
    if not sheets:
        error = file_error("no_header" if any_cells else "empty_workbook")
    ignored.extend(s.name for s in header_only if s.name)
    ignored.sort(key=book.sheet_names.index)
    return ParseResult(filename, book.kind, error, encoding, tuple(sheets), tuple(ignored))


def no_data_message(found: list[SheetResult]) -> str:
    """`no_data_rows` naming each sheet and header row found, e.g.
    "Trang tính «TTV», dòng tiêu đề 5: không có dòng dữ liệu nào." """
    places = "; ".join(
        f"trang tính «{s.name}», dòng tiêu đề {s.header_row}" if s.name
        else f"dòng tiêu đề {s.header_row}"
        for s in found
    )
    return places[0].upper() + places[1:] + ": không có dòng dữ liệu nào."


def decoded_rows(
    sheet: SheetData, decode: Callable[[str], str] | None
) -> Iterator[tuple[int, Row]]:
    """(0-based index, cells) of every sheet row, legacy text decoded (the error workbook reads
    the file again through this, so that it copies what the import saw)."""
    caps = sheet.caps_cells
    for index, row in enumerate(sheet.rows):
        if decode is not None:
            row = [decode(v) if type(v) is str and v else v for v in row]
            if caps:
                row = [
                    v.upper() if (index, c) in caps and type(v) is str else v
                    for c, v in enumerate(row)
                ]
        yield index, row


def _parse_sheet(
    sheet: SheetData, decode, ctx: UploadContext, keep_raw: bool, today: dt.date
) -> tuple[SheetResult | None, bool]:
    """(result or None when the sheet holds no table, whether the sheet has any content)."""
    rows = decoded_rows(sheet, decode)
    head = [row for _, row in _take(rows, _HEAD_ROWS)]
    had_cells = any(not is_blank(v) for row in head for v in row) or any(
        not is_blank(v) for _, row in rows for v in row
    )
    header = find_header_row(head)
    if header is None:
        return None, had_cells
    layout = build_layout(head, sheet.merges, header)
    role = _sheet_role(layout, sheet.name, head[:header])
    row_role = _fallback_role(role, layout)
    role = role or row_role
    placer = Placer(ctx, row_role, "unit" in layout.columns, title_lines(head[:header]))
    validator = RowValidator(layout, placer, ctx.catalogue, sheet.typed, keep_raw, today)
    duplicates = DuplicateTracker()
    start = layout.first_data_row - 1
    body = chain(((i, row) for i, row in enumerate(head) if i >= start), rows)
    parsed = tuple(
        duplicates.check(validator.validate(item), layout, item.cells)
        for item in data_rows(body, layout, sheet.merges)
    )
    result = SheetResult(
        sheet.name,
        role,
        layout.header_rows[0],
        layout.header_rows,
        layout.number_row,
        layout.first_data_row,
        layout.all_columns(),
        layout.titles,
        parsed,
    )
    return result, True


def _take(rows: Iterator[tuple[int, Row]], count: int) -> Iterator[tuple[int, Row]]:
    for item in rows:
        yield item
        if item[0] + 1 >= count:
            return


def _role_in(text: str) -> str | None:
    folded = fold_case(text)
    bcv = "bcv" in folded or "báo cáo viên" in folded
    ttv = "ttv" in folded or "tuyên truyền viên" in folded
    return "BCV" if bcv and not ttv else "TTV" if ttv and not bcv else None


def _sheet_role(layout: Layout, name: str | None, title_rows: list[Row]) -> str:
    """«Loại» column -> mixed; else the sheet name; else the title above the header."""
    if "role" in layout.columns:
        return "mixed"
    role = _role_in(name or "")
    if role is None:
        title = " ".join(v for row in title_rows for v in row if isinstance(v, str))
        role = _role_in(title)
    return role or ""


def _fallback_role(role: str, layout: Layout) -> str:
    """Role for rows that do not say: the sheet's role; when nothing says, a sheet with a unit
    column lists TTV (commune level) and one without lists BCV."""
    if role in ("BCV", "TTV"):
        return role
    return "TTV" if "unit" in layout.columns or role == "mixed" else "BCV"
