"""A person on the roster (BCV or TTV), with the keys that search and sort need."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Audited, Base, TimestampMixin, UnitScoped
from .enums import DatePrecision, Gender, enum_column

if TYPE_CHECKING:
    from .appointment import Appointment
    from .attachment import Attachment
    from .conference import ConferenceAttendance
    from .documents import Distribution
    from .evaluation import Evaluation
    from .payments import Payment
    from .records import Activity, Commendation, Discipline
    from .training import Attendance
    from .unit import Unit


class Person(Audited, UnitScoped, TimestampMixin, Base):
    __tablename__ = "persons"
    __table_args__ = (sa.UniqueConstraint("cccd", name="uq_persons_cccd"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(sa.String(200))
    # Derived from full_name by registry.roster.persons.name_keys whenever it changes.
    search_key: Mapped[str] = mapped_column(
        sa.String(200)
    )  # matched with LIKE %…%: no b-tree helps
    name_folded: Mapped[str] = mapped_column(sa.String(200))
    sort_key: Mapped[str] = mapped_column(sa.String(800), index=True)
    dob: Mapped[dt.date | None] = mapped_column()
    dob_precision: Mapped[DatePrecision | None] = mapped_column(enum_column(DatePrecision, 8))
    gender: Mapped[Gender | None] = mapped_column(enum_column(Gender, 8))
    ethnicity: Mapped[str | None] = mapped_column(sa.String(60))
    religion: Mapped[str | None] = mapped_column(sa.String(100))
    hometown: Mapped[str | None] = mapped_column(sa.String(300))  # quê quán
    cccd: Mapped[str | None] = mapped_column(sa.String(12))
    party_member: Mapped[bool] = mapped_column(default=False)
    party_join_date: Mapped[dt.date | None] = mapped_column()
    position: Mapped[str | None] = mapped_column(sa.String(300))
    workplace: Mapped[str | None] = mapped_column(sa.String(300))
    education: Mapped[str | None] = mapped_column(sa.String(60))
    professional: Mapped[str | None] = mapped_column(sa.String(200))
    political_theory: Mapped[str | None] = mapped_column(sa.String(60))
    state_management: Mapped[str | None] = mapped_column(sa.String(100))
    it_level: Mapped[str | None] = mapped_column(sa.String(100))
    foreign_language: Mapped[str | None] = mapped_column(sa.String(100))
    minority_languages: Mapped[str | None] = mapped_column(sa.String(200))
    phone: Mapped[str | None] = mapped_column(sa.String(40))
    email: Mapped[str | None] = mapped_column(sa.String(200))
    notes: Mapped[str | None] = mapped_column(sa.Text)
    version: Mapped[int] = mapped_column(default=1)

    unit: Mapped[Unit] = relationship()
    appointments: Mapped[list[Appointment]] = relationship(
        back_populates="person",
        order_by="(Appointment.start_date.desc(), Appointment.id.desc())",
        cascade="all, delete-orphan",
    )
    # The person's records go with the person, through the ORM so that the audit log sees them.
    attendances: Mapped[list[Attendance]] = relationship(
        back_populates="person", cascade="all, delete-orphan"
    )
    payments: Mapped[list[Payment]] = relationship(
        back_populates="person", order_by="Payment.period.desc()", cascade="all, delete-orphan"
    )
    commendations: Mapped[list[Commendation]] = relationship(
        back_populates="person", order_by="Commendation.year.desc()", cascade="all, delete-orphan"
    )
    disciplines: Mapped[list[Discipline]] = relationship(
        back_populates="person",
        order_by="Discipline.effective_from.desc()",
        cascade="all, delete-orphan",
    )
    activities: Mapped[list[Activity]] = relationship(
        back_populates="person", order_by="Activity.date.desc()", cascade="all, delete-orphan"
    )

    distributions: Mapped[list[Distribution]] = relationship(
        back_populates="person", cascade="all, delete-orphan")
    conference_attendances: Mapped[list[ConferenceAttendance]] = relationship(
        back_populates="person", cascade="all, delete-orphan")
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="person", order_by="Attachment.id", cascade="all, delete-orphan")
    evaluations: Mapped[list[Evaluation]] = relationship(
        back_populates="person", order_by="Evaluation.year.desc()", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}

    def active_appointments(self, on: dt.date | None = None) -> list[Appointment]:
        day = on or dt.date.today()
        return [a for a in self.appointments if a.is_active_on(day)]

    def __repr__(self) -> str:
        return f"<Person {self.id} {self.full_name}>"
