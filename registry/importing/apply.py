"""Write a batch's planned rows in the caller's transaction, and take them back out (undo).

New people go in with bulk INSERTs (a statement per chunk, not per row); updates go through
the ORM so that each changed person gets its own audit entry."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session

from imports import history
from imports.terms import parse_term
from imports.text import collapse_spaces, fold_case
from models import Appointment, DatePrecision, EndReason, Gender, Person, Role, Unit
from models.base import PersonScoped, utcnow
from registry.core import access
from registry.core.dates import parse_iso_partial_date
from registry.importing.bulk import insert_rows
from registry.importing.match import LEVEL_OF, PLAIN_FIELDS
from registry.roster import name_search
from registry.roster.persons import name_keys, set_name

CHUNK = 2000


def person_values(v: dict, unit_id: int, llct: dict[str, str], now: dt.datetime) -> dict:
    """Column values of a new Person from a row's normalised (already NFC, collapsed) values."""
    dob, precision = parse_iso_partial_date(v.get("dob"))
    # A formula-looking name comes verbatim from the reader (imports.normalise): stored as read.
    row = name_keys(v["full_name"])
    row.update({
        "full_name": v["full_name"], "dob": dob, "dob_precision": precision,
        "gender": Gender.parse(v.get("gender")), "cccd": v.get("cccd") or None,
        "political_theory": llct.get(fold_case(v.get("political_theory") or "")),
        "party_member": bool(v.get("party_join_date")), "unit_id": unit_id, "version": 1,
        "created_at": now, "updated_at": now})
    for key in _NEW_PERSON_TEXT:
        row[key] = v.get(key) or None
    return row


_NEW_PERSON_TEXT = tuple(k for k in PLAIN_FIELDS[1:] + ("notes",) if k != "gender")


@dataclass
class Applied:
    """What a commit did, kept on the batch so that undo can reverse exactly that."""

    persons: list[int] = field(default_factory=list)
    appointments: list[int] = field(default_factory=list)
    updates: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"persons": self.persons, "appointments": self.appointments, "updates": self.updates}


def allocate_ids(s: Session, table: sa.Table, n: int) -> list[int]:
    """Ids for `n` new rows, so that the rows go in with one executemany and no RETURNING.

    PostgreSQL takes them from the table's sequence; on SQLite the caller's transaction already
    holds the write lock (the batch was claimed with an UPDATE), so max(id)+1… is ours alone.
    """
    if n == 0:
        return []
    if s.get_bind().dialect.name == "postgresql":
        seq = s.execute(
            sa.text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table.name}
        ).scalar()
        return list(
            s.execute(
                sa.text("SELECT nextval(CAST(:seq AS regclass)) FROM generate_series(1, :n)"),
                {"seq": seq, "n": n},
            ).scalars()
        )
    start = (s.execute(sa.select(sa.func.max(table.c.id))).scalar() or 0) + 1
    return list(range(start, start + n))


def insert_new(
    s: Session,
    rows: list[dict],
    llct: dict[str, str],
    units: dict[int, Unit],
    day: dt.date,
    applied: Applied,
) -> None:
    """`rows`: normalised values (with unit_id) of the rows planned as new."""
    for i in range(0, len(rows), CHUNK):
        chunk = rows[i : i + CHUNK]
        ids = allocate_ids(s, Person.__table__, len(chunk))
        now = utcnow()
        people = [person_values(v, v["unit_id"], llct, now) for v in chunk]
        _set_ids(people, ids)
        with name_search.bulk_insert(s, ids):
            insert_rows(s, Person.__table__, people)
        appts = [
            _appointment_values(v, pid, units[v["unit_id"]], day, now)
            for v, pid in zip(chunk, ids, strict=True)
        ]
        appts = [a for a in appts if a is not None]
        appt_ids = allocate_ids(s, Appointment.__table__, len(appts))
        _set_ids(appts, appt_ids)
        insert_rows(s, Appointment.__table__, appts)
        applied.persons += ids
        applied.appointments += appt_ids


