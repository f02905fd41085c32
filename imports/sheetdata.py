"""What the reading stage hands to the next stages: sheets as streams of cell rows."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from .errors import ImportFileError

Cell = object  # str ('' when empty) | int | float | bool | date | datetime | time | timedelta
Row = list  # list[Cell], index 0 = column A
Merge = tuple[int, int, int, int]  # (first row, first col, last row, last col), 0-based, inclusive


@dataclass(frozen=True, slots=True)
class SheetData:
    """One sheet.  rows yields every sheet row from row 1 (index 0) in order, once."""

    name: str | None
    rows: Iterator[Row]
    merges: tuple[Merge, ...] = ()
    typed: bool = True  # False for CSV: every value is text
    caps_cells: frozenset[tuple[int, int]] = frozenset()  # cells in an all-caps legacy font


@dataclass(frozen=True, slots=True)
class Workbook:
    """An opened upload.  load(i) reads sheet i (lazily, so big sheets are read one at a time)."""

    kind: str  # "xlsx" | "xls" | "csv"
    sheet_names: tuple[str | None, ...]
    load: Callable[[int, bool], SheetData]  # (index, want_caps_cells) -> SheetData
    fonts: tuple[str, ...] = ()
    text_sample: tuple[str, ...] = ()
    has_caps_font: bool = False
    notes: dict[str, object] = field(default_factory=dict)


def bounded_rows(rows: Iterable[Row], *, blank_run: int, max_rows: int) -> Iterator[Row]:
    """Stop after `blank_run` consecutive blank rows; refuse sheets longer than `max_rows`."""
    blanks = 0
    for count, row in enumerate(rows, 1):
        if count > max_rows:
            raise ImportFileError(
                "too_large", f"Trang tính có hơn {max_rows:,} dòng.".replace(",", ".")
            )
        if row.count("") == len(row) or all(
            type(v) is str and not v.strip() for v in row if v != ""
        ):
            blanks += 1
            if blanks >= blank_run:
                return
        else:
            blanks = 0
        yield row
