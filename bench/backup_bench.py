"""Backup benchmark: `flask backup` and `flask restore` of a registry of 100,000 people.

    .venv/bin/python bench/backup_bench.py [--persons 100000]
                                           [--database-url postgresql+psycopg://…/scratch_db]

Seeds a scratch database as bench/load_bench.py does (SQLite in a temporary folder unless
--database-url names an EMPTY PostgreSQL database, which is wiped), then times, each as the real
CLI in its own process: `flask backup FILE`, and `flask restore FILE --yes` after the people
were deleted, checking that every table comes back with the same rows (a checksum per table).
"""
from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def checksums(url: str, secret: str) -> dict[str, str]:
    import sqlalchemy as sa

    from tools import live_server as live

    out = {}
    with live.app_for(url, secret):
        from models import db
        with db.engine.connect() as conn:
            for name in sorted(sa.inspect(conn).get_table_names()):
                table = sa.Table(name, sa.MetaData(), autoload_with=conn)
                order = list(table.primary_key.columns) or list(table.columns)
                digest = hashlib.sha256()
                for row in conn.execute(sa.select(table).order_by(*order)):
                    digest.update(repr(tuple(row)).encode())
                out[name] = digest.hexdigest()
    return out


def flask(url: str, secret: str, *args: str) -> float:
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": secret, "PYTHONWARNINGS": "ignore"}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "flask", "--app", "app", *args], cwd=ROOT, env=env,
                   check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    import sqlalchemy as sa

    from bench.load_bench import seed

    tmp = Path(tempfile.mkdtemp(prefix="sodoingu-backup-"))
    try:
        url = args.database_url or f"sqlite:///{tmp / 'registry.sqlite3'}"
        secret = os.urandom(16).hex()
        seed(url, args.persons, secret)
        before = checksums(url, secret)
        file = tmp / "sao-luu.bak"
        backup_s = flask(url, secret, "backup", str(file))
        engine = sa.create_engine(url)
        with engine.begin() as conn:  # lose the people, then get them back
            conn.execute(sa.text("DELETE FROM appointments"))
            conn.execute(sa.text("DELETE FROM persons"))
        engine.dispose()
        restore_s = flask(url, secret, "restore", str(file), "--yes")
        after = checksums(url, secret)
        same = after == before
        print(f"{url.split(':')[0]}, {args.persons:,} people, {len(before)} tables")
        print(f"backup  {backup_s:6.2f} s   file {file.stat().st_size / 2**20:.1f} MiB")
        print(f"restore {restore_s:6.2f} s   every table identical: {same}")
        print("(each time includes starting Python and the app, about 1 s)")
        if not same:
            sys.exit("tables differ: " + ", ".join(k for k in before if before[k] != after.get(k)))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
