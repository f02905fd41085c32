"""Figures cached in the database by data version: every way of writing moves the version on,
a rollback does not, each scope has its own figures, and a page never shows stale ones."""
from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from models import Appointment, FigureCache, Level, Person, Role, UserRole, db
from registry.core import data_version, figure_cache
from registry.dashboard import stats as dashboard
from registry.importing.bulk import insert_rows

HEADLINE = re.compile(r'<span class="num">([\d.]+)</span>')


def version() -> int:
    with db.engine.connect() as conn:
        return data_version.current(conn)


@pytest.mark.parametrize("sql, writes", [
    ("INSERT INTO persons (id) VALUES (1)", True),
    ('UPDATE "appointments" SET end_date = NULL', True),
    ("delete from attendances where id = 3", True),
    ("INSERT INTO audit_log (id) VALUES (1)", False),
    ("UPDATE users SET last_login = NULL", False),
    ("INSERT INTO import_rows (id) VALUES (1)", False),
    ("INSERT INTO figure_cache (key) VALUES ('x')", False),
    ("SELECT * FROM persons", False),
    ("UPDATE persons_archive_view SET x = 1", True),  # unknown tables count as data
])
def test_which_statements_write_data(sql, writes):
    assert data_version.writes_data(sql) is writes


def test_orm_core_and_driver_writes_move_the_version_rollbacks_do_not(ctx, make):
    start = version()
    person = make.person("Y Một", "Xã Đắk Hring")  # ORM, committed
    after_orm = version()
    assert after_orm > start
    ctx.execute(sa.update(Person).where(Person.id == person.id).values(position="Trưởng thôn"))
    ctx.commit()
    after_core = version()
    assert after_core > after_orm
    insert_rows(ctx, Appointment.__table__, [{
        "id": 9000, "person_id": person.id, "role": Role.BCV, "level": Level.HUYEN,
        "unit_id": person.unit_id, "unit_name_snapshot": "x", "start_date": dt.date(2025, 1, 1),
        "created_at": dt.datetime(2025, 1, 1), "updated_at": dt.datetime(2025, 1, 1)}])
    ctx.commit()
    after_driver = version()
    assert after_driver > after_core
    ctx.execute(sa.delete(Appointment).where(Appointment.id == 9000))
    ctx.rollback()
    ctx.execute(sa.select(Person.id)).all()
    ctx.commit()  # a transaction that only read
    assert version() == after_driver


def test_a_figure_is_computed_once_per_version(ctx, make):
    make.person("Y Một", "Xã Đắk Hring")
    calls = []

    def compute():
        calls.append(1)
        return {"n": ctx.execute(sa.select(sa.func.count(Person.id))).scalar()}

    assert figure_cache.cached("test", ("a",), compute) == {"n": 1}
    ctx.commit()
    assert figure_cache.cached("test", ("a",), compute) == {"n": 1}
    assert len(calls) == 1
    make.person("A Hai", "Xã Đắk Hring")
    assert figure_cache.cached("test", ("a",), compute) == {"n": 2}
    assert len(calls) == 2
    rows = ctx.execute(sa.select(FigureCache.version)).scalars().all()
    assert rows == [version()]  # older versions are pruned as newer ones are stored


def test_uncommitted_writes_are_neither_served_from_nor_stored_in_the_cache(ctx, make):
    make.person("Y Một", "Xã Đắk Hring")
    count = lambda: ctx.execute(sa.select(sa.func.count(Person.id))).scalar()  # noqa: E731
    assert figure_cache.cached("test", (), count) == 1
    ctx.commit()
    ctx.execute(sa.delete(Appointment))
    ctx.execute(sa.delete(Person))
    assert figure_cache.cached("test", (), count) == 0  # its own, not yet committed, change
    ctx.rollback()
    assert figure_cache.cached("test", (), count) == 1


def test_dashboard_shows_the_change_at_once_and_per_scope(client, login, make):
    make.user("dakha", UserRole.OFFICER, "Huyện Đắk Hà")
    make.user("admin", UserRole.ADMIN, "Tỉnh Kon Tum")
    make.person("Y Một", "Xã Đắk Hring")
    make.person("Người Sa Thầy", "Huyện Sa Thầy")
    login("admin")
    assert HEADLINE.findall(client.get("/").get_data(as_text=True))[0] == "2"
    client.get("/logout")
    login("dakha")
    assert HEADLINE.findall(client.get("/").get_data(as_text=True))[0] == "1"
    make.person("A Hai", "Xã Đắk La")
    assert HEADLINE.findall(client.get("/").get_data(as_text=True))[0] == "2"
    client.get("/logout")
    login("admin")
    assert HEADLINE.findall(client.get("/").get_data(as_text=True))[0] == "3"


def test_coverage_counts_agree_with_the_eligibility_rule(ctx, make):
    from registry.core.dates import add_months
    from registry.eligibility import rules as eligibility
    from registry.roster.query import RosterFilter, filtered_ids

    today = dt.date.today()
    recent = make.course("Huyện Đắk Hà", start=add_months(today, -2))
    old = make.course("Huyện Đắk Hà", start=add_months(today, -40))
    people = [make.person(f"Người {i}", "Xã Đắk Hring") for i in range(5)]
    make.attend(people[0], recent)
    make.attend(people[1], old)
    make.attend(people[2], recent)
    make.attend(people[2], old)
    rules = eligibility.Rules.load()
    for end in dashboard.quarter_ends(today):
        ids = filtered_ids(RosterFilter(on=end.isoformat()), end)
        expected = (len(ids), len(eligibility.trained_ids(ids, end, rules=rules)))
        assert dashboard._coverage_counts(end, rules) == expected, end


def test_entries_of_days_gone_by_are_pruned_even_without_writes(ctx, make):
    make.person("Y Một", "Xã Đắk Hring")
    figure_cache.cached("test", ("yesterday",), lambda: 1)
    ctx.execute(sa.update(FigureCache).values(
        computed_at=FigureCache.computed_at - figure_cache.KEEP - dt.timedelta(minutes=1)))
    ctx.commit()
    figure_cache.cached("test", ("today",), lambda: 2)
    keys = ctx.execute(sa.select(FigureCache.key)).scalars().all()
    assert keys == [figure_cache.key_for("test", ("today",))]
