"""People whose appointment carries a term, for the terms tests."""
from __future__ import annotations

import datetime as dt

from models import Appointment, Level, Person, Role, db

TODAY = dt.date(2026, 12, 6)


def with_term(make, name: str, unit: str, term: str | None = "2020-2025", *,
              role: Role = Role.TTV, level: Level = Level.CO_SO,
              start: dt.date = dt.date(2021, 3, 1), **fields) -> Person:
    """A person whose one appointment (active, from `start`) carries `term` as written."""
    person = make.person(name, unit, role=role, level=level, start=start, **fields)
    person.appointments[0].term = term
    db.session.commit()
    return person


def appointment(person: Person) -> Appointment:
    [appt] = person.appointments
    return appt
