"""The data version: a counter that moves on with every commit writing registry data.

Figures computed from the whole registry (the dashboard, roster counts) are cached in the
database stamped with the version they were computed at (registry.core.figure_cache); a figure is
fresh while the counter has not moved. The counter is moved by the connection itself, from the
SQL it sends, so that every way of writing counts: the ORM, Core statements and the importer's
driver-level executemany.

Order of events under concurrency: a writer moves the counter at commit time, inside its own
transaction; a reader reads the counter before computing. A reader that computed from data a
later commit changed has stored an older version, which that commit's new version supersedes.
"""
from __future__ import annotations

import re

import sqlalchemy as sa
from sqlalchemy import event

_FLAG = "sodoingu_data_written"
# Tables whose writes do not change any figure: bookkeeping, logins (and their throttle's
# counters), staged import previews.
IGNORED = frozenset({"audit_log", "data_version", "figure_cache", "users", "import_batches",
                     "import_files", "import_rows", "alembic_version", "reorganise_jobs",
                     "rate_limits", "api_tokens", "idempotency_keys"})
_WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)', re.IGNORECASE)
_BUMP = ("INSERT INTO data_version (id, n) VALUES (1, 1) "
         "ON CONFLICT (id) DO UPDATE SET n = data_version.n + 1")


def writes_data(statement: str) -> bool:
    m = _WRITE.match(statement)
    return m is not None and m.group(1).lower() not in IGNORED


def init_engine(engine: sa.Engine) -> None:
    @event.listens_for(engine, "after_cursor_execute")
    def _note_write(conn, _cursor, statement, _params, _context, _many):
        if statement[:1] in "IiUuDd \n" and writes_data(statement):
            conn.info[_FLAG] = True

    @event.listens_for(engine, "commit")
    def _bump(conn):
        if conn.info.pop(_FLAG, False):
            conn.exec_driver_sql(_BUMP)

    @event.listens_for(engine, "rollback")
    def _forget(conn):
        conn.info.pop(_FLAG, None)


def uncommitted_writes(conn: sa.Connection) -> bool:
    """Has this connection written registry data its transaction has not committed yet?"""
    return bool(conn.info.get(_FLAG))


def current(conn: sa.Connection) -> int:
    return conn.execute(sa.text("SELECT n FROM data_version WHERE id = 1")).scalar() or 0
