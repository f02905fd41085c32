"""Membership of the roster: who was recognised as BCV/TTV, where, by which decision, until when."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from imports.terms import parse_term

from .base import Audited, Base, PersonScoped, TimestampMixin
from .enums import EndReason, Level, Role, enum_column

if TYPE_CHECKING:
    from .person import Person
    from .unit import Unit


class Appointment(Audited, PersonScoped, TimestampMixin, Base):
    __tablename__ = "appointments"
    __table_args__ = (
        sa.CheckConstraint("end_date IS NULL OR end_date >= start_date", name="end_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    role: Mapped[Role] = mapped_column(enum_column(Role, 8))
    level: Mapped[Level] = mapped_column(enum_column(Level, 16))
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"), index=True)
    # Decisions cite the unit by the name it had then; keep it when the unit is later succeeded.
    unit_name_snapshot: Mapped[str] = mapped_column(sa.String(200))
    decision_no: Mapped[str | None] = mapped_column(sa.String(100))
    decision_date: Mapped[dt.date | None] = mapped_column()
    decision_body: Mapped[str | None] = mapped_column(sa.String(200))
    term: Mapped[str | None] = mapped_column(sa.String(40))  # as written ("2020 – 2025")
    # The term's years, read from `term`: an appointment past its end year is "hết nhiệm kỳ".
    term_start: Mapped[int | None] = mapped_column()
    term_end: Mapped[int | None] = mapped_column(index=True)
    start_date: Mapped[dt.date] = mapped_column()
    end_date: Mapped[dt.date | None] = mapped_column()
    end_reason: Mapped[EndReason | None] = mapped_column(enum_column(EndReason, 32))
    # The decision that ended it ("Quyết định số 15-QĐ/BTGDVTU"), as the office files it.
    end_decision_no: Mapped[str | None] = mapped_column(sa.String(100))
    end_decision_date: Mapped[dt.date | None] = mapped_column()

    person: Mapped[Person] = relationship(back_populates="appointments")
    unit: Mapped[Unit] = relationship()

    @validates("term")
    def _read_term_years(self, _key: str, text: str | None) -> str | None:
        # The years follow the text whoever writes it (forms, import, transfers, reorganisation),
        # so no writer can leave them stale; a text that is not a term keeps no years.
        self.term_start, self.term_end = parse_term(text) or (None, None)
        return text

    def is_active_on(self, day: dt.date) -> bool:
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)

    @property
    def is_active(self) -> bool:
        return self.is_active_on(dt.date.today())

    @classmethod
    def active_on_clause(cls, day: dt.date):
        return sa.and_(cls.start_date <= day, sa.or_(cls.end_date.is_(None), cls.end_date >= day))
