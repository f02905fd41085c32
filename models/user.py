"""Accounts: admins see the province, officers read and write a subtree, viewers read it."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from .base import Audited, Base, TimestampMixin
from .enums import UserRole, enum_column

if TYPE_CHECKING:
    from .unit import Unit


class User(Audited, UserMixin, TimestampMixin, Base):
    __tablename__ = "users"
    __audit_exclude__ = ("password_hash", "failed_logins", "locked_until", "last_login",
                         "session_version", "totp_secret", "totp_recovery")

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(256))
    display_name: Mapped[str] = mapped_column(sa.String(200))
    role: Mapped[UserRole] = mapped_column(enum_column(UserRole, 16))
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"))
    active: Mapped[bool] = mapped_column(default=True)
    last_login: Mapped[dt.datetime | None] = mapped_column()
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column()
    # Set by an admin's create or reset: the next login must choose a new password first.
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    password_changed_at: Mapped[dt.datetime | None] = mapped_column()
    # Sessions carry the version they were made under; logout, deactivation, a password change
    # and a change of role or unit move it on, which ends every session of the user at once,
    # on every worker and machine (the check reads the database, not process memory).
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")
    # Optional TOTP for admins (pyotp): the shared secret, and hashes of unused recovery codes.
    totp_secret: Mapped[str | None] = mapped_column(sa.String(64))
    totp_recovery: Mapped[list | None] = mapped_column(sa.JSON)

    unit: Mapped[Unit] = relationship()

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active
