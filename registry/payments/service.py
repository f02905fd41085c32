"""Payments: "Lập chi trả tháng M" for a unit (plan, then apply) and the payment sheet.

A plan is computed from the data every time, so "Lập chi trả" twice finds the rows it made the
first time (one per appointment, month and kind) and adds nothing; a rate or session count that
changed since shows as a difference on that row instead of a second row.
- Monthly kinds (phụ cấp hằng tháng, hỗ trợ): every appointment in the unit's subtree active on
  some day of the month, at the rate valid on its first active day of that month. No pro rata.
- Per session (thù lao mỗi buổi): the month's logged sessions delivered under an appointment in
  the subtree, each at the rate valid on the session's date.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

import sqlalchemy as sa

from models import Activity, Appointment, Payment, PaymentKind, Person, Rate, Unit, db
from registry.core import access
from registry.core.attrs import apply_fields
from registry.core.dates import month_bounds
from registry.core.rules import RuleViolation
from registry.payments.rates import rate_on

MONTHLY = (PaymentKind.PHU_CAP_THANG, PaymentKind.HO_TRO)


# The plan -----------------------------------------------------------------------------------

NEW, SAME, CHANGED, PAID, ELSEWHERE = "new", "same", "changed", "paid_changed", "elsewhere"
STATUS_LABELS = {NEW: "Mới", SAME: "Đã có, không đổi", CHANGED: "Chênh lệch (sẽ cập nhật)",
                 PAID: "Chênh lệch (đã chi, không tự sửa)",
                 ELSEWHERE: "Đã lập ở đơn vị khác (không đổi)"}


@dataclass
class Line:
    appointment: Appointment
    kind: PaymentKind
    amount: int
    sessions: int | None
    rate: Rate | None
    basis: str | None
    existing: Payment | None = None
    elsewhere: bool = False  # the existing row belongs to a unit outside this run

    @property
    def status(self) -> str:
        if self.existing is None:
            return NEW
        if self.elsewhere:
            return ELSEWHERE
        if (self.existing.amount, self.existing.sessions) == (self.amount, self.sessions):
            return SAME
        return PAID if self.existing.paid_date else CHANGED

    @property
    def difference(self) -> int:
        return self.amount - (self.existing.amount if self.existing else 0)


@dataclass
class Plan:
    unit: Unit
    period: dt.date
    lines: list[Line] = field(default_factory=list)
    no_rate: list[tuple[Appointment, PaymentKind, int]] = field(default_factory=list)
    stale: list[Payment] = field(default_factory=list)  # generated earlier, no basis any more

    def by_status(self, status: str) -> list[Line]:
        return [ln for ln in self.lines if ln.status == status]

    @property
    def token(self) -> str:
        """A fingerprint of what applying would do: confirming a changed plan is refused."""
        parts = sorted(f"{ln.appointment.id}:{ln.kind.value}:{ln.amount}:{ln.sessions}:"
                       f"{ln.existing.id if ln.existing else ''}" for ln in self.lines)
        head = f"{self.unit.id}:{self.period:%Y-%m}|"
        return hashlib.sha256((head + "|".join(parts)).encode()).hexdigest()[:32]

    @property
    def total(self) -> int:
        return sum(ln.amount for ln in self.lines)


def plan_month(unit: Unit, period: dt.date) -> Plan:
    """What "Lập chi trả" would create or change for `unit`'s subtree in the month of `period`."""
    access.require_write(unit)
    first, last = month_bounds(period)
    if first > dt.date.today():
        raise RuleViolation("month", "Chưa thể lập chi trả cho tháng chưa đến.")
    plan = Plan(unit, first)
    rates = list(db.session.execute(sa.select(Rate).order_by(Rate.valid_from)).scalars())
    appts = list(db.session.execute(
        sa.select(Appointment).join(Appointment.person)
        .where(access.in_subtree(Appointment.unit_id, unit), Appointment.start_date <= last,
               sa.or_(Appointment.end_date.is_(None), Appointment.end_date >= first))
        .order_by(Person.sort_key, Appointment.id)).scalars())
    for appt in appts:
        day = max(first, appt.start_date)
        for kind in MONTHLY:
            rate = rate_on(rates, appt, kind, day)
            if rate is not None:
                plan.lines.append(Line(appt, kind, rate.amount, None, rate, rate.basis))
    _plan_sessions(plan, rates, first, last)
    plan.lines = _one_per_role(plan.lines)
    _match_existing(plan)
    kinds = list(PaymentKind)
    plan.lines.sort(key=lambda ln: (ln.appointment.person.sort_key, ln.appointment.person_id,
                                    ln.appointment.id, kinds.index(ln.kind)))
    return plan


