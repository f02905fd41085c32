"""The complete ("Đầy đủ") roster layout: every field, one row per person and appointment,
designed to be imported again. Its first columns are imports/spec.py's EXPORT_ORDER with the
spec's labels (the importer recognises each); the columns after them carry the appointment
(dates and end reason, which the importer reads back so that an ended appointment stays ended)
and other qualifications, which the importer does not read, under headers it ignores
(tests/exports/test_exports_roundtrip.py checks both).

Values are written the way the importer reads them back unchanged: full birth dates as date
cells, partial ones as text "1976" / "03/1990"; CCCD and phone as text; levels as the words
"Xã", "Huyện", "Tỉnh"; political theory and state management by their names.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from imports.spec import BY_KEY, EXPORT_ORDER
from models import DatePrecision, Level
from registry.exports.book import EPOCH, FORMULA_STARTS, Book
from registry.exports.rows import Names
from registry.units.tree import UnitTree

LEVEL_WORDS = {Level.CO_SO: "Xã", Level.HUYEN: "Huyện", Level.TINH: "Tỉnh",
               Level.TRUNG_UONG: "Trung ương"}
# The columns after EXPORT_ORDER: (key, header). The appointment's dates and end reason are read
# back (imports/spec.py), so that a row of an ended appointment stays history when the file is
# imported again; the others are export-only and their headers must not be claimed by the importer.
READ_BACK = ("start_date", "end_date", "end_reason")
TAIL_COLUMNS = (
    *((key, BY_KEY[key].label) for key in READ_BACK), ("party_member", "Đảng viên"),
    ("state_management", "Quản lý nhà nước"), ("it_level", "Tin học"),
    ("foreign_language", "Ngoại ngữ"), ("minority_languages", "Tiếng dân tộc thiểu số"))
EXTRA_COLUMNS = tuple(column for column in TAIL_COLUMNS if column[0] not in READ_BACK)
COLUMNS = tuple((key, BY_KEY[key].label) for key in EXPORT_ORDER) + TAIL_COLUMNS
KEYS = tuple(key for key, _label in COLUMNS)
DATES = frozenset({"party_join_date", "decision_date", "start_date", "end_date"})
SHEET_NAME = "Danh sách"


def dob_cell(dob, precision) -> object:
    """A full birth date as a date; a partial one as the text the importer reads back."""
    if dob is None:
        return None
    if precision is DatePrecision.YEAR:
        return f"{dob.year:04d}"
    if precision is DatePrecision.MONTH:
        return f"{dob.month:02d}/{dob.year:04d}"
    return dob


def row_values(r, units: dict, names: Names) -> tuple:
    """One joined row (registry.exports.rows.stream) as the values of COLUMNS[1:], in order:
    text as text, dates as dates, None for an empty cell."""
    has = r.a_id is not None
    district, unit = units[r.a_unit_id if has else r.unit_id]
    return (
        r.full_name, dob_cell(r.dob, r.dob_precision), r.gender.label if r.gender else None,
        r.ethnicity, r.religion, r.hometown, r.a_role.value if has else None,
        LEVEL_WORDS[r.a_level] if has else None, district, unit, r.position, r.cccd,
        r.party_join_date, r.education, r.professional,
        names.llct.get(r.political_theory, r.political_theory), r.phone, r.email, r.workplace,
        r.a_decision_no, r.a_decision_date, r.a_decision_body, r.a_term, r.notes,
        r.a_start_date, r.a_end_date, r.a_end_reason.label if r.a_end_reason else None,
        "x" if r.party_member else None,
        names.state_management.get(r.state_management, r.state_management), r.it_level,
        r.foreign_language, r.minority_languages)


class _Units(dict):
    """unit id -> (district name, unit name), filled on first use."""

    def __init__(self, tree: UnitTree):
        super().__init__()
        self.tree = tree

    def __missing__(self, unit_id: int) -> tuple[str, str]:
        value = self[unit_id] = (self.tree.district_name(unit_id), self.tree.name(unit_id))
        return value


def write(book: Book, rows: Iterable, day: dt.date | None = None) -> int:
    """One sheet: the header in row 1 (frozen, filtered), then every row; returns how many.
    Districts are those of the tree as it stood on `day` (today when None).

    The loop is the export's hot path: values come as a tuple in column order, empty cells are
    skipped, and cells go to xlsxwriter's writers directly (the public ones only add the
    "A1" notation check)."""
    units, names = _Units(UnitTree(day)), Names.load()
    sheet = book.sheet(SHEET_NAME, [_header_width(label) for _key, label in COLUMNS])
    ws, f = sheet.ws, book.f
    for col, (_key, label) in enumerate(COLUMNS):
        ws.write_string(0, col, label, f.header)
    ws.set_row(0, 32)
    write_string, write_number = ws._write_string, ws._write_number
    date_fmt, quoted, widths = f.date, f.text_q, sheet.widths
    row = 0
    for r in rows:
        row += 1
        write_number(row, 0, row, None)
        col = 0
        for value in row_values(r, units, names):
            col += 1
            if value is None or value == "":
                continue
            if value.__class__ is str:
                write_string(row, col, value, quoted if value[0] in FORMULA_STARTS else None)
                if len(value) > widths[col]:
                    widths[col] = len(value)
            else:  # a date
                write_number(row, col, (value - EPOCH).days, date_fmt)
    for key in DATES | {"dob"}:
        col = KEYS.index(key)
        widths[col] = max(widths[col], 10)
    sheet.table_finish(0, 0, row, len(COLUMNS) - 1)
    return row


def _header_width(label: str) -> float:
    """A wrapped header needs only its longest word."""
    return max(len(word) for word in label.split()) + 1
