"""What a reorganisation run leaves to people: the successor of each person of a divided commune,
the BCV cấp huyện to re-recognise (there is no cấp huyện after the reorganisation), and the
accounts still attached to abolished units. Plain functions; the views commit."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from imports.terms import parse_term, term_problem
from models import (
    Activity,
    Appointment,
    EndReason,
    Level,
    Payment,
    Person,
    Reorganisation,
    SuccessorReview,
    Unit,
    UnitKind,
    User,
    db,
)
from models.base import utcnow
from registry.auth.users import end_sessions
from registry.core import access
from registry.core.audit import current_actor, security_event
from registry.core.rules import RuleViolation
from registry.reorganise.service import REFORM_DAY, default_successor

DEFAULT_TERM = "2025-2030"


# Divided communes -------------------------------------------------------------------------

def pending_reviews() -> list[SuccessorReview]:
    """Reviews not yet decided, of the people the actor sees (PersonScoped scoping)."""
    stmt = (sa.select(SuccessorReview).join(SuccessorReview.person)
            .where(SuccessorReview.decided_at.is_(None))
            .options(joinedload(SuccessorReview.person).joinedload(Person.unit),
                     joinedload(SuccessorReview.successor),
                     joinedload(SuccessorReview.old_unit).selectinload(Unit.successors))
            .order_by(Person.sort_key, SuccessorReview.id))
    return list(db.session.execute(stmt).unique().scalars())


def choices(review: SuccessorReview) -> list[Unit]:
    """The units the old commune was divided among, the run's pick first."""
    return sorted(review.old_unit.successors,
                  key=lambda u: (u.id != review.successor_id, u.name))


def decide_review(review: SuccessorReview, successor: Unit) -> SuccessorReview:
    """Settle where a person of a divided commune belongs. Another successor than the run's
    takes the appointments the run opened, the person, and their records dated from the run's
    day. Moving someone into another successor gives that unit a person: as with a transfer, only
    an actor who may write both units does it (the admin); an officer confirms or asks.

    :raise AccessDenied: the actor may not write the person.
    :raise RuleViolation: already decided, `successor` is not one of the choices, or it lies
        outside the actor's scope.
    """
    access.require_write(review.person.unit)
    if review.decided_at is not None:
        raise RuleViolation(None, f"{review.person.full_name}: đơn vị kế thừa đã được xác nhận "
                                  f"trước đó ({review.successor.name}).")
    if successor.id not in {u.id for u in review.old_unit.successors}:
        names = ", ".join(u.name for u in choices(review))
        raise RuleViolation("successor", f"«{successor.name}» không phải đơn vị kế thừa của "
                                         f"«{review.old_unit.name}»; chọn một trong: {names}.")
    if successor.id != review.successor_id:
        if not access.unit_in_scope(successor):
            raise RuleViolation("successor", f"{review.person.full_name}: «{successor.name}» "
                                             "nằm ngoài đơn vị của bạn; quản trị tỉnh chuyển "
                                             "người này sang đó.")
        _move_to(review, successor)
    review.decided_at, review.decided_by = utcnow(), current_actor().name
    db.session.flush()
    return review


def _move_to(review: SuccessorReview, successor: Unit) -> None:
    old_id = review.successor_id
    for appt in review.appointments:
        if appt.unit_id == old_id:
            appt.unit, appt.unit_name_snapshot = successor, successor.name
    person = review.person
    if person.unit_id == old_id:
        person.unit = successor
    since = db.session.get(Reorganisation, review.reorganisation_id).day
    for model, day_col in ((Activity, Activity.date), (Payment, Payment.period)):
        db.session.execute(sa.update(model).where(
            model.person_id == person.id, model.unit_id == old_id, day_col >= since)
            .values(unit_id=successor.id).execution_options(synchronize_session="fetch"))
    review.successor = successor


def confirm_defaults(reviews: list[SuccessorReview]) -> int:
    """Keep the run's pick for each review; returns how many were confirmed."""
    for review in reviews:
        decide_review(review, review.successor)
    return len(reviews)


# BCV cấp huyện ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Decision:
    """The one decision a bulk re-recognition is made under."""

    number: str
    date: dt.date
    body: str
    start: dt.date
    term: str = DEFAULT_TERM


def rerecognition_list(today: dt.date | None = None) -> list[Appointment]:
    """Appointments still active at cấp huyện on `today` (none before the two-level day)."""
    today = today or dt.date.today()
    if today < REFORM_DAY:
        return []
    stmt = (sa.select(Appointment).join(Appointment.person)
            .where(Appointment.level == Level.HUYEN, Appointment.active_on_clause(today))
            .options(joinedload(Appointment.person).joinedload(Person.unit),
                     joinedload(Appointment.unit))
            .order_by(Person.sort_key, Appointment.id))
    return list(db.session.execute(stmt).unique().scalars())


def province_root(day: dt.date) -> Unit | None:
    """The province (a root unit of kind tỉnh) valid on `day`."""
    return db.session.execute(sa.select(Unit).where(
        Unit.parent_id.is_(None), Unit.kind == UnitKind.TINH,
        sa.or_(Unit.valid_from.is_(None), Unit.valid_from <= day),
        sa.or_(Unit.valid_to.is_(None), Unit.valid_to >= day)).order_by(Unit.id)).scalars().first()


def end_huyen(appointments: list[Appointment], decision: Decision) -> int:
    """End each appointment the day before the decision's start, "do sắp xếp tổ chức bộ máy"."""
    _check_batch(appointments, decision)
    _end(appointments, decision.start)
    return len(appointments)


