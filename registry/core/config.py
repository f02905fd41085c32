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
        instance_path.mkdir(parents=True, exist_ok=True)
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
        "SESSION_COOKIE_SECURE": os.environ.get("SESSION_COOKIE_SECURE", "0") == "1",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "WTF_CSRF_TIME_LIMIT": None,
        "LOGIN_MAX_FAILURES": 5,
        "LOGIN_LOCK_MINUTES": 15,
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
