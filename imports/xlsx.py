"""xlsx/xlsm reading: python-calamine for values (fast path); sheets whose cell grid would be huge
(stray cells far away, cells without references) are streamed instead (xlsxstream); fonts for the
legacy-encoding hint come from styles.xml."""
from __future__ import annotations

import io
import posixpath
import re
import zipfile
from html import unescape

import python_calamine as calamine
from defusedxml import ElementTree

from .errors import ImportFileError
from .legacy import is_caps_font
from .sheetdata import SheetData, Workbook, bounded_rows
from .xlsxstream import SheetShape, StreamBook, col_index, measure_sheet
from .zipcheck import Limits, Package, SheetScan, check_package

_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
       "p": "http://schemas.openxmlformats.org/package/2006/relationships"}
_T_RE = re.compile(rb"<(?:\w{1,10}:)?t(?:\s[^>]*)?>([^<]{1,2000})</")
_CELL_STYLE_RE = re.compile(rb'<(?:\w{1,10}:)?c r="([A-Z]{1,3})(\d+)"[^>]*?\ss="(\d+)"')


def open_xlsx(data: bytes, limits: Limits) -> Workbook:
    package = check_package(data, limits)
    archive = zipfile.ZipFile(io.BytesIO(data))
    try:
        book = calamine.CalamineWorkbook.from_object(io.BytesIO(data))
        names = tuple(book.sheet_names)
    except calamine.PasswordError:
        raise ImportFileError("encrypted") from None
    except Exception:   # noqa: BLE001 - any parser failure means a damaged file
        raise ImportFileError("corrupt_file") from None
    parts = sheet_parts(archive)
    fonts, caps_styles = _fonts(package.styles)

    def load(index: int, want_caps: bool) -> SheetData:
        name = names[index]
        part = parts.get(name, "")
        caps = _caps_cells(archive, part, caps_styles) if want_caps and caps_styles else frozenset()
        if part not in package.names:
            raise ImportFileError("corrupt_file")    # cannot tell which part the reader would use
        shape = _too_big(archive, part, package.sheets.get(part), limits)
        if shape is not None:
            return _careful_sheet(archive, name, part, shape, limits, caps)
        return _fast_sheet(book, index, name, limits, caps)

    return Workbook("xlsx", names, load, fonts=fonts, has_caps_font=bool(caps_styles),
                    text_sample=_text_sample(package))


def _fast_sheet(book: calamine.CalamineWorkbook, index: int, name: str, limits: Limits,
                caps: frozenset[tuple[int, int]]) -> SheetData:
    if book.sheets_metadata[index].typ != calamine.SheetTypeEnum.WorkSheet:
        return SheetData(name, iter(()))    # chart or macro sheet: no cells
    try:
        sheet = book.get_sheet_by_index(index)
        merges = tuple((a[0], a[1], b[0], b[1]) for a, b in (sheet.merged_cell_ranges or ()))
    except Exception:   # noqa: BLE001
        raise ImportFileError("corrupt_file") from None
    start_col = sheet.start[1] if sheet.start else 0
    rows = sheet.iter_rows()
    if start_col:
        pad = [""] * start_col
        rows = (pad + row for row in rows)
    return SheetData(name, bounded_rows(rows, blank_run=limits.blank_run, max_rows=limits.max_rows),
                     merges, True, caps)


def _too_big(
    archive: zipfile.ZipFile, part: str, scan: SheetScan | None, limits: Limits
) -> SheetShape | None:
    """The exact shape when the fast reader would allocate a huge grid, else None.  Parts outside
    xl/worksheets/ were not scanned with the package, so they are measured here."""
    if scan is not None and scan.refs > limits.max_fast_cells:
        return measure_sheet(archive, part)
    if (
        scan is not None
        and not scan.unusual
        and not scan.irregular
        and 99_999 * 26 <= limits.max_dense_cells
    ):
        return None
    shape = measure_sheet(archive, part)
    if shape.irregular or shape.max_row * shape.max_col > limits.max_dense_cells:
        return shape
    return None


def _careful_sheet(
    archive: zipfile.ZipFile,
    name: str,
    part: str,
    shape: SheetShape,
    limits: Limits,
    caps: frozenset[tuple[int, int]],
) -> SheetData:
    """Streams rows with lxml, so a run of blank rows ends the read early."""
    width = min(shape.max_col, limits.max_columns)
    rows = StreamBook(archive).rows(part, width)
    return SheetData(
        name,
        bounded_rows(rows, blank_run=limits.blank_run, max_rows=limits.max_rows),
        shape.merges,
        True,
        caps,
    )


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> worksheet part path, from workbook.xml and its relationships."""
    try:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except Exception:  # noqa: BLE001 - calamine already read these; without them no fast checks
        return {}
    targets = {
        rel.get("Id"): rel.get("Target", "") for rel in rels.iter(f"{{{_NS['p']}}}Relationship")
    }
    parts = {}
    for sheet in book.iter(f"{{{_NS['m']}}}sheet"):
        target = targets.get(sheet.get(f"{{{_NS['r']}}}id"), "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)
        parts[sheet.get("name", "")] = path
    return parts


def _fonts(styles: bytes) -> tuple[tuple[str, ...], frozenset[int]]:
    """Font names, and the cell-format indices whose font is an all-caps legacy font."""
    if not styles:
        return (), frozenset()
    try:
        root = ElementTree.fromstring(styles)
    except Exception:  # noqa: BLE001
        return (), frozenset()
    m = f"{{{_NS['m']}}}"
    names = []
    for font in root.iterfind(f"{m}fonts/{m}font"):
        node = font.find(f"{m}name")
        names.append(node.get("val", "") if node is not None else "")
    caps_fonts = {i for i, name in enumerate(names) if is_caps_font(name)}
    caps_styles = frozenset(
        i
        for i, xf in enumerate(root.iterfind(f"{m}cellXfs/{m}xf"))
        if int(xf.get("fontId", "0") or 0) in caps_fonts
    )
    return tuple(dict.fromkeys(n for n in names if n)), caps_styles


def _caps_cells(
    archive: zipfile.ZipFile, part: str, caps_styles: frozenset[int]
) -> frozenset[tuple[int, int]]:
    if part not in archive.namelist():
        return frozenset()
    xml = archive.read(part)
    return frozenset(
        (int(r) - 1, col_index(c))
        for c, r, s in _CELL_STYLE_RE.findall(xml)
        if int(s) in caps_styles
    )


def _text_sample(package: Package) -> tuple[str, ...]:
    """The first shared strings and inline strings, for legacy-encoding statistics."""
    texts = _T_RE.findall(package.shared_strings_head)
    for head in package.sheet_heads.values():
        texts += _T_RE.findall(head)
    return tuple(unescape(t.decode("utf-8", "replace")) for t in texts[:5000])