def reappoint(appointments: list[Appointment], decision: Decision,
              unit: Unit | None = None) -> list[Appointment]:
    """Re-appoint at cấp tỉnh (no `unit`: the province) or at cấp cơ sở in commune `unit`,
    under one decision: each old appointment ends the day before, a new one opens.

    :raise RuleViolation: nothing selected, a bad date or term, a unit that is not a current
        commune, or an appointment no longer active at cấp huyện (nothing is changed).
    """
    years = _check_batch(appointments, decision)
    target, level = _target(unit, decision.start)
    _end(appointments, decision.start)
    opened = []
    for old in appointments:
        new = Appointment(person=old.person, role=old.role, level=level, unit=target,
                          unit_name_snapshot=target.name, decision_no=decision.number,
                          decision_date=decision.date, decision_body=decision.body,
                          term=decision.term, term_start=years[0], term_end=years[1],
                          start_date=decision.start)
        db.session.add(new)
        old.person.unit = target
        opened.append(new)
    db.session.flush()
    return opened


def _end(appointments: list[Appointment], start: dt.date) -> None:
    for appt in appointments:
        appt.end_date, appt.end_reason = start - dt.timedelta(days=1), EndReason.SAP_XEP
    db.session.flush()


def _target(unit: Unit | None, start: dt.date) -> tuple[Unit, Level]:
    if unit is None:
        root = province_root(start)
        if root is None:
            raise RuleViolation("start_date", "Không tìm thấy tỉnh còn hiệu lực vào ngày bắt đầu.")
        return root, Level.TINH
    access.require_write(unit)
    if unit.kind is not UnitKind.XA or not unit.is_valid_on(start):
        raise RuleViolation("unit_id", f"«{unit.name}» không phải xã, phường, đặc khu còn hiệu "
                                       "lực vào ngày bắt đầu.")
    return unit, Level.CO_SO


def _check_batch(appointments: list[Appointment], decision: Decision) -> tuple[int, int]:
    access.require_admin()
    if not appointments:
        raise RuleViolation(None, "Chưa chọn người nào.")
    if decision.start < REFORM_DAY:
        raise RuleViolation("start_date", "Ngày bắt đầu phải từ 01/07/2025 trở đi (từ ngày đó "
                                          "không còn cấp huyện).")
    years = parse_term(decision.term)
    if years is None:
        raise RuleViolation("term", term_problem(decision.term))
    stale = [a.person.full_name for a in appointments
             if a.level is not Level.HUYEN or a.end_date is not None]
    if stale:
        raise RuleViolation(None, "Không còn là BCV cấp huyện đang hoạt động (có thể vừa được "
                                  f"người khác xử lý; chưa thay đổi gì): {', '.join(stale)}. "
                                  "Hãy tải lại danh sách.")
    early = [a.person.full_name for a in appointments if a.start_date >= decision.start]
    if early:
        raise RuleViolation("start_date", "Ngày bắt đầu phải sau ngày bắt đầu của bổ nhiệm cấp "
                                          f"huyện đang giữ: {', '.join(early)}.")
    return years


# Accounts ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class OrphanAccount:
    user: User
    successor: Unit | None  # the unit's default successor, if it has one
    province: Unit | None


def orphan_accounts(today: dt.date | None = None) -> list[OrphanAccount]:
    """Accounts whose unit is not valid on `today`, with the units they can move to."""
    access.require_admin()
    today = today or dt.date.today()
    users = db.session.execute(
        sa.select(User).join(User.unit).where(sa.or_(Unit.valid_to < today,
                                                     Unit.valid_from > today))
        .options(joinedload(User.unit).selectinload(Unit.successors)).order_by(User.username)
    ).scalars().all()
    root = province_root(today)
    return [OrphanAccount(u, _valid(default_successor(u.unit), today), root) for u in users]


def _valid(unit: Unit | None, day: dt.date) -> Unit | None:
    return unit if unit is not None and unit.is_valid_on(day) else None


def move_account(user: User, unit: Unit, today: dt.date | None = None) -> User:
    """Attach an account of an abolished unit to a current one (admins only). What the user may
    see changes, so their sessions end, as for any change of unit (registry/accounts).

    :raise RuleViolation: the account's unit is still valid, or `unit` is not.
    """
    access.require_admin()
    today = today or dt.date.today()
    if user.unit.is_valid_on(today):
        raise RuleViolation(None, f"Tài khoản {user.username} đã thuộc đơn vị còn hiệu lực "
                                  f"({user.unit.name}); không chuyển.")
    if not unit.is_valid_on(today):
        raise RuleViolation(None, f"Đơn vị «{unit.name}» đã hết hiệu lực; chọn đơn vị khác.")
    old = user.unit.name
    user.unit = unit
    end_sessions(user)
    db.session.flush()
    security_event(db.session, "account_changed", {
        "user_id": user.id, "username": user.username, "change": "move", "from": old,
        "unit": unit.name})
    return user


def load_selected(model, ids: list[int], *options) -> list | None:
    """The rows of `model` with these ids the actor sees, in the order given; None when one of
    them is unknown or out of sight (the caller answers 404)."""
    rows = db.session.execute(sa.select(model).where(model.id.in_(ids)).options(*options)) \
        .unique().scalars().all()
    by_id = {r.id: r for r in rows}
    if len(by_id) != len(set(ids)):
        return None
    return [by_id[i] for i in dict.fromkeys(ids)]
