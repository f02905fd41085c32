"""The list of exemplary models as xlsx: the agency heading, one row per model with its people
and recognition decision, and the signature block."""
from __future__ import annotations

import datetime as dt
from typing import IO

from models import ExemplaryModel, Unit
from registry.exports.agency import agency_for
from registry.exports.book import Book
from registry.exports.layout import Column, start_sheet, write_signatures

TITLE = "Danh sách mô hình hay, điển hình tiên tiến"
COLUMNS = [Column("stt", "STT", width=4), Column("name", "Tên mô hình, điển hình", width=28),
           Column("field", "Lĩnh vực", width=16), Column("year", "Năm công nhận", width=8),
           Column("unit", "Đơn vị", width=18), Column("persons", "Người thực hiện", width=24),
           Column("decision", "Quyết định công nhận", "Số, ngày", 16),
           Column("recognised_by", "Quyết định công nhận", "Cơ quan công nhận", 18),
           Column("description", "Mô tả, kết quả", width=40)]


def filename(today: dt.date) -> str:
    return f"mo-hinh-dien-hinh-{today:%Y-%m-%d}.xlsx"


def decision_text(item: ExemplaryModel) -> str:
    date = f"ngày {item.decision_date:%d/%m/%Y}" if item.decision_date else ""
    return ", ".join(x for x in (item.decision_no or "", date) if x)


def build(items: list[ExemplaryModel], issuer: Unit, subtitle: str | None,
          today: dt.date | None = None) -> IO[bytes]:
    today = today or dt.date.today()
    book = Book()
    f = book.f
    agency = agency_for(issuer, today)
    sheet, header = start_sheet(book, "Mô hình", COLUMNS, agency, today, TITLE, subtitle)
    row = header + 1
    for n, item in enumerate(items, start=1):
        row += 1
        sheet.number(row, 0, n, f.cell_center)
        sheet.text(row, 1, item.name, f.cell)
        sheet.text(row, 2, item.field, f.cell)
        sheet.number(row, 3, item.year, f.cell_center)
        sheet.text(row, 4, item.unit.name, f.cell)
        sheet.text(row, 5, "; ".join(p.full_name for p in item.persons), f.cell)
        sheet.text(row, 6, decision_text(item), f.cell)
        sheet.text(row, 7, item.recognised_by, f.cell)
        sheet.text(row, 8, item.description, f.cell, measure=False)
    sheet.merged(row + 1, 0, len(COLUMNS) - 1, f"Tổng số: {len(items)} mô hình, điển hình.",
                 f.note)
    write_signatures(sheet, row + 3, len(COLUMNS), ["NGƯỜI LẬP BIỂU", agency.signer])
    sheet.table_finish(header, header + 1, row, len(COLUMNS) - 1)
    return book.close()
