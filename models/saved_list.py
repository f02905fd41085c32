"""Named qualification criteria a unit saves (danh sách đủ tiêu chuẩn and the others offices ask
for); registry.lists.qualification evaluates them with the eligibility function."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Audited, Base, TimestampMixin, UnitScoped
from .enums import Level, Role, enum_column

if TYPE_CHECKING:
    from .unit import Unit


class SavedList(Audited, UnitScoped, TimestampMixin, Base):
    """Owned by the unit that saved it (`unit_id`): visible to that unit's subtree only."""

    __tablename__ = "saved_lists"
    __table_args__ = (
        sa.CheckConstraint("training_months IS NULL OR training_months >= 0",
                           name="training_months_not_negative"),
        sa.CheckConstraint("age_min IS NULL OR age_max IS NULL OR age_min <= age_max",
                           name="age_range_ordered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    role: Mapped[Role | None] = mapped_column(enum_column(Role, 8))
    level: Mapped[Level | None] = mapped_column(enum_column(Level, 16))
    # The unit whose subtree the list looks at (None: the whole scope of whoever opens it).
    subtree_unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id"))
    min_llct: Mapped[str | None] = mapped_column(sa.String(60))  # None: as the settings say
    min_professional: Mapped[str | None] = mapped_column(sa.String(60))  # None: settings
    party_required: Mapped[bool | None] = mapped_column()  # None: settings; False: not checked
    training_months: Mapped[int | None] = mapped_column()  # None: settings; 0: not checked
    no_discipline: Mapped[bool] = mapped_column(default=True)
    active_on: Mapped[dt.date | None] = mapped_column()  # None: the day it is opened
    age_min: Mapped[int | None] = mapped_column()
    age_max: Mapped[int | None] = mapped_column()
    note: Mapped[str | None] = mapped_column(sa.String(500))

    unit: Mapped[Unit] = relationship(foreign_keys="SavedList.unit_id")
    subtree_unit: Mapped[Unit | None] = relationship(foreign_keys=[subtree_unit_id])
