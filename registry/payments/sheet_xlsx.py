"""The bảng kê chi trả of a unit and month as xlsx: people, role, rates, sessions, amounts, the
total and the total in Vietnamese words, a column to sign, the agency block and the title."""
from __future__ import annotations

import datetime as dt
from typing import IO

from xlsxwriter.utility import xl_range, xl_rowcol_to_cell

from models import PaymentKind, Unit
from registry.exports.agency import agency_for
from registry.exports.book import Book, WriteOrderError
from registry.exports.layout import Column, start_sheet, write_signatures
from registry.exports.listing import slug
from registry.payments import service as svc
from registry.payments.amount_words import amount_in_words

COLUMNS = [Column("stt", "STT", width=4), Column("name", "Họ và tên", width=18),
           Column("roles", "Chức danh", width=10), Column("units", "Đơn vị", width=14),
           Column("monthly", "Phụ cấp hằng tháng (đồng)", width=11),
           Column("support", "Hỗ trợ (đồng)", width=10),
           Column("rate", "Thù lao báo cáo", "Mức/buổi (đồng)", 10),
           Column("sessions", "Thù lao báo cáo", "Số buổi", 6),
           Column("fee", "Thù lao báo cáo", "Thành tiền (đồng)", 11),
           Column("total", "Tổng cộng (đồng)", width=12),
           Column("sign", "Ký nhận", width=14)]
KINDS = {"monthly": PaymentKind.PHU_CAP_THANG, "support": PaymentKind.HO_TRO,
         "fee": PaymentKind.THU_LAO_BUOI}
SIGNERS = ["NGƯỜI LẬP BIỂU", "KẾ TOÁN", "THỦ TRƯỞNG ĐƠN VỊ"]
AMOUNT_COLUMNS = (4, 5, 8)  # a person's total: monthly allowance, support, session fees


def filename(unit: Unit, period: dt.date) -> str:
    """"bang-ke-chi-tra-huyen-dak-ha-2025-03.xlsx": the unit's name, never its id."""
    return f"bang-ke-chi-tra-{slug(unit.name)}-{period:%Y-%m}.xlsx"


def build(unit: Unit, period: dt.date, today: dt.date | None = None,
          rows: list | None = None) -> IO[bytes]:
    """The month's sheet of `unit` (its subtree), as the payment page shows it; `rows`: that
    sheet (`svc.sheet`) when the caller has it already."""
    rows = svc.sheet(unit, period) if rows is None else rows
    total = sum(r.total for r in rows)
    book = Book()
    f = book.f
    title = ("Bảng kê chi trả chế độ báo cáo viên, tuyên truyền viên "
             f"tháng {period:%m/%Y}")
    sheet, header = start_sheet(book, f"Bảng kê {period:%m-%Y}", COLUMNS,
                                agency_for(unit, today), today or dt.date.today(), title,
                                f"Đơn vị: {unit.name}")
    row = header + 1
    for number, r in enumerate(rows, start=1):
        row += 1
        fee = r.amounts.get(PaymentKind.THU_LAO_BUOI)
        sheet.number(row, 0, number, f.cell_center)
        sheet.text(row, 1, r.person.full_name, f.cell)
        sheet.text(row, 2, ", ".join(r.roles), f.cell)
        sheet.text(row, 3, ", ".join(r.units), f.cell)
        sheet.number(row, 4, r.amounts.get(KINDS["monthly"]), f.cell_money)
        sheet.number(row, 5, r.amounts.get(KINDS["support"]), f.cell_money)
        if len(r.session_rates) == 1:
            sheet.number(row, 6, r.session_rates[0], f.cell_money)
        else:  # several rates in one month (two roles): listed, as text
            sheet.text(row, 6, "; ".join(f"{x:,}".replace(",", ".") for x in r.session_rates),
                       f.cell)
        sheet.number(row, 7, r.sessions or None, f.cell_center)
        sheet.number(row, 8, fee, f.cell_money)
        _sum(sheet, row, 9, [xl_rowcol_to_cell(row, c) for c in AMOUNT_COLUMNS], r.total,
             f.total_money)
        sheet.blank(row, 10, f.cell)
        sheet.ws.set_row(row, 30)  # room to sign
    row += 1
    _total_row(sheet, row, rows, total)
    sheet.merged(row + 1, 0, len(COLUMNS) - 1,
                 f"Tổng số tiền (viết bằng chữ): {amount_in_words(total)}.", f.words)
    write_signatures(sheet, row + 3, len(COLUMNS), SIGNERS)
    sheet.table_finish(header, header + 1, row - 1, len(COLUMNS) - 1)  # filter people only
    return book.close()


def _total_row(sheet, row: int, rows: list, total: int) -> None:
    """Sums as formulas over the people's rows (the cached value is what the page shows), so
    that a corrected amount in the file corrects the totals."""
    f = sheet.book.f
    first, last = row - len(rows), row - 1
    sheet.merged(row, 0, 3, f"Tổng cộng ({len(rows)} người)", f.total_center)
    sums = {4: sum(r.amounts.get(KINDS["monthly"], 0) for r in rows),
            5: sum(r.amounts.get(KINDS["support"], 0) for r in rows),
            7: sum(r.sessions for r in rows),
            8: sum(r.amounts.get(KINDS["fee"], 0) for r in rows), 9: total}
    for col, value in sums.items():
        fmt = f.total_center if col == 7 else f.total_money
        if rows:
            _sum(sheet, row, col, [xl_range(first, col, last, col)], value, fmt)
        else:
            sheet.number(row, col, value, fmt)
    sheet.blank(row, 6, f.total)
    sheet.blank(row, 10, f.total)


def _sum(sheet, row: int, col: int, ranges: list[str], value: int, fmt) -> None:
    formula = f"=SUM({','.join(ranges)})"
    if sheet.ws.write_formula(row, col, formula, fmt, value) == -1:
        raise WriteOrderError(f"cell ({row}, {col}) is above a finished row")
