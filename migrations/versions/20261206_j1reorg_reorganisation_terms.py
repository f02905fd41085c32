"""issue 12: reorganisation runs and their successor reviews; an appointment's term as years

Revision ID: j1reorg
Revises: i1units
Create Date: 2026-12-06 23:50:00
"""
import re

import sqlalchemy as sa
from alembic import op

revision = "j1reorg"
down_revision = "i1units"
branch_labels = None
depends_on = None

# "2020-2025", "2020 – 2025", "NK 2020 - 2025": two four-digit years, the second not earlier.
_TERM = re.compile(r"((?:19|20)\d\d)\s*[-–—/]\s*((?:19|20)\d\d)")


def upgrade():
    with op.batch_alter_table("appointments") as batch:
        batch.add_column(sa.Column("term_start", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("term_end", sa.Integer(), nullable=True))
        batch.create_index("ix_appointments_term_end", ["term_end"])
    _fill_term_years()
    op.create_table(
        "reorganisations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("province", sa.String(200), nullable=False),
        sa.Column("actor", sa.String(120), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reorganisations")),
    )
    op.create_index("ix_reorganisations_day", "reorganisations", ["day"])
    op.create_table(
        "successor_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reorganisation_id", sa.Integer(), nullable=False),
        sa.Column("old_unit_id", sa.Integer(), nullable=False),
        sa.Column("successor_id", sa.Integer(), nullable=False),
        sa.Column("appointment_ids", sa.JSON(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("decided_by", sa.String(120), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["reorganisation_id"], ["reorganisations.id"],
                                name=op.f("fk_successor_reviews_reorganisation_id_reorganisations"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["old_unit_id"], ["units.id"],
                                name=op.f("fk_successor_reviews_old_unit_id_units")),
        sa.ForeignKeyConstraint(["successor_id"], ["units.id"],
                                name=op.f("fk_successor_reviews_successor_id_units")),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"],
                                name=op.f("fk_successor_reviews_person_id_persons"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_successor_reviews")),
    )
    for column in ("reorganisation_id", "decided_at", "person_id"):
        op.create_index(f"ix_successor_reviews_{column}", "successor_reviews", [column])
    op.create_table(
        "reorganise_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("dry_run", sa.Boolean(), nullable=False),
        sa.Column("actor", sa.String(120), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_reorganise_jobs_user_id_users"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reorganise_jobs")),
    )
    op.create_index("ix_reorganise_jobs_state", "reorganise_jobs", ["state"])


def _fill_term_years():
    appointments = sa.table("appointments", sa.column("id", sa.Integer),
                            sa.column("term", sa.String), sa.column("term_start", sa.Integer),
                            sa.column("term_end", sa.Integer))
    conn = op.get_bind()
    for key, term in conn.execute(sa.select(appointments.c.id, appointments.c.term)
                                  .where(appointments.c.term.is_not(None))).all():
        found = _TERM.search(term)
        if found and int(found[1]) <= int(found[2]):
            conn.execute(appointments.update().where(appointments.c.id == key)
                         .values(term_start=int(found[1]), term_end=int(found[2])))


def downgrade():
    op.drop_table("reorganise_jobs")
    op.drop_table("successor_reviews")
    op.drop_table("reorganisations")
    with op.batch_alter_table("appointments") as batch:
        batch.drop_index("ix_appointments_term_end")
        batch.drop_column("term_end")
        batch.drop_column("term_start")
