"""A real server for the browser, load and crash tests: a scratch database prepared in-process
(schema by the migrations, reference data, optional demo roster, known users with passwords made
up here), served by gunicorn on 127.0.0.1 in its own process group, stopped by its own ids.

Nothing here writes under instance/: the database lives in a temporary folder (or is the
PostgreSQL database DATABASE_URL names, emptied first) and SECRET_KEY comes from the environment."""
from __future__ import annotations

import contextlib
import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = Path(sys.executable).parent / "gunicorn"


def database_url(tmp: Path, own: str | None = None) -> str:
    """The run's database: a file under `tmp`, or the PostgreSQL database the environment names.
    `own` gives a server that must not share it (it rewrites everything) a database of its own
    on PostgreSQL, `<name>_<own>`, made empty now; `drop_own` removes it."""
    from registry.core.config import psycopg_url

    url = os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp / (own or 'live')}.sqlite3"
    url = psycopg_url(url)
    if own is None:
        return url
    scratch = sa.make_url(url).set(database=f"{sa.make_url(url).database}_{own}")
    _admin(url, f'DROP DATABASE IF EXISTS "{scratch.database}" WITH (FORCE)',
           f'CREATE DATABASE "{scratch.database}"')
    return scratch.render_as_string(hide_password=False)


def drop_own(url: str) -> None:
    """Remove a database `database_url(…, own)` made (nothing to do for a SQLite file)."""
    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "postgresql":
        _admin(url, f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')


def _admin(url: str, *statements: str) -> None:
    engine = sa.create_engine(sa.make_url(url).set(database="postgres"),
                              isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            for statement in statements:
                conn.execute(sa.text(statement))
    finally:
        engine.dispose()


@contextlib.contextmanager
def app_for(url: str, secret: str):
    """An app on `url` (in-process, for preparing data), without touching instance/."""
    old = os.environ.get("SECRET_KEY")
    os.environ["SECRET_KEY"] = secret
    try:
        from app import create_app

        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": secret})
    finally:
        if old is None:
            os.environ.pop("SECRET_KEY", None)
        else:
            os.environ["SECRET_KEY"] = old
    with app.app_context():
        yield app
        from models import db
        db.session.remove()
        db.engine.dispose()


def drop_everything(engine: sa.Engine) -> None:
    """Every table, including a stale alembic_version and SQLite's name index (an FTS5 table,
    dropped first: its own tables cannot be dropped one by one)."""
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("DROP TABLE IF EXISTS persons_search")
    meta = sa.MetaData()
    meta.reflect(engine)
    meta.drop_all(engine)


def prepare(url: str, secret: str, *, demo_people: int = 0, users: dict | None = None) -> dict:
    """Empty the database, build the schema, load reference data, the demo roster and `users`
    ({username: (role, unit name)}); return {username: password}."""
    from models import UserRole, db
    from registry import refdata
    from registry.auth.users import create_user
    from registry.cli.common import find_unit, upgrade_schema
    from registry.core.audit import Actor, acting_as
    from registry.demo import people as demo

    passwords = {}
    with app_for(url, secret):
        drop_everything(db.engine)
        upgrade_schema()
        with acting_as(Actor(None, "test-setup")):
            refdata.load_all()
            db.session.commit()
            if demo_people:
                demo.seed(demo_people)
                db.session.commit()
            for username, (role, unit) in (users or {}).items():
                passwords[username] = secrets.token_urlsafe(12)
                create_user(username, passwords[username], display_name=f"Cán bộ {username}",
                            role=UserRole(role), unit=find_unit(unit))
            db.session.commit()
    return passwords


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str
    secret: str
    workers: int = 2
    log_dir: Path = Path("/tmp")
    port: int = field(default_factory=free_port)
    jobs: bool = False  # also run the job consumer (`flask run-jobs`) that reads big uploads
    proc: subprocess.Popen | None = None
    jobs_proc: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def access_log(self) -> Path:
        return self.log_dir / f"access-{self.port}.log"

    @property
    def error_log(self) -> Path:
        return self.log_dir / f"error-{self.port}.log"

    @property
    def jobs_log(self) -> Path:
        return self.log_dir / f"jobs-{self.port}.log"

    def start(self, timeout: float = 60) -> Server:
        # The job queue (unless REDIS_URL names one) beside the logs, never under instance/.
        env = {**os.environ, "DATABASE_URL": self.url, "SECRET_KEY": self.secret,
               "PYTHONWARNINGS": "ignore",
               "SESSION_COOKIE_SECURE": "0",  # served over plain http on 127.0.0.1
               # Every browser test logs in from 127.0.0.1, often as one user: the limits would
               # refuse the suite. The growing delays after failures stay as in production.
               "LOGIN_LIMIT_CLIENT": "1000/minute", "LOGIN_LIMIT_ACCOUNT": "1000/minute",
               "JOBS_SQLITE": str(self.log_dir / f"jobs-{self.port}.sqlite3")}
        env.pop("TEST_DATABASE_URL", None)
        if self.jobs:
            with self.jobs_log.open("wb") as log:
                self.jobs_proc = subprocess.Popen(
                    [sys.executable, "-m", "flask", "--app", "app", "run-jobs"],
                    cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                    start_new_session=True)
        self.proc = subprocess.Popen(
            [str(GUNICORN), "--workers", str(self.workers), "--bind", f"127.0.0.1:{self.port}",
             "--access-logfile", str(self.access_log), "--error-logfile", str(self.error_log),
             "--access-logformat", "%(p)s %(m)s %(U)s %(s)s", "--timeout", "120",
             "app:create_app()"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True)  # its own process group: stopped by its id, workers too
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.error_log.read_text()[-3000:]}")
            with contextlib.suppress(OSError):
                if Client(self).get("/login")[0] == 200 and len(self.worker_pids()) == self.workers:
                    return self
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer on {self.base}")

    def worker_pids(self) -> list[int]:
        if self.proc is None:
            return []
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.proc.pid)],
                             capture_output=True, text=True).stdout
        return [int(x) for x in out.split()]

    def stop(self, sig=signal.SIGTERM) -> None:
        for proc in (self.jobs_proc, self.proc):
            self._stop(proc, sig)

    @staticmethod
    def _stop(proc: subprocess.Popen | None, sig) -> None:
        if proc is None or proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=20)

    def kill(self) -> None:
        """SIGKILL the whole server at once: the arbiter and every worker, mid-request."""
        self.stop(signal.SIGKILL)

    def log_mark(self) -> int:
        return len(self.access_log.read_text().splitlines()) if self.access_log.exists() else 0

    def served_by(self, method: str, path_re: str, since: int = 0) -> list[int]:
        """Pids of the workers that served matching requests, from the access log."""
        pids = []
        for line in self.access_log.read_text().splitlines()[since:]:
            parts = line.split()
            if len(parts) >= 3 and parts[1] == method and re.fullmatch(path_re, parts[2]):
                pids.append(int(parts[0].strip("<>")))
        return pids


