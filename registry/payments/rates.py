"""Rates: an amount per role, level and kind, valid over a period, by a basis document.

Rates are province-wide (a Tỉnh ủy conclusion, an HĐND resolution): every user reads them, only
admins set them, and the periods of one role, level and kind never overlap, so exactly one rate
is valid on any date.
"""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from models import Appointment, Payment, PaymentKind, Rate, db
from registry.core import access
from registry.core.attrs import apply_fields
from registry.core.rules import RuleViolation
from registry.core.templating import vn_money

RATE_FIELDS = ("role", "level", "kind", "amount", "valid_from", "valid_to", "basis", "note")


def _check_rate(data: dict, rate_id: int | None) -> None:
    if not isinstance(data.get("amount"), int) or data["amount"] <= 0:
        raise RuleViolation("amount", "Số tiền phải là số nguyên dương (đồng).")
    if data.get("valid_to") and data["valid_to"] < data["valid_from"]:
        raise RuleViolation("valid_to", "Ngày hết hiệu lực không được trước ngày bắt đầu.")
    far = dt.date.max
    for other in db.session.execute(sa.select(Rate).where(
            Rate.role == data["role"], Rate.level == data["level"], Rate.kind == data["kind"],
            Rate.id != (rate_id or 0))).scalars():
        if other.valid_from <= (data.get("valid_to") or far) and \
                data["valid_from"] <= (other.valid_to or far):
            until = f"{other.valid_to:%d/%m/%Y}" if other.valid_to else "nay"
            raise RuleViolation("valid_from", (
                f"Trùng thời gian với mức {vn_money(other.amount)} áp dụng từ "
                f"{other.valid_from:%d/%m/%Y} đến {until}; hãy cho mức cũ hết hiệu lực trước."))


def save_rate(rate: Rate | None, data: dict) -> Rate:
    """Create (rate None) or change a rate; rates are province-wide and only admins set them."""
    access.require_admin()
    _check_rate(data, rate.id if rate else None)
    if rate is None:
        rate = Rate()
        db.session.add(rate)
    apply_fields(rate, data, RATE_FIELDS)
    db.session.flush()
    return rate


def delete_rate(rate: Rate) -> None:
    access.require_admin()
    # Unscoped on purpose: a rate is the province's, so a payment anywhere keeps it.
    used = db.session.execute(access.unscoped(
        sa.select(sa.func.count(Payment.id)).where(Payment.rate_id == rate.id))).scalar_one()
    if used:
        raise RuleViolation(None, f"Mức này đã dùng cho {used} khoản chi trả nên không xóa được; "
                                  "hãy nhập ngày hết hiệu lực thay vì xóa.")
    db.session.delete(rate)
    db.session.flush()


def rate_on(rates: list[Rate], appt: Appointment, kind: PaymentKind, day: dt.date) -> Rate | None:
    return next((r for r in rates if r.role is appt.role and r.level is appt.level
                 and r.kind is kind and r.is_valid_on(day)), None)
