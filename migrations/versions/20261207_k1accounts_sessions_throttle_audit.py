"""issue 13: forced password change, session versions, TOTP, the throttle's counters, the
client address of audit entries

Revision ID: k1accounts
Revises: j1reorg
Create Date: 2026-12-07 00:35:00
"""
import sqlalchemy as sa
from alembic import op

revision = "k1accounts"
down_revision = "j1reorg"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("must_change_password", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
        batch.add_column(sa.Column("password_changed_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("session_version", sa.Integer(), nullable=False,
                                   server_default="1"))
        batch.add_column(sa.Column("totp_secret", sa.String(64), nullable=True))
        batch.add_column(sa.Column("totp_recovery", sa.JSON(), nullable=True))
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(sa.Column("client_addr", sa.String(64), nullable=True))
    op.create_table(
        "rate_limits",
        sa.Column("key", sa.String(250), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_rate_limits")),
    )
    op.create_index("ix_rate_limits_expires_at", "rate_limits", ["expires_at"])


def downgrade():
    op.drop_table("rate_limits")
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_column("client_addr")
    with op.batch_alter_table("users") as batch:
        for column in ("totp_recovery", "totp_secret", "session_version", "password_changed_at",
                       "must_change_password"):
            batch.drop_column(column)
