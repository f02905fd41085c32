"""Rows of ended appointments against a real database: a history row never creates, re-activates,
moves or changes an appointment of a known person; it may update the person's own fields; a new
person comes in with the appointment already ended. A future end date is a current row."""
from __future__ import annotations

import datetime as dt
import io

import pytest
import sqlalchemy as sa

from models import ImportBatch, Person, UserRole, db
from registry.importing.preview import iter_rows, to_contract
from registry.roster.query import RosterFilter, filtered_ids
from tests.importing.history import (
    DISTRICT,
    commit,
    district_scope,
    known,
    moved_person,
    preview,
    xlsx,
)

TODAY = dt.date.today()


def _row(name: str, cccd: str, unit: str = "Xã Đắk Hring", start=None, end=None, reason=None,
         dob=dt.date(1970, 1, 1)) -> tuple:
    return (1, name, dob, "Nữ", "Kinh", "TTV", "Xã", DISTRICT, unit, cccd, start, end, reason)


def _preview(make, *rows: tuple) -> ImportBatch:
    return preview(make, xlsx(*rows), "lich-su.xlsx")


def _plans(batch: ImportBatch) -> list[tuple]:
    return [(r.status, r.data.get("changes", {})) for r in iter_rows(db.session, batch)]


def _appointments(person: Person) -> list[tuple]:
    db.session.expire_all()
    return sorted((a.role.value, a.level.value, a.unit.name, a.start_date, a.end_date,
                   a.end_reason.value if a.end_reason else None) for a in person.appointments)


def _person(cccd: str) -> Person:
    return db.session.execute(sa.select(Person).where(Person.cccd == cccd)).scalar_one()


def _active(make) -> set[int]:
    with district_scope(make):
        return set(filtered_ids(RosterFilter(), TODAY))


@pytest.fixture
def moved(make):
    """Active at Xã Đắk Hring since 2024; before that, an ended appointment at Xã Đắk La."""
    return moved_person(make, "Trần Thị Chuyển", "062070999101")


def _moved_old_row(reason: str | None = None) -> tuple:
    """The ended appointment of `moved` at Xã Đắk La, as a history row of a file."""
    return _row("Trần Thị Chuyển", "062070999101", "Xã Đắk La", dt.date(2019, 1, 1),
                dt.date(2023, 12, 31), reason)


def test_history_row_of_an_older_appointment_changes_nothing(make, moved):
    before = _appointments(moved)
    batch = _preview(make, _moved_old_row("Chuyển công tác"))
    assert _plans(batch) == [("unchanged", {})]  # not a move back to Xã Đắk La
    row = to_contract(db.session, batch)["sheets"][0]["rows"][0]
    assert row["status"] == "unchanged" and row["reason"] is None
    assert row["message"] == (
        "Dòng lịch sử: nhiệm vụ đã kết thúc ngày 31/12/2023; không thay đổi nhiệm vụ hiện có."
    )
    commit(make, batch)
    assert _appointments(moved) == before
    assert moved.unit.name == "Xã Đắk Hring" and moved.id in _active(make)


def test_history_row_with_a_new_name_updates_the_name_only(make):
    left = known(make, "Lê Thị Cũ", "062070999102", end=dt.date(2024, 12, 31))
    before = _appointments(left)
    batch = _preview(make, _row("Lê Thị Cữ", "062070999102", end=dt.date(2024, 12, 31)))
    assert _plans(batch) == [("update", {"full_name": ["Lê Thị Cũ", "Lê Thị Cữ"]})]
    row = to_contract(db.session, batch)["sheets"][0]["rows"][0]
    assert "chỉ cập nhật thông tin cá nhân" in row["message"]
    commit(make, batch)
    assert _person("062070999102").full_name == "Lê Thị Cữ"
    assert _appointments(left) == before and left.id not in _active(make)


