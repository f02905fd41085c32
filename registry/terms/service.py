"""The "hết nhiệm kỳ" list and the re-appointment of its people for the new term under one
decision. Plain functions: the views load through access and commit once."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from imports.terms import parse_term, term_problem
from models import Appointment, EndReason, Person, Role, db
from registry.core import access, reform2025
from registry.core.rules import RuleViolation
from registry.roster.query import Page
from registry.terms.rules import term_ended, term_ended_clause

DEFAULT_TERM = "2025-2030"
_MAX_NAMES = 10


@dataclass(frozen=True)
class TermFilter:
    """The list's filters, already checked: a role, and a unit the actor sees (its subtree)."""

    role: Role | None = None
    unit_id: int | None = None

    @classmethod
    def from_args(cls, args) -> TermFilter:
        """Unknown or unseen values are ignored, as the roster's filters are."""
        unit = access.visible_unit(args.get("unit"))
        return cls(Role.parse(args.get("role")), unit.id if unit is not None else None)

    def args(self, **extra) -> dict:
        values = {"role": self.role.value if self.role else "", "unit": self.unit_id or ""}
        return {k: v for k, v in (values | extra).items() if v not in ("", None, 1)}


def ended_terms(f: TermFilter, today: dt.date) -> sa.Select:
    """SELECT of the active appointments past their term, in the actor's scope (the scoping
    listener filters Appointment by its person's unit), by unit then name."""
    return (_filtered(sa.select(Appointment).join(Appointment.person), f, today)
            .options(joinedload(Appointment.person).joinedload(Person.unit),
                     joinedload(Appointment.unit))
            .order_by(Appointment.unit_name_snapshot, Person.sort_key, Appointment.id))


def ended_term_ids(f: TermFilter, today: dt.date) -> list[int]:
    """The ids the whole filter holds ("all in this filter")."""
    stmt = _filtered(sa.select(Appointment.id).join(Appointment.person), f, today)
    return list(db.session.execute(stmt.order_by(Appointment.id)).scalars())


def page_of(f: TermFilter, today: dt.date, number: int, per_page: int) -> Page:
    """One page of ended_terms() and the count of the whole list."""
    total = db.session.execute(
        _filtered(sa.select(sa.func.count(Appointment.id)).join(Appointment.person), f, today)
    ).scalar_one()
    number = min(max(1, number), max(1, -(-total // per_page)))
    items = db.session.execute(ended_terms(f, today).limit(per_page)
                               .offset((number - 1) * per_page)).scalars().all()
    return Page(list(items), total, number, per_page)


def _filtered(stmt: sa.Select, f: TermFilter, today: dt.date) -> sa.Select:
    stmt = stmt.where(term_ended_clause(today))
    if f.role is not None:
        stmt = stmt.where(Appointment.role == f.role)
    if f.unit_id is not None:
        stmt = stmt.where(access.in_subtree(Person.unit_id, access.visible_unit(f.unit_id)))
    return stmt


@dataclass(frozen=True)
class Decision:
    """The one decision that re-appoints everyone selected."""

    decision_no: str
    decision_date: dt.date
    decision_body: str
    term: str
    start_date: dt.date


def reappoint(appointments: list[Appointment], decision: Decision,
              today: dt.date) -> list[Appointment]:
    """End each appointment the day before the decision's start ("hết nhiệm kỳ") and open the
    same role, level and unit for the new term. All or nothing: any refusal changes nothing.

    :raise AccessDenied: an appointment of a person the actor may not write.
    :raise RuleViolation: nothing selected, a term without years, a start not after an old
        start, an appointment no longer past its term (ended meanwhile), a cấp huyện
        appointment for a start from 01-7-2025.
    """
    if not appointments:
        raise RuleViolation(None, "Chưa chọn bổ nhiệm nào để bổ nhiệm lại.")
    for appt in appointments:
        access.require_write(appt.person.unit)
    years = parse_term(decision.term)
    if years is None:
        raise RuleViolation("term", term_problem(decision.term))
    _check(appointments, decision, today)
    started = [_renew(appt, decision, years) for appt in appointments]
    db.session.flush()
    return started


def _check(appointments: list[Appointment], decision: Decision, today: dt.date) -> None:
    start = decision.start_date
    stale = [a for a in appointments if not term_ended(a, today)]
    if stale:
        raise RuleViolation(None, "Danh sách đã thay đổi từ khi mở trang: bổ nhiệm của "
                            f"{_names(stale)} không còn ở danh sách hết nhiệm kỳ (đã kết thúc "
                            "hoặc đã sửa). Chưa có gì được lưu; hãy tải lại trang và chọn lại.")
    # An end already decided (a future date) is not overwritten by this decision.
    planned = [a for a in appointments if a.end_date is not None]
    if planned:
        raise RuleViolation(None, f"Bổ nhiệm của {_names(planned, with_end=True)} đã có ngày "
                            "kết thúc; hãy bỏ chọn những người này. Chưa có gì được lưu.")
    early = [a for a in appointments if a.start_date >= start]
    if early:
        raise RuleViolation("start_date", f"Ngày bắt đầu {start:%d/%m/%Y} phải sau ngày bắt đầu "
                            f"của bổ nhiệm cũ: {_names(early, with_start=True)}.")
    district = [a for a in appointments
                if reform2025.level_refusal(a.level, start) is not None]
    if district:
        raise RuleViolation(None, f"Từ 01/7/2025 không còn cấp huyện: không thể bổ nhiệm lại "
                            f"{_names(district)} ở cấp huyện. Hãy bỏ chọn những người này: họ "
                            "được công nhận lại ở cấp tỉnh hoặc cấp xã qua danh sách «Cần công "
                            "nhận lại» (mục Sắp xếp đơn vị).")
    closed = [a for a in appointments if not a.unit.is_valid_on(start)]
    if closed:
        raise RuleViolation(None, f"Đơn vị của {_names(closed)} không còn hiệu lực ngày "
                            f"{start:%d/%m/%Y}; hãy sắp xếp đơn vị trước khi bổ nhiệm lại.")


def _renew(old: Appointment, decision: Decision, years: tuple[int, int]) -> Appointment:
    old.end_date = decision.start_date - dt.timedelta(days=1)
    old.end_reason = EndReason.HET_NHIEM_KY
    new = Appointment(person=old.person, role=old.role, level=old.level, unit=old.unit,
                      unit_id=old.unit_id, unit_name_snapshot=old.unit.name,
                      decision_no=decision.decision_no, decision_date=decision.decision_date,
                      decision_body=decision.decision_body, term=decision.term,
                      start_date=decision.start_date)
    new.term_start, new.term_end = years
    db.session.add(new)
    return new


def _names(appointments: list[Appointment], with_start: bool = False,
           with_end: bool = False) -> str:
    shown = [a.person.full_name + (f" (từ {a.start_date:%d/%m/%Y})" if with_start else "")
             + (f" (đến {a.end_date:%d/%m/%Y})" if with_end and a.end_date else "")
             for a in appointments[:_MAX_NAMES]]
    more = len(appointments) - len(shown)
    return ", ".join(shown) + (f" và {more} người khác" if more > 0 else "")
