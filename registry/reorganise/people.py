"""People of ended units: their appointments end "do sắp xếp tổ chức bộ máy" the day before and
start again in the default successor; their own unit follows. BCV cấp huyện keep their
appointment (the body that recognised them is gone) and wait for re-recognition."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import sqlalchemy as sa

from models import (
    Appointment,
    EndReason,
    Level,
    Person,
    Reorganisation,
    Role,
    SuccessorReview,
    Unit,
    db,
)
from registry.reorganise.successors import Ended


@dataclass
class Moves:
    appointments: list[dict] = field(default_factory=list)
    divided: list[dict] = field(default_factory=list)
    rerecognise: list[dict] = field(default_factory=list)
    replaced: dict[int, Appointment] = field(default_factory=dict)  # ended id → its successor
    touched: set[int] = field(default_factory=set)  # ended units something left


def awaits_recognition(appointment) -> bool:
    """BCV cấp huyện: no district body exists after the day to recognise them again."""
    return appointment.role is Role.BCV and appointment.level is Level.HUYEN


def move_people(ended: Ended, day: dt.date, run: Callable[[], Reorganisation]) -> Moves:
    """Move the appointments open on `day` and the people of every ended unit that has a
    default successor; `run` gives the Reorganisation row the reviews of divided communes hang
    on."""
    moves = Moves()
    ended_ids = sa.select(Unit.id).where(Unit.valid_to < day)
    open_there = sa.and_(Appointment.unit_id.in_(ended_ids),
                         sa.or_(Appointment.end_date.is_(None), Appointment.end_date >= day))
    appointments = db.session.execute(sa.select(Appointment).where(open_there).order_by(
        Appointment.person_id, Appointment.id)).scalars().all()
    people = {p.id: p for p in db.session.execute(sa.select(Person).where(sa.or_(
        Person.unit_id.in_(ended_ids),
        Person.id.in_(sa.select(Appointment.person_id).where(open_there))))).scalars()}
    landed: dict[tuple[int, int], list[Appointment]] = {}
    for old in appointments:
        target = ended.default.get(old.unit_id)
        if target is None:
            continue
        person = people[old.person_id]
        if awaits_recognition(old):
            moves.rerecognise.append({
                "person_id": person.id, "person": person.full_name, "appointment_id": old.id,
                "unit": ended.units[old.unit_id].name})
            continue
        new = _continue(old, target, day)
        moves.replaced[old.id] = new
        moves.touched.add(old.unit_id)
        landed.setdefault((person.id, old.unit_id), []).append(new)
        moves.appointments.append({
            "person_id": person.id, "person": person.full_name,
            "from": ended.units[old.unit_id].name, "to": target.name, "role": old.role.value,
            "level": old.level.value, "appointment_id": old.id})
    _move_own_units(people.values(), ended, moves, landed)
    db.session.flush()
    _review_divided(moves, ended, people, landed, run)
    return moves


def _move_own_units(people, ended: Ended, moves: Moves,
                    landed: dict[tuple[int, int], list[Appointment]]) -> None:
    """A person's own unit (which decides who sees them) follows to the default successor."""
    for person in people:
        target = ended.default.get(person.unit_id)
        if target is not None:
            landed.setdefault((person.id, person.unit_id), [])
            moves.touched.add(person.unit_id)
            person.unit = target


def _continue(old: Appointment, target: Unit, day: dt.date) -> Appointment:
    """The same membership in the successor from `day`, under the same decision and term."""
    if old.start_date >= day:
        # Opened on the abolished unit after it ended (a slip): it belongs to the successor.
        old.unit_id, old.unit_name_snapshot = target.id, target.name
        return old
    new = Appointment(
        person_id=old.person_id, unit_id=target.id, unit_name_snapshot=target.name,
        role=old.role, level=old.level, decision_no=old.decision_no,
        decision_date=old.decision_date, decision_body=old.decision_body, term=old.term,
        term_start=old.term_start, term_end=old.term_end, start_date=day,
        end_date=old.end_date, end_reason=old.end_reason if old.end_date else None)
    old.end_date, old.end_reason = day - dt.timedelta(days=1), EndReason.SAP_XEP
    db.session.add(new)
    return new


def _review_divided(moves: Moves, ended: Ended, people: dict[int, Person],
                    landed: dict[tuple[int, int], list[Appointment]],
                    run: Callable[[], Reorganisation]) -> None:
    """Whoever left a divided commune lands in its default; an officer confirms or picks."""
    for (person_id, unit_id), started in landed.items():
        if not ended.is_divided(unit_id):
            continue
        target = ended.default[unit_id]
        db.session.add(SuccessorReview(
            reorganisation_id=run().id, person_id=person_id, old_unit_id=unit_id,
            successor_id=target.id, appointment_ids=[a.id for a in started]))
        moves.divided.append({
            "person_id": person_id, "person": people[person_id].full_name,
            "from": ended.units[unit_id].name, "to": target.name,
            "choices": [u.name for u in ended.successors[unit_id]]})
