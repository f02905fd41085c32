"""Reference lists loaded by init-db: ethnic groups, levels, commendation and discipline forms."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class RefItem(Base):
    """One entry of a reference list; `kind` names the list, `ordinal` orders ranked lists."""

    __tablename__ = "ref_items"
    __table_args__ = (sa.UniqueConstraint("kind", "code", name="uq_ref_items_kind_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(40), index=True)
    code: Mapped[str] = mapped_column(sa.String(60))
    name: Mapped[str] = mapped_column(sa.String(200))
    ordinal: Mapped[int] = mapped_column(default=0)
    aliases: Mapped[list] = mapped_column(sa.JSON, default=list)
    note: Mapped[str | None] = mapped_column(sa.String(300))
