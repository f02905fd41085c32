"""Stage 4: walk the rows under the header; skip rows that are not people, stop at the footer."""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .header import Layout, is_number_row
from .sheetdata import Merge, Row
from .spec import match_header
from .text import collapse_spaces, fold_case, is_blank, nfc

_FOOTER_RE = re.compile(r"(?:^|\x1f)\s*(?:người lập|tm\.|t/m|kt\.|k/t|nơi nhận|tổng cộng|cộng\s*:"
                        r"|tổng số\s*:|ghi chú\s*:)", re.IGNORECASE)
_DATE_LINE = re.compile(r"^(?:[^\d,]{0,80},\s*)?ngày\b.{0,16}tháng\b.{0,16}năm\s*\d{4}\s*\.?$")
_ROMAN = re.compile(r"^(?:[IVXLC]{1,7}|[A-Z])[.)]?$")
_ROMAN_LABEL = re.compile(r"^([IVXLC]{1,7})[.)]?\s+(\S.*)$")
_ADMIN_WORDS = ("xã ", "phường ", "thị trấn ", "huyện ", "thành phố ")


@dataclass(slots=True)  # not frozen, as ParsedRow (validate.py): one is made per row
class DataRow:
    number: int            # 1-based sheet row (record number for CSV)
    cells: Row
    section: str | None    # label of the last section row above, if any


def is_footer(row: Row, name_col: int | None) -> bool:
    """A footer marker (`Người lập`, `TM.`, `T/M`, `KT.`, `Nơi nhận`, `Tổng cộng`, `Cộng:`) starts a
    cell, or a cell is a date line `…, ngày … tháng … năm YYYY` while the name cell is empty."""
    texts = [v for v in row if type(v) is str and v]
    if not texts:
        return False
    joined = nfc("\x1f".join(texts))
    if _FOOTER_RE.search(joined):
        return True
    if "gày" in joined or "GÀY" in joined:
        if name_col is None or name_col >= len(row) or _blank(row[name_col]):
            return any(_DATE_LINE.match(fold_case(text)) for text in texts)
    return False


def _blank(value: object) -> bool:
    return value == "" or value is None or (type(value) is str and is_blank(value))


def _section_label(row: Row, stt_col: int | None, name_col: int | None) -> str | None:
    """The label when the row is a section row (`I  THỊ TRẤN ĐẮK RVE`), else None."""
    if stt_col is not None and stt_col < len(row) and type(row[stt_col]) is str:
        if _ROMAN.match(row[stt_col].strip()):
            filled = [(c, v) for c, v in enumerate(row) if not _blank(v)]
            labels = [collapse_spaces(v) for c, v in filled if c != stt_col and type(v) is str]
            return labels[0] if labels and len(filled) <= 3 else None
    if len(row) - row.count("") != 1:
        return None
    filled = [(c, v) for c, v in enumerate(row) if not _blank(v)]
    if len(filled) != 1 or type(filled[0][1]) is not str:
        return None
    text = collapse_spaces(filled[0][1])
    match = _ROMAN_LABEL.match(text)
    if match:
        return match.group(2)
    if filled[0][0] == name_col and fold_case(text).startswith(_ADMIN_WORDS):
        return text
    return None


class _MergeFill:
    """Spreads the value of vertical merges in the data area over the rows they cover."""

    def __init__(self, merges: Iterable[Merge], first_index: int) -> None:
        self.starts: dict[int, list[tuple[int, int]]] = {}
        for r0, c0, r1, _c1 in merges:
            if r1 > r0 and r0 >= first_index:
                self.starts.setdefault(r0, []).append((c0, r1))
        self.active: list[tuple[int, int, object]] = []

    def apply(self, index: int, row: Row) -> None:
        if self.active:
            self.active = [a for a in self.active if a[1] >= index]
            for col, _end, value in self.active:
                while len(row) <= col:
                    row.append("")
                if _blank(row[col]):
                    row[col] = value
        for col, end in self.starts.get(index, ()):
            if col < len(row) and not _blank(row[col]):
                self.active.append((col, end, row[col]))


def data_rows(
    rows: Iterator[tuple[int, Row]], layout: Layout, merges: tuple[Merge, ...]
) -> Iterator[DataRow]:
    """Person rows from (0-based index, cells) pairs starting at the first data row."""
    stt_col, name_col = layout.index("stt"), layout.index("full_name")
    fill = _MergeFill(merges, layout.first_data_row - 1) if merges else None
    if fill is not None and not fill.starts:
        fill = None
    section: str | None = None
    for index, row in rows:
        if fill is not None:
            fill.apply(index, row)
        if row.count("") == len(row) or all(_blank(v) for v in row):
            continue
        if is_footer(row, name_col):
            return
        if _only_stt(row, stt_col) or (_may_be_numbers(row, name_col) and is_number_row(row)):
            continue
        label = _section_label(row, stt_col, name_col)
        if label is not None:
            section = label
            continue
        if _repeated_header(row, name_col):
            continue
        yield DataRow(index + 1, row, section)


def _may_be_numbers(row: Row, name_col: int | None) -> bool:
    """Cheap pre-check for is_number_row: a person's name is never a number."""
    if name_col is None or name_col >= len(row):
        return True
    name = row[name_col]
    return type(name) is not str or not name.strip() or name.strip(" ()").isdigit()


def _only_stt(row: Row, stt_col: int | None) -> bool:
    if stt_col is None or len(row) - row.count("") > 2:
        return False
    return all(_blank(v) for c, v in enumerate(row) if c != stt_col)


def _repeated_header(row: Row, name_col: int | None) -> bool:
    if name_col is None or name_col >= len(row) or type(row[name_col]) is not str:
        return False
    text = row[name_col]
    if len(text) > 60 or "tên" not in text.casefold():
        return False
    spec = match_header(text)
    return spec is not None and spec.key == "full_name"