def test_history_row_of_a_new_person_is_inserted_ended(make):
    batch = _preview(
        make,
        _row(
            "Phạm Văn Nghỉ",
            "062070999103",
            start=dt.date(2015, 3, 1),
            end=dt.date(2024, 6, 30),
            reason="Nghỉ hưu",
        ),
        _row("Đỗ Thị Thôi", "062070999104", end="12/2023"),
    )
    assert [status for status, _ in _plans(batch)] == ["new", "new"]
    rows = to_contract(db.session, batch)["sheets"][0]["rows"]
    assert rows[0]["message"].startswith("Dòng lịch sử: nhiệm vụ đã kết thúc ngày 30/06/2024; thêm")
    commit(make, batch)
    retired, left = _person("062070999103"), _person("062070999104")
    assert _appointments(retired) == [
        ("TTV", "co_so", "Xã Đắk Hring", dt.date(2015, 3, 1), dt.date(2024, 6, 30), "nghi_huu")
    ]
    assert _appointments(left) == [
        ("TTV", "co_so", "Xã Đắk Hring", dt.date(2023, 12, 1), dt.date(2023, 12, 1), None)
    ]  # no start: it starts on its end
    assert not {retired.id, left.id} & _active(make)
    with district_scope(make):
        assert {retired.id, left.id} <= set(filtered_ids(RosterFilter(status="ended"), TODAY))


def test_future_end_date_is_a_current_appointment(make):
    batch = _preview(
        make,
        _row(
            "Võ Văn Còn",
            "062070999105",
            start=dt.date(2020, 1, 1),
            end=TODAY + dt.timedelta(days=30),
        ),
    )
    assert _plans(batch) == [("new", {})]
    assert to_contract(db.session, batch)["sheets"][0]["rows"][0]["message"] is None
    commit(make, batch)
    person = _person("062070999105")
    # a current appointment from the row's start date (a later end date is not the registry's)
    assert _appointments(person) == [
        ("TTV", "co_so", "Xã Đắk Hring", dt.date(2020, 1, 1), None, None)
    ]
    assert person.id in _active(make)


def test_end_date_passed_between_preview_and_commit(make):
    """Previewed while still current, committed once it has ended: nobody is re-activated."""
    left = known(make, "Lê Thị Cũ", "062070999106", end=dt.date(2024, 12, 31))
    batch = _preview(
        make,
        _row("Lê Thị Cũ", "062070999106", end=TODAY + dt.timedelta(days=1)),
        _row("Hà Văn Mới", "062070999107", end=TODAY + dt.timedelta(days=1)),
    )
    assert _plans(batch) == [("update", {"role": [None, "TTV"]}), ("new", {})]
    later = TODAY + dt.timedelta(days=2)
    commit(make, batch, later)
    assert not any(a.is_active_on(later) for a in _person("062070999106").appointments)
    assert not any(a.is_active_on(later) for a in _person("062070999107").appointments)
    assert left.id not in _active(make)


def test_bad_end_date_is_an_invalid_row(make):
    batch = _preview(
        make,
        _row("Ngô Văn Sai", "062070999108", end="đã nghỉ"),
        _row("Ngô Văn Ngược", "062070999109", start=dt.date(2024, 5, 1), end=dt.date(2024, 1, 1)),
    )
    rows = to_contract(db.session, batch)["sheets"][0]["rows"]
    assert [(r["status"], r["reason"]) for r in rows] == [("invalid", "bad_end_date")] * 2
    assert rows[0]["message"].startswith("Cột «Ngày kết thúc»: không đọc được «đã nghỉ»")
    assert "trước ngày bắt đầu 01/05/2024" in rows[1]["message"]


def test_preview_page_marks_history_rows(make, login, moved):
    make.user("dakha", UserRole.OFFICER, DISTRICT)
    client = login("dakha")
    data = xlsx(_moved_old_row())
    resp = client.post(
        "/imports/upload",
        data={"file": (io.BytesIO(data), "lich-su.xlsx")},
        content_type="multipart/form-data",
    )
    html = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Đã kết thúc nhiệm vụ" in html
    assert "Dòng lịch sử: nhiệm vụ đã kết thúc ngày 31/12/2023" in html


def test_cli_text_output_lists_history_rows(app, make, moved, tmp_path):
    path = tmp_path / "lich-su.xlsx"
    path.write_bytes(xlsx(_moved_old_row()))
    result = app.test_cli_runner().invoke(
        args=["import-roster", str(path), "--unit", DISTRICT, "--dry-run"]
    )
    assert "0 mới, 0 cập nhật, 1 không đổi, 0 lỗi" in result.output
    assert "dòng 2: Dòng lịch sử: nhiệm vụ đã kết thúc ngày 31/12/2023" in result.output
