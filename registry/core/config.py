"""Configuration from defaults, instance/config.py and the environment."""
from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

import orjson

# How long a SQLite writer waits for another's lock before giving up.
SQLITE_BUSY_TIMEOUT_MS = 15000


def _dumps(value) -> str:
    """JSON columns (import previews hold tens of thousands of rows) with orjson's speed."""
    return orjson.dumps(value).decode()


def _loads(value):
    # SQLite hands back a bare number stored in a JSON column as a number, not as text.
    return orjson.loads(value) if isinstance(value, (str, bytes, bytearray, memoryview)) else value


def secret_key(instance_path: Path) -> str:
    """SECRET_KEY from the environment, else one generated once and kept under instance/.

    Several workers may start at once on a fresh install: the key is written to a private temp
    file and linked into place, so every worker reads the same complete key."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        make_private(instance_path)
        fd, tmp = tempfile.mkstemp(dir=instance_path)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
        try:
            os.link(tmp, key_file)
        except FileExistsError:
            pass
        finally:
            os.unlink(tmp)
    return key_file.read_text().strip()


def _database_url(instance_path: Path) -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{instance_path / 'registry.sqlite3'}"
    return psycopg_url(url)


def psycopg_url(url: str) -> str:
    """`url` with a PostgreSQL URL's driver named: Heroku-style URLs name the old driver (or
    none), and psycopg 3 is the one installed."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _env_flag(name: str) -> bool | None:
    value = os.environ.get(name)
    return None if value in (None, "") else value.strip().lower() in ("1", "true", "yes", "on")


def cookie_secure(config) -> bool:
    """SESSION_COOKIE_SECURE as set, else on outside tests: the session cookie must never
    travel over plain http in production."""
    value = config.get("SESSION_COOKIE_SECURE")
    return (not config.get("TESTING")) if value is None else bool(value)


def make_private(instance_path: Path) -> None:
    """instance/ (the database, the secret key, the job queue) readable by its owner only:
    created 0700, a looser existing one tightened."""
    instance_path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if instance_path.stat().st_mode & 0o077:
        instance_path.chmod(0o700)


def private_sqlite(path: str | Path) -> None:
    """A SQLite file (the database, the job queue) 0600, its -wal/-shm too: the database holds
    CCCD numbers and password hashes. A missing file is created empty (a valid empty database)
    before SQLite opens it, because SQLite gives the -wal and -shm it creates the database
    file's mode."""
    path = Path(path)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            if name.stat().st_mode & 0o077:
                name.chmod(0o600)
        except FileNotFoundError:
            pass


def sqlite_file(url: str) -> str | None:
    """The file a sqlite:/// URL names; None for another database or an in-memory one."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return parsed.database


def defaults(instance_path: Path) -> dict:
    """Everything but SECRET_KEY, which create_app settles last (secret_key): a test or an
    instance config that sets one must not leave a generated key under instance/."""
    upload_mb = float(os.environ.get("UPLOAD_MAX_MB", "10"))
    return {
        "SQLALCHEMY_DATABASE_URI": _database_url(instance_path),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "json_serializer": _dumps,
                                      "json_deserializer": _loads},
        "UPLOAD_MAX_BYTES": int(upload_mb * 1024 * 1024),
        # Room for the multipart envelope around the largest accepted file.
        "MAX_CONTENT_LENGTH": int(upload_mb * 1024 * 1024) + 1024 * 1024,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # None: on, unless TESTING (create_app settles it: see cookie_secure). bin/start serves
        # plain http on 127.0.0.1 and sets SESSION_COOKIE_SECURE=0.
        "SESSION_COOKIE_SECURE": _env_flag("SESSION_COOKIE_SECURE"),
        # A session unused this long, or open this long since login, must log in again.
        "SESSION_IDLE_MINUTES": float(os.environ.get("SESSION_IDLE_MINUTES", "30")),
        "SESSION_MAX_HOURS": float(os.environ.get("SESSION_MAX_HOURS", "12")),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "WTF_CSRF_TIME_LIMIT": None,
        # Login throttling (registry.auth.throttle), counted in Redis when REDIS_URL names one,
        # else in the database. Per client address, and per (client, account): one client's
        # failures never slow another's login. Behind a proxy, configure ProxyFix.
        "LOGIN_LIMIT_CLIENT": os.environ.get("LOGIN_LIMIT_CLIENT") or "10/minute;50/hour",
        "LOGIN_LIMIT_ACCOUNT": os.environ.get("LOGIN_LIMIT_ACCOUNT") or "5/minute;30/hour",
        # After a client's second failure on an account it waits 1 s, then 2, 4… up to 5 min;
        # an account with more failures than this in an hour makes every failing client wait
        # the 5 minutes at once.
        "LOGIN_DELAY_BASE_S": 1,
        "LOGIN_DELAY_MAX_S": 300,
        "LOGIN_ACCOUNT_CEILING": 30,
        "PAGE_SIZE": 50,
        # The province whose units `init-db` loads into an empty database (any of the 34 since
        # 01-7-2025, with the old provinces merged into it as history).
        "PROVINCE": os.environ.get("PROVINCE") or "Quảng Ngãi",
        # Where seed-demo keeps the demo logins it printed (beside the default database).
        "DEMO_LOGINS_DIR": str(instance_path),
        # Uploads larger than this are read by a background job (registry.core.jobs) with a
        # progress bar; smaller ones (about 20,000 rows, a second or so) in the request.
        "IMPORT_BACKGROUND_BYTES": int(float(os.environ.get("IMPORT_BACKGROUND_MB", "1.5"))
                                       * 1024 * 1024),
        # A batch still queued after this long (the consumer was killed) is rejected.
        "IMPORT_JOB_TIMEOUT_MINUTES": 30,
        # The job queue: Redis for several machines, else a SQLite file beside the database.
        "REDIS_URL": os.environ.get("REDIS_URL") or None,
        "JOBS_SQLITE": os.environ.get("JOBS_SQLITE") or str(instance_path / "jobs.sqlite3"),
        "JOBS_WORKERS": int(os.environ.get("JOBS_WORKERS", "2")),
        "JOBS_IMMEDIATE": False,  # the tests: a job runs at once where it is enqueued
    }
