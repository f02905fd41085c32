"""indexes for the roster at 100,000 people (bench/load_bench.py, bench/README.md "Load")

Measured with 100,000 people (bench/README.md):
- SQLite: appointments (person_id, start_date, end_date, role, level), which the roster's
  "active in this role" test (an EXISTS per person) reads without the table (count of a
  district's list 25 → 14 ms); and persons (search_key, cccd), which the diacritic-free
  search's list of matching ids (a LIKE '%…%' no b-tree can seek) scans instead of the wide
  table (≈20 → 12 ms per scan).
- PostgreSQL: a trigram GIN index on persons.search_key, which serves that LIKE '%…%' (count
  + page 58 → 7 ms). It needs the pg_trgm extension (trusted: the database owner may create
  it); without it the index is skipped with a warning and search still works, by a scan. The
  appointments index brought nothing measurable on PostgreSQL, so it is not made there.

These indexes are not declared on the models (models.base.DIALECT_ONLY_INDEXES).

Revision ID: e1perf
Revises: d1exports
Create Date: 2026-11-26 13:10:00
"""
import logging

import sqlalchemy as sa
from alembic import op

revision = "e1perf"
down_revision = "d1exports"
branch_labels = None
depends_on = None


def _can_use_trigrams(bind) -> bool:
    installed, available, may_create = bind.execute(sa.text(
        "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'), "
        "EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'), "
        "has_database_privilege(current_database(), 'CREATE')")).one()
    return bool(installed or (available and may_create))


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.create_index("ix_appointments_person_active", "appointments",
                        ["person_id", "start_date", "end_date", "role", "level"])
        op.create_index("ix_persons_search_cover", "persons", ["search_key", "cccd"])
    elif bind.dialect.name == "postgresql":
        if _can_use_trigrams(bind):
            op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            op.execute("CREATE INDEX ix_persons_search_trgm ON persons "
                       "USING gin (search_key gin_trgm_ops)")
        else:
            logging.getLogger("alembic").warning(
                "pg_trgm is not available: the roster search runs without its index")


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.drop_index("ix_persons_search_cover", "persons")
        op.drop_index("ix_appointments_person_active", "appointments")
    elif bind.dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_persons_search_trgm")
