"""Rules an admin can change (training window, standards, discipline durations), as key → JSON.

Defaults live in registry.settings.service; a row exists only once an admin saved a value.
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from .base import Audited, Base, TimestampMixin


class Setting(Audited, TimestampMixin, Base):
    __tablename__ = "settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(80), unique=True)
    value: Mapped[object] = mapped_column(sa.JSON)
