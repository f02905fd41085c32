"""`init-db --province` loads a province as the 2025 reorganisation left it, and `units --as-of`
shows the tree of any day: each province in a fresh database of its own."""
from __future__ import annotations

import json
from collections import Counter

import pytest
import sqlalchemy as sa

from app import create_app
from models import AuditLog, Unit, UnitKind, db, unit_successors
from registry.refdata import units2025
from registry.units.catalogue2025 import loaded_province
from tools import live_server as live

TODAY = "2026-12-02"


def _fresh_url(tmp, key: str) -> str:
    """A database of its own next to the suite's: a SQLite file, or a sibling PostgreSQL
    database (the suite's own keeps the legacy tree the other tests need)."""
    url = sa.make_url(live.database_url(tmp))
    if url.get_backend_name() == "sqlite":
        return f"sqlite:///{tmp / f'{key}.sqlite3'}"
    name = f"{url.database}_{key}"
    server = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        if not conn.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}):
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    server.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="module")
def province_app(tmp_path_factory):
    """A function giving the app of a fresh database loaded with one province (made once)."""
    apps = {}

    def make(province: str):
        key = units2025.province_key(province)
        if key not in apps:
            url = _fresh_url(tmp_path_factory.mktemp(key), key)
            app = apps[key] = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url,
                                          "SECRET_KEY": "test-secret"})
            with app.app_context():
                live.drop_everything(db.engine)
            result = _invoke(app, "init-db", "--province", province)
            assert result.exit_code == 0, result.output
        return apps[key]

    yield make
    for app in apps.values():
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        _drop_if_server(app.config["SQLALCHEMY_DATABASE_URI"])


def _drop_if_server(url_text: str) -> None:
    """A sibling PostgreSQL database goes with the module (CI drops only its own)."""
    url = sa.make_url(url_text)
    if url.get_backend_name() == "sqlite":
        return
    server = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
    server.dispose()


@pytest.fixture(scope="module")
def qn(province_app):
    return province_app("Quảng Ngãi")


def _invoke(app, *args):
    with app.app_context():  # as the `flask` command pushes one; the runner does not
        return app.test_cli_runner().invoke(args=list(args))