class Client:
    """A tiny HTTP client with a cookie jar (one session), for tests that need no browser."""

    def __init__(self, server: Server):
        self.server = server
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict | None = None, timeout: float = 120) -> tuple[int, dict, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=timeout)
        try:
            hdrs = dict(headers or {})
            if self.cookies:
                hdrs["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            conn.request(method, path, body=body, headers=hdrs)
            resp = conn.getresponse()
            data = resp.read()
            for key, value in resp.getheaders():
                if key.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name] = rest.split(";", 1)[0]
            return resp.status, {k.lower(): v for k, v in resp.getheaders()}, data
        finally:
            conn.close()

    def get(self, path: str) -> tuple[int, dict, bytes]:
        return self.request("GET", path)

    def csrf(self, path: str) -> str:
        page = self.get(path)[2].decode()
        return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)

    def post(self, path: str, fields: dict, *, token_from: str | None = None,
             files: dict | None = None) -> tuple[int, dict, bytes]:
        fields = dict(fields)
        if "csrf_token" not in fields:
            fields["csrf_token"] = self.csrf(token_from or path)
        if files:
            boundary = secrets.token_hex(12)
            body = b"".join(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n'
                f"{v}\r\n".encode()
                for k, v in fields.items()
            )
            for k, (name, data) in files.items():
                body += (
                    (
                        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"; '
                        f'filename="{name}"\r\nContent-Type: application/octet-stream\r\n\r\n'
                    ).encode()
                    + data
                    + b"\r\n"
                )
            body += f"--{boundary}--\r\n".encode()
            ctype = f"multipart/form-data; boundary={boundary}"
        else:
            body = urllib.parse.urlencode(fields).encode()
            ctype = "application/x-www-form-urlencoded"
        return self.request("POST", path, body, {"Content-Type": ctype})

    def login(self, username: str, password: str) -> Client:
        status, headers, _ = self.post("/login", {"username": username, "password": password})
        assert status == 302, f"login of {username} failed: {status}"
        return self
