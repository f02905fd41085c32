"""Figures computed from the registry (dashboard charts, roster counts) kept in the database,
each stamped with the data version it was computed at (registry.core.data_version)."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class DataVersion(Base):
    """One row (id 1) whose counter moves on with every commit that writes registry data."""
    __tablename__ = "data_version"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    n: Mapped[int] = mapped_column(sa.BigInteger, default=0)


class FigureCache(Base):
    __tablename__ = "figure_cache"

    key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    # Both indexed for the pruning each store does (registry.core.figure_cache._store).
    version: Mapped[int] = mapped_column(sa.BigInteger, index=True)
    value: Mapped[str] = mapped_column(sa.Text)
    computed_at: Mapped[dt.datetime] = mapped_column(sa.DateTime, index=True)
