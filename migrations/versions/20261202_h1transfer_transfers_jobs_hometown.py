"""issue 11: transfer requests, uploaded files kept for jobs, import progress, quê quán

Revision ID: h1transfer
Revises: g1profmin
Create Date: 2026-12-02 17:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = "h1transfer"
down_revision = "g1profmin"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "transfer_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("from_unit_id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("file_row", sa.Integer(), nullable=True),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("requested_by", sa.String(length=120), nullable=False),
        sa.Column("role", sa.Enum("BCV", "TTV", name="role", native_enum=False, length=8),
                  nullable=False),
        sa.Column("level", sa.Enum("trung_uong", "tinh", "huyen", "co_so", name="level",
                                   native_enum=False, length=16), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("status", sa.Enum("pending", "approved", "rejected", name="transferstatus",
                                    native_enum=False, length=12), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_by", sa.String(length=120), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("transfer_date", sa.Date(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["batch_id"], ["import_batches.id"], ondelete="SET NULL",
                                name=op.f("fk_transfer_requests_batch_id_import_batches")),
        sa.ForeignKeyConstraint(["decided_by_id"], ["users.id"], ondelete="SET NULL",
                                name=op.f("fk_transfer_requests_decided_by_id_users")),
        sa.ForeignKeyConstraint(["from_unit_id"], ["units.id"],
                                name=op.f("fk_transfer_requests_from_unit_id_units")),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"], ondelete="CASCADE",
                                name=op.f("fk_transfer_requests_person_id_persons")),
        sa.ForeignKeyConstraint(["requested_by_id"], ["users.id"], ondelete="SET NULL",
                                name=op.f("fk_transfer_requests_requested_by_id_users")),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"],
                                name=op.f("fk_transfer_requests_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transfer_requests")),
    )
    with op.batch_alter_table("transfer_requests", schema=None) as batch_op:
        for col in ("batch_id", "from_unit_id", "person_id", "status", "unit_id"):
            batch_op.create_index(batch_op.f(f"ix_transfer_requests_{col}"), [col], unique=False)

    op.create_table(
        "import_files",
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["batch_id"], ["import_batches.id"], ondelete="CASCADE",
                                name=op.f("fk_import_files_batch_id_import_batches")),
        sa.PrimaryKeyConstraint("batch_id", name=op.f("pk_import_files")),
    )
    with op.batch_alter_table("import_batches", schema=None) as batch_op:
        batch_op.add_column(sa.Column("progress", sa.Integer(), nullable=False,
                                      server_default="0"))
        batch_op.add_column(sa.Column("progress_total", sa.Integer(), nullable=True))
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.add_column(sa.Column("hometown", sa.String(length=300), nullable=True))


def downgrade():
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.drop_column("hometown")
    with op.batch_alter_table("import_batches", schema=None) as batch_op:
        batch_op.drop_column("progress_total")
        batch_op.drop_column("progress")
    op.drop_table("import_files")
    with op.batch_alter_table("transfer_requests", schema=None) as batch_op:
        for col in ("unit_id", "status", "person_id", "from_unit_id", "batch_id"):
            batch_op.drop_index(batch_op.f(f"ix_transfer_requests_{col}"))
    op.drop_table("transfer_requests")
