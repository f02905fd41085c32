"""The coverage report as xlsx: the agency block, one table per document, then per unit."""
from __future__ import annotations

import datetime as dt
from typing import IO

from models import Unit
from registry.documents.coverage import Cell, Coverage
from registry.exports.agency import agency_for
from registry.exports.book import Book
from registry.exports.layout import Column, start_sheet, write_signatures

TITLE = "Báo cáo kết quả cung cấp thông tin cho báo cáo viên"
COLUMNS = [Column("stt", "STT", width=4), Column("name", "Tài liệu / đơn vị", width=40),
           Column("day", "Ngày ban hành", width=11), Column("sent", "Đã gửi", width=8),
           Column("received", "Đã nhận", width=8), Column("bcv", "Số BCV", width=8),
           Column("rate", "Tỷ lệ nhận (%)", width=9)]


def subtitle(report: Coverage) -> str:
    kind = f"; loại: {report.kind.label}" if report.kind else ""
    return (f"{report.unit.name}. Tài liệu ban hành từ ngày {report.start:%d/%m/%Y} đến ngày "
            f"{report.end:%d/%m/%Y}{kind}. Số BCV: báo cáo viên đang hoạt động vào ngày ban "
            "hành tài liệu.")


def filename(report: Coverage) -> str:
    return f"cung-cap-thong-tin-{report.start:%Y%m%d}-{report.end:%Y%m%d}.xlsx"


def _row(sheet, row: int, n: int | None, name: str, day: dt.date | None, cell: Cell,
         bold: bool = False) -> None:
    f = sheet.f
    text, center = (f.total, f.total_center) if bold else (f.cell, f.cell_center)
    sheet.number(row, 0, n, center) if n is not None else sheet.blank(row, 0, center)
    sheet.text(row, 1, name, text)
    sheet.date(row, 2, day, f.cell_date) if day else sheet.blank(row, 2, center)
    for col, value in enumerate((cell.sent, cell.received, cell.bcv, cell.rate), start=3):
        sheet.number(row, col, value, center)


def build(report: Coverage, issuer: Unit, today: dt.date | None = None) -> IO[bytes]:
    today = today or dt.date.today()
    book = Book()
    f = book.f
    agency = agency_for(issuer, today)
    sheet, header = start_sheet(book, "Cung cấp thông tin", COLUMNS, agency, today, TITLE,
                                subtitle(report))
    row = header + 2
    sheet.merged(row, 0, len(COLUMNS) - 1, "I. Theo tài liệu", f.group)
    for n, (doc, cell) in enumerate(report.by_document, start=1):
        row += 1
        label = f"{doc.number} – {doc.title}" if doc.number else doc.title
        _row(sheet, row, n, label, doc.issued_on, cell)
    row += 1
    _row(sheet, row, None, "Cộng", None, report.total, bold=True)
    last = row
    row += 1
    sheet.merged(row, 0, len(COLUMNS) - 1, "II. Theo đơn vị (cộng các tài liệu trên)", f.group)
    for n, (label, cell) in enumerate(report.by_unit, start=1):
        row += 1
        _row(sheet, row, n, label, None, cell)
    write_signatures(sheet, row + 2, len(COLUMNS), ["NGƯỜI LẬP BIỂU", agency.signer])
    sheet.table_finish(header, header + 1, last, len(COLUMNS) - 1)
    return book.close()
