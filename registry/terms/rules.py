"""When an appointment is "hết nhiệm kỳ": still active, its term's end year already past."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from models import Appointment, Person

LABEL = "Hết nhiệm kỳ"


def term_ended(appointment: Appointment, today: dt.date) -> bool:
    """Active on `today` while its term ended in an earlier year. A term ending this year is
    not ended yet (a congress may sit late in the year); an unreadable term is never flagged."""
    end = appointment.term_end
    return end is not None and end < today.year and appointment.is_active_on(today)


def term_ended_clause(today: dt.date) -> sa.ColumnElement[bool]:
    """term_ended() as SQL, for lists (a NULL term_end compares to nothing: never flagged)."""
    return sa.and_(Appointment.term_end < today.year, Appointment.active_on_clause(today))


def has_ended_term(person: Person, day: dt.date | None = None) -> bool:
    """Whether any of the person's appointments is term_ended() on `day` (today if None)."""
    day = day or dt.date.today()
    return any(term_ended(a, day) for a in person.appointments)
