"""A person who moved unit, as the complete export "Tất cả" writes them (one row per appointment:
the current one at the new unit, the ended one at the old), imported back. Without CCCD the
history row matches its person by name, birth date and an appointment at its unit (not their
current unit): re-importing our own export must not create a phantom person; when several
people could be the one, the row is refused rather than guessed. With a CCCD the second row is a
duplicate in the file (the sheet's duplicate key stays the CCCD) and nothing wrong is written."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from models import ImportBatch, Person, db
from registry.exports.roster import build
from registry.importing.preview import iter_rows, to_contract
from registry.roster.query import RosterFilter
from tests.importing.history import (
    DISTRICT,
    DOB,
    HEADER,
    commit,
    district_scope,
    moved_person,
    preview,
    xlsx,
)

TODAY = dt.date.today()
OLD, NEW = "Xã Đắk La", "Xã Đắk Hring"
CCCD_COLUMN = HEADER.index("Số CCCD")


def _export_all(make) -> bytes:
    """The complete layout with status "Tất cả", as an officer of the district downloads it."""
    with district_scope(make):
        file, _count = build(RosterFilter(status="all"), "full", make.unit(DISTRICT))
    data = file.read()
    file.close()
    return data


def _row(name: str, unit: str, cccd: str | None = None, end=None) -> tuple:
    start = dt.date(2019, 1, 1) if end else dt.date(2024, 1, 1)
    return (
        1,
        name,
        DOB,
        "Nữ",
        "Kinh",
        "TTV",
        "Xã",
        DISTRICT,
        unit,
        cccd,
        start,
        end,
        "Chuyển công tác" if end else None,
    )


def _preview(make, data: bytes) -> ImportBatch:
    return preview(make, data, "tat-ca.xlsx")


def _rows(batch: ImportBatch) -> list[dict]:
    return to_contract(db.session, batch)["sheets"][0]["rows"]


def _registry() -> list[tuple]:
    """Every person with every appointment: what a re-import must leave as it was."""
    db.session.expire_all()
    return sorted(
        (p.id, p.full_name, p.unit.name, a.unit.name, a.start_date, a.end_date)
        for p in db.session.execute(sa.select(Person)).scalars()
        for a in p.appointments
    )


def test_moved_person_without_cccd_round_trips(make):
    person = moved_person(make, "Trần Thị Chuyển")
    before = _registry()
    batch = _preview(make, _export_all(make))
    rows = _rows(batch)
    assert [(r["status"], r["values"]["unit"]) for r in rows] == [
        ("unchanged", NEW),
        ("unchanged", OLD),
    ]
    assert rows[1]["message"] == (
        "Dòng lịch sử: nhiệm vụ đã kết thúc ngày 31/12/2023; không thay đổi nhiệm vụ hiện có."
    )
    assert {r.person_id for r in iter_rows(db.session, batch)} == {person.id}
    commit(make, batch)
    assert _registry() == before


def test_history_row_several_people_could_be_is_refused(make):
    """Two people of the same name and birth date both once worked at Xã Đắk La and have moved
    since: the history row at Xã Đắk La without CCCD is not guessed."""
    moved_person(make, "Trần Thị Trùng")
    moved_person(make, "Trần Thị Trùng", now="Xã Ngọk Wang")
    before = _registry()
    batch = _preview(make, xlsx(_row("Trần Thị Trùng", OLD, end=dt.date(2023, 12, 31))))
    [row] = _rows(batch)
    assert (row["status"], row["reason"]) == ("invalid", "ambiguous_person")
    assert row["message"] == (
        "Dòng lịch sử không có số CCCD: có 2 người cùng họ tên «Trần Thị Trùng», sinh ngày "
        "01/01/1970 đã hoặc đang làm nhiệm vụ tại Xã Đắk La, không xác định được dòng này là "
        "của ai nên không nhập. Hãy ghi số CCCD của người này rồi tải lên lại."
    )
    stored = next(iter_rows(db.session, batch))
    assert (stored.data["field"], stored.data["column"]) == ("cccd", CCCD_COLUMN)  # error workbook
    commit(make, batch)
    assert _registry() == before


def test_history_row_without_cccd_of_nobody_known_is_inserted_ended(make):
    """Someone of the same name and birth date who never worked at the row's unit is not them."""
    moved_person(make, "Trần Thị Khác", before="Xã Ngọk Wang")
    before = _registry()
    batch = _preview(
        make,
        xlsx(
            _row("Trần Thị Khác", OLD, end=dt.date(2023, 12, 31)),
            _row("Phạm Văn Nghỉ", OLD, end=dt.date(2024, 6, 30)),
        ),
    )
    assert [(r["status"], r["message"][:50]) for r in _rows(batch)] == [
        ("new", "Dòng lịch sử: nhiệm vụ đã kết thúc ngày 31/12/2023")
    ] + [("new", "Dòng lịch sử: nhiệm vụ đã kết thúc ngày 30/06/2024")]
    commit(make, batch)
    added = sorted(
        (name, unit, end) for _id, name, unit, _a, _s, end in set(_registry()) - set(before)
    )
    assert added == [
        ("Phạm Văn Nghỉ", OLD, dt.date(2024, 6, 30)),
        ("Trần Thị Khác", OLD, dt.date(2023, 12, 31)),
    ]


