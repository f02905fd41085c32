"""A person's commendations, disciplines and oral-propaganda sessions."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Audited, Base, PersonScoped, TimestampMixin
from .enums import DeliveryForm, DisciplineSystem, OrgLevel, enum_column

if TYPE_CHECKING:
    from .appointment import Appointment
    from .person import Person
    from .unit import Unit


class Commendation(Audited, PersonScoped, TimestampMixin, Base):
    __tablename__ = "commendations"

    id: Mapped[int] = mapped_column(primary_key=True)
    form: Mapped[str] = mapped_column(sa.String(60))  # code of the commendation_form list
    title: Mapped[str | None] = mapped_column(sa.String(300))
    issuer_level: Mapped[OrgLevel] = mapped_column(enum_column(OrgLevel, 16))
    issuer: Mapped[str] = mapped_column(sa.String(200))
    decision_no: Mapped[str | None] = mapped_column(sa.String(100))
    decision_date: Mapped[dt.date | None] = mapped_column()
    reason: Mapped[str | None] = mapped_column(sa.Text)
    year: Mapped[int] = mapped_column(index=True)

    person: Mapped[Person] = relationship(back_populates="commendations")


class Discipline(Audited, PersonScoped, TimestampMixin, Base):
    """A disciplinary measure. Whether it is in force is computed from its dates, never stored."""

    __tablename__ = "disciplines"
    __table_args__ = (
        sa.CheckConstraint("effective_until IS NULL OR effective_until >= effective_from",
                           name="until_after_from"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    system: Mapped[DisciplineSystem] = mapped_column(enum_column(DisciplineSystem, 16))
    form: Mapped[str] = mapped_column(sa.String(60))  # code of the discipline_form list
    issuer: Mapped[str | None] = mapped_column(sa.String(200))
    decision_no: Mapped[str | None] = mapped_column(sa.String(100))
    decision_date: Mapped[dt.date | None] = mapped_column()
    effective_from: Mapped[dt.date] = mapped_column(index=True)
    # None: without end (khai trừ, đưa ra khỏi danh sách...).
    effective_until: Mapped[dt.date | None] = mapped_column()
    summary: Mapped[str | None] = mapped_column(sa.Text)

    person: Mapped[Person] = relationship(back_populates="disciplines")

    def in_force_on(self, day: dt.date) -> bool:
        return self.effective_from <= day and (
            self.effective_until is None or day <= self.effective_until)

    @classmethod
    def in_force_clause(cls, day: dt.date):
        return sa.and_(cls.effective_from <= day,
                       sa.or_(cls.effective_until.is_(None), cls.effective_until >= day))


class Activity(Audited, PersonScoped, TimestampMixin, Base):
    """One oral-propaganda session delivered; counted for per-session pay via its appointment."""

    __tablename__ = "activities"
    __table_args__ = (
        sa.CheckConstraint("audience IS NULL OR audience > 0", name="audience_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The capacity in which it was delivered (BCV tỉnh, TTV cơ sở...): it decides the rate.
    appointment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("appointments.id", ondelete="SET NULL"), index=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"), index=True)
    date: Mapped[dt.date] = mapped_column(index=True)
    topic: Mapped[str] = mapped_column(sa.String(300))
    place: Mapped[str | None] = mapped_column(sa.String(300))
    form: Mapped[DeliveryForm] = mapped_column(enum_column(DeliveryForm, 16))
    audience: Mapped[int | None] = mapped_column()
    notes: Mapped[str | None] = mapped_column(sa.Text)
    # One session given by several presenters is one row per presenter sharing this key: the
    # totals count the session and its audience once.
    session_key: Mapped[str | None] = mapped_column(sa.String(36), index=True)

    person: Mapped[Person] = relationship(back_populates="activities")
    appointment: Mapped[Appointment | None] = relationship()
    unit: Mapped[Unit] = relationship()
