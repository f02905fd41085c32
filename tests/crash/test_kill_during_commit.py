"""SIGKILL in the middle of committing a 20,000-row import, then restart: the registry holds
the whole batch or none of it, and a batch that is not wholly in is not shown as committed.

The commit phase is observed from outside, never through a hook in the app: on SQLite, another
connection finds the database write-locked (the confirm claims the batch with an UPDATE first);
on PostgreSQL, `pg_locks` shows the importing backend holding a lock on `persons` (the INSERTs
have begun). The kill comes at several delays after that; the journal (SQLite WAL) or the
transaction log (PostgreSQL) must then undo the half-written transaction.

Run with `pytest -m crash tests/crash` (SQLite; PostgreSQL when DATABASE_URL names one)."""
from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from bench.make_roster import write
from tools import live_server as live

pytestmark = pytest.mark.crash
ROWS = 20_000
DELAYS = (0.0, 0.05, 0.15, 0.3, 0.5, 0.8, 1.2)  # seconds after the commit is seen to begin


@pytest.fixture(scope="module")
def roster(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("roster") / "ds-20000.xlsx"
    write(str(path), ROWS)
    return path


@pytest.fixture
def db_url(tmp_path):
    return live.database_url(tmp_path)


def _engine(url: str) -> sa.Engine:
    return sa.create_engine(url, poolclass=sa.pool.NullPool)


def _state(url: str) -> dict:
    with _engine(url).connect() as conn:
        persons = conn.execute(sa.text("SELECT count(*) FROM persons")).scalar()
        appointments = conn.execute(sa.text("SELECT count(*) FROM appointments")).scalar()
        batches = dict(conn.execute(sa.text(
            "SELECT status, count(*) FROM import_batches GROUP BY status")).all())
        integrity = (conn.execute(sa.text("PRAGMA integrity_check")).scalar()
                     if conn.dialect.name == "sqlite" else "ok")
    return {"persons": persons, "appointments": appointments, "batches": batches,
            "integrity": integrity}


def _commit_has_begun(url: str) -> bool:
    """Seen from another connection: the importer is inside its write transaction."""
    if url.startswith("sqlite"):
        conn = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=0, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError as exc:
            return "locked" in str(exc) or "busy" in str(exc)
        finally:
            conn.close()
    with _engine(url).connect() as conn:
        return bool(conn.execute(sa.text(
            "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE l.relation = 'persons'::regclass AND l.mode = 'RowExclusiveLock' "
            "AND a.pid <> pg_backend_pid()")).scalar())


def _wait_for_commit(url: str, done: threading.Event | None = None, proc=None,
                     timeout: float = 120) -> bool:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if _commit_has_begun(url):
            return True
        if (done is not None and done.is_set()) or (proc is not None and proc.poll() is not None):
            return False
        time.sleep(0.002)
    raise AssertionError("the commit never began")


def _wait_for_no_other_backends(url: str) -> None:
    """PostgreSQL ends a killed client's backend (rolling back) on its own; wait for that."""
    if url.startswith("sqlite"):
        return
    for _ in range(600):
        with _engine(url).connect() as conn:
            n = conn.execute(sa.text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND backend_type = 'client backend'")).scalar()
        if n == 0:
            return
        time.sleep(0.05)
    raise AssertionError("a killed client's backend is still there")


def _assert_all_or_nothing(url: str) -> dict:
    state = _state(url)
    assert state["integrity"] == "ok", state
    assert state["persons"] in (0, ROWS), state
    assert state["appointments"] == state["persons"], state
    committed = state["batches"].get("committed", 0)
    assert committed == (1 if state["persons"] == ROWS else 0), state  # never half-shown
    return state


def _wait_for_preview(db_url: str, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while (batches := _state(db_url)["batches"]) == {"queued": 1}:
        assert time.monotonic() < deadline, "the job worker never finished the preview"
        time.sleep(0.5)
    assert batches == {"previewed": 1}, batches


def test_kill_the_server_while_it_commits_a_confirmed_batch(db_url, roster, tmp_path, capsys):
    """The web flow: the preview is stored; the confirm's worker (the whole gunicorn) is
    SIGKILLed while it writes; after a restart the batch is still awaiting confirmation with
    nothing of it in the registry, and confirming it then imports all 20,000 rows."""
    secret = os.urandom(16).hex()
    passwords = live.prepare(db_url, secret, users={"qt_admin": ("admin", "Tỉnh Kon Tum")})
    # A 20,000-row file is read by the job worker, off the request (issue 11).
    server = live.Server(db_url, secret, log_dir=tmp_path, jobs=True).start()
    client = live.Client(server).login("qt_admin", passwords["qt_admin"])
    try:
        status, headers, _ = client.post("/imports/upload", {}, files={
            "file": ("ds-20000.xlsx", roster.read_bytes())})
        assert status == 302, status
        batch = re.search(r"/imports/(\d+)$", headers["location"]).group(1)
        _wait_for_preview(db_url)

        mid_commit_kills = 0
        for delay in DELAYS:
            token = client.csrf(f"/imports/{batch}")
            result: dict = {}
            done = threading.Event()

            def confirm(token: str, result: dict, done: threading.Event) -> None:
                try:
                    result["status"] = client.post(f"/imports/{batch}/confirm",
                                                   {"csrf_token": token})[0]
                except OSError as exc:  # the connection dies with the server
                    result["error"] = exc
                finally:
                    done.set()

            thread = threading.Thread(target=confirm, args=(token, result, done))
            thread.start()
            began = _wait_for_commit(db_url, done)
            time.sleep(delay)
            inside = began and not done.is_set() and _commit_has_begun(db_url)
            server.kill()
            thread.join(timeout=30)
            _wait_for_no_other_backends(db_url)
            state = _assert_all_or_nothing(db_url)
            if inside and state["persons"] == 0:
                # Killed mid-commit: none of it is in, and the batch still awaits confirmation.
                # (A commit may also finish in the instant between the look and the kill.)
                mid_commit_kills += 1
                assert state["batches"] == {"previewed": 1}, state
            server = live.Server(db_url, secret, log_dir=tmp_path).start()
            client.server = server
            if state["persons"] == ROWS:
                break  # the commit finished before the kill: longer delays prove nothing more
            page = client.get(f"/imports/{batch}")[2].decode()
            assert "Chờ xác nhận" in page and "Xác nhận nhập" in page

        with capsys.disabled():
            print(f"\ncrash (web, {db_url.split(':')[0]}): {mid_commit_kills} SIGKILLs inside the "
                  f"commit of {ROWS} rows, none left a trace")
        assert mid_commit_kills >= 2, f"only {mid_commit_kills} kills landed inside the commit"
        if _state(db_url)["persons"] == 0:  # after the crashes, the same batch imports whole
            status, _, _ = client.post(f"/imports/{batch}/confirm", {},
                                       token_from=f"/imports/{batch}")
            assert status == 302
        server.kill()  # and a committed batch survives a kill too
        _wait_for_no_other_backends(db_url)
        state = _assert_all_or_nothing(db_url)
        assert state["persons"] == ROWS and state["batches"] == {"committed": 1}, state
    finally:
        server.stop()


def test_kill_the_cli_import_while_it_writes(db_url, roster, capsys):
    """`flask import-roster` in a subprocess, SIGKILLed while it writes: all or nothing."""
    secret = os.urandom(16).hex()
    live.prepare(db_url, secret)
    env = {**os.environ, "DATABASE_URL": db_url, "SECRET_KEY": secret, "PYTHONWARNINGS": "ignore"}
    mid = 0
    for delay in (0.0, 0.3, 1.0, 2.0):
        proc = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "app", "import-roster", str(roster),
             "--unit", "Tỉnh Kon Tum"], cwd=live.ROOT, env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            began = _wait_for_commit(db_url, proc=proc)
            time.sleep(delay)
            inside = began and proc.poll() is None and _commit_has_begun(db_url)
            proc.send_signal(signal.SIGKILL)
        finally:
            proc.wait(timeout=30)
        _wait_for_no_other_backends(db_url)
        state = _assert_all_or_nothing(db_url)
        if inside and state["persons"] == 0:
            mid += 1
            assert not state["batches"], state  # the CLI's preview and commit are one transaction
        if state["persons"] == ROWS:
            break
    with capsys.disabled():
        print(f"\ncrash (CLI, {db_url.split(':')[0]}): {mid} SIGKILLs while the import wrote, "
              "none left a trace")
    assert mid >= 2, f"only {mid} kills landed while the import was writing"
