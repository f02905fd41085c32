"""Sessions that end: logout, a version moved on by another worker, idle and absolute timeouts,
inactive accounts; the Secure cookie and HSTS by default; a private instance/ and SQLite files."""
import os
import stat
import time

import pytest
import sqlalchemy as sa

from models import AuditLog, User, UserRole, db
from registry.auth import sessions
from registry.core import config
from tests.factories import PASSWORD

EXPIRED = "Phiên đăng nhập đã hết hạn, vui lòng đăng nhập lại."


@pytest.fixture
def officer_client(make, login):
    make.user("dakha", UserRole.OFFICER, "Huyện Đắk Hà")
    client = login("dakha")
    assert client.get("/roster").status_code == 200
    return client


def _refused(client, path="/roster") -> None:
    resp = client.get(path)
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert EXPIRED in page


def _user(username="dakha") -> User:
    return db.session.execute(sa.select(User).where(User.username == username)).scalar_one()


def test_a_cookie_copied_before_logout_is_refused_after_it(officer_client):
    copied = officer_client.get_cookie("session").value
    version = _user().session_version
    assert officer_client.post("/logout").status_code == 302
    assert _user().session_version == version + 1
    officer_client.set_cookie("session", copied)
    _refused(officer_client)
    # The refused cookie is replaced by an empty session: it does not come back to life.
    assert officer_client.get("/roster").status_code == 302


def test_logout_is_a_security_event_with_the_client_address(officer_client):
    # (The test client's address: "strong" session protection ties a session to it.)
    officer_client.post("/logout")
    entry = db.session.execute(sa.select(AuditLog).where(
        AuditLog.entity == "security", AuditLog.action == "logout")).scalar_one()
    assert entry.actor == "dakha" and entry.client_addr == "127.0.0.1"


def test_a_version_moved_on_by_another_worker_ends_the_session(officer_client, app):
    # Another worker (or machine) deactivates and reactivates, resets a password…: only the row
    # changes, through a connection of its own.
    with db.engine.begin() as conn:
        conn.execute(sa.update(User).where(User.username == "dakha")
                     .values(session_version=User.session_version + 1))
    db.session.expire_all()  # this process's request sessions start fresh in production
    _refused(officer_client)


def test_a_new_login_after_the_bump_works(officer_client, login):
    officer_client.post("/logout")
    login("dakha")
    assert officer_client.get("/roster").status_code == 200


def test_an_inactive_account_is_refused(officer_client):
    _user().active = False
    db.session.commit()
    _refused(officer_client)


def test_idle_timeout(officer_client, app):
    idle = app.config["SESSION_IDLE_MINUTES"]
    assert idle == 30
    with officer_client.session_transaction() as s:
        s[sessions.SEEN_AT] = time.time() - (idle - 1) * 60
    assert officer_client.get("/roster").status_code == 200
    with officer_client.session_transaction() as s:
        assert time.time() - s[sessions.SEEN_AT] < 5  # moved on by the request
        s[sessions.SEEN_AT] = time.time() - (idle + 1) * 60
    _refused(officer_client)


def test_last_seen_is_not_rewritten_on_every_request(officer_client):
    officer_client.get("/roster")
    resp = officer_client.get("/roster")
    assert resp.status_code == 200 and "Set-Cookie" not in resp.headers
    with officer_client.session_transaction() as s:
        s[sessions.SEEN_AT] = time.time() - 2 * 60
    assert "Set-Cookie" in officer_client.get("/roster").headers


def test_absolute_timeout_however_busy(officer_client, app):
    assert app.config["SESSION_MAX_HOURS"] == 12
    with officer_client.session_transaction() as s:
        s[sessions.LOGIN_AT] = time.time() - 11.9 * 3600
    assert officer_client.get("/roster").status_code == 200
    with officer_client.session_transaction() as s:
        s[sessions.LOGIN_AT] = time.time() - 12.1 * 3600
        s[sessions.SEEN_AT] = time.time()
    _refused(officer_client)


def test_a_session_from_before_these_checks_is_refused(officer_client):
    with officer_client.session_transaction() as s:
        del s[sessions.LOGIN_AT]
    _refused(officer_client)