def _plan_sessions(plan: Plan, rates: list[Rate], first: dt.date, last: dt.date) -> None:
    sessions = db.session.execute(
        sa.select(Activity).join(Activity.appointment)
        .where(access.in_subtree(Appointment.unit_id, plan.unit),
               Activity.date.between(first, last))
        .order_by(Activity.date, Activity.id)).scalars()
    per_appt: dict[int, list[Activity]] = {}
    for act in sessions:
        per_appt.setdefault(act.appointment_id, []).append(act)
    for acts in per_appt.values():
        appt = acts[0].appointment
        paid = [(a, rate_on(rates, appt, PaymentKind.THU_LAO_BUOI, a.date)) for a in acts]
        priced = [(a, r) for a, r in paid if r is not None]
        if len(priced) < len(paid):
            plan.no_rate.append((appt, PaymentKind.THU_LAO_BUOI, len(paid) - len(priced)))
        if priced:
            used = list(dict.fromkeys(r for _a, r in priced))
            basis = "; ".join(dict.fromkeys(r.basis for r in used if r.basis)) or None
            amount = sum(r.amount for _a, r in priced)
            plan.lines.append(Line(appt, PaymentKind.THU_LAO_BUOI, amount, len(priced), used[-1],
                                   basis))


def _key(appt: Appointment, kind: PaymentKind) -> tuple:
    return appt.person_id, appt.role, appt.level, kind


def _one_per_role(lines: list[Line]) -> list[Line]:
    """One line per person, role, level and kind. A person whose appointment restarted within
    the month (a transfer, a merger of units) holds two appointments of the same role and
    level: the allowance is paid once and the sessions add up, booked on the newer one."""
    merged: dict[tuple, Line] = {}
    for ln in lines:
        key = _key(ln.appointment, ln.kind)
        have = merged.get(key)
        if have is None:
            merged[key] = ln
            continue
        newer = ln if ln.appointment.start_date >= have.appointment.start_date else have
        if ln.kind is PaymentKind.THU_LAO_BUOI:
            basis = "; ".join(dict.fromkeys(b for b in (have.basis, ln.basis) if b)) or None
            newer = Line(newer.appointment, ln.kind, have.amount + ln.amount,
                         (have.sessions or 0) + (ln.sessions or 0), newer.rate, basis)
        merged[key] = newer
    return list(merged.values())


def _match_existing(plan: Plan) -> None:
    """Find the rows an earlier run made: by person, role, level and kind, whichever unit's run
    made them, so that nobody is paid twice for the same month."""
    people = {ln.appointment.person_id for ln in plan.lines}
    existing = db.session.execute(sa.select(Payment).where(
        Payment.period == plan.period, Payment.appointment_id.is_not(None),
        sa.or_(Payment.person_id.in_(people),
               sa.and_(Payment.generated.is_(True),
                       access.in_subtree(Payment.unit_id, plan.unit)))
    ).order_by(Payment.id)).scalars().all()
    found: dict[tuple, Payment] = {}
    for p in existing:
        found.setdefault(_key(p.appointment, p.kind), p)
    matched = set()
    for ln in plan.lines:
        ln.existing = found.get(_key(ln.appointment, ln.kind))
        if ln.existing is not None:
            matched.add(ln.existing.id)
            ln.elsewhere = not ln.existing.unit.path.startswith(plan.unit.path)
    plan.stale = [p for p in existing if p.generated and p.id not in matched
                  and p.unit.path.startswith(plan.unit.path)]


def apply_plan(plan: Plan) -> dict[str, int]:
    """Create the new rows and update unpaid rows whose amount changed; paid rows stay as are."""
    access.require_write(plan.unit)
    counts = dict.fromkeys(STATUS_LABELS, 0)
    for ln in plan.lines:
        status = ln.status
        counts[status] += 1
        if status == NEW:
            db.session.add(Payment(
                person=ln.appointment.person, unit_id=ln.appointment.unit_id,
                appointment=ln.appointment, period=plan.period, kind=ln.kind, amount=ln.amount,
                sessions=ln.sessions, rate=ln.rate, basis=ln.basis, generated=True))
        elif status == CHANGED:
            p = ln.existing
            p.amount, p.sessions, p.rate, p.basis = ln.amount, ln.sessions, ln.rate, ln.basis
    db.session.flush()
    return counts


