"""Units of the Party and administrative tree, effective-dated and never renamed in place."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Audited, Base, TimestampMixin
from .enums import UnitKind, enum_column

unit_successors = sa.Table(
    "unit_successors",
    Base.metadata,
    sa.Column("predecessor_id", sa.ForeignKey("units.id"), primary_key=True),
    sa.Column("successor_id", sa.ForeignKey("units.id"), primary_key=True),
    # A unit divided among several successors (2025: a commune split between new communes)
    # hands its people and records to exactly one of them unless told otherwise.
    sa.Column("is_default", sa.Boolean, nullable=False, server_default=sa.true()),
)


class Unit(Audited, TimestampMixin, Base):
    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[UnitKind] = mapped_column(enum_column(UnitKind))
    # The catalogue's own word (tỉnh, thành phố trung ương; huyện, quận, thị xã, thành phố; xã,
    # phường, thị trấn, đặc khu): kind alone is only the level.
    type_label: Mapped[str | None] = mapped_column(sa.String(50))
    gso_code: Mapped[str | None] = mapped_column(sa.String(10))
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id"), index=True)
    # Materialised path "/1/4/17/": a subtree is one indexed LIKE, on SQLite and PostgreSQL alike.
    path: Mapped[str] = mapped_column(sa.String(400), index=True, default="")
    valid_from: Mapped[dt.date | None] = mapped_column()
    valid_to: Mapped[dt.date | None] = mapped_column()

    parent: Mapped[Unit | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Unit]] = relationship(back_populates="parent", order_by="Unit.name")
    successors: Mapped[list[Unit]] = relationship(
        secondary=unit_successors,
        primaryjoin=id == unit_successors.c.predecessor_id,
        secondaryjoin=id == unit_successors.c.successor_id,
        back_populates="predecessors",
    )
    predecessors: Mapped[list[Unit]] = relationship(
        secondary=unit_successors,
        primaryjoin=id == unit_successors.c.successor_id,
        secondaryjoin=id == unit_successors.c.predecessor_id,
        back_populates="successors",
    )

    def is_valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2

    def __repr__(self) -> str:
        return f"<Unit {self.id} {self.name}>"


class UnitFormerParent(Base):
    """A parent a unit had until a date, kept when a merger re-attaches the unit to a successor:
    reports "as of" an earlier date rebuild the tree as it stood then."""

    __tablename__ = "unit_former_parents"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"), index=True)
    parent_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"))
    until: Mapped[dt.date] = mapped_column()  # last day under that parent
