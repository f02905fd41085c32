"""figures: data_version (a counter every data-writing commit moves on) and figure_cache
(dashboard charts and roster counts stamped with the version they were computed at), so that
the dashboard at 100,000 people is read, not recomputed, until the data changes
(bench/README.md "Load").

Revision ID: f1figures
Revises: e1perf
Create Date: 2026-11-26 14:50:00
"""
import sqlalchemy as sa
from alembic import op

revision = "f1figures"
down_revision = "e1perf"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "data_version",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_version")))
    op.create_table(
        "figure_cache",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("computed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_figure_cache")))
    op.create_index(op.f("ix_figure_cache_version"), "figure_cache", ["version"])
    op.create_index(op.f("ix_figure_cache_computed_at"), "figure_cache", ["computed_at"])
    op.execute("INSERT INTO data_version (id, n) VALUES (1, 0)")


def downgrade():
    op.drop_table("figure_cache")
    op.drop_table("data_version")
