"""The filtered activity list as xlsx: the sessions (one row per presenter) under the agency
header, then a sheet of totals by form, topic, unit and month."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import IO

from models import Activity, Unit
from registry.exports.agency import agency_for
from registry.exports.book import Book
from registry.exports.layout import Column, start_sheet, write_signatures
from registry.records.activity_totals import Bucket, Totals

TITLE = "Tổng hợp hoạt động tuyên truyền miệng"
ROW_COLUMNS = [Column("stt", "STT", width=4), Column("date", "Ngày", width=10),
               Column("person", "Người báo cáo", width=18),
               Column("as", "Với tư cách", width=14), Column("topic", "Chủ đề", width=30),
               Column("place", "Địa điểm", width=16),
               Column("unit", "Đơn vị nơi báo cáo", width=16),
               Column("form", "Hình thức", width=9), Column("audience", "Số người nghe", width=8),
               Column("shared", "Ghi chú", width=14)]
TOTAL_COLUMNS = [Column("stt", "STT", width=4), Column("label", "Nội dung", width=40),
                 Column("sessions", "Số buổi", width=9),
                 Column("audience", "Số người nghe", width=10)]
SHARED = "Buổi nhiều người báo cáo"


def filename(today: dt.date) -> str:
    return f"hoat-dong-tuyen-truyen-mieng-{today:%Y-%m-%d}.xlsx"


def build(items: Sequence[Activity], totals: Totals, issuer: Unit, described: str,
          today: dt.date | None = None) -> IO[bytes]:
    today = today or dt.date.today()
    book = Book()
    subtitle = f"({described[:1].upper()}{described[1:]})"
    _rows(book, items, totals, issuer, subtitle, today)
    _totals(book, totals, issuer, subtitle, today)
    return book.close()


def _rows(book: Book, items: Sequence[Activity], totals: Totals, issuer: Unit, subtitle: str,
          today: dt.date) -> None:
    agency = agency_for(issuer, today)
    sheet, header = start_sheet(book, "Các buổi báo cáo", ROW_COLUMNS, agency, today, TITLE,
                                subtitle)
    f = book.f
    row = header + 1
    for n, a in enumerate(items, start=1):
        row += 1
        sheet.number(row, 0, n, f.cell_center)
        sheet.date(row, 1, a.date, f.cell_date)
        sheet.text(row, 2, a.person.full_name, f.cell)
        appt = a.appointment
        sheet.text(row, 3, f"{appt.role.value} {appt.level.phrase}" if appt else "", f.cell)
        sheet.text(row, 4, a.topic, f.cell)
        sheet.text(row, 5, a.place, f.cell)
        sheet.text(row, 6, a.unit.name, f.cell)
        sheet.text(row, 7, a.form.label, f.cell)
        sheet.number(row, 8, a.audience, f.cell_center)
        sheet.text(row, 9, SHARED if a.session_key else "", f.cell)
    last = row
    width = len(ROW_COLUMNS)
    sheet.merged(row + 1, 0, width - 1, _total_line(totals), f.note)
    write_signatures(sheet, row + 3, width, ["NGƯỜI LẬP BIỂU", agency.signer])
    sheet.table_finish(header, header + 1, last, width - 1)


def _total_line(totals: Totals) -> str:
    return (f"Tổng số: {totals.sessions} buổi, {totals.audience} lượt người nghe, "
            f"{totals.presenters} lượt người báo cáo. Một buổi nhiều người báo cáo được tính "
            "một buổi, số người nghe tính một lần.")


def _totals(book: Book, totals: Totals, issuer: Unit, subtitle: str, today: dt.date) -> None:
    sheet, header = start_sheet(book, "Tổng hợp", TOTAL_COLUMNS, agency_for(issuer, today),
                                today, TITLE, subtitle)
    f = book.f
    row = header + 2
    sheet.blank(row, 0, f.total)
    sheet.text(row, 1, "Tổng cộng", f.total)
    sheet.number(row, 2, totals.sessions, f.total_center)
    sheet.number(row, 3, totals.audience, f.total_center)
    for title, buckets in (("Theo hình thức", totals.by_form),
                           ("Theo chủ đề", totals.by_topic),
                           ("Theo đơn vị", totals.by_unit), ("Theo tháng", totals.by_month)):
        row = _section(sheet, row + 1, title, buckets)
    sheet.table_finish(header, header + 1, row, len(TOTAL_COLUMNS) - 1)


def _section(sheet, row: int, title: str, buckets: list[Bucket]) -> int:
    f = sheet.book.f
    sheet.merged(row, 0, len(TOTAL_COLUMNS) - 1, title, f.group)
    for n, b in enumerate(buckets, start=1):
        row += 1
        sheet.number(row, 0, n, f.cell_center)
        sheet.text(row, 1, b.label, f.cell)
        sheet.number(row, 2, b.sessions, f.cell_center)
        sheet.number(row, 3, b.audience, f.cell_center)
    return row
