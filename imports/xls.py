"""Legacy Excel 97-2003 (.xls, BIFF8) through python-calamine.  The format caps a sheet at
65,536 x 256 cells, so sheets are read whole."""
from __future__ import annotations

import io
import re

import python_calamine as calamine

from .errors import ImportFileError, reader_panicked
from .sheetdata import SheetData, Workbook, bounded_rows
from .zipcheck import Limits

# Font names are stored in FONT records as 8-bit or UTF-16LE text; a byte search is enough for a
# hint.
_FONT_PATTERNS = (
    (re.compile(rb"\.[Vv][Nn][A-Za-z]{2,20}"), "ascii"),
    (re.compile(rb"\.\x00[Vv]\x00[Nn]\x00(?:[A-Za-z]\x00){2,20}"), "utf-16-le"),
    (re.compile(rb"VNI[-_ ][A-Za-z]{2,20}"), "ascii"),
    (re.compile(rb"V\x00N\x00I\x00[-_ ]\x00(?:[A-Za-z]\x00){2,20}"), "utf-16-le"),
)
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")


def xls_font_names(data: bytes) -> tuple[str, ...]:
    found: dict[str, None] = {}
    for pattern, encoding in _FONT_PATTERNS:
        for match in pattern.findall(data[: 4 * 1024 * 1024]):
            found[match.decode(encoding, "replace")] = None
    return tuple(found)


def open_xls(data: bytes, limits: Limits) -> Workbook:
    if _ENCRYPTED in data:
        raise ImportFileError("encrypted")  # an encrypted .xlsx is stored inside an OLE2 file
    try:
        book = calamine.CalamineWorkbook.from_object(io.BytesIO(data))
        names = tuple(book.sheet_names)
        sheets = [_read_sheet(book, i, limits) for i in range(len(names))]
    except ImportFileError:
        raise
    except calamine.PasswordError:
        raise ImportFileError("encrypted") from None
    except Exception:  # noqa: BLE001 - a Word .doc or a damaged file
        raise ImportFileError(
            "not_a_spreadsheet",
            "Tệp tải lên không đọc được như một bảng tính Excel "
            "97-2003 (.xls); có thể là tệp Word hoặc tệp bị hỏng.",
        ) from None
    except BaseException as exc:
        if not reader_panicked(exc):  # KeyboardInterrupt, SystemExit
            raise
        raise ImportFileError("corrupt_file") from None
    sample = tuple(
        v for rows, _ in sheets for row in rows[:300] for v in row if isinstance(v, str) and v
    )

    def load(index: int, want_caps: bool) -> SheetData:
        rows, merges = sheets[index]
        return SheetData(names[index], iter(rows), merges, True)

    return Workbook("xls", names, load, fonts=xls_font_names(data), text_sample=sample)


def _read_sheet(book: calamine.CalamineWorkbook, index: int, limits: Limits):
    """All rows of one sheet (up to a long blank run), at most limits.max_columns wide."""
    if book.sheets_metadata[index].typ != calamine.SheetTypeEnum.WorkSheet:
        return [], ()
    sheet = book.get_sheet_by_index(index)
    merges = tuple((a[0], a[1], b[0], b[1]) for a, b in (sheet.merged_cell_ranges or ()))
    pad = [""] * (sheet.start[1] if sheet.start else 0)
    width = limits.max_columns
    rows = ((pad + row)[:width] for row in sheet.iter_rows())
    return list(bounded_rows(rows, blank_run=limits.blank_run, max_rows=limits.max_rows)), merges
