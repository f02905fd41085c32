"""Pages cost a bounded number of queries, however many records they show (no N+1): the person
page with its courses, activities and payments, the roster with its rows."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import event

from models import UserRole, db


@pytest.fixture
def count_queries(app):
    def run(client, path: str) -> int:
        seen = []
        listener = lambda *_a: seen.append(1)  # noqa: E731
        with app.app_context():
            event.listen(db.engine, "before_cursor_execute", listener)
            try:
                assert client.get(path).status_code == 200
            finally:
                event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)
    return run


def _add_records(make, person, n: int, start: int) -> None:
    for i in range(start, start + n):
        course = make.course("Huyện Đắk Hà", name=f"Khóa {i}", start=dt.date(2024, 1, 1 + i))
        make.attend(person, course)
        make.activity(person, dt.date(2025, 1, 1 + i), topic=f"Chủ đề {i}")
        make.payment(person, period=dt.date(2020 + i, 1, 1))
        make.commendation(person, year=2000 + i)


def test_the_person_page_does_not_grow_with_its_records(client, login, make, count_queries):
    make.user("admin", UserRole.ADMIN, "Tỉnh Kon Tum")
    person = make.person("Y Một", "Xã Đắk Hring")
    _add_records(make, person, 2, 0)
    login("admin")
    few = count_queries(client, f"/persons/{person.id}")
    _add_records(make, person, 6, 2)
    assert count_queries(client, f"/persons/{person.id}") == few


def test_the_roster_does_not_grow_with_its_rows(client, login, make, count_queries):
    make.user("admin", UserRole.ADMIN, "Tỉnh Kon Tum")
    for i in range(3):
        make.person(f"Người {i}", "Xã Đắk Hring")
    login("admin")
    few = count_queries(client, "/roster?q=nguoi")
    for i in range(3, 12):
        make.person(f"Người {i}", "Xã Đắk La" if i % 2 else "Xã Đắk Hring")
    assert count_queries(client, "/roster?q=nguoi") == few