def _set_ids(rows: list[dict], ids: list[int]) -> None:
    """In place: a copy of each of 20,000 dicts costs more than the ids themselves."""
    for row, row_id in zip(rows, ids, strict=True):
        row["id"] = row_id


def _appointment_values(
    v: dict, person_id: int, unit: Unit, day: dt.date, now: dt.datetime
) -> dict | None:
    role, level = Role.parse(v.get("role")), LEVEL_OF.get(v.get("level") or "")
    if role is None or level is None:
        return None
    start, end = history.appointment_dates(v, day)
    return {
        "person_id": person_id,
        "role": role,
        "level": level,
        "unit_id": unit.id,
        "unit_name_snapshot": unit.name,
        "start_date": start,
        "end_date": end,
        "end_reason": _end_reason(v) if end else None,
        "created_at": now,
        "updated_at": now,
    } | decision_values(v)


def decision_values(v: dict) -> dict:
    """The decision a row gives for the appointment it starts (None where it gives none)."""
    day = v.get("decision_date")
    term = v.get("term") or None
    # Spelled out: the bulk INSERT of new people's appointments skips the model's own reading.
    start, end = parse_term(term) or (None, None)
    return {
        "decision_no": v.get("decision_no") or None,
        "decision_date": dt.date.fromisoformat(day) if day else None,
        "decision_body": v.get("decision_body") or None,
        "term": term,
        "term_start": start,
        "term_end": end,
    }


_END_REASONS = {fold_case(reason.label): reason for reason in EndReason}


def _end_reason(v: dict) -> EndReason | None:
    """The reason as the export writes it (its label); other text is not a reason we know."""
    return _END_REASONS.get(fold_case(v.get("end_reason") or ""))


def apply_updates(
    s: Session,
    rows: list[tuple[int, dict, dict]],
    llct: dict[str, str],
    units: dict[int, Unit],
    day: dt.date,
    applied: Applied,
) -> None:
    """`rows`: (person_id, values, changes) of the rows planned as updates."""
    people = _load(s, Person, [pid for pid, _v, _c in rows])
    entries = []
    for pid, v, changes in rows:
        person = people[pid]
        entry = {"person_id": pid, "before": _before(person, changes), "ended": [], "started": []}
        _set_fields(person, v, changes, llct)
        # A row planned before its end date passed (preview yesterday, commit today) is history
        # by now: it must not move or re-activate anyone.
        if {"unit", "level", "role"} & changes.keys() and history.ended_on(v, day) is None:
            _move(s, person, v, units[v["unit_id"]], day, entry)
        entries.append(entry)
    s.flush()
    for entry in entries:  # versions are known only after the flush
        entry["version_after"] = people[entry["person_id"]].version
        applied.appointments += entry["started"]
    applied.updates += entries


def _load(s: Session, model, ids: list[int]) -> dict:
    # Unscoped on purpose: an undo finds the people it inserted or updated wherever they are
    # now. An update only ever names people in the uploader's scope (match.py plans a person
    # outside it as a transfer request, which writes nothing).
    out = {}
    for i in range(0, len(ids), 900):
        stmt = access.unscoped(sa.select(model).where(model.id.in_(ids[i : i + 900])))
        out.update({o.id: o for o in s.execute(stmt).scalars()})
    return out


def _before(person: Person, changes: dict) -> dict:
    keys = [k for k in changes if k in PLAIN_FIELDS or k in ("cccd", "political_theory")]
    before = {k: getattr(person, k) for k in keys}
    before = {k: (v.value if hasattr(v, "value") else v) for k, v in before.items()}
    if "dob" in changes:
        before["dob"] = person.dob.isoformat() if person.dob else None
        before["dob_precision"] = person.dob_precision.value if person.dob_precision else None
    before["unit_id"] = person.unit_id
    return before


