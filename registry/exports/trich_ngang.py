"""The "trích ngang" layout offices sign and file: the agency block on the left, "ĐẢNG CỘNG SẢN
VIỆT NAM" and the place-and-date line on the right, a title, a two-row merged header with the
birth year under "Nam" or "Nữ", STT, rows grouped by unit, and a signature block.

One sheet per role ("BCV", "TTV"): the importer reads a sheet's role from its name. Groups:
"A, B, …" for the province and each district (in the STT column), "I, II, …" for each unit
under a district, restarting in each district; both forms are section rows for the importer.
A list spanning several districts (one made at the province) has a "Huyện/Thành phố" column,
so that every commune reads back without ambiguity.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from models import Role
from registry.exports.agency import Agency
from registry.exports.book import Book, Sheet
from registry.exports.layout import Column, start_sheet, write_signatures
from registry.exports.rows import Names, RosterRows
from registry.units.tree import UnitTree

ROLE_TITLES = {Role.BCV: "DANH SÁCH TRÍCH NGANG ĐỘI NGŨ BÁO CÁO VIÊN",
               Role.TTV: "DANH SÁCH TRÍCH NGANG ĐỘI NGŨ TUYÊN TRUYỀN VIÊN NÒNG CỐT"}
OTHER_SHEET = "Chưa có vai trò"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def columns(with_district: bool, extra: tuple[Column, ...] = ()) -> list[Column]:
    """The layout's columns; `extra` columns (a list's own) go just before "Ghi chú"."""
    cols = [Column("stt", "STT", width=4), Column("full_name", "Họ và tên", width=18),
            Column("male", "Năm sinh", "Nam", 5), Column("female", "Năm sinh", "Nữ", 5),
            Column("ethnicity", "Dân tộc", width=7), Column("religion", "Tôn giáo", width=7),
            Column("position", "Chức vụ", width=16)]
    if with_district:
        cols.append(Column("district", "Huyện/Thành phố", width=12))
    cols += [Column("unit", "Đơn vị", width=14),
             Column("education", "Trình độ", "Học vấn", 7),
             Column("professional", "Trình độ", "Chuyên môn", 10),
             Column("political_theory", "Trình độ", "Lý luận chính trị", 9),
             Column("party_join_date", "Ngày vào Đảng", width=10),
             Column("cccd", "Số CCCD", width=13), Column("phone", "Điện thoại", width=11),
             *extra, Column("notes", "Ghi chú", width=12)]
    return cols


@dataclass
class Document:
    """What goes around the table: who issues it, when, its title."""

    agency: Agency
    day: dt.date
    title: str | None = None          # None: the role's own title
    subtitle: str | None = None
    with_district: bool = False
    notes: dict[int, str] = field(default_factory=dict)  # person id -> "Ghi chú" text
    # A list's own columns before "Ghi chú": each with its text per person id.
    extra: tuple[tuple[Column, dict[int, str]], ...] = ()


def write(book: Book, rows: RosterRows, doc: Document) -> None:
    """A sheet per role present in `rows` (an empty "TTV" sheet when there is none)."""
    tree, names = UnitTree(rows.day), Names.load()  # districts and groups of the list's date
    by_role: dict[Role | None, list] = {}
    for pid, appt in rows.pairs:
        by_role.setdefault(appt.role if appt is not None else None, []).append((pid, appt))
    if not by_role:
        by_role[Role.TTV] = []
    for role in (Role.BCV, Role.TTV, None):
        if role in by_role:
            units = _person_units(by_role[role])
            pairs = _grouped(by_role[role], rows, tree, units)
            _sheet(book, rows, pairs, role, doc, tree, names, units)


def _group_keys(pid, appt, tree: UnitTree, units: dict[int, int]) -> tuple:
    unit_id = appt.unit_id if appt is not None else units.get(pid)
    top = tree.district_of(unit_id) or tree.ancestors(unit_id)[-1]
    sub = None if unit_id == top else unit_id
    return top, sub


def _grouped(pairs: list, rows: RosterRows, tree: UnitTree, units: dict[int, int]) -> list:
    """Pairs ordered by group (catalogue order), then in roster order inside a group."""
    position = {pid: i for i, pid in enumerate(rows.ids)}

    def key(pair):
        top, sub = _group_keys(*pair, tree, units)
        return (tree.nodes[top].order, () if sub is None else tree.nodes[sub].order,
                position[pair[0]])
    return sorted(pairs, key=key)


def _person_units(pairs: list) -> dict[int, int]:
    """Units of the people listed without an appointment (they are grouped by their unit)."""
    import sqlalchemy as sa

    from models import Person, db

    missing = [pid for pid, appt in pairs if appt is None]
    found: dict[int, int] = {}
    for start in range(0, len(missing), 1000):
        found.update(db.session.execute(sa.select(Person.id, Person.unit_id).where(
            Person.id.in_(missing[start:start + 1000]))).tuples().all())
    return found


def _sheet(book: Book, rows: RosterRows, pairs: list, role: Role | None, doc: Document,
           tree: UnitTree, names: Names, units: dict[int, int]) -> None:
    cols = columns(doc.with_district, tuple(col for col, _values in doc.extra))
    name = role.value if role is not None else OTHER_SHEET
    title = doc.title or ROLE_TITLES.get(role, "DANH SÁCH TRÍCH NGANG")
    sheet, header = start_sheet(book, name, cols, doc.agency, doc.day, title, doc.subtitle)
    first = header + 2
    last, count = _body(sheet, rows, pairs, cols, first, doc, tree, names, units)
    total = f"Tổng số: {count} người." if count else "Danh sách không có ai."
    sheet.merged(last + 1, 0, len(cols) - 1, total, book.f.note)
    write_signatures(sheet, last + 3, len(cols), ["NGƯỜI LẬP BIỂU", doc.agency.signer])
    sheet.table_finish(header, header + 1, last, len(cols) - 1)


def _body(sheet: Sheet, rows: RosterRows, pairs: list, cols: list[Column], row: int,
          doc: Document, tree: UnitTree, names: Names, units: dict[int, int]) -> tuple[int, int]:
    """Group rows and people; returns (last row written, number of people)."""
    f = sheet.book.f
    keys = [c.key for c in cols]
    tops = subs = 0
    current: tuple | None = None
    count = 0
    row -= 1
    for person, appt in rows.iter_people(pairs):
        top, sub = _group_keys(person.id, appt, tree, units)
        if current is None or top != current[0]:
            row += 1
            tops, subs = tops + 1, 0
            sheet.text(row, 0, _letter(tops), f.group, measure=False)
            sheet.merged(row, 1, len(cols) - 1, tree.name(top).upper(), f.group)
            current = (top, None)
        if sub is not None and sub != current[1]:
            row += 1
            subs += 1
            sheet.text(row, 0, _roman(subs), f.group_sub, measure=False)
            sheet.merged(row, 1, len(cols) - 1, tree.name(sub), f.group_sub)
            current = (top, sub)
        row += 1
        count += 1
        _person_row(sheet, row, count, person, appt, keys, doc, tree, names)
    return row, count


def _person_row(sheet: Sheet, row: int, number: int, person, appt, keys: list[str],
                doc: Document, tree: UnitTree, names: Names) -> None:
    f = sheet.book.f
    unit_id = appt.unit_id if appt is not None else person.unit_id
    year = person.dob.year if person.dob else None
    gender = person.gender.value if person.gender else None
    values = {
        "full_name": person.full_name, "ethnicity": person.ethnicity,
        "religion": person.religion, "position": person.position,
        "district": tree.district_name(unit_id), "unit": tree.name(unit_id),
        "education": person.education, "professional": person.professional,
        "political_theory": names.llct.get(person.political_theory, person.political_theory),
        "cccd": person.cccd, "phone": person.phone,
        "notes": doc.notes.get(person.id, person.notes),
        **{col.key: texts.get(person.id) for col, texts in doc.extra}}
    for col, key in enumerate(keys):
        if key == "stt":
            sheet.number(row, col, number, f.cell_center)
        elif key in ("male", "female"):
            here = (gender == "Nam") if key == "male" else (gender == "Nữ")
            sheet.number(row, col, year if here else None, f.cell_center)
        elif key == "party_join_date":
            sheet.date(row, col, person.party_join_date, f.cell_date)
        else:
            sheet.text(row, col, values.get(key), f.cell)


def _letter(n: int) -> str:
    return LETTERS[n - 1] if n <= len(LETTERS) else str(n)


def _roman(n: int) -> str:
    out = []
    for value, numeral in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"),
                           (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"),
                           (4, "IV"), (1, "I")):
        while n >= value:
            out.append(numeral)
            n -= value
    return "".join(out)