def _units_on(app, day: str) -> list[dict]:
    result = _invoke(app, "units", "--as-of", day, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _source_kon_tum():
    return next(p for p in units2025.load("Quảng Ngãi").former if p.name == "Tỉnh Kon Tum")


def test_today_one_province_and_its_96_communes_no_district(qn):
    rows = _units_on(qn, TODAY)
    assert [(r["name"], r["parent"], r["valid_from"]) for r in rows if r["type"] == "tỉnh"] == [
        ("Tỉnh Quảng Ngãi", None, "2025-07-01")]
    communes = [r for r in rows if r["type"] != "tỉnh"]
    assert Counter(r["type"] for r in communes) == {"xã": 86, "phường": 9, "đặc khu": 1}
    assert {r["parent"] for r in communes} == {"Tỉnh Quảng Ngãi"}
    assert all(r["valid_to"] is None and not r["successors"] for r in rows)


def test_the_day_before_the_old_trees(qn):
    rows = _units_on(qn, "2025-06-30")
    roots = [r["name"] for r in rows if r["parent"] is None]
    assert roots == ["Tỉnh Quảng Ngãi", "Tỉnh Kon Tum"]
    assert {r["valid_to"] for r in rows} == {"2025-06-30"}
    districts = {r["name"] for r in rows if r["parent"] == "Tỉnh Kon Tum"}
    communes = [r for r in rows if r["parent"] in districts]
    assert len(districts) == 10 and len(communes) == 102
    assert Counter(r["parent"] for r in communes)["Thành phố Kon Tum"] == 21
    # The old provinces name the new one as their successor.
    assert {r["name"]: r["successors"] for r in rows if r["parent"] is None} == {
        "Tỉnh Quảng Ngãi": ["Tỉnh Quảng Ngãi"], "Tỉnh Kon Tum": ["Tỉnh Quảng Ngãi"]}


def test_every_kon_tum_commune_has_its_successors_as_in_the_source(qn):
    source = units2025.load("Quảng Ngãi")
    expected = {c.code: [u.name for u in source.successors_of(c)]
                for d in _source_kon_tum().children for c in d.children}
    rows = {r["code"]: r for r in _units_on(qn, "2025-06-30") if r["type"] != "tỉnh"}
    assert {code: rows[code]["successors"] for code in expected} == expected
    assert len(expected) == 102 and all(len(names) == 1 for names in expected.values())


def test_a_divided_commune_marks_its_default_successor(qn):
    with qn.app_context():
        rows = db.session.execute(
            sa.select(Unit.name, unit_successors.c.is_default)
            .join(unit_successors, unit_successors.c.successor_id == Unit.id)
            .where(unit_successors.c.predecessor_id == sa.select(Unit.id).where(
                Unit.name == "Xã Trà Bùi").scalar_subquery())).all()
    assert sorted(rows) == [("Xã Cà Đam", True), ("Xã Tây Trà Bồng", False)]


def test_units_carry_codes_types_and_paths(qn):
    with qn.app_context():
        mar = db.session.execute(sa.select(Unit).where(  # the old Đăk Mar is one of its own
            Unit.name == "Xã Đăk Mar", Unit.valid_to.is_(None))).scalar_one()
        hring = db.session.execute(
            sa.select(Unit).where(Unit.name == "Xã Đắk Hring")).scalar_one()
        assert (mar.kind, mar.type_label, mar.parent.name) == (
            UnitKind.XA, "xã", "Tỉnh Quảng Ngãi")
        assert hring.path == f"{hring.parent.parent.path}{hring.parent.id}/{hring.id}/"
        assert hring.successors == [mar] and loaded_province() == "Tỉnh Quảng Ngãi"


def _counts(app) -> dict[str, int]:
    with app.app_context():
        return {t.name: db.session.execute(sa.select(sa.func.count()).select_from(t)).scalar()
                for t in (Unit.__table__, unit_successors, AuditLog.__table__)}


@pytest.mark.parametrize("args", [("init-db", "--province", "Tỉnh Quảng Ngãi"), ("init-db",)])
def test_running_again_changes_nothing(qn, args):
    """Neither the same load nor a plain init-db (which must not add the legacy tree)."""
    before = _counts(qn)
    result = _invoke(qn, *args)
    assert result.exit_code == 0, result.output
    assert "Thêm mới: 0 đơn vị, 0 mục danh mục." in result.output
    assert _counts(qn) == before


def test_another_province_is_refused_beside_it(qn):
    before = _counts(qn)
    result = _invoke(qn, "init-db", "--province", "Gia Lai")
    assert result.exit_code == 1 and "đã có cây đơn vị khác" in result.output
    assert _counts(qn) == before


def test_gia_lai_loads(province_app):
    gia_lai = province_app("Gia Lai")
    source = units2025.load("Gia Lai")
    today = _units_on(gia_lai, TODAY)
    assert today[0]["name"] == "Tỉnh Gia Lai" and len(today) == 1 + len(source.units)
    before = _units_on(gia_lai, "2025-06-30")
    assert [r["name"] for r in before if r["parent"] is None] == [p.name for p in source.former]
    communes = [r for r in before if r["type"] in ("xã", "phường", "thị trấn")]
    assert len(communes) == sum(1 for _ in source.former_communes())
    assert all(r["successors"] for r in communes)


def test_the_legacy_database_refuses_a_province_and_lists_its_tree(app, ctx):
    result = _invoke(app, "init-db", "--province", "Quảng Ngãi")
    assert result.exit_code == 1 and "đã có cây đơn vị khác" in result.output
    rows = _units_on(app, "2025-06-30")
    assert len(rows) == 112 and rows[0]["name"] == "Tỉnh Kon Tum"
    dak_ha = next(r for r in rows if r["name"] == "Huyện Đắk Hà")
    assert (dak_ha["type"], dak_ha["parent"], dak_ha["code"]) == ("huyện", "Tỉnh Kon Tum", "615")


@pytest.mark.parametrize(("args", "message"), [
    (("init-db", "--province", "Kon Tum"), "Không có danh mục đơn vị của tỉnh «Kon Tum»."),
    (("units", "--as-of", "30/13/2025"), "Ngày «30/13/2025» không hợp lệ"),
])
def test_bad_arguments_are_refused_in_vietnamese(app, ctx, args, message):
    result = _invoke(app, *args)
    assert result.exit_code == 1 and message in result.output