def _set_fields(person: Person, v: dict, changes: dict, llct: dict[str, str]) -> None:
    for key in changes:
        if key == "full_name":
            set_name(person, v["full_name"])
        elif key == "gender":
            person.gender = Gender.parse(v["gender"])
        elif key == "dob":
            person.dob, person.dob_precision = parse_iso_partial_date(v["dob"])
        elif key == "political_theory":
            person.political_theory = llct.get(fold_case(v["political_theory"]))
        elif key in PLAIN_FIELDS or key == "cccd":
            setattr(person, key, collapse_spaces(str(v[key])))


def _move(s: Session, person: Person, v: dict, unit: Unit, day: dt.date, entry: dict) -> None:
    """A transfer keeps history: the old appointment of that role ends, a new one starts (on
    the row's start date, else on `day`) and the old one the day before."""
    role, level = Role(v["role"]), LEVEL_OF[v["level"]]
    start = history.appointment_dates(v, day)[0]
    # Scoped: the person is in the actor's scope (an uploader's, or a transfer's decider's),
    # so all their appointments are, wherever they were held.
    current = s.execute(
        sa.select(Appointment).where(
            Appointment.person_id == person.id, Appointment.active_on_clause(day)
        )
    ).scalars()
    for old in current:
        if old.role is role:
            old.end_date = max(old.start_date, start - dt.timedelta(days=1))
            old.end_reason = EndReason.CHUYEN_CONG_TAC
            entry["ended"].append(old.id)
    new = Appointment(
        person=person,
        role=role,
        level=level,
        unit=unit,
        unit_id=unit.id,
        unit_name_snapshot=unit.name,
        start_date=start,
        **decision_values(v),
    )
    s.add(new)
    person.unit_id = unit.id
    s.flush()
    entry["started"].append(new.id)


class UndoRefused(Exception):
    def __init__(self, names: list[str]):
        super().__init__(names)
        self.names = names


def undo(s: Session, applied: dict) -> None:
    """Remove inserted people and appointments and restore updated fields; refuse (and change
    nothing) if any of them was changed since the import."""
    people = _load(s, Person, applied["persons"] + [u["person_id"] for u in applied["updates"]])
    changed = _changed_since(s, applied, people)
    if changed:
        raise UndoRefused(changed)
    for entry in applied["updates"]:
        _restore(s, people[entry["person_id"]], entry)
    for pid in applied["persons"]:
        s.delete(people[pid])
    s.flush()


def _changed_since(s: Session, applied: dict, people: dict[int, Person]) -> list[str]:
    changed = [
        people[pid].full_name
        for pid in applied["persons"]
        if pid not in people or people[pid].version != 1
    ]
    changed += [
        people[u["person_id"]].full_name
        for u in applied["updates"]
        if u["person_id"] not in people or people[u["person_id"]].version != u["version_after"]
    ]
    ours = set(applied["appointments"])
    # Unscoped on purpose: a record added by any unit since the import refuses the undo.
    for model in _person_scoped_models():
        stmt = access.unscoped(
            sa.select(model.person_id).where(model.person_id.in_(list(applied["persons"])))
        )
        if model is Appointment:
            stmt = stmt.where(Appointment.id.not_in(list(ours) or [0]))
        changed += [people[pid].full_name for pid in set(s.execute(stmt).scalars())]
    return sorted(set(changed))


def _person_scoped_models():
    from models import Base

    return [m.class_ for m in Base.registry.mappers if issubclass(m.class_, PersonScoped)]


def _restore(s: Session, person: Person, entry: dict) -> None:
    before = dict(entry["before"])
    unit_id = before.pop("unit_id")
    for appt_id in entry["started"]:
        appt = s.get(Appointment, appt_id)
        if appt is not None:
            s.delete(appt)
    for appt_id in entry["ended"]:
        appt = s.get(Appointment, appt_id)
        if appt is not None:
            appt.end_date, appt.end_reason = None, None
    if "dob" in before:
        person.dob = dt.date.fromisoformat(before.pop("dob")) if before.get("dob") else None
        person.dob_precision = DatePrecision.parse(before.pop("dob_precision"))
    for key, value in before.items():
        if key == "full_name":
            set_name(person, value)
        elif key == "gender":
            person.gender = Gender.parse(value)
        else:
            setattr(person, key, value)
    person.unit_id = unit_id
