"""SQLite: a trigram full-text index over persons.search_key for the roster search

The roster search is a substring match (LIKE '%nguyen van an%') that no b-tree serves; at
100,000 people SQLite scanned every name for each search (≈13 ms of a 30 ms request). An FTS5
table with the trigram tokenizer, kept in step with persons by triggers, answers the same LIKE
from its index (≈4 ms). PostgreSQL has had its trigram index since e1perf.

The table reads its text from persons (external content), so it holds only the index. Needs
SQLite 3.34 or later with FTS5; without them it is skipped with a warning and search scans, as
before (registry/name_search.py decides per query).

These objects are not declared on the models (models.base.DIALECT_ONLY).

Revision ID: f2search
Revises: f1figures
Create Date: 2026-11-26 14:45:00
"""
import logging
import sqlite3

from alembic import op

revision = "f2search"
down_revision = "f1figures"
branch_labels = None
depends_on = None

CREATE = [
    "CREATE VIRTUAL TABLE persons_search USING fts5(search_key, content='persons', "
    "content_rowid='id', tokenize='trigram', detail='none')",
    # The importer pauses the insert trigger inside its own transaction and indexes its
    # 20,000 new rows in one INSERT … SELECT: ten times faster than row by row.
    "CREATE TABLE persons_search_paused (id INTEGER PRIMARY KEY)",
    "CREATE TRIGGER persons_search_ai AFTER INSERT ON persons "
    "WHEN NOT EXISTS (SELECT 1 FROM persons_search_paused) BEGIN "
    "INSERT INTO persons_search (rowid, search_key) VALUES (new.id, new.search_key); END",
    "CREATE TRIGGER persons_search_ad AFTER DELETE ON persons BEGIN "
    "INSERT INTO persons_search (persons_search, rowid, search_key) "
    "VALUES ('delete', old.id, old.search_key); END",
    "CREATE TRIGGER persons_search_au AFTER UPDATE OF search_key ON persons BEGIN "
    "INSERT INTO persons_search (persons_search, rowid, search_key) "
    "VALUES ('delete', old.id, old.search_key); "
    "INSERT INTO persons_search (rowid, search_key) VALUES (new.id, new.search_key); END",
    "INSERT INTO persons_search (persons_search) VALUES ('rebuild')",
]


def _has_trigram_fts(bind) -> bool:
    if sqlite3.sqlite_version_info < (3, 34):
        return False
    options = {r[0] for r in bind.exec_driver_sql("PRAGMA compile_options")}
    return "ENABLE_FTS5" in options


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    if not _has_trigram_fts(bind):
        logging.getLogger("alembic").warning(
            "SQLite without FTS5 trigrams: the roster search runs without its index")
        return
    for sql in CREATE:
        op.execute(sql)


def downgrade():
    if op.get_bind().dialect.name != "sqlite":
        return
    for name in ("persons_search_ai", "persons_search_ad", "persons_search_au"):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS persons_search")
    op.execute("DROP TABLE IF EXISTS persons_search_paused")
