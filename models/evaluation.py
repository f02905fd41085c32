"""The yearly evaluation of each member of the team."""
from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Audited, Base, PersonScoped, TimestampMixin
from .enums import EvaluationRating, enum_column

if TYPE_CHECKING:
    from .person import Person


class Evaluation(Audited, PersonScoped, TimestampMixin, Base):
    __tablename__ = "evaluations"
    __table_args__ = (
        sa.UniqueConstraint("person_id", "year", name="uq_evaluations_person_year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(index=True)
    rating: Mapped[EvaluationRating] = mapped_column(enum_column(EvaluationRating, 20))
    note: Mapped[str | None] = mapped_column(sa.String(500))

    person: Mapped[Person] = relationship(back_populates="evaluations")
