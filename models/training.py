"""Training: courses (bồi dưỡng, tập huấn, hội nghị báo cáo viên, hội thi) and who attended them."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Audited, Base, PersonScoped, TimestampMixin, UnitShared
from .enums import CourseKind, DeliveryForm, OrgLevel, TrainingResult, enum_column

if TYPE_CHECKING:
    from .person import Person
    from .unit import Unit


class Course(Audited, UnitShared, TimestampMixin, Base):
    """A course organised by a unit; visible to that unit's subtree and to the units below it."""

    __tablename__ = "courses"
    __table_args__ = (
        sa.CheckConstraint("end_date >= start_date", name="end_after_start"),
        sa.CheckConstraint("hours IS NULL OR hours > 0", name="hours_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(300))
    kind: Mapped[CourseKind] = mapped_column(enum_column(CourseKind, 16), index=True)
    level: Mapped[OrgLevel] = mapped_column(enum_column(OrgLevel, 16))
    # The body as the certificate names it ("Ban Tuyên giáo và Dân vận Tỉnh ủy"); the unit owns it.
    organiser: Mapped[str | None] = mapped_column(sa.String(200))
    start_date: Mapped[dt.date] = mapped_column(index=True)
    end_date: Mapped[dt.date] = mapped_column()
    place: Mapped[str | None] = mapped_column(sa.String(300))
    form: Mapped[DeliveryForm] = mapped_column(enum_column(DeliveryForm, 16))
    hours: Mapped[int | None] = mapped_column()
    note: Mapped[str | None] = mapped_column(sa.Text)

    unit: Mapped[Unit] = relationship()
    attendances: Mapped[list[Attendance]] = relationship(back_populates="course")


class Attendance(Audited, PersonScoped, TimestampMixin, Base):
    """One person at one course, with the result and certificate number."""

    __tablename__ = "attendances"
    __table_args__ = (
        sa.UniqueConstraint("course_id", "person_id", name="uq_attendances_course_person"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("courses.id"), index=True)
    result: Mapped[TrainingResult | None] = mapped_column(enum_column(TrainingResult, 20))
    certificate_no: Mapped[str | None] = mapped_column(sa.String(100))
    note: Mapped[str | None] = mapped_column(sa.String(300))

    course: Mapped[Course] = relationship(back_populates="attendances")
    person: Mapped[Person] = relationship(back_populates="attendances")

    @property
    def completed(self) -> bool:
        return self.result is not None and self.result.completed
