"""Figures computed from many rows, kept in the database until the data changes.

`cached(name, parts, compute)` returns what `compute()` returns, from the figure_cache table
when a value stamped with the current data version is there (registry.core.data_version). Values
must be JSON-able. Every worker and machine shares the table; none keeps figures in memory.

A request that has itself written uncommitted data computes afresh and stores nothing: what it
sees is not yet what the version stands for.

The first of `parts` is the scope the figure belongs to (access.scope_key()): at most
PER_SCOPE entries of one name and scope are kept, the oldest evicted, so that a user trying
endless filter values fills a bounded corner of the table, and only their own.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Callable
from typing import Any

import orjson
import sqlalchemy as sa

from models import FigureCache, db
from models.base import utcnow
from registry.core import data_version
from registry.core.config import SQLITE_BUSY_TIMEOUT_MS

log = logging.getLogger(__name__)
_TABLE = FigureCache.__table__
# Entries are keyed by day too: yesterday's are dead weight even when no write has come since.
KEEP = dt.timedelta(days=2)
PER_SCOPE = 200


def _digest(value) -> str:
    return hashlib.sha1(json.dumps(value, default=str, sort_keys=True).encode()).hexdigest()


def group_of(name: str, parts: tuple) -> str:
    """The key prefix shared by the entries of one name and scope (fits the 64-character key)."""
    return f"{name[:12]}:{_digest([name, *parts[:1]])[:10]}:"


def key_for(name: str, parts: tuple) -> str:
    return group_of(name, parts) + _digest(parts)[:32]


def cached(name: str, parts: tuple, compute: Callable[[], Any]) -> Any:
    conn = db.session.connection()
    if data_version.uncommitted_writes(conn) or db.session.new or db.session.dirty \
            or db.session.deleted:
        return compute()
    key = key_for(name, parts)
    version = data_version.current(conn)
    found = conn.execute(sa.select(_TABLE.c.value).where(
        _TABLE.c.key == key, _TABLE.c.version == version)).scalar()
    if found is not None:
        return orjson.loads(found)
    value = compute()
    _store(key, version, orjson.dumps(value).decode(), group_of(name, parts))
    return value


def _store(key: str, version: int, text: str, group: str) -> None:
    """Upsert on a connection of its own, never waiting long for a writer: a figure that could
    not be stored is computed again next time, nothing worse."""
    row = {"key": key, "version": version, "value": text, "computed_at": utcnow()}
    try:
        with db.engine.connect() as conn:
            _busy_timeout(conn, 100)
            try:
                conn.execute(_upsert(conn.dialect.name, row))
                conn.execute(_TABLE.delete().where(sa.or_(
                    _TABLE.c.version < version, _TABLE.c.computed_at < row["computed_at"] - KEEP)))
                conn.execute(_evict_beyond_cap(group))
                conn.commit()
            finally:
                conn.rollback()
                _busy_timeout(conn, SQLITE_BUSY_TIMEOUT_MS)
    except sa.exc.DBAPIError as exc:
        log.info("figure %s not cached: %s", key, exc)


def _evict_beyond_cap(group: str):
    newest_first = (sa.select(_TABLE.c.key)
                    .where(_TABLE.c.key.startswith(group, autoescape=True))
                    .order_by(_TABLE.c.computed_at.desc(), _TABLE.c.key)
                    .offset(PER_SCOPE))
    return _TABLE.delete().where(_TABLE.c.key.in_(newest_first.scalar_subquery()))


def _busy_timeout(conn: sa.Connection, ms: int) -> None:
    if conn.dialect.name == "sqlite":  # a PRAGMA outside any transaction
        conn.exec_driver_sql(f"PRAGMA busy_timeout={ms}")
        conn.commit()


def _upsert(dialect: str, row: dict):
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = insert(_TABLE).values(row)
    return stmt.on_conflict_do_update(index_elements=[_TABLE.c.key], set_={
        "version": stmt.excluded.version, "value": stmt.excluded.value,
        "computed_at": stmt.excluded.computed_at},
        where=_TABLE.c.version <= stmt.excluded.version)  # a slow, older reader loses
