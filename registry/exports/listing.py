"""A screen list as an office xlsx: the agency block, the title, the filters in words, a table of
the list's columns (STT first), the count, the signature block. Every "Tải Excel" of a plain
list (commendations, discipline, overdue training, ended terms, review lists, transfers) goes
through `build`, so that they all look alike; `filename` names the file without internal ids."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import IO

from imports.text import fold_case_and_diacritics
from models import Unit
from registry.exports.agency import agency_for
from registry.exports.book import Book, Sheet
from registry.exports.layout import Column, start_sheet, write_signatures

EMPTY = "Không có dữ liệu"
Value = str | int | dt.date | None


@dataclass(frozen=True)
class Listing:
    """What goes around the rows: the title, the filters in words, the sheet's name and the word
    that counts the rows ("người", "khen thưởng")."""

    title: str
    described: str
    sheet: str
    counted: str = "dòng"


def slug(text: str) -> str:
    """ASCII, lowercase, hyphenated: "Huyện Đắk Hà" -> "huyen-dak-ha"."""
    return re.sub(r"[^a-z0-9]+", "-", fold_case_and_diacritics(text)).strip("-")


def filename(stem: str, day: dt.date, unit: Unit | None = None) -> str:
    """"khen-thuong-huyen-dak-ha-2026-12-07.xlsx": the unit's name (when the list is filtered to
    one), never its id."""
    where = f"-{slug(unit.name)}" if unit is not None else ""
    return f"{stem}{where}-{day:%Y-%m-%d}.xlsx"


def described(parts: Iterable[str], everything: str) -> str:
    """The filters in words, or `everything` when no filter is set."""
    text = "; ".join(p for p in parts if p)
    return text or everything


def build(listing: Listing, columns: Sequence[Column], rows: Sequence[Sequence[Value]],
          issuer: Unit, today: dt.date | None = None) -> IO[bytes]:
    """`columns` after STT; each row one value per column (text, number, date or None)."""
    today = today or dt.date.today()
    cols = [Column("stt", "STT", width=4), *columns]
    width = len(cols)
    book = Book()
    f = book.f
    agency = agency_for(issuer, today)
    subtitle = f"({listing.described[:1].upper()}{listing.described[1:]})"
    sheet, header = start_sheet(book, listing.sheet, cols, agency, today, listing.title, subtitle)
    row = header + 1
    for number, values in enumerate(rows, start=1):
        row += 1
        sheet.number(row, 0, number, f.cell_center)
        for col, value in enumerate(values, start=1):
            _cell(sheet, row, col, value)
    last = row
    if not rows:
        row += 1
        sheet.merged(row, 0, width - 1, EMPTY, f.cell_center)
    sheet.merged(row + 1, 0, width - 1, f"Tổng số: {len(rows)} {listing.counted}.", f.note)
    write_signatures(sheet, row + 3, width, ["NGƯỜI LẬP BIỂU", agency.signer])
    sheet.table_finish(header, header + 1, last, width - 1)
    return book.close()


def _cell(sheet: Sheet, row: int, col: int, value: Value) -> None:
    f = sheet.book.f
    if isinstance(value, dt.datetime):  # a timestamp shows as its day, as on the page
        value = value.date()
    if isinstance(value, dt.date):
        sheet.date(row, col, value, f.cell_date)
    elif isinstance(value, int) and not isinstance(value, bool):
        sheet.number(row, col, value, f.cell_center)
    else:
        sheet.text(row, col, value or "", f.cell)