# Payments by hand, paying, the sheet --------------------------------------------------------

PAYMENT_FIELDS = ("kind", "amount", "sessions", "basis", "paid_date", "note")


def _check_payment(data: dict) -> None:
    if not isinstance(data.get("amount"), int) or data["amount"] <= 0:
        raise RuleViolation("amount", "Số tiền phải là số nguyên dương (đồng).")
    if data.get("sessions") is not None and data["sessions"] <= 0:
        raise RuleViolation("sessions", "Số buổi phải là số nguyên dương.")
    if data.get("paid_date") and data["paid_date"] > dt.date.today():
        raise RuleViolation("paid_date", "Ngày chi không được ở tương lai.")


def add_payment(person: Person, data: dict, unit: Unit) -> Payment:
    access.require_write(person.unit)
    access.require_write(unit)
    _check_payment(data)
    period = data["period"].replace(day=1)
    payment = Payment(person=person, unit=unit, unit_id=unit.id, period=period, generated=False)
    apply_fields(payment, data, PAYMENT_FIELDS)
    db.session.add(payment)
    db.session.flush()
    return payment


def update_payment(payment: Payment, data: dict) -> Payment:
    access.require_write(payment.person.unit)
    _check_payment({**data, "kind": payment.kind})
    apply_fields(payment, data, ("amount", "sessions", "basis", "paid_date", "note"))
    db.session.flush()
    return payment


def delete_payment(payment: Payment) -> None:
    access.require_write(payment.person.unit)
    if payment.paid_date is not None:
        raise RuleViolation(None, "Khoản này đã chi nên không xóa được; hãy sửa nếu có sai sót.")
    db.session.delete(payment)
    db.session.flush()


def sheet_payments(unit: Unit, period: dt.date) -> list[Payment]:
    stmt = (sa.select(Payment).join(Payment.person)
            .where(Payment.period == period.replace(day=1),
                   access.in_subtree(Payment.unit_id, unit))
            .order_by(Person.sort_key, Person.id, Payment.kind))
    return list(db.session.execute(stmt).scalars())


def mark_paid(unit: Unit, period: dt.date, paid_date: dt.date) -> int:
    """Set the paid date on every unpaid payment of the sheet; returns how many."""
    access.require_write(unit)
    if paid_date > dt.date.today():
        raise RuleViolation("paid_date", "Ngày chi không được ở tương lai.")
    n = 0
    for p in sheet_payments(unit, period):
        if p.paid_date is None and access.unit_in_scope(p.person.unit):
            p.paid_date = paid_date
            n += 1
    db.session.flush()
    return n


@dataclass
class SheetRow:
    person: Person
    roles: list[str]
    units: list[str]
    amounts: dict[PaymentKind, int] = field(default_factory=dict)
    sessions: int = 0
    paid_dates: list[dt.date] = field(default_factory=list)
    unpaid: int = 0
    session_rates: list[int] = field(default_factory=list)  # per-session rates applied

    @property
    def total(self) -> int:
        return sum(self.amounts.values())


def sheet(unit: Unit, period: dt.date) -> list[SheetRow]:
    """The bảng kê: one row per person with the month's amounts by kind."""
    rows: dict[int, SheetRow] = {}
    for p in sheet_payments(unit, period):
        row = rows.setdefault(p.person_id, SheetRow(p.person, [], []))
        row.amounts[p.kind] = row.amounts.get(p.kind, 0) + p.amount
        row.sessions += p.sessions or 0
        if p.kind is PaymentKind.THU_LAO_BUOI and p.sessions:
            rate = p.rate.amount if p.rate else p.amount // p.sessions
            if rate not in row.session_rates:
                row.session_rates.append(rate)
        role = f"{p.appointment.role.value} {p.appointment.level.phrase}" if p.appointment else None
        for bucket, value in ((row.roles, role), (row.units, p.unit.name)):
            if value and value not in bucket:
                bucket.append(value)
        if p.paid_date is None:
            row.unpaid += 1
        elif p.paid_date not in row.paid_dates:
            row.paid_dates.append(p.paid_date)
    return list(rows.values())
