"""Bulk INSERT straight through the driver's executemany, for the 20,000-row commits.

SQLAlchemy's executemany spends more time building parameter dicts than SQLite spends writing;
this applies the same per-column bind processors (enums, JSON, dates) and hands the driver plain
tuples. Only for tables whose rows the caller fully specifies (ids included)."""
from __future__ import annotations

from operator import itemgetter

import sqlalchemy as sa
from sqlalchemy.orm import Session

CHUNK = 5000


def insert_rows(s: Session, table: sa.Table, rows: list[dict]) -> None:
    if not rows:
        return
    conn = s.connection()
    dialect = conn.dialect
    columns = list(rows[0])
    procs = [
        (i, table.c[name].type._cached_bind_processor(dialect)) for i, name in enumerate(columns)
    ]
    procs = [(i, p) for i, p in procs if p is not None]
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    quote = dialect.identifier_preparer.quote
    sql = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)}) "
        f"VALUES ({', '.join([mark] * len(columns))})"
    )
    getter = itemgetter(*columns)
    memo: dict = {}  # one timestamp or unit id repeated over 20,000 rows converts once
    for start in range(0, len(rows), CHUNK):
        params = []
        for row in rows[start : start + CHUNK]:
            values = list(getter(row))
            for i, proc in procs:
                value = values[i]
                key = (i, value) if value.__hash__ is not None else None
                if key is None:
                    values[i] = proc(value)
                elif (out := memo.get(key, memo)) is not memo:
                    values[i] = out
                else:
                    values[i] = out = proc(value)
                    if len(memo) < 10000:
                        memo[key] = out
            params.append(tuple(values))
        conn.exec_driver_sql(sql, params)
