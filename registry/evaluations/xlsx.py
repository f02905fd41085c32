"""The year's ratings of a unit's team as xlsx: the agency heading, one row per person with the
year's figures beside the rating, the counts per rating, and the signature block."""
from __future__ import annotations

import datetime as dt
from typing import IO

from models import Person, Unit
from registry.evaluations.service import Figures, year_bounds
from registry.evaluations.summary import RATINGS, Summary
from registry.exports.agency import agency_for
from registry.exports.book import Book
from registry.exports.layout import Column, start_sheet, write_signatures

COLUMNS = [Column("stt", "STT", width=4), Column("name", "Họ và tên", width=20),
           Column("unit", "Đơn vị", width=18), Column("roles", "Vai trò", width=14),
           Column("sessions", "Số liệu trong năm", "Buổi báo cáo", 8),
           Column("audience", "Số liệu trong năm", "Người nghe", 9),
           Column("conferences", "Số liệu trong năm", "Hội nghị BCV đã dự", 9),
           Column("trainings", "Số liệu trong năm", "Bồi dưỡng (hoàn thành / tham gia)", 11),
           Column("rating", "Xếp loại", width=20), Column("note", "Ghi chú", width=20)]


def filename(year: int) -> str:
    return f"danh-gia-{year}.xlsx"


def roles_in_year(person: Person, year: int) -> str:
    """The roles (and levels) the person held at some time in `year`, as the list shows them."""
    start, end = year_bounds(year)
    held = dict.fromkeys(f"{a.role.value} {a.level.phrase}" for a in person.appointments
                         if a.start_date <= end and (a.end_date is None or a.end_date >= start))
    return ", ".join(held)


def build(people: list[Person], figures: dict[int, Figures], ratings: dict, summary: Summary,
          issuer: Unit, today: dt.date | None = None) -> IO[bytes]:
    """`ratings`: person id -> Evaluation of the year."""
    today = today or dt.date.today()
    book = Book()
    f = book.f
    agency = agency_for(issuer, today)
    title = f"Kết quả đánh giá, xếp loại báo cáo viên, tuyên truyền viên năm {summary.year}"
    sheet, header = start_sheet(book, f"Năm {summary.year}", COLUMNS, agency, today, title,
                                f"({summary.unit.name})")
    row = header + 1
    for n, p in enumerate(people, start=1):
        row += 1
        fig, item = figures[p.id], ratings.get(p.id)
        sheet.number(row, 0, n, f.cell_center)
        sheet.text(row, 1, p.full_name, f.cell)
        sheet.text(row, 2, p.unit.name, f.cell)
        sheet.text(row, 3, roles_in_year(p, summary.year), f.cell)
        for col, value in enumerate((fig.sessions, fig.audience, fig.conferences), start=4):
            sheet.number(row, col, value, f.cell_center)
        sheet.text(row, 7, f"{fig.trained} / {fig.trainings}", f.cell_center)
        sheet.text(row, 8, item.rating.label if item else "Chưa đánh giá", f.cell)
        sheet.text(row, 9, item.note if item else None, f.cell)
    last = row
    counts = "; ".join(f"{r.label}: {summary.total.count(r)}" for r in RATINGS)
    sheet.merged(row + 1, 0, len(COLUMNS) - 1,
                 f"Tổng số: {summary.total.total} người. {counts}; chưa đánh giá: "
                 f"{summary.total.count(None)}.", f.note)
    write_signatures(sheet, row + 3, len(COLUMNS), ["NGƯỜI LẬP BIỂU", agency.signer])
    sheet.table_finish(header, header + 1, last, len(COLUMNS) - 1)
    return book.close()
