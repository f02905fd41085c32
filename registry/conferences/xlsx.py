"""The yearly list of BCV and the conferences they missed, as xlsx: the agency block, the title,
one row per BCV (expected, attended, missed), the rule in a note, and the signature block."""
from __future__ import annotations

import datetime as dt
from typing import IO

from models import Unit
from registry.conferences.rules import Tally
from registry.exports.agency import agency_for
from registry.exports.book import Book
from registry.exports.layout import Column, start_sheet, write_signatures

COLUMNS = [Column("stt", "STT", width=4), Column("name", "Họ và tên", width=24),
           Column("unit", "Đơn vị", width=22),
           Column("expected", "Số hội nghị", "Phải dự", 8),
           Column("attended", "Số hội nghị", "Đã dự", 8),
           Column("missed", "Số hội nghị", "Vắng", 8)]
NOTE = ("Báo cáo viên phải dự một hội nghị khi vào ngày họp đang là báo cáo viên của đơn vị tổ "
        "chức hoặc của đơn vị cấp dưới; số vắng = số phải dự − số đã dự trong các hội nghị đó.")


def title(year: int) -> str:
    return f"Danh sách báo cáo viên dự, vắng hội nghị báo cáo viên năm {year}"


def filename(year: int) -> str:
    return f"bcv-vang-hoi-nghi-{year}.xlsx"


def build(rows: list[Tally], year: int, scope_name: str, issuer: Unit,
          today: dt.date | None = None) -> IO[bytes]:
    book = Book()
    f = book.f
    today = today or dt.date.today()
    agency = agency_for(issuer, today)
    sheet, header = start_sheet(book, "Vắng hội nghị", COLUMNS, agency, today, title(year),
                                f"{scope_name}. Số liệu năm {year}.")
    row = header + 1
    for n, t in enumerate(rows, start=1):
        row += 1
        sheet.number(row, 0, n, f.cell_center)
        sheet.text(row, 1, t.person.full_name, f.cell)
        sheet.text(row, 2, t.person.unit.name, f.cell)
        for col, value in enumerate((t.expected, t.attended, t.missed), start=3):
            sheet.number(row, col, value, f.cell_center)
    last = row
    row += 1
    sheet.merged(row, 0, len(COLUMNS) - 1, NOTE, f.note)
    sheet.ws.set_row(row, 30)
    write_signatures(sheet, row + 2, len(COLUMNS), ["NGƯỜI LẬP BIỂU", agency.signer])
    sheet.table_finish(header, header + 1, last, len(COLUMNS) - 1)
    return book.close()
