"""`flask backup FILE` and `flask restore FILE`: the whole database, while the app runs.

SQLite: the online backup API (a consistent copy even while workers write; restore copies the
file back the same way). PostgreSQL: `pg_dump --format=custom` and `pg_restore --clean
--if-exists --single-transaction` (the client tools must be installed and of the server's major
version or newer). Restore refuses anything that is not a backup of this registry, before
touching the database, and brings an older backup's schema up to date afterwards."""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import click
import sqlalchemy as sa

from models import db
from registry.cli.common import upgrade_schema
from registry.core.config import private_sqlite

# Tables every backup of the registry has (whatever migrations came later).
REQUIRED = ("alembic_version", "units", "persons", "appointments", "users", "audit_log")
PG_MAGIC = b"PGDMP"


def _not_a_backup(path: Path, why: str) -> click.ClickException:
    return click.ClickException(f"Tệp «{path}» không phải bản sao lưu của Sổ đội ngũ ({why}); "
                                "không có gì bị thay đổi.")


def _sqlite_path() -> Path:
    database = db.engine.url.database
    if not database or database == ":memory:":
        raise click.ClickException("Cơ sở dữ liệu SQLite trong bộ nhớ không sao lưu được.")
    return Path(database)


def _pg_env() -> dict:
    url = db.engine.url
    env = dict(os.environ)
    for key, value in (("PGHOST", url.host), ("PGPORT", url.port), ("PGUSER", url.username),
                       ("PGPASSWORD", url.password), ("PGDATABASE", url.database)):
        if value is not None:
            env[key] = str(value)
    return env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise click.ClickException(f"Không tìm thấy lệnh {name}: hãy cài gói postgresql-client "
                                   "cùng phiên bản với máy chủ PostgreSQL.")
    return path


def _run(args: list[str]) -> subprocess.CompletedProcess:
    done = subprocess.run(args, env=_pg_env(), capture_output=True, text=True)
    if done.returncode != 0:
        raise click.ClickException(f"{Path(args[0]).name} thất bại: {done.stderr.strip()[-2000:]}")
    return done


def _sqlite_copy(source: Path, target: Path, timeout: float = 5.0) -> None:
    """Copy a SQLite database page by page through the online backup API, the source opened
    read-only."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target, timeout=timeout)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def _summary() -> str:
    with db.engine.connect() as conn:
        persons = conn.execute(sa.text("SELECT count(*) FROM persons")).scalar()
        audit = conn.execute(sa.text("SELECT count(*) FROM audit_log")).scalar()
    return f"{persons} người, {audit} mục nhật ký"


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup(file: Path):
    """Write a consistent copy of the whole database to FILE (the app may keep running)."""
    file = file.resolve()
    tmp = file.with_name(f".{file.name}.tmp")
    private_sqlite(tmp)  # a copy of the database (CCCD, password hashes): as private as it
    db.session.remove()
    if db.engine.dialect.name == "sqlite":
        _sqlite_copy(_sqlite_path(), tmp)
    elif db.engine.dialect.name == "postgresql":
        _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
              f"--file={tmp}"])
    else:
        raise click.ClickException(f"Không hỗ trợ sao lưu {db.engine.dialect.name}.")
    os.replace(tmp, file)
    click.echo(f"Đã sao lưu vào {file} ({_summary()}).")


def _check_sqlite_backup(path: Path) -> None:
    head = path.read_bytes()[:16]
    if head != b"SQLite format 3\x00":
        raise _not_a_backup(path, "không phải tệp SQLite")
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise _not_a_backup(path, "tệp bị hỏng")
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.DatabaseError as exc:
        raise _not_a_backup(path, f"tệp bị hỏng: {exc}") from None
    finally:
        conn.close()
    missing = [t for t in REQUIRED if t not in tables]
    if missing:
        raise _not_a_backup(path, "thiếu bảng " + ", ".join(missing))


def _check_pg_backup(path: Path) -> None:
    if path.read_bytes()[:5] != PG_MAGIC:
        raise _not_a_backup(path, "không phải bản pg_dump dạng custom")
    listing = subprocess.run([_tool("pg_restore"), "--list", str(path)], capture_output=True,
                             text=True)
    if listing.returncode != 0:
        raise _not_a_backup(path, "pg_restore không đọc được tệp")
    tables = set()
    for line in listing.stdout.splitlines():  # "id; oid oid TABLE schema name owner"
        parts = line.split()
        if "TABLE" in parts and not line.lstrip().startswith(";"):
            i = parts.index("TABLE")
            if len(parts) > i + 2 and parts[i + 1] != "DATA":
                tables.add(parts[i + 2])
    missing = [t for t in REQUIRED if t not in tables]
    if missing:
        raise _not_a_backup(path, "thiếu bảng " + ", ".join(missing))


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Không hỏi lại trước khi thay dữ liệu.")
def restore(file: Path, yes: bool):
    """Replace the whole database with the backup FILE (stop the app first)."""
    if not file.is_file():
        raise click.ClickException(f"Không tìm thấy tệp «{file}».")
    dialect = db.engine.dialect.name
    if dialect == "sqlite":
        _check_sqlite_backup(file)
    elif dialect == "postgresql":
        _check_pg_backup(file)
    else:
        raise click.ClickException(f"Không hỗ trợ khôi phục {dialect}.")
    if not yes:
        click.confirm("Khôi phục sẽ thay toàn bộ dữ liệu hiện có bằng bản sao lưu. Tiếp tục?",
                      abort=True)
    db.session.remove()
    db.engine.dispose()
    if dialect == "sqlite":
        _sqlite_copy(file.resolve(), _sqlite_path(), timeout=60)
    else:
        _run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
              "--single-transaction", "--exit-on-error", f"--dbname={_pg_env()['PGDATABASE']}",
              str(file)])
    db.engine.dispose()
    upgrade_schema()  # a backup made before later migrations is brought up to date
    click.echo(f"Đã khôi phục từ {file} ({_summary()}).")
