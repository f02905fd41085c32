"""The look of an xlsx original's top rows, for the error workbook to copy: each cell's style,
the column widths and the row heights. Only the rows above the table are read, so a big file
costs little. A legacy font (.VnTime, VNI-Times) is swapped for a Unicode one, because the
copied text is already decoded and such a font would make the next import decode it again."""
from __future__ import annotations

import io
import logging
import re
import zipfile
from copy import copy
from dataclasses import dataclass, field

from defusedxml import ElementTree
from openpyxl.styles.stylesheet import Stylesheet
from openpyxl.utils import get_column_letter

from .legacy import font_hint
from .xlsx import sheet_parts
from .xlsxstream import col_index

log = logging.getLogger(__name__)
UNICODE_FONT = "Times New Roman"
_CHUNK = 256 * 1024
_MAX_SCAN = 8 * 1024 * 1024   # the <cols> and the first rows sit at the start of the part
_COL_RE = re.compile(rb"<(?:\w{1,10}:)?col\s([^>]*)>")
_ROW_RE = re.compile(rb"<(?:\w{1,10}:)?row\s([^>]*)>")
_ATTR_RE = re.compile(rb'(\w+)="([^"]*)"')
_END_RE = re.compile(rb"</(?:\w{1,10}:)?sheetData>")
_CELL_RE = re.compile(rb"<(?:\w{1,10}:)?c\s([^>]*)>")
_REF_RE = re.compile(rb"^([A-Z]{1,3})([0-9]{1,7})$")
_STYLES = "xl/styles.xml"


@dataclass(slots=True)
class HeadFormat:
    styles: dict[tuple[int, int], dict] = field(default_factory=dict)  # (row, col) 1-based
    widths: dict[int, float] = field(default_factory=dict)  # 1-based column -> width
    heights: dict[int, float] = field(default_factory=dict)  # 1-based row -> height


def head_format(data: bytes, sheet: str | None, rows: int) -> HeadFormat | None:
    """The format of the first `rows` rows of `sheet` in an xlsx file; None when it cannot be
    read (the workbook is then written plain)."""
    try:
        found = HeadFormat()
        archive = zipfile.ZipFile(io.BytesIO(data))
        part = sheet_parts(archive).get(sheet or "")
        if part is None:
            return None
        text = _head_xml(archive, part, rows)
        _sizes(text, rows, found)
        if _STYLES in archive.namelist():
            _styles(archive.read(_STYLES), text, rows, found)
        return found
    except Exception:  # noqa: BLE001 - the look is a nicety; never fail the download for it
        log.warning("no format copied from sheet %r", sheet, exc_info=True)
        return None


def _head_xml(archive: zipfile.ZipFile, part: str, rows: int) -> bytes:
    """The start of the sheet's XML, up to row `rows + 1` (its <cols> come before the rows)."""
    text, past = b"", f'r="{rows + 1}"'.encode()
    with archive.open(part) as stream:
        while len(text) < _MAX_SCAN and (chunk := stream.read(_CHUNK)):
            text += chunk
            if past in text or _END_RE.search(text, max(0, len(text) - _CHUNK - 20)):
                break
    return text


def _sizes(text: bytes, rows: int, found: HeadFormat) -> None:
    """Widths from <cols>, heights from the first rows' <row ht=…>."""
    for attrs in _COL_RE.findall(text):
        a = dict(_ATTR_RE.findall(attrs))
        if b"width" in a and b"min" in a:
            first, last = int(a[b"min"]), int(a.get(b"max", a[b"min"]))
            for col in range(first, min(last, 256) + 1):
                found.widths[col] = float(a[b"width"])
    for attrs in _ROW_RE.findall(text):
        a = dict(_ATTR_RE.findall(attrs))
        if b"r" in a and b"ht" in a and int(a[b"r"]) <= rows:
            found.heights[int(a[b"r"])] = float(a[b"ht"])


def _styles(styles: bytes, text: bytes, rows: int, found: HeadFormat) -> None:
    """Each head cell's font, fill, border and alignment from styles.xml, read with openpyxl's
    own stylesheet class: loading the workbook would parse every shared string of a big file."""
    sheet = Stylesheet.from_tree(ElementTree.fromstring(styles))
    for attrs in _CELL_RE.findall(text):
        a = dict(_ATTR_RE.findall(attrs))
        ref = _REF_RE.match(a.get(b"r", b""))
        if ref is None or b"s" not in a or int(ref.group(2)) > rows:
            continue
        xf = sheet.cell_styles[int(a[b"s"])]
        font = copy(sheet.fonts[xf.fontId])
        if font.name and font_hint([font.name]):
            font.name = UNICODE_FONT
        found.styles[(int(ref.group(2)), col_index(ref.group(1)) + 1)] = {
            "font": font,
            "fill": sheet.fills[xf.fillId],
            "border": sheet.borders[xf.borderId],
            "alignment": sheet.alignments[xf.alignmentId],
        }


def apply(ws, fmt: HeadFormat, width: int) -> None:
    """Put the copied look on the error sheet's top rows and its first `width` columns."""
    for (row, col), style in fmt.styles.items():
        cell = ws.cell(row=row, column=col)
        for name, value in style.items():
            setattr(cell, name, copy(value))
    for col, size in fmt.widths.items():
        if col <= width:
            ws.column_dimensions[get_column_letter(col)].width = size
    for row, size in fmt.heights.items():
        ws.row_dimensions[row].height = size

