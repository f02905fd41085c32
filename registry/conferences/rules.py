"""The rules of BCV conferences as plain functions: who was expected at a conference, who may be
recorded as attending from a connection point, and each BCV's yearly tally of missed conferences.

A BCV is expected at a conference when, on its date, they hold an active BCV appointment whose
unit is the organiser's unit or a unit below it; missed = expected − attended."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import aliased, joinedload

from models import (
    Appointment,
    Conference,
    ConferenceAttendance,
    ConferencePoint,
    Person,
    Role,
    Unit,
    db,
)
from registry.core import access


@dataclass(frozen=True)
class Tally:
    """One BCV's conferences of a year."""

    person: Person
    expected: int
    attended: int
    missed: int


def _bcv_on(day) -> sa.ColumnElement[bool]:
    """An appointment as BCV active on `day` (a date or a date column)."""
    return sa.and_(Appointment.role == Role.BCV, Appointment.start_date <= day,
                   sa.or_(Appointment.end_date.is_(None), Appointment.end_date >= day))


def expected_pairs(start: dt.date, end: dt.date, people: sa.Select) -> set[tuple[int, int]]:
    """(person id, conference id) of every conference between `start` and `end` at which a
    person of `people` (a SELECT of ids) was expected."""
    organiser, held = aliased(Unit), aliased(Unit)
    stmt = (sa.select(Appointment.person_id, Conference.id).distinct()
            .select_from(Conference)
            .join(organiser, organiser.id == Conference.unit_id)
            .join(Appointment, _bcv_on(Conference.date))
            .join(held, held.id == Appointment.unit_id)
            .where(held.path.startswith(organiser.path),
                   Conference.date.between(start, end),
                   Appointment.person_id.in_(people)))
    return {(p, c) for p, c in db.session.execute(stmt)}


def attended_pairs(start: dt.date, end: dt.date, people: sa.Select) -> set[tuple[int, int]]:
    stmt = (sa.select(ConferenceAttendance.person_id, ConferenceAttendance.conference_id)
            .join(ConferenceAttendance.conference)
            .where(Conference.date.between(start, end),
                   ConferenceAttendance.person_id.in_(people)))
    return {(p, c) for p, c in db.session.execute(stmt)}


def _by_person(pairs: set[tuple[int, int]]) -> defaultdict[int, set[int]]:
    out: defaultdict[int, set[int]] = defaultdict(set)
    for person_id, conference_id in pairs:
        out[person_id].add(conference_id)
    return out


def bcv_of_year(year: int, unit: Unit | None = None) -> sa.Select:
    """SELECT of the ids of the people (in the actor's scope, in `unit`'s subtree when given)
    who were BCV at some time in `year`."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    stmt = (sa.select(Appointment.person_id).where(
        Appointment.role == Role.BCV, Appointment.start_date <= end,
        sa.or_(Appointment.end_date.is_(None), Appointment.end_date >= start)))
    if unit is not None:
        stmt = stmt.join(Person, Person.id == Appointment.person_id) \
            .where(access.in_subtree(Person.unit_id, unit))
    return stmt


def yearly_tally(year: int, unit: Unit | None = None,
                 people: sa.Select | None = None) -> list[Tally]:
    """Each BCV of the year (or each of `people`) with expected / attended / missed, the most
    missed first."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    ids = people if people is not None else bcv_of_year(year, unit)
    expected = expected_pairs(start, end, ids)
    attended = attended_pairs(start, end, ids)
    persons = db.session.execute(sa.select(Person).where(Person.id.in_(ids))
                                 .options(joinedload(Person.unit))).scalars().all()
    exp, att = _by_person(expected), _by_person(attended)
    rows = [Tally(p, len(exp[p.id]), len(att[p.id]), len(exp[p.id] - att[p.id]))
            for p in persons]
    rows.sort(key=lambda t: (-t.missed, t.person.sort_key, t.person.id))
    return rows


def missed_this_year(person: Person, today: dt.date | None = None) -> Tally | None:
    """The person's tally of this year, or None when they were not BCV this year."""
    year = (today or dt.date.today()).year
    ids = bcv_of_year(year).where(Appointment.person_id == person.id)
    rows = yearly_tally(year, people=ids)
    return rows[0] if rows else None


def eligible_people(point: ConferencePoint) -> sa.Select:
    """SELECT of the people who may be recorded at `point`: active BCV on the conference's date
    whose appointment is at the point's unit or below it, in roster order."""
    held = aliased(Unit)
    bcv = (sa.select(Appointment.person_id)
           .join(held, held.id == Appointment.unit_id)
           .where(_bcv_on(point.conference.date), held.path.startswith(point.unit.path)))
    return sa.select(Person).where(Person.id.in_(bcv)).order_by(Person.sort_key, Person.id)


def is_eligible(person: Person, point: ConferencePoint) -> bool:
    """Whether `person` is an active BCV of the point's subtree on the conference's date."""
    day, path = point.conference.date, point.unit.path
    return any(a.role is Role.BCV and a.is_active_on(day) and a.unit.path.startswith(path)
               for a in person.appointments)