def test_the_timeouts_are_settings(officer_client, app, monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_IDLE_MINUTES", 5)
    with officer_client.session_transaction() as s:
        s[sessions.SEEN_AT] = time.time() - 6 * 60
    _refused(officer_client)


def test_the_refused_session_keeps_where_it_was_going(officer_client, make):
    with officer_client.session_transaction() as s:
        s[sessions.SEEN_AT] = time.time() - 3600
    resp = officer_client.get("/roster?q=An")
    assert "next=/roster?q%3DAn" in resp.headers["Location"]
    resp = officer_client.post(resp.headers["Location"],
                               data={"username": "dakha", "password": PASSWORD})
    assert resp.headers["Location"] == "/roster?q=An"


def _other_app(app, **extra):
    from app import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                       "SECRET_KEY": "x", **extra})


def _headers(other) -> tuple[str, str | None]:
    try:
        resp = other.test_client().get("/login")
        return resp.headers.get("Set-Cookie", ""), resp.headers.get("Strict-Transport-Security")
    finally:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


def test_secure_cookie_and_hsts_by_default(app, monkeypatch):
    monkeypatch.delenv("SESSION_COOKIE_SECURE", raising=False)
    other = _other_app(app)
    assert other.config["SESSION_COOKIE_SECURE"] is True
    cookie, hsts = _headers(other)
    assert "Secure" in cookie and hsts == "max-age=31536000; includeSubDomains"


def test_tests_and_bin_start_speak_plain_http(app, monkeypatch):
    monkeypatch.delenv("SESSION_COOKIE_SECURE", raising=False)
    other = _other_app(app, TESTING=True)
    assert other.config["SESSION_COOKIE_SECURE"] is False
    cookie, hsts = _headers(other)
    assert "Secure" not in cookie and hsts is None
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "0")  # what bin/start exports
    assert _other_app(app).config["SESSION_COOKIE_SECURE"] is False
    with open("bin/start") as f:
        assert 'SESSION_COOKIE_SECURE="${SESSION_COOKIE_SECURE:-0}"' in f.read()


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def loose_umask():
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_instance_is_created_private_and_a_loose_one_tightened(tmp_path, loose_umask):
    fresh = tmp_path / "fresh" / "instance"
    config.make_private(fresh)
    assert _mode(fresh) == 0o700
    loose = tmp_path / "loose"
    loose.mkdir(mode=0o755)
    config.make_private(loose)
    assert _mode(loose) == 0o700
    config.secret_key(tmp_path / "keyed")
    assert _mode(tmp_path / "keyed") == 0o700 and _mode(tmp_path / "keyed" / "secret_key") == 0o600


def test_the_sqlite_database_and_its_wal_are_private(tmp_path, loose_umask):
    from app import create_app

    path = tmp_path / "instance" / "registry.sqlite3"
    other = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "SECRET_KEY": "x",
                        "TESTING": True})
    with other.app_context():
        try:
            conn = db.engine.raw_connection()  # the app's connection setup: WAL mode
            try:
                conn.execute("CREATE TABLE t (x)")
                conn.execute("INSERT INTO t VALUES (1)")
                conn.commit()
                assert os.path.exists(f"{path}-wal") and os.path.exists(f"{path}-shm")
                for name in (path, f"{path}-wal", f"{path}-shm"):
                    assert _mode(name) == 0o600, name
            finally:
                conn.close()
            assert _mode(path.parent) == 0o700
        finally:
            db.session.remove()
            db.engine.dispose()


def test_an_existing_loose_database_is_tightened_at_start(tmp_path, loose_umask):
    path = tmp_path / "registry.sqlite3"
    path.write_bytes(b"")
    path.chmod(0o644)
    config.private_sqlite(path)
    assert _mode(path) == 0o600


def test_the_job_queue_file_is_private(tmp_path, loose_umask):
    from registry.core.jobs import make_huey

    path = tmp_path / "q" / "jobs.sqlite3"
    huey = make_huey({"JOBS_SQLITE": str(path)})
    huey.storage.enqueue(b"x")
    assert _mode(path) == 0o600 and _mode(path.parent) == 0o700


def test_a_backup_is_as_private_as_the_database(app, ctx, tmp_path, loose_umask):
    file = tmp_path / "sao-luu.bak"
    result = app.test_cli_runner().invoke(args=["backup", str(file)])
    assert result.exit_code == 0, result.output
    assert _mode(file) == 0o600


def test_sqlite_file_of_a_url():
    assert config.sqlite_file("sqlite:////tmp/x.sqlite3") == "/tmp/x.sqlite3"
    assert config.sqlite_file("sqlite://") is None
    assert config.sqlite_file("postgresql+psycopg://u@h/db") is None
