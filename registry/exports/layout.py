"""What every office document shares: the heading (agency block, party line, place and date,
title), a two-row merged table header, and the signature block."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from registry.exports.agency import PARTY, Agency
from registry.exports.book import Book, Sheet


@dataclass(frozen=True)
class Column:
    key: str
    top: str                 # the header's first row (a group title over sub-columns)
    sub: str | None = None   # the second row under a group; None: merged down both rows
    width: float = 6


def _blocks(width: int) -> tuple[int, int]:
    """(last column of the left block, first column of the right block)."""
    left_end = max(1, min(3, width // 3))
    return left_end, max(left_end + 1, width - max(5, width // 3))


def write_heading(sheet: Sheet, agency: Agency, day: dt.date, title: str, subtitle: str | None,
                  width: int) -> int:
    """The agency block, the party line, place and date, the title; returns the header row."""
    f = sheet.book.f
    left_end, right_start = _blocks(width)
    sheet.merged(0, 0, left_end, agency.upper, f.agency)
    sheet.merged(0, right_start, width - 1, PARTY, f.party)
    sheet.merged(1, 0, left_end, agency.body, f.agency_bold)
    sheet.merged(2, 0, left_end, "*", f.agency)
    sheet.merged(2, right_start, width - 1, agency.date_line(day), f.place_date)
    sheet.merged(4, 0, width - 1, title.upper(), f.title)
    sheet.ws.set_row(4, 36)
    row = 5
    if subtitle:
        sheet.merged(row, 0, width - 1, subtitle, f.subtitle)
        row += 1
    return row + 1


def write_header(sheet: Sheet, cols: list[Column], row: int) -> None:
    """Two header rows: a group title over its sub-columns, other titles merged down."""
    f = sheet.book.f
    for i, col in enumerate(cols):
        if col.sub is None or i == 0 or cols[i - 1].top != col.top:
            sheet.text(row, i, col.top, f.header, measure=False)
        else:
            sheet.blank(row, i, f.header)
    for i, col in enumerate(cols):
        if col.sub is None:
            sheet.blank(row + 1, i, f.header)
        else:
            sheet.text(row + 1, i, col.sub, f.header, measure=False)
    i = 0
    while i < len(cols):
        j = i
        while j + 1 < len(cols) and cols[i].sub and cols[j + 1].top == cols[i].top:
            j += 1
        if cols[i].sub is None:
            sheet.merge(row, i, row + 1, i)
        elif j > i:
            sheet.merge(row, i, row, j)
        i = j + 1
    sheet.ws.set_row(row, 30)
    sheet.ws.set_row(row + 1, 30)


def start_sheet(book: Book, name: str, cols: list[Column], agency: Agency, day: dt.date,
                title: str, subtitle: str | None) -> tuple[Sheet, int]:
    """A sheet sized for `cols` with the heading and the table header; returns the sheet and its
    header row."""
    sheet = book.sheet(name, [c.width for c in cols])
    header = write_heading(sheet, agency, day, title, subtitle, len(cols))
    write_header(sheet, cols, header)
    return sheet, header


def write_signatures(sheet: Sheet, row: int, width: int, titles: list[str]) -> None:
    """Signature titles spread over the width, "(Ký, ghi rõ họ tên…)" under each."""
    f = sheet.book.f
    if len(titles) == 2:
        left_end, right_start = _blocks(width)
        spans = [(0, left_end), (right_start, width - 1)]
    else:
        step = width // len(titles)
        spans = [(i * step, (i + 1) * step - 1 if i < len(titles) - 1 else width - 1)
                 for i in range(len(titles))]
    for (first, last), title in zip(spans, titles, strict=True):  # a whole row before the next one
        sheet.merged(row, first, last, title, f.sign_title)
    for i, (first, last) in enumerate(spans):
        note = "(Ký, ghi rõ họ tên, đóng dấu)" if i == len(spans) - 1 else "(Ký, ghi rõ họ tên)"
        sheet.merged(row + 1, first, last, note, f.sign_note)
