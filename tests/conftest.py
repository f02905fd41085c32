"""Fixtures: one real database per test session (SQLite file, or PostgreSQL when
TEST_DATABASE_URL / DATABASE_URL names one), schema built by the migrations, reference data
restored before every test."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app import create_app
from models import RefItem, Unit, UserRole, db, unit_successors
from registry import refdata
from registry.cli.common import upgrade_schema
from tests import factories
from tools import live_server as live

REFERENCE_TABLES = (Unit.__table__, RefItem.__table__)


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    app = create_app({
        "TESTING": True,
        "SESSION_COOKIE_SECURE": False,  # the test client speaks http
        "SQLALCHEMY_DATABASE_URI": live.database_url(tmp_path_factory.mktemp("db")),
        "WTF_CSRF_ENABLED": False,
        "SECRET_KEY": "test-secret",
        # Every test's client is 127.0.0.1 and logs in often: tests/auth/test_throttle.py sets
        # the real limits.
        "LOGIN_LIMIT_CLIENT": "1000/minute",
        "LOGIN_LIMIT_ACCOUNT": "1000/minute",
        "DEMO_LOGINS_DIR": str(tmp_path_factory.mktemp("instance")),  # never the checkout's
        "JOBS_IMMEDIATE": True,  # a background job runs at once, in a context of its own
    })
    with app.app_context():
        live.drop_everything(db.engine)
        upgrade_schema()
        refdata.load_all()
        db.session.commit()
        app.config["_REFERENCE_ROWS"] = {
            t.name: [dict(r._mapping) for r in db.session.execute(sa.select(t))]
            for t in REFERENCE_TABLES}
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _reset(app) -> None:
    tables = list(reversed(db.metadata.sorted_tables))
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(t.name for t in tables)
            conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for t in tables:
                conn.execute(t.delete())
        for t in REFERENCE_TABLES:
            conn.execute(t.insert(), app.config["_REFERENCE_ROWS"][t.name])
        if conn.dialect.name == "postgresql":
            for t in REFERENCE_TABLES:
                conn.execute(sa.text(
                    f"SELECT setval(pg_get_serial_sequence('{t.name}', 'id'), "
                    f"(SELECT MAX(id) FROM {t.name}))"))


@pytest.fixture(autouse=True)
def _clean_db(request):
    if "app" not in request.fixturenames:  # pure tests (e.g. tests/imports) need no database
        yield
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        _reset(app)
        db.session.remove()
    yield


def _restore(conn, table, rows) -> None:
    if rows:
        conn.execute(table.insert(), rows)
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text(
            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
            f"(SELECT COALESCE(MAX(id), 1) FROM {table.name}))"))


@pytest.fixture
def world2025(app):
    """Today's units instead of the legacy tree: tỉnh Quảng Ngãi and its 96 communes since
    01-7-2025, the old Kon Tum and Quảng Ngãi trees (tỉnh → huyện → xã) ended 30-6-2025, and
    the successor links between them, as `init-db` loads them (registry.units.catalogue2025).
    Ask for it before any fixture that makes users or people: it replaces the units table."""
    from registry.units.catalogue2025 import load_province

    with app.app_context():
        saved = app.config.get("_WORLD2025")
        with db.engine.begin() as conn:
            conn.execute(unit_successors.delete())
            conn.execute(Unit.__table__.delete())
            if saved is not None:
                _restore(conn, Unit.__table__, saved["units"])
                conn.execute(unit_successors.insert(), saved["links"])
        if saved is None:
            load_province("Quảng Ngãi")
            db.session.commit()
            app.config["_WORLD2025"] = {
                "units": [dict(r._mapping) for r in db.session.execute(sa.select(Unit.__table__))],
                "links": [dict(r._mapping) for r in db.session.execute(
                    sa.select(unit_successors))]}
        db.session.remove()
    return app


@pytest.fixture
def ctx(app):
    """An app context with a clean session (for service-level tests)."""
    with app.app_context():
        yield db.session
        db.session.rollback()
        db.session.remove()


@pytest.fixture
def session(ctx):
    return ctx


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make(ctx):
    return factories.Factory(ctx)


@pytest.fixture
def login(client):
    def _login(username: str, password: str = factories.PASSWORD):
        resp = client.post("/login", data={"username": username, "password": password})
        assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
        return client
    return _login


@pytest.fixture
def officer(make, login):
    """The test client, logged in as `dakha`, officer of Huyện Đắk Hà."""
    make.user("dakha", UserRole.OFFICER, "Huyện Đắk Hà")
    return login("dakha")


@pytest.fixture
def admin(make, login):
    """The test client, logged in as `admin`, administrator at Tỉnh Kon Tum."""
    make.user("admin", UserRole.ADMIN, "Tỉnh Kon Tum")
    return login("admin")


@pytest.fixture
def csrf_on(app):
    """CSRF protection as in production (the suite turns it off)."""
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False
