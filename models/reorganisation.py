"""A run of the 2025 reorganisation over a registry's data, and the choices it leaves to people:
which successor a person of a divided commune lands in."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Audited, Base, PersonScoped, TimestampMixin

if TYPE_CHECKING:
    from .appointment import Appointment
    from .person import Person
    from .unit import Unit


class Reorganisation(Audited, TimestampMixin, Base):
    """One applied run: the day the new structure starts and what it changed (the same lists
    its dry run printed), kept for the page that shows it and for re-runs to find."""

    __tablename__ = "reorganisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[dt.date] = mapped_column(index=True)
    province: Mapped[str] = mapped_column(sa.String(200))
    actor: Mapped[str] = mapped_column(sa.String(120))
    summary: Mapped[dict] = mapped_column(sa.JSON, default=dict)


class SuccessorReview(Audited, PersonScoped, TimestampMixin, Base):
    """A person moved out of a commune divided among several successors: the run put them in the
    default one (`successor_id`); an officer confirms it or picks another."""

    __tablename__ = "successor_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    reorganisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("reorganisations.id", ondelete="CASCADE"), index=True)
    old_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"))
    successor_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"))
    # The appointments the run opened in the successor: a different pick moves them.
    appointment_ids: Mapped[list] = mapped_column(sa.JSON, default=list)
    decided_at: Mapped[dt.datetime | None] = mapped_column(index=True)
    decided_by: Mapped[str | None] = mapped_column(sa.String(120))

    person: Mapped[Person] = relationship()
    old_unit: Mapped[Unit] = relationship(foreign_keys=[old_unit_id])
    successor: Mapped[Unit] = relationship(foreign_keys=[successor_id])

    @property
    def appointments(self) -> list[Appointment]:
        return [a for a in self.person.appointments if a.id in set(self.appointment_ids or ())]


class ReorganiseJob(TimestampMixin, Base):
    """A preview or a run asked for in the web, carried out by the job worker: a registry of
    tens of thousands of people takes longer than a web request may. The page reads its state
    and, once done, its summary, from here (never from a worker's memory)."""

    __tablename__ = "reorganise_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[dt.date] = mapped_column()
    dry_run: Mapped[bool] = mapped_column()
    actor: Mapped[str] = mapped_column(sa.String(120))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    state: Mapped[str] = mapped_column(sa.String(12), index=True)  # queued|running|done|failed
    summary: Mapped[dict | None] = mapped_column(sa.JSON)
    error: Mapped[str | None] = mapped_column(sa.Text)
    finished_at: Mapped[dt.datetime | None] = mapped_column()
