"""Careful xlsx path: measure a worksheet part without a grid, and stream its rows with lxml.

Used only for sheets whose cell grid would be too large for the fast reader (stray cells far
away, cells without references, huge sheets).  Rows are produced one at a time, so the caller's
blank-run rule stops the parse early; at most `width` columns are read."""
from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from .sheetdata import Merge, Row

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_CHUNK = 1024 * 1024
_LETTERS_RE = re.compile(rb'c r="([A-Z]{1,3})[0-9]')
_WIDE_RE = re.compile(rb'c r="([A-Z]{2,3})[0-9]')
_FAR_RE = re.compile(rb'c r="[A-Z]{1,3}([0-9]{6,9})"')
_MERGE_RE = re.compile(rb'mergeCell ref="([A-Z]{1,3})([0-9]{1,9}):([A-Z]{1,3})([0-9]{1,9})"')
_PARSER_OPTIONS = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": False,
}


def col_index(letters: str | bytes) -> int:
    """'A' -> 0, 'AB' -> 27."""
    if isinstance(letters, bytes):
        letters = letters.decode("ascii")
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


@dataclass(frozen=True, slots=True)
class SheetShape:
    max_row: int
    max_col: int
    merges: tuple[Merge, ...]
    irregular: bool = False  # some cells have no reference


def measure_sheet(archive: zipfile.ZipFile, part: str) -> SheetShape:
    """Exact extent of the cell references and the merged ranges, reading the part in chunks."""
    max_row, letters, merges, tail, single = 0, set(), set(), b"", ord("A") - 1
    refs = closes = 0
    with archive.open(part) as stream:
        while chunk := stream.read(_CHUNK):
            text = tail + chunk
            refs += text.count(b'c r="') - tail.count(b'c r="')
            closes += (
                text.count(b"</c>") + text.count(b":c>") - tail.count(b"</c>") - tail.count(b":c>")
            )
            letters.update(_WIDE_RE.findall(text))
            single = _highest_letter(text, single)
            max_row = max([max_row, *map(int, _FAR_RE.findall(text))])
            merges.update(_MERGE_RE.findall(text))
            tail = chunk[-40:]
    if single >= ord("A"):
        letters.add(bytes([single]))
    max_col = max((col_index(c) + 1 for c in letters), default=1)
    return SheetShape(
        max_row or 99_999,
        max_col,
        tuple(
            sorted(
                (int(r0) - 1, col_index(c0), int(r1) - 1, col_index(c1))
                for c0, r0, c1, r1 in merges
            )
        ),
        closes > refs,
    )


def _highest_letter(text: bytes, known: int) -> int:
    """Highest single-letter column in text when above `known`; one failing search when not."""
    while known < ord("Z"):
        match = re.search(b'c r="([%c-Z])[0-9]' % (known + 1), text)
        if match is None:
            return known
        known = match.group(1)[0]
    return known


class StreamBook:
    """Shared strings, date styles and the date system of one xlsx package, loaded on demand."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self._strings: list[str] | None = None
        self.date_styles, self.epoch = self._styles(), self._epoch()

    def _parse(self, part: str, tag: str) -> Iterator:
        from lxml import etree  # imported here: only this careful path needs it

        if part not in self.archive.namelist():
            return iter(())
        return (
            element
            for _, element in etree.iterparse(
                self.archive.open(part), events=("end",), tag=tag, **_PARSER_OPTIONS
            )
        )

    @property
    def strings(self) -> list[str]:
        if self._strings is None:
            self._strings = []
            for si in self._parse("xl/sharedStrings.xml", f"{_NS}si"):
                self._strings.append(
                    "".join(
                        t.text or "" for t in si.iter(f"{_NS}t") if t.getparent().tag != f"{_NS}rPh"
                    )
                )
                si.clear()
        return self._strings

    def _styles(self) -> frozenset[int]:
        from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format

        formats = dict(BUILTIN_FORMATS)
        for node in self._parse("xl/styles.xml", f"{_NS}numFmt"):
            formats[int(node.get("numFmtId", "0") or 0)] = node.get("formatCode", "")
        dates = set()
        for xf in self._parse("xl/styles.xml", f"{_NS}cellXfs"):
            for i, item in enumerate(xf.iterfind(f"{_NS}xf")):
                if is_date_format(formats.get(int(item.get("numFmtId", "0") or 0), "")):
                    dates.add(i)
            break
        return frozenset(dates)

    def _epoch(self) -> dt.datetime:
        for node in self._parse("xl/workbook.xml", f"{_NS}workbookPr"):
            if node.get("date1904") in ("1", "true"):
                return dt.datetime(1904, 1, 1)
        return dt.datetime(1899, 12, 30)

    def rows(self, part: str, width: int) -> Iterator[Row]:
        """Sheet rows from row 1; gaps between <row> elements come out as empty rows."""
        expected = 1
        for row in self._parse(part, f"{_NS}row"):
            number = int(row.get("r") or expected)
            while expected < number:
                yield []
                expected += 1
            yield self._cells(row, width)
            expected = number + 1
            row.clear()
            while row.getprevious() is not None:
                del row.getparent()[0]

    def _cells(self, row, width: int) -> Row:
        out: Row = []
        column = -1
        for cell in row.iterfind(f"{_NS}c"):
            ref = cell.get("r")
            column = col_index(ref.rstrip("0123456789")) if ref else column + 1
            if column >= width:
                continue
            while len(out) < column:
                out.append("")
            out.append(self._value(cell))
        return out

    def _value(self, cell) -> object:
        kind = cell.get("t", "n")
        if kind == "inlineStr":
            node = cell.find(f"{_NS}is")
            return "".join(t.text or "" for t in node.iter(f"{_NS}t")) if node is not None else ""
        text = cell.findtext(f"{_NS}v")
        if text is None or kind == "e":
            return ""
        try:
            if kind == "s":
                return self.strings[int(text)]
            if kind in ("str", "d"):
                return text
            if kind == "b":
                return text.strip() in ("1", "true")
            number = float(text)
        except (ValueError, IndexError):
            return ""
        if int(cell.get("s", "0") or 0) in self.date_styles:
            from openpyxl.utils.datetime import from_excel

            try:
                value = from_excel(number, self.epoch)
            except (ValueError, OverflowError):
                return number
            return (
                value.date()
                if isinstance(value, dt.datetime) and value.time() == dt.time()
                else value
            )
        return number
