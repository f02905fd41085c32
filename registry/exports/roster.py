"""The roster export: the list on screen (all pages, its filters, the user's scope) as xlsx, in
the complete layout or the trích ngang layout."""
from __future__ import annotations

import datetime as dt
from typing import IO

from models import Unit
from registry.exports import full, rows, trich_ngang
from registry.exports.agency import agency_for
from registry.exports.book import Book
from registry.roster.query import STATUSES, RosterFilter
from registry.units.asof import districts_exist

LAYOUTS = {"full": "Đầy đủ", "trich-ngang": "Trích ngang"}


class BadLayout(ValueError):
    message = "Mẫu xuất không hợp lệ: chọn «Đầy đủ» (full) hoặc «Trích ngang» (trich-ngang)."


def filename(layout: str, day: dt.date) -> str:
    stem = "danh-sach-day-du" if layout == "full" else "danh-sach-trich-ngang"
    return f"{stem}-{day:%Y-%m-%d}.xlsx"


def subtitle(f: RosterFilter, day: dt.date) -> str:
    """What the list holds, for the line under the title."""
    status = "đang hoạt động" if f.status == "active" else STATUSES[f.status].lower()
    return f"({status.capitalize()} tính đến ngày {day:%d/%m/%Y})"


def build(f: RosterFilter, layout: str, issuer: Unit, today: dt.date | None = None,
          ) -> tuple[IO[bytes], int]:
    """The finished file (positioned at its start) and how many rows it holds."""
    if layout not in LAYOUTS:
        raise BadLayout(layout)
    today = today or dt.date.today()
    day = f.day or today
    book = Book()
    if layout == "full":
        count = full.write(book, rows.stream(f, day), day)
    else:
        pairs = rows.RosterRows.for_filter(f, day)
        # A list as of a past date is the document the office would have signed that day:
        # dated then, under the agency's name of that day.
        signed = min(day, today)
        doc = trich_ngang.Document(agency_for(issuer, signed), signed, subtitle=subtitle(f, day),
                                   with_district=issuer.parent_id is None
                                   and districts_exist(day))
        trich_ngang.write(book, pairs, doc)
        count = len(pairs)
    return book.close(), count
