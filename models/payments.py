"""Regimes: rates that change over time (province-wide) and the payments made to each person."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Audited, Base, PersonScoped, TimestampMixin
from .enums import Level, PaymentKind, Role, enum_column

if TYPE_CHECKING:
    from .appointment import Appointment
    from .person import Person
    from .unit import Unit


class Rate(Audited, TimestampMixin, Base):
    """An amount for a role, level and kind, valid over a period, by a basis document."""

    __tablename__ = "rates"
    __table_args__ = (
        sa.CheckConstraint("amount > 0", name="amount_positive"),
        sa.CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="to_after_from"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    role: Mapped[Role] = mapped_column(enum_column(Role, 8))
    level: Mapped[Level] = mapped_column(enum_column(Level, 16))
    kind: Mapped[PaymentKind] = mapped_column(enum_column(PaymentKind, 16))
    amount: Mapped[int] = mapped_column(sa.BigInteger)
    valid_from: Mapped[dt.date] = mapped_column()
    valid_to: Mapped[dt.date | None] = mapped_column()
    basis: Mapped[str | None] = mapped_column(sa.String(300))
    note: Mapped[str | None] = mapped_column(sa.String(300))

    def is_valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class Payment(Audited, PersonScoped, TimestampMixin, Base):
    """What a person is paid for one month and kind; `generated` rows come from the rates."""

    __tablename__ = "payments"
    __table_args__ = (
        # "Lập chi trả" twice for the same month finds its rows here instead of adding new ones.
        sa.UniqueConstraint("appointment_id", "period", "kind",
                            name="uq_payments_appointment_period_kind"),
        sa.CheckConstraint("amount > 0", name="amount_positive"),
        sa.CheckConstraint("sessions IS NULL OR sessions > 0", name="sessions_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The paying unit: the appointment's unit for generated rows; the payment sheet groups by it.
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"), index=True)
    appointment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("appointments.id", ondelete="SET NULL"), index=True)
    period: Mapped[dt.date] = mapped_column(index=True)  # first day of the month
    kind: Mapped[PaymentKind] = mapped_column(enum_column(PaymentKind, 16))
    amount: Mapped[int] = mapped_column(sa.BigInteger)
    sessions: Mapped[int | None] = mapped_column()
    rate_id: Mapped[int | None] = mapped_column(sa.ForeignKey("rates.id"), index=True)
    basis: Mapped[str | None] = mapped_column(sa.String(300))
    paid_date: Mapped[dt.date | None] = mapped_column()
    note: Mapped[str | None] = mapped_column(sa.String(300))
    generated: Mapped[bool] = mapped_column(default=False)

    person: Mapped[Person] = relationship(back_populates="payments")
    unit: Mapped[Unit] = relationship()
    appointment: Mapped[Appointment | None] = relationship()
    rate: Mapped[Rate | None] = relationship()
