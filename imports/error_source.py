"""What the error workbook copies from the uploaded file, read again with the import's own
stages: the rows above the table (titles, the header's one or two rows, the column numbers) with
their merges, and the failing rows exactly as the import saw them (legacy text decoded, vertical
merges spread, the section each row sits in). A row rebuilt from what was stored would lose the
two-row header (Nam/Nữ birth columns) and the section that gives a unit."""
from __future__ import annotations

import logging
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from itertools import chain, islice

from .errors import reader_panicked
from .header import HEADER_SEARCH_ROWS, build_layout, find_header_row
from .legacy import TCVN3, decoder_for, detect_encoding
from .pipeline import decoded_rows
from .read import open_workbook
from .rows import DataRow, data_rows
from .sheetdata import Merge, Row
from .zipcheck import Limits

log = logging.getLogger(__name__)
_HEAD_ROWS = HEADER_SEARCH_ROWS + 3   # as many rows as the import searched for its header


@dataclass(frozen=True, slots=True)
class SheetSource:
    kind: str                         # "xlsx" | "xls" | "csv": the original's format
    name: str | None                  # the sheet's name in the original (None for CSV)
    head: tuple[Row, ...]             # the sheet rows above the first data row
    header_rows: tuple[int, ...]      # 1-based, as in the original
    merges: tuple[Merge, ...]         # merges inside the head, 0-based
    rows: Mapping[int, DataRow]       # the wanted data rows by 1-based row number
    stt_col: int | None               # 0-based, for writing a section row back
    name_col: int | None


def read_sources(
    data: bytes, sheets: list[dict], wanted: Mapping[int, Collection[int]]
) -> dict[int, SheetSource]:
    """Per sheet index (as in `sheets`, the batch's sheet list): its head and `wanted` rows.
    Never raises: a file that cannot be read again gives {} and the workbook falls back to the
    cells the batch stored."""
    try:
        return _read(bytes(data), sheets, wanted)
    except Exception:  # noqa: BLE001 - the download must not fail; the stored cells remain
        log.exception("the uploaded file could not be read again for its error workbook")
        return {}
    except BaseException as exc:
        if not reader_panicked(exc):
            raise
        return {}


def _read(
    data: bytes, sheets: list[dict], wanted: Mapping[int, Collection[int]]
) -> dict[int, SheetSource]:
    # The file passed its size limit when it was uploaded; the limit then may have been larger.
    book = open_workbook(data, Limits(max_bytes=max(len(data), Limits().max_bytes)))
    encoding = detect_encoding(book.text_sample, book.fonts)
    decode = decoder_for(encoding)
    out = {}
    for index, meta in enumerate(sheets):
        if not wanted.get(index) or meta.get("sheet") not in book.sheet_names:
            continue
        sheet = book.load(
            book.sheet_names.index(meta.get("sheet")), encoding == TCVN3 and book.has_caps_font
        )
        rows = decoded_rows(sheet, decode)
        head = [row for _, row in islice(rows, _HEAD_ROWS)]
        header = find_header_row(head)
        if header is None:
            continue
        layout = build_layout(head, sheet.merges, header)
        start = layout.first_data_row - 1
        body = chain(((i, row) for i, row in enumerate(head) if i >= start), rows)
        need = set(wanted[index])
        picked = {}
        for item in data_rows(body, layout, sheet.merges):
            if item.number in need:
                picked[item.number] = item
                if len(picked) == len(need):
                    break
        merges = tuple((r0, c0, min(r1, start - 1), c1)
                       for r0, c0, r1, c1 in sheet.merges if r0 < start)
        out[index] = SheetSource(book.kind, sheet.name, tuple(head[:start]), layout.header_rows,
                                 merges, picked, layout.index("stt"), layout.index("full_name"))
    return out
