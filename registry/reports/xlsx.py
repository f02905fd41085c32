"""The periodic report (báo cáo số lượng, chất lượng đội ngũ) as xlsx: the agency block, the
title, one row per unit with grouped columns, the total row, the units without a TTV, and the
signature block."""
from __future__ import annotations

import datetime as dt
from typing import IO

from models import Unit
from registry.exports.agency import agency_for
from registry.exports.book import Book
from registry.exports.layout import Column, start_sheet, write_signatures
from registry.reports.team_report import Report

TITLE = "Báo cáo số lượng, chất lượng đội ngũ báo cáo viên, tuyên truyền viên"


def columns(report: Report) -> list[Column]:
    """The report's columns (keys of Line.counts), shared by the page and the file."""
    cols = [Column("stt", "STT", width=4), Column("name", "Đơn vị", width=20),
            Column("people", "Tổng số", width=6), Column("bcv", "Báo cáo viên", width=7),
            Column("ttv", "Tuyên truyền viên", width=8), Column("women", "Nữ", width=5),
            Column("minority", "Dân tộc thiểu số", width=7),
            Column("party", "Đảng viên", width=6)]
    cols += [Column(f"llct:{c}", "Lý luận chính trị", n, 7) for c, n in report.llct]
    cols += [Column(f"edu:{c}", "Học vấn", n, 7) for c, n in report.education]
    cols += [Column(f"age:{k}", "Độ tuổi", n, 6) for k, n in report.ages]
    cols += [Column("trained", "Trong kỳ báo cáo", "Được bồi dưỡng", 8),
             Column("commended", "Trong kỳ báo cáo", "Được khen thưởng", 8),
             Column("disciplined", "Trong kỳ báo cáo", "Bị kỷ luật", 7)]
    return cols


def subtitle(report: Report) -> str:
    return (f"{report.root_name}. Kỳ báo cáo từ ngày {report.start:%d/%m/%Y} đến ngày "
            f"{report.end:%d/%m/%Y}; số lượng tính đến ngày {report.as_of:%d/%m/%Y}.")


def filename(report: Report) -> str:
    return f"bao-cao-doi-ngu-{report.as_of:%Y-%m-%d}.xlsx"


def build(report: Report, issuer: Unit, today: dt.date | None = None) -> IO[bytes]:
    cols = columns(report)
    book = Book()
    f = book.f
    today = today or dt.date.today()  # dated the day it is issued, and signed as of that day
    agency = agency_for(issuer, today)
    sheet, header = start_sheet(book, "Báo cáo", cols, agency, today, TITLE, subtitle(report))
    row = header + 1
    for n, line in enumerate(report.lines, start=1):
        row += 1
        sheet.number(row, 0, n, f.cell_center)
        sheet.text(row, 1, line.label, f.cell)
        for i, col in enumerate(cols[2:], start=2):
            sheet.number(row, i, line.count(col.key), f.cell_center)
    last_unit_row = row
    row += 1
    sheet.blank(row, 0, f.total)
    sheet.text(row, 1, report.total.label, f.total)
    for i, col in enumerate(cols[2:], start=2):
        sheet.number(row, i, report.total.count(col.key), f.total_center)
    row += 1
    note = "Một người giữ nhiều vai trò được tính một lần ở mỗi dòng và ở dòng Tổng cộng."
    sheet.merged(row, 0, len(cols) - 1, note, f.note)
    row += 1
    lacking = "; ".join(f"{u} ({d})" if d else u for u, d in report.without_ttv) or "không có"
    sheet.merged(row, 0, len(cols) - 1,
                 f"Đơn vị cấp xã chưa có tuyên truyền viên ({len(report.without_ttv)}): {lacking}.",
                 f.note)
    sheet.ws.set_row(row, 15 * (1 + len(lacking) // 180))
    write_signatures(sheet, row + 2, len(cols), ["NGƯỜI LẬP BIỂU", agency.signer])
    sheet.table_finish(header, header + 1, last_unit_row, len(cols) - 1)
    return book.close()
