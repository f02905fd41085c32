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
from registry.core import data_version
from tests import factories
from tools import live_server as live

REFERENCE_TABLES = (Unit.__table__, RefItem.__table__)
VERSION = db.metadata.tables["data_version"]  # registry.core.data_version's counter


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
        if db.engine.dialect.name == "postgresql":
            # The suite's own connections do not wait for the WAL to reach the disk at each commit
            # (a server crash could lose the last commits of a throwaway database; nothing else
            # changes). The crash tests' servers keep the server's setting.
            sa.event.listen(db.engine, "connect", _commit_without_flush)
            db.engine.dispose()
        live.drop_everything(db.engine)
        upgrade_schema()
        refdata.load_all()
        db.session.commit()
        with db.engine.connect() as conn:
            app.config["_REFERENCE_ROWS"] = {t.name: _rows(conn, t) for t in REFERENCE_TABLES}
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _commit_without_flush(dbapi_conn, _record) -> None:
    with dbapi_conn.cursor() as cur:
        cur.execute("SET synchronous_commit = off")
    dbapi_conn.commit()


def _reset(app) -> None:
    """Back to the session's starting point: every table empty but the reference tables, which
    hold exactly the rows loaded at the start, and (PostgreSQL) every id sequence restarted.

    Only what a test touched is undone: one query finds the non-empty tables, the reference rows
    are compared with the saved ones, and only those tables are emptied (DELETE, in foreign-key
    order) or reloaded. On PostgreSQL this replaces a TRUNCATE of all 40 tables before every test,
    which made a new file for each and cost ~0.2-0.9 s a test (the suite took twice SQLite's
    time); a DELETE of a few small tables takes milliseconds."""
    tables = list(reversed(db.metadata.sorted_tables))
    saved = app.config["_REFERENCE_ROWS"]
    with db.engine.begin() as conn:
        quote = conn.dialect.identifier_preparer.quote
        pg = conn.dialect.name == "postgresql"
        probe = " UNION ALL ".join(
            f"SELECT '{t.name}' WHERE EXISTS (SELECT 1 FROM {quote(t.name)})" for t in tables)
        filled = set(conn.execute(sa.text(probe)).scalars())
        reload = any(_rows(conn, t) != saved[t.name] for t in REFERENCE_TABLES)
        for t in tables:
            if t in REFERENCE_TABLES:
                if reload:
                    conn.execute(t.delete())
            elif t.name in filled and t is not VERSION:
                conn.execute(t.delete())
        if reload:
            for t in REFERENCE_TABLES:
                conn.execute(t.insert(), saved[t.name])
        # The data version as reloading the reference rows always left it (n = 1), whatever was
        # or was not deleted above: this reset itself moves no counter.
        conn.info.pop(data_version._FLAG, None)
        if _rows(conn, VERSION) != [{"id": 1, "n": 1}]:
            conn.execute(VERSION.delete())
            conn.execute(VERSION.insert(), [{"id": 1, "n": 1}])
        if pg:
            # What TRUNCATE … RESTART IDENTITY did: the next id of every table is 1 again (only
            # sequences that have handed out a value need it), the reference tables' is MAX(id)+1.
            # Nothing is written when nothing changed: a transaction that only reads waits for no
            # WAL flush.
            last = dict(conn.execute(sa.text(
                "SELECT sequencename, last_value FROM pg_sequences "
                "WHERE schemaname = current_schema()")).all())
            for t in REFERENCE_TABLES:
                seq = f"{t.name}_id_seq"
                top = max((r["id"] for r in saved[t.name]), default=None)
                if last.pop(seq) != top or reload:
                    conn.execute(sa.text("SELECT setval(CAST(:s AS regclass), :v, :called)"),
                                 {"s": seq, "v": top or 1, "called": top is not None})
            for seq, value in last.items():
                if value is not None:
                    conn.execute(sa.text("SELECT setval(CAST(:s AS regclass), 1, false)"),
                                 {"s": seq})


def _rows(conn, table) -> list[dict]:
    return [dict(r._mapping) for r in conn.execute(
        sa.select(table).order_by(*table.primary_key.columns))]


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
