"""Exemplary models (mô hình hay, điển hình tiên tiến) found and spread by the team."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Audited, Base, TimestampMixin, UnitScoped

if TYPE_CHECKING:
    from .person import Person
    from .unit import Unit

exemplary_model_persons = sa.Table(
    "exemplary_model_persons", Base.metadata,
    sa.Column("model_id", sa.ForeignKey("exemplary_models.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("person_id", sa.ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True),
)


class ExemplaryModel(Audited, UnitScoped, TimestampMixin, Base):
    __tablename__ = "exemplary_models"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(300))
    field: Mapped[str | None] = mapped_column(sa.String(200))  # lĩnh vực
    year: Mapped[int] = mapped_column(index=True)
    decision_no: Mapped[str | None] = mapped_column(sa.String(100))
    decision_date: Mapped[dt.date | None] = mapped_column()
    recognised_by: Mapped[str | None] = mapped_column(sa.String(200))
    description: Mapped[str | None] = mapped_column(sa.Text)

    unit: Mapped[Unit] = relationship()
    persons: Mapped[list[Person]] = relationship(secondary=exemplary_model_persons,
                                                 order_by="Person.sort_key")