def test_people_outside_the_scope_are_not_candidates(make):
    """Someone who moved from Xã Đắk La to another district is out of the district's scope: the
    row is matched to the one person it sees (not refused as ambiguous, which would reveal the
    other), or taken as new when it sees nobody."""
    outside = "Thị trấn Sa Thầy"
    moved_person(make, "Trần Thị Xa", now=outside)
    batch = _preview(make, xlsx(_row("Trần Thị Xa", OLD, end=dt.date(2023, 12, 31))))
    assert [(r["status"], r["reason"]) for r in _rows(batch)] == [("new", None)]
    inside = moved_person(make, "Trần Thị Xa")
    batch = _preview(make, xlsx(_row("Trần Thị Xa", OLD, end=dt.date(2023, 12, 31))))
    assert [r["status"] for r in _rows(batch)] == ["unchanged"]
    assert [r.person_id for r in iter_rows(db.session, batch)] == [inside.id]


def test_moved_person_with_cccd_writes_nothing_wrong(make):
    """The export writes the current row first; the history row repeats the CCCD and is refused
    as a duplicate (the key stays the CCCD), saying why; nothing changes on commit."""
    person = moved_person(make, "Trần Thị Có", cccd="062070999201")
    before = _registry()
    batch = _preview(make, _export_all(make))
    rows = _rows(batch)
    assert [(r["status"], r["reason"], r["duplicate_of_row"]) for r in rows] == [
        ("unchanged", None, None),
        ("invalid", "duplicate_in_file", 2),
    ]
    assert rows[1]["message"] == (
        "Trùng với dòng 2 (cùng số CCCD 062070999201). Dòng này là một nhiệm vụ khác của cùng "
        "người, có ngày kết thúc 31/12/2023; mỗi người chỉ được nhập một dòng trong một trang nên "
        "dòng này không được nhập."
    )
    commit(make, batch)
    assert _registry() == before and person.unit.name == NEW


def test_history_row_first_then_current_row_with_the_same_cccd(make):
    """In the other order the history row is planned (the person's own fields only) and the
    current row is the duplicate: the person is neither moved back nor changed."""
    moved_person(make, "Trần Thị Có", cccd="062070999202")
    before = _registry()
    batch = _preview(
        make,
        xlsx(
            _row("Trần Thị Có", OLD, "062070999202", dt.date(2023, 12, 31)),
            _row("Trần Thị Có", NEW, "062070999202"),
        ),
    )
    rows = _rows(batch)
    assert [(r["status"], r["reason"]) for r in rows] == [
        ("unchanged", None),
        ("invalid", "duplicate_in_file"),
    ]
    assert rows[1]["message"].endswith(
        "Dòng 2 là một nhiệm vụ khác của cùng người, có ngày kết thúc 31/12/2023; mỗi người chỉ "
        "được nhập một dòng trong một trang nên dòng này không được nhập (muốn nhập dòng này, "
        "hãy bỏ dòng 2)."
    )
    commit(make, batch)
    assert _registry() == before


@pytest.mark.parametrize("cccd", ["062070999203", None])
def test_duplicate_without_an_end_date_keeps_its_message(make, cccd):
    batch = _preview(make, xlsx(_row("Trần Thị Hai", NEW, cccd), _row("Trần Thị Hai", NEW, cccd)))
    why = f"cùng số CCCD {cccd}" if cccd else "cùng họ tên, ngày sinh và đơn vị"
    assert _rows(batch)[1]["message"] == f"Trùng với dòng 2 ({why})."
