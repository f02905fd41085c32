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
    __audit_exclude__ = ("password_hash", "failed_logins", "locked_until", "last_login")

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

    unit: Mapped[Unit] = relationship()

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active
