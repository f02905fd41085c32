"""The sơ kết / tổng kết report as xlsx: the agency block and the title, one sheet of figures
(Chỉ tiêu | Kỳ này | Kỳ trước | Tăng/giảm) by section, one sheet per unit, the signatures.
The wording of the title and the period lives here, for the page too."""
from __future__ import annotations

import datetime as dt
from typing import IO

from models import Unit
from registry.exports.agency import agency_for
from registry.exports.book import Book, Sheet
from registry.exports.layout import Column, start_sheet, write_signatures
from registry.reports.period import FIGURES, SECTIONS, Report, change, value

SUBJECT = "công tác tuyên truyền miệng và đội ngũ báo cáo viên, tuyên truyền viên"
COLUMNS = [Column("label", "Chỉ tiêu", width=50), Column("now", "Kỳ này", width=11),
           Column("before", "Kỳ trước", width=11), Column("diff", "Tăng/giảm", "Số", 10),
           Column("pct", "Tăng/giảm", "%", 9)]


def period_words(start: dt.date, end: dt.date) -> str:
    """"6 tháng đầu năm 2026", "năm 2026", else "từ ngày 01/03/2026 đến ngày 31/05/2026"."""
    if start.year == end.year and (start.month, start.day) == (1, 1):
        if (end.month, end.day) == (12, 31):
            return f"năm {start.year}"
        if (end.month, end.day) == (6, 30):
            return f"6 tháng đầu năm {start.year}"
    if start.year == end.year and (start.month, start.day, end.month, end.day) == (7, 1, 12, 31):
        return f"6 tháng cuối năm {start.year}"
    return f"từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}"


def title(report: Report) -> str:
    kind = "tổng kết" if report.is_final else "sơ kết"
    cur = report.current
    return f"Báo cáo {kind} {SUBJECT} {period_words(cur.start, cur.end)}"


def subtitle(report: Report) -> str:
    cur = report.current
    return (f"{cur.unit_name}. Kỳ báo cáo từ ngày {cur.start:%d/%m/%Y} đến ngày "
            f"{cur.end:%d/%m/%Y}; kỳ trước từ ngày {report.prev_start:%d/%m/%Y} đến ngày "
            f"{report.prev_end:%d/%m/%Y}.")


def filename(report: Report) -> str:
    kind = "tong-ket" if report.is_final else "so-ket"
    cur = report.current
    return f"bao-cao-{kind}-{cur.start:%Y%m%d}-{cur.end:%Y%m%d}.xlsx"


def quick_choices(today: dt.date, unit_id: int) -> list[tuple[str, dict]]:
    """The usual periods: the first half and the whole of this year and of the last."""
    return [(f"{label} {year}", {"unit": unit_id, "from": f"01/01/{year}", "to": f"{end}/{year}"})
            for year in (today.year, today.year - 1)
            for label, end in (("6 tháng đầu năm", "30/06"), ("Cả năm", "31/12"))]


def build(report: Report, issuer: Unit, today: dt.date | None = None) -> IO[bytes]:
    today = today or dt.date.today()  # dated the day it is issued
    agency = agency_for(issuer, today)
    book = Book()
    sheet, header = start_sheet(book, "Báo cáo", COLUMNS, agency, today, title(report),
                                subtitle(report))
    row = _figures(sheet, report, header + 2)
    sheet.merged(row, 0, len(COLUMNS) - 1, _note(report), book.f.note)
    write_signatures(sheet, row + 2, len(COLUMNS), ["NGƯỜI LẬP BIỂU", agency.signer])
    sheet.table_finish(header, header + 1, row - 1, len(COLUMNS) - 1)
    _units_sheet(book, report, agency, today)
    return book.close()


def _note(report: Report) -> str:
    if report.previous is None:
        return "Kỳ trước chưa có đơn vị tương ứng nên không so sánh."
    return ("Tăng/giảm: kỳ này so với kỳ trước; với các tỷ lệ (%), tính bằng điểm phần trăm. "
            "Một người giữ nhiều vai trò được tính một lần ở phần I.")


def _figures(sheet: Sheet, report: Report, row: int) -> int:
    """The sections and their figures from `row`; returns the row after the last."""
    f = sheet.f
    for section, lines in report.lines():
        sheet.merged(row, 0, len(COLUMNS) - 1, section, f.group)
        row += 1
        for fig, now, before in lines:
            diff, pct = change(now, before)
            if fig.share is not None:
                pct = None  # a change of a share is in points, already in `diff`
            sheet.text(row, 0, fig.label, f.cell)
            for col, number in enumerate((now, before, diff, pct), start=1):
                sheet.number(row, col, number, f.cell_center)
            row += 1
    return row


def unit_columns() -> list[Column]:
    cols = [Column("stt", "STT", width=4), Column("name", "Đơn vị", width=24)]
    for section, figs in SECTIONS:
        top = section.split(". ", 1)[-1]
        cols += [Column(fig.key, top, fig.label.lstrip("– "), 8) for fig in figs]
    return cols


def _units_sheet(book: Book, report: Report, agency, today: dt.date) -> None:
    cols, f = unit_columns(), book.f
    sheet, header = start_sheet(book, "Theo đơn vị", cols, agency, today, title(report),
                                subtitle(report))
    row = header + 1
    for n, line in enumerate(report.current.rows, start=1):
        row += 1
        sheet.number(row, 0, n, f.cell_center)
        sheet.text(row, 1, line.label, f.cell)
        for i, fig in enumerate(FIGURES, start=2):
            sheet.number(row, i, value(line.counts, fig), f.cell_center)
    last = row
    row += 1
    sheet.blank(row, 0, f.total)
    sheet.text(row, 1, "Tổng cộng", f.total)
    for i, fig in enumerate(FIGURES, start=2):
        sheet.number(row, i, value(report.current.total, fig), f.total_center)
    write_signatures(sheet, row + 2, len(cols), ["NGƯỜI LẬP BIỂU", agency.signer])
    sheet.table_finish(header, header + 1, last, len(cols) - 1)
