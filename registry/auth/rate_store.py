"""A `limits` storage over the rate_limits table, for installs without Redis: every worker and
machine that shares the database shares the counters.

Each call runs in a short transaction of its own on its own connection, never in the request's
session: a counter must be written before the password is checked and must stay written when the
request's work is rolled back."""
from __future__ import annotations

import hashlib
import random
import time

import sqlalchemy as sa
from limits.storage import Storage
from sqlalchemy.dialects import postgresql, sqlite

from models import RateLimit, db

SCHEME = "registry+db"
KEY_MAX = 250
# About one incr in this many also deletes long-expired rows, so the table stays small without
# a scheduled job.
PRUNE_EVERY = 200
PRUNE_GRACE_S = 60

_table = RateLimit.__table__
_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def _key(key: str) -> str:
    # A typed username makes keys of any length; the column holds 250.
    if len(key) <= KEY_MAX:
        return key
    return "sha256:" + hashlib.sha256(key.encode()).hexdigest()


class DatabaseStorage(Storage):
    """Fixed-window counters: incr is one UPSERT, so parallel requests never share a count."""

    STORAGE_SCHEME = [SCHEME]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    @property
    def base_exceptions(self):
        return sa.exc.SQLAlchemyError

    @staticmethod
    def _engine() -> sa.Engine:
        # Looked up per call: the current app's engine (tests build several apps in a process).
        return db.engine

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        now = time.time()
        engine = self._engine()
        insert = _INSERTS[engine.dialect.name](_table)
        expired = _table.c.expires_at <= now
        stmt = insert.values(key=_key(key), hits=amount, expires_at=now + expiry)
        stmt = stmt.on_conflict_do_update(
            index_elements=[_table.c.key],
            set_={"hits": sa.case((expired, amount), else_=_table.c.hits + amount),
                  "expires_at": sa.case((expired, now + expiry), else_=_table.c.expires_at)},
        ).returning(_table.c.hits)
        with engine.begin() as conn:
            hits = conn.execute(stmt).scalar_one()
        if random.randrange(PRUNE_EVERY) == 0:
            self.prune(now)
        return int(hits)

    def _live_row(self, key: str):
        stmt = sa.select(_table.c.hits, _table.c.expires_at).where(
            _table.c.key == _key(key), _table.c.expires_at > time.time())
        with self._engine().connect() as conn:
            return conn.execute(stmt).first()

    def get(self, key: str) -> int:
        row = self._live_row(key)
        return int(row.hits) if row else 0

    def get_expiry(self, key: str) -> float:
        row = self._live_row(key)
        return float(row.expires_at) if row else time.time()

    def check(self) -> bool:
        try:
            with self._engine().connect() as conn:
                conn.execute(sa.select(1))
        except sa.exc.SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        with self._engine().begin() as conn:
            return conn.execute(_table.delete()).rowcount

    def clear(self, key: str) -> None:
        with self._engine().begin() as conn:
            conn.execute(_table.delete().where(_table.c.key == _key(key)))

    def prune(self, now: float | None = None) -> int:
        """Delete counters expired for a while (a short grace: a reader may be on one)."""
        cutoff = (now or time.time()) - PRUNE_GRACE_S
        with self._engine().begin() as conn:
            return conn.execute(_table.delete().where(_table.c.expires_at < cutoff)).rowcount
