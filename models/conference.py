"""BCV conferences (Hội nghị báo cáo viên): their connection points and who attended where."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Audited, Base, PersonScoped, TimestampMixin, UnitScoped, UnitShared
from .enums import DeliveryForm, OrgLevel, enum_column

if TYPE_CHECKING:
    from .person import Person
    from .unit import Unit


class Conference(Audited, UnitShared, TimestampMixin, Base):
    """A conference organised by a unit; open to the units below it, like a course."""

    __tablename__ = "conferences"
    __table_args__ = (
        sa.CheckConstraint("end_date IS NULL OR end_date >= date", name="end_after_start"),
        sa.CheckConstraint("hours IS NULL OR hours > 0", name="hours_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    date: Mapped[dt.date] = mapped_column(index=True)
    end_date: Mapped[dt.date | None] = mapped_column()  # a conference over several days
    topic: Mapped[str] = mapped_column(sa.String(300))
    presenter: Mapped[str | None] = mapped_column(sa.String(200))
    level: Mapped[OrgLevel] = mapped_column(enum_column(OrgLevel, 16))
    form: Mapped[DeliveryForm] = mapped_column(enum_column(DeliveryForm, 16))
    organiser: Mapped[str | None] = mapped_column(sa.String(200))
    hours: Mapped[int | None] = mapped_column()
    note: Mapped[str | None] = mapped_column(sa.Text)
    # The training course it was recorded as before conferences had their own table.
    former_course_id: Mapped[int | None] = mapped_column()

    unit: Mapped[Unit] = relationship()
    points: Mapped[list[ConferencePoint]] = relationship(
        back_populates="conference", cascade="all, delete-orphan", order_by="ConferencePoint.id")
    attendances: Mapped[list[ConferenceAttendance]] = relationship(
        back_populates="conference", cascade="all, delete-orphan")


class ConferencePoint(Audited, UnitScoped, TimestampMixin, Base):
    """A connection point (điểm cầu): seen by its own unit's subtree, the organiser's too
    through the conference."""

    __tablename__ = "conference_points"
    __table_args__ = (
        sa.UniqueConstraint("conference_id", "unit_id", name="uq_conference_points_conf_unit"),
        sa.CheckConstraint("participants IS NULL OR participants >= 0",
                           name="participants_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(
        sa.ForeignKey("conferences.id", ondelete="CASCADE"), index=True)
    place: Mapped[str | None] = mapped_column(sa.String(300))
    participants: Mapped[int | None] = mapped_column()

    conference: Mapped[Conference] = relationship(back_populates="points")
    unit: Mapped[Unit] = relationship()


class ConferenceAttendance(Audited, PersonScoped, TimestampMixin, Base):
    """One BCV at one conference, at the point they attended from."""

    __tablename__ = "conference_attendances"
    __table_args__ = (
        sa.UniqueConstraint("conference_id", "person_id", name="uq_conference_attendances_conf"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(
        sa.ForeignKey("conferences.id", ondelete="CASCADE"), index=True)
    point_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("conference_points.id", ondelete="SET NULL"), index=True)
    note: Mapped[str | None] = mapped_column(sa.String(500))

    conference: Mapped[Conference] = relationship(back_populates="attendances")
    point: Mapped[ConferencePoint | None] = relationship()
    person: Mapped[Person] = relationship(back_populates="conference_attendances")
