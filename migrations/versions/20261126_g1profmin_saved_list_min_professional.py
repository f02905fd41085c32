"""saved lists: a minimum chuyên môn beside the minimum LLCT (None: as the settings say)

Revision ID: g1profmin
Revises: f2search
Create Date: 2026-11-26 15:40:00
"""
import sqlalchemy as sa
from alembic import op

revision = "g1profmin"
down_revision = "f2search"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("saved_lists", schema=None) as batch_op:
        batch_op.add_column(sa.Column("min_professional", sa.String(length=60), nullable=True))


def downgrade():
    with op.batch_alter_table("saved_lists", schema=None) as batch_op:
        batch_op.drop_column("min_professional")
