"""Stage 3: find the header row(s) in the top of a sheet and map columns to fields."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from .sheetdata import Merge, Row
from .spec import BY_KEY, FEMALE, MALE, FieldSpec, gender_word, is_sub_header, match_header
from .text import cell_text, is_blank

HEADER_SEARCH_ROWS = 40
_NUMBER_CELL = re.compile(r"^\(?(\d{1,3})\)?$")
_LETTER_CELL = re.compile(r"^\(?[A-Z]\)?$")
_DECISION_GROUP = frozenset({"decision_no", "decision_date", "decision_body"})


@dataclass(frozen=True, slots=True)
class Column:
    field: str
    index: int      # 0-based column
    title: str      # the header as written in the file (whitespace collapsed)


@dataclass(frozen=True, slots=True)
class Layout:
    header_rows: tuple[int, ...]            # 1-based sheet rows
    number_row: int | None                  # the "1, 2, 3…" row, 1-based
    first_data_row: int                     # 1-based
    columns: dict[str, Column] = field(default_factory=dict)   # one column per field
    dob_split: dict[str, Column] = field(default_factory=dict)  # "nam"/"nữ" -> birth column
    gender_marks: dict[str, Column] = field(default_factory=dict)  # "nam"/"nữ" -> x-mark column
    titles: tuple[str, ...] = ()            # header title of every column, for the error workbook

    def title(self, key: str) -> str:
        if key == "dob" and self.dob_split and key not in self.columns:
            return next(iter(self.dob_split.values())).title
        if key == "gender" and self.gender_marks and key not in self.columns:
            return next(iter(self.gender_marks.values())).title
        column = self.columns.get(key)
        return column.title if column else BY_KEY[key].label if key in BY_KEY else key

    def all_columns(self) -> tuple[Column, ...]:
        """Recognised columns; Nam/Nữ birth or mark columns as dob_male/dob_female, gender_male/…"""
        split = [Column(f"{key}_{'male' if word == MALE else 'female'}", col.index, col.title)
                 for key, columns in (("dob", self.dob_split), ("gender", self.gender_marks))
                 for word, col in columns.items()]
        return tuple(sorted([*self.columns.values(), *split], key=lambda col: col.index))

    def index(self, key: str) -> int | None:
        column = self.columns.get(key)
        return column.index if column else None


def _recognised(row: Row) -> set[str]:
    keys = set()
    for value in row:
        if isinstance(value, str) and value:
            spec = match_header(value)
            if spec is not None and spec.recognised:
                keys.add(spec.key)
    return keys


def find_header_row(rows: list[Row]) -> int | None:
    """0-based index of the first row (in the top 40) naming a name column and two other fields."""
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        keys = _recognised(row)
        if "full_name" in keys and len(keys) >= 3:
            return i
    return None


def title_lines(rows: list[Row]) -> tuple[str, ...]:
    """The text cells above the header (the letterhead and the title), one line each."""
    return tuple(text for row in rows for value in row
                 if isinstance(value, str) and (text := cell_text(value)))


def _horizontal_groups(merges: tuple[Merge, ...], row: int) -> dict[int, int]:
    """column -> first column of the horizontal merge covering it in `row`."""
    groups = {}
    for r0, c0, r1, c1 in merges:
        if r0 <= row <= r1 and c1 > c0:
            for c in range(c0, c1 + 1):
                groups[c] = c0
    return groups


def _is_second_header(top: Row, below: Row, groups: dict[int, int]) -> bool:
    cells = [(c, v) for c, v in enumerate(below) if not is_blank(v)]
    if not cells or not all(isinstance(v, str) and is_sub_header(v) for _, v in cells):
        return False
    return any(c in groups or c >= len(top) or is_blank(top[c]) for c, _ in cells)


def _implicit_groups(top: Row, below: Row, groups: dict[int, int]) -> None:
    """Without merge information (CSV), a sub-header under an empty top cell belongs to the
    group cell on its left: `Giới tính | ''` over `Nam | Nữ`."""
    for c in range(1, len(below)):
        if c not in groups and (c >= len(top) or is_blank(top[c])) and not is_blank(below[c]):
            start = groups.get(c - 1, c - 1)
            if start < len(top) and not is_blank(top[start]):
                groups[c - 1] = start
                groups[c] = start


def is_number_row(row: Row) -> bool:
    """`1 2 3 …`, `"1" "2" …` or `(1) (2) …` (optionally after `(A) (B)`): increasing small numbers
    that start at 0–2 and stay within the width of the table."""
    numbers: list[int] = []
    for value in row:
        if is_blank(value):
            continue
        if (
            isinstance(value, (int, float))
            and not isinstance(value, bool)
            and float(value).is_integer()
        ):
            numbers.append(int(value))
        elif isinstance(value, str) and (m := _NUMBER_CELL.match(value.strip())):
            numbers.append(int(m.group(1)))
        elif not (isinstance(value, str) and not numbers and _LETTER_CELL.match(value.strip())):
            return False
    return (
        len(numbers) >= 2
        and numbers[0] <= 2
        and numbers[-1] <= len(row) + 2
        and all(a < b for a, b in pairwise(numbers))
    )


def build_layout(rows: list[Row], merges: tuple[Merge, ...], header: int) -> Layout:
    top = rows[header]
    groups = _horizontal_groups(merges, header)
    below = rows[header + 1] if header + 1 < len(rows) else []
    two_rows = bool(below) and _is_second_header(top, below, groups)
    if two_rows:
        _implicit_groups(top, below, groups)
    last = header + 1 if two_rows else header
    number_row = last + 1 if last + 1 < len(rows) and is_number_row(rows[last + 1]) else None
    layout = Layout(
        header_rows=tuple(range(header + 1, last + 2)),
        number_row=number_row + 1 if number_row is not None else None,
        first_data_row=(number_row if number_row is not None else last) + 2,
        titles=_titles(top, below if two_rows else [], groups),
    )
    _map_columns(layout, top, below if two_rows else [], groups)
    return layout


def _text(row: Row, c: int) -> str:
    return cell_text(row[c]) if c < len(row) else ""


def _titles(top: Row, below: Row, groups: dict[int, int]) -> tuple[str, ...]:
    width = max(len(top), len(below))
    return tuple(_text(below, c) or _text(top, groups.get(c, c)) for c in range(width))


def _map_columns(layout: Layout, top: Row, below: Row, groups: dict[int, int]) -> None:
    candidates: dict[str, list[tuple[int, int, FieldSpec, str]]] = {}
    for c in range(max(len(top), len(below))):
        group_text = _text(top, groups.get(c, c))
        sub = _text(below, c)
        if sub:
            group = match_header(group_text) if group_text else None
            word = gender_word(sub)
            if word and group is not None and group.key in ("dob", "gender"):
                target = layout.dob_split if group.key == "dob" else layout.gender_marks
                target.setdefault(word, Column(group.key, c, group_text))
                continue
            spec, title = match_header(sub), sub
            if group is not None and group.key in _DECISION_GROUP:
                # "Quyết định công nhận" over "Số | Ngày | Cơ quan": a sub-header alone says
                # little ("Cơ quan" would be the workplace); with its group it names the field.
                spec, title = match_header(f"{sub} {group_text}"), f"{group_text} ({sub})"
        elif c in groups and groups[c] != c:
            continue  # inside a merged header cell: the first column holds it
        else:
            spec, title = match_header(group_text) if group_text else None, group_text
        if spec is not None:
            candidates.setdefault(spec.key, []).append((-spec.strength, c, spec, title))
    for key, found in candidates.items():
        found.sort(key=lambda item: (item[0], item[1]))
        _, c, spec, title = found[0]
        layout.columns[key] = Column(key, c, title)
        for _, c2, spec2, title2 in found[1:]:
            if (
                spec2.fallback
                and spec2.fallback not in candidates
                and spec2.fallback not in layout.columns
            ):
                layout.columns[spec2.fallback] = Column(spec2.fallback, c2, title2)
    for split in (layout.dob_split, layout.gender_marks):
        if len(split) != 2 or MALE not in split or FEMALE not in split:
            split.clear()
