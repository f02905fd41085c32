"""Qualification lists as xlsx: the people in the list in the trích ngang layout (the reason in
"Ghi chú"), then the people left out with their reasons; unit lists as a plain office table."""
from __future__ import annotations

from typing import IO

from models import Unit
from registry.exports import trich_ngang
from registry.exports.agency import agency_for
from registry.exports.book import Book
from registry.exports.layout import Column, start_sheet, write_signatures
from registry.exports.rows import RosterRows
from registry.lists.qualification import Outcome
from registry.lists.ready import UnitsOutcome
from registry.units.tree import UnitTree

OUT_COLUMNS = [Column("stt", "STT", width=4), Column("name", "Họ và tên", width=18),
               Column("unit", "Đơn vị", width=16), Column("roles", "Vai trò", width=14),
               Column("rating", "Đánh giá gần nhất", width=18),
               Column("reasons", "Lý do", width=45)]
# The latest yearly rating, a column of every qualification list (before "Ghi chú").
RATING_COLUMN = Column("last_rating", "Đánh giá gần nhất", width=16)
UNIT_COLUMNS = [Column("stt", "STT", width=4), Column("unit", "Đơn vị", width=22),
                Column("district", "Huyện/Thành phố", width=16),
                Column("bcv", "Báo cáo viên đang hoạt động", width=12),
                Column("note", "Ghi chú", width=20)]


def filename(slug: str, day) -> str:
    """`slug`: a ready-made list's slug or a saved list's name made ASCII (never an id)."""
    return f"danh-sach-{slug}-{day:%Y-%m-%d}.xlsx"


def row_count(outcome: Outcome | UnitsOutcome) -> int:
    """How many people (or units) the file of `outcome` lists: what its download records."""
    if isinstance(outcome, UnitsOutcome):
        return len(outcome.rows)
    return len(outcome.entries if outcome.outs_in_file else outcome.members)


def build(outcome: Outcome | UnitsOutcome, issuer: Unit) -> IO[bytes]:
    book = Book()
    if isinstance(outcome, UnitsOutcome):
        _units(book, outcome, issuer)
        return book.close()
    members = outcome.members
    rows = RosterRows([e.person.id for e in members], outcome.day, role=outcome.role,
                      level=outcome.level, first_only=True)
    subtitle = f"(Tính đến ngày {outcome.day:%d/%m/%Y}. " + "; ".join(outcome.lines) + ")"
    doc = trich_ngang.Document(agency_for(issuer, outcome.day), outcome.day,
                               title=outcome.title,
                               subtitle=subtitle, with_district=issuer.parent_id is None,
                               notes={e.person.id: e.note for e in members},
                               extra=((RATING_COLUMN, {e.person.id: e.last_rating
                                                       for e in members}),))
    trich_ngang.write(book, rows, doc)
    if outcome.outs_in_file:
        _outsiders(book, outcome, issuer)
    return book.close()


def out_title(outcome: Outcome) -> str:
    """The second sheet's title: "Danh sách báo cáo viên chưa đủ tiêu chuẩn" (who the list
    looks at, then what the people left out are)."""
    who = " ".join(x for x in (outcome.role.label.lower() if outcome.role
                               else "báo cáo viên, tuyên truyền viên",
                               outcome.level.phrase if outcome.level else "") if x)
    return f"Danh sách {who} {outcome.out_label.lower()}"


def _outsiders(book: Book, outcome: Outcome, issuer: Unit) -> None:
    sheet, header = start_sheet(book, outcome.out_label, OUT_COLUMNS,
                                agency_for(issuer, outcome.day), outcome.day,
                                out_title(outcome),
                                f"(Những người ngoài danh sách «{outcome.title}», tính đến ngày "
                                f"{outcome.day:%d/%m/%Y})")
    f, tree = book.f, UnitTree(outcome.day)
    row = header + 1
    for n, e in enumerate(outcome.outsiders, start=1):
        row += 1
        sheet.number(row, 0, n, f.cell_center)
        sheet.text(row, 1, e.person.full_name, f.cell)
        sheet.text(row, 2, tree.name(e.person.unit_id), f.cell)
        sheet.text(row, 3, "; ".join(e.verdicts), f.cell)
        sheet.text(row, 4, e.last_rating, f.cell)
        sheet.text(row, 5, " ".join(e.reasons), f.cell, measure=False)
    sheet.table_finish(header, header + 1, row, len(OUT_COLUMNS) - 1)


def _units(book: Book, outcome: UnitsOutcome, issuer: Unit) -> None:
    sheet, header = start_sheet(book, "Đơn vị", UNIT_COLUMNS, agency_for(issuer, outcome.day),
                                outcome.day,
                                outcome.title, f"(Tính đến ngày {outcome.day:%d/%m/%Y})")
    f, tree = book.f, UnitTree(outcome.day)
    row = header + 1
    for n, r in enumerate(outcome.rows, start=1):
        row += 1
        sheet.number(row, 0, n, f.cell_center)
        sheet.text(row, 1, r.unit.name, f.cell)
        sheet.text(row, 2, tree.district_name(r.unit.id), f.cell)
        sheet.number(row, 3, r.bcv, f.cell_center)
        sheet.blank(row, 4, f.cell)
    sheet.merged(row + 1, 0, len(UNIT_COLUMNS) - 1, f"Tổng số: {len(outcome.rows)} đơn vị.",
                 f.note)
    write_signatures(sheet, row + 3, len(UNIT_COLUMNS),
                     ["NGƯỜI LẬP BIỂU", agency_for(issuer, outcome.day).signer])
    sheet.table_finish(header, header + 1, row, len(UNIT_COLUMNS) - 1)
