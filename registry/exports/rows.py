"""The rows of a roster export: exactly the people the roster list holds with its filters and the
user's scope (all pages, through registry.roster.query), one row per person and appointment.

Which appointments: those matching the list's role and level filters; with status "active"
(the default) only those active on the list's date, with "ended" or "all" the ended ones too.
A person without any matching appointment gets one row without appointment.

Two ways to load them:
- `stream`: the roster query itself, joined to the appointments, read as one streamed query
  (chunks of ids when the eligibility filters decide in Python): the complete layout's rows in
  roster order, memory holding one batch of rows at a time.
- `RosterRows`: the ordered ids and all their appointments first, then the people chunk by chunk
  in any order the document needs (the trích ngang layout groups them by unit; lists).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from models import Appointment, Level, Person, Role, db
from registry import refdata
from registry.roster.query import RosterFilter, build_query, filtered_ids

CHUNK = 1000
PERSON_COLS = (Person.id, Person.full_name, Person.dob, Person.dob_precision, Person.gender,
               Person.ethnicity, Person.religion, Person.hometown, Person.cccd, Person.party_member,
               Person.party_join_date, Person.position, Person.workplace, Person.education,
               Person.professional, Person.political_theory, Person.state_management,
               Person.it_level, Person.foreign_language, Person.minority_languages, Person.phone,
               Person.email, Person.notes, Person.unit_id)
APPT_COLS = (Appointment.person_id, Appointment.id, Appointment.role, Appointment.level,
             Appointment.unit_id, Appointment.decision_no, Appointment.decision_date,
             Appointment.decision_body, Appointment.term, Appointment.start_date,
             Appointment.end_date, Appointment.end_reason)
STREAM_BATCH = 2000
# The appointment joined to the roster query: an alias, since the roster's own filters look at
# appointments in correlated subqueries (scoping covers aliases too).
_JOINED = aliased(Appointment, name="export_appointment")
# Its columns in a joined row, prefixed "a_" (a_id is None: no appointment).
JOINED_APPT = tuple(getattr(_JOINED, c.key).label(f"a_{c.key}") for c in APPT_COLS[1:])


def _appointment_filter(role: Role | None, level: Level | None, active_only: bool,
                        day: dt.date, appt=Appointment) -> list:
    conds = []
    if role is not None:
        conds.append(appt.role == role)
    if level is not None:
        conds.append(appt.level == level)
    if active_only:
        conds.append(appt.active_on_clause(day) if appt is Appointment else sa.and_(
            appt.start_date <= day, sa.or_(appt.end_date.is_(None), appt.end_date >= day)))
    return conds


def stream(f: RosterFilter, day: dt.date | None = None) -> Iterator:
    """Joined rows (person columns, then the appointment's as a_*) of the roster list of `f`:
    people in roster order, each person's appointments current first, then the latest."""
    day = day or f.day or dt.date.today()
    a = _JOINED
    conds = _appointment_filter(Role.parse(f.role), Level.parse(f.level), f.status == "active",
                                day, a)
    join = sa.and_(a.person_id == Person.id, *conds)
    active = sa.and_(a.start_date <= day, sa.or_(a.end_date.is_(None), a.end_date >= day))
    current_first = (sa.case((active, 0), else_=1), a.start_date.desc(), a.id)
    if not f.post_filtered:
        stmt = (build_query(f, day).with_only_columns(*PERSON_COLS, *JOINED_APPT)
                .outerjoin(a, join).order_by(*current_first))
        yield from db.session.execute(stmt.execution_options(yield_per=STREAM_BATCH))
        return
    ids = filtered_ids(f, day)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        position = {pid: i for i, pid in enumerate(chunk)}
        stmt = (sa.select(*PERSON_COLS, *JOINED_APPT).where(Person.id.in_(chunk))
                .outerjoin(a, join).order_by(*current_first))
        yield from sorted(db.session.execute(stmt), key=lambda r: position[r.id])


@dataclass(frozen=True)
class Names:
    """Reference names the documents print instead of codes."""

    llct: dict[str, str]
    state_management: dict[str, str]

    @classmethod
    def load(cls) -> Names:
        return cls(refdata.names("political_theory"), refdata.names("state_management"))


class RosterRows:
    """(person, appointment) pairs in the order of `ids`: each person's appointments of `role`
    and `level` (any when None), only those active on `day` when `active_only`."""

    def __init__(self, ids: list[int], day: dt.date, *, role: Role | None = None,
                 level: Level | None = None, active_only: bool = True, first_only: bool = False):
        self.day, self.ids = day, ids
        self.appointments = self._appointments(role, level, active_only)
        self.pairs: list[tuple[int, object | None]] = [
            (pid, appt) for pid in self.ids
            for appt in (self.appointments.get(pid) or [None])[:1 if first_only else None]]

    @classmethod
    def for_filter(cls, f: RosterFilter, day: dt.date | None = None) -> RosterRows:
        """Exactly the roster list of `f` (all pages), as the user's scope sees it."""
        day = day or f.day or dt.date.today()
        return cls(filtered_ids(f, day), day, role=Role.parse(f.role), level=Level.parse(f.level),
                   active_only=f.status == "active")

    def __len__(self) -> int:
        return len(self.pairs)

    def _appointments(self, role, level, active_only: bool) -> dict[int, list]:
        day = self.day
        conds = _appointment_filter(role, level, active_only, day)
        found: dict[int, list] = {}
        for start in range(0, len(self.ids), CHUNK):
            stmt = sa.select(*APPT_COLS).where(
                Appointment.person_id.in_(self.ids[start:start + CHUNK]), *conds)
            for row in db.session.execute(stmt):
                found.setdefault(row.person_id, []).append(row)
        for rows in found.values():  # current first, then the latest start
            rows.sort(key=lambda a: (not _active(a, day), -a.start_date.toordinal(), a.id))
        return found

    def iter_people(self, pairs=None) -> Iterator[tuple[object, object | None]]:
        """(person row, appointment row or None) in the pairs' order, people loaded by chunk."""
        pairs = self.pairs if pairs is None else pairs
        for start in range(0, len(pairs), CHUNK):
            chunk = pairs[start:start + CHUNK]
            people = {p.id: p for p in db.session.execute(sa.select(*PERSON_COLS).where(
                Person.id.in_({pid for pid, _a in chunk})))}
            for pid, appt in chunk:
                person = people.get(pid)
                if person is not None:
                    yield person, appt


def _active(a, day: dt.date) -> bool:
    return a.start_date <= day and (a.end_date is None or day <= a.end_date)
