"""issue 12: the default successor of a divided unit; every unit's type word filled in

Revision ID: i1units
Revises: h1transfer
Create Date: 2026-12-02 18:20:00
"""
import sqlalchemy as sa
from alembic import op

revision = "i1units"
down_revision = "h1transfer"
branch_labels = None
depends_on = None

# Longest first: "Thành phố" must not be read as some shorter word's prefix.
_PREFIXES = ("thành phố", "thị trấn", "thị xã", "đặc khu", "phường", "huyện", "quận", "tỉnh",
             "xã")


def upgrade():
    # A merger so far gave each old unit one successor: every existing link is its default.
    op.add_column("unit_successors", sa.Column("is_default", sa.Boolean(), nullable=False,
                                               server_default=sa.true()))
    _fill_type_labels()


def _fill_type_labels():
    """Units added by hand have no type word; their names start with it ("Xã Ia Chim")."""
    units = sa.table("units", sa.column("id", sa.Integer), sa.column("name", sa.String),
                     sa.column("kind", sa.String), sa.column("type_label", sa.String))
    conn = op.get_bind()
    rows = conn.execute(sa.select(units.c.id, units.c.name).where(
        units.c.type_label.is_(None), units.c.kind.in_(("tinh", "huyen", "xa")))).all()
    for unit_id, name in rows:
        word = next((p for p in _PREFIXES if name.lower().startswith(p + " ")), None)
        if word:
            conn.execute(units.update().where(units.c.id == unit_id).values(type_label=word))


def downgrade():
    with op.batch_alter_table("unit_successors") as batch:
        batch.drop_column("is_default")
