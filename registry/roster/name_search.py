"""Which people's folded names contain a folded text: the roster search's one hard query.

A substring match (LIKE '%…%') no b-tree serves. PostgreSQL answers it from a trigram index
(migration e1perf); SQLite from an FTS5 trigram table kept by triggers (migration f2search),
when the text has three characters or more, and otherwise by scanning with instr(), which is
faster than its LIKE. bench/README.md "Load" has the numbers.
"""
from __future__ import annotations

import contextlib

import sqlalchemy as sa
from sqlalchemy.orm import Session

from models import Person, db

_FTS = sa.table("persons_search", sa.column("rowid"), sa.column("search_key"))


def ids_containing(key: str, cccd: str) -> sa.Select:
    """SELECT of the ids whose search_key contains `key`, or whose CCCD is `cccd`."""
    if db.session.get_bind().dialect.name != "sqlite":
        return sa.select(Person.id).where(sa.or_(
            Person.search_key.contains(key, autoescape=True), Person.cccd == cccd))
    if len(key) >= 3 and not any(ch in key for ch in "%_") and _has_index():
        # The index answers LIKE itself, then rechecks candidates against persons.
        return sa.union(sa.select(_FTS.c.rowid).where(_FTS.c.search_key.like(f"%{key}%")),
                        sa.select(Person.id).where(Person.cccd == cccd))
    return sa.select(Person.id).where(sa.or_(sa.func.instr(Person.search_key, key) > 0,
                                             Person.cccd == cccd))


@contextlib.contextmanager
def bulk_insert(s: Session, ids: list[int]):
    """Insert the persons `ids` inside this block, then index their names in one statement.

    The per-row trigger is dropped for the block and made again after it, in the caller's
    transaction: no other connection sees it missing, and a rollback or crash brings it back.
    Merely paused (its WHEN clause false), it still cost SQLite a quarter of each row's INSERT
    (bench/README.md "Narrow files")."""
    if s.get_bind().dialect.name != "sqlite" or not _has_index(s):
        yield
        return
    conn = s.connection()
    if not conn.connection.dbapi_connection.in_transaction:
        raise RuntimeError("bulk_insert drops a trigger: it needs the caller's transaction open")
    trigger = conn.exec_driver_sql(_TRIGGER_SQL).scalar_one()
    conn.exec_driver_sql(f"DROP TRIGGER {_TRIGGER}")
    try:
        yield
    finally:
        conn.exec_driver_sql(trigger)
    if ids and ids == list(range(ids[0], ids[0] + len(ids))):
        # The importer's ids are one run (apply.allocate_ids): a range, not thousands of binds.
        conn.execute(_INDEX_RANGE, {"first": ids[0], "last": ids[-1]})
        return
    for start in range(0, len(ids), _CHUNK):
        conn.execute(_INDEX, {"ids": ids[start:start + _CHUNK]})


_TRIGGER = "persons_search_ai"  # migration f2search: indexes each inserted person
_TRIGGER_SQL = f"SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = '{_TRIGGER}'"
_CHUNK = 5000
_INDEX = sa.text("INSERT INTO persons_search (rowid, search_key) "
                 "SELECT id, search_key FROM persons WHERE id IN :ids").bindparams(
    sa.bindparam("ids", expanding=True))
_INDEX_RANGE = sa.text("INSERT INTO persons_search (rowid, search_key) "
                       "SELECT id, search_key FROM persons WHERE id BETWEEN :first AND :last")


def _has_index(s: Session | None = None) -> bool:
    return (s or db.session).execute(sa.text(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'persons_search'")).first() \
        is not None
