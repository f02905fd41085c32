"""Roster operations on persons and their appointments; callers commit."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from imports.text import collapse_spaces, name_sort_key, without_diacritics
from models import Appointment, Attendance, EndReason, Level, Person, Unit, db
from registry.core import access, reform2025
from registry.core.attrs import apply_fields
from registry.core.rules import RuleViolation, StaleEdit

# What a person's page needs beyond one query per kind of record: the course of each
# attendance (else a query per row). Units and appointments that activities and payments name
# are mostly the person's own, already loaded; eager-loading every collection costs more than
# it saves for the many people with few records (measured: +2.5 ms a page).
PAGE_LOADS = (
    joinedload(Person.unit),
    selectinload(Person.appointments).joinedload(Appointment.unit),
    selectinload(Person.attendances).joinedload(Attendance.course),
)


# Copied as given (text cleaned); full_name goes through set_name, for the keys it derives.
PERSON_FIELDS = (
    "dob", "dob_precision", "gender", "ethnicity", "religion", "hometown", "cccd",
    "party_member", "party_join_date", "position", "workplace", "education", "professional",
    "political_theory", "state_management", "it_level", "foreign_language",
    "minority_languages", "phone", "email", "notes",
)


def name_keys(full_name: str) -> dict[str, str]:
    """A person's name as stored and the keys derived from it, by column: the only place they
    are computed (forms, imports and bulk inserts alike)."""
    name = collapse_spaces(full_name)
    folded = name.casefold()  # fold_case(name), the name being collapsed: once for two keys
    return {
        "full_name": name,
        "search_key": without_diacritics(folded),  # what a search without diacritics finds
        "name_folded": folded,  # diacritics kept: ranks exact matches, matches imports
        "sort_key": name_sort_key(name),
    }


def set_name(person: Person, full_name: str) -> None:
    """Set the name and the keys derived from it."""
    for column, value in name_keys(full_name).items():
        setattr(person, column, value)


def _check_cccd_free(cccd: str | None, person_id: int | None) -> None:
    if not cccd:
        return
    # Uniqueness is province-wide, so look beyond the actor's scope (without revealing who).
    stmt = access.unscoped(sa.select(Person.id).where(Person.cccd == cccd))
    other = db.session.execute(stmt).scalar_one_or_none()
    if other is not None and other != person_id:
        raise RuleViolation("cccd", "Số CCCD này đã có trong hồ sơ của một người khác.")


def _apply(person: Person, data: dict) -> None:
    apply_fields(person, data, PERSON_FIELDS)
    if "full_name" in data:
        set_name(person, data["full_name"] or "")
    if not person.party_member:
        person.party_join_date = None


def create_person(data: dict, unit: Unit) -> Person:
    access.require_write(unit)
    _check_cccd_free(data.get("cccd"), None)
    person = Person(unit=unit, unit_id=unit.id)
    _apply(person, data)
    db.session.add(person)
    db.session.flush()
    return person


def update_person(person: Person, data: dict, *, expected_version: int,
                  unit: Unit | None = None) -> Person:
    """Save edits unless someone saved the person since `expected_version` was read."""
    access.require_write(person.unit)
    if person.version != expected_version:
        raise StaleEdit
    if unit is not None and unit.id != person.unit_id:
        access.require_write(unit)
        person.unit = unit
    _check_cccd_free(data.get("cccd"), person.id)
    _apply(person, data)
    db.session.flush()
    return person


def delete_person(person: Person) -> None:
    """Delete a person with their records; refused once money was paid to them."""
    access.require_write(person.unit)
    if any(p.paid_date is not None for p in person.payments):
        raise RuleViolation(None, "Không thể xóa hồ sơ đã có khoản chi trả đã chi; "
                                  "hãy kết thúc bổ nhiệm thay vì xóa.")
    db.session.delete(person)
    db.session.flush()


def _check_level(level: Level | None, start: dt.date) -> None:
    if (refusal := reform2025.level_refusal(level, start)) is not None:
        raise RuleViolation("level", refusal)


def _check_dates(start: dt.date, end: dt.date | None) -> None:
    if end is not None and end < start:
        raise RuleViolation("end_date", "Ngày kết thúc không được trước ngày bắt đầu.")


def add_appointment(person: Person, data: dict, unit: Unit) -> Appointment:
    access.require_write(person.unit)
    access.require_write(unit)
    _check_dates(data["start_date"], data.get("end_date"))
    if data.get("end_date") and not data.get("end_reason"):
        raise RuleViolation("end_reason", "Vui lòng chọn lý do kết thúc.")
    _check_level(data.get("level"), data["start_date"])
    appt = Appointment(person=person, unit=unit, unit_id=unit.id, unit_name_snapshot=unit.name,
                       **{k: data.get(k) for k in APPOINTMENT_FIELDS})
    db.session.add(appt)
    _refresh_home_unit(person, appt)
    db.session.flush()
    return appt


APPOINTMENT_FIELDS = ("role", "level", "decision_no", "decision_date", "decision_body", "term",
                      "start_date", "end_date", "end_reason")


def update_appointment(appt: Appointment, data: dict, unit: Unit) -> Appointment:
    access.require_write(appt.person.unit)
    access.require_write(unit)
    _check_dates(data["start_date"], data.get("end_date"))
    if (data.get("level", appt.level), data["start_date"]) != (appt.level, appt.start_date):
        # Unchanged, it may stay: the reorganisation restarts cấp huyện appointments on
        # 01-7-2025 for re-recognition, and they must remain editable until ended.
        _check_level(data.get("level", appt.level), data["start_date"])
    for key in APPOINTMENT_FIELDS:
        if key in data:
            setattr(appt, key, data[key] or None)
    if appt.unit_id != unit.id:
        appt.unit, appt.unit_name_snapshot = unit, unit.name
    db.session.flush()
    return appt


def end_appointment(appt: Appointment, end_date: dt.date, reason: EndReason, *,
                    decision_no: str | None = None,
                    decision_date: dt.date | None = None) -> Appointment:
    """End an appointment with its reason and, when known, the decision that ended it; the
    history row stays."""
    access.require_write(appt.person.unit)
    if appt.end_date is not None:
        raise RuleViolation(None, "Bổ nhiệm này đã kết thúc trước đó.")
    _check_dates(appt.start_date, end_date)
    if decision_date is not None and decision_date < appt.start_date:
        raise RuleViolation("end_decision_date",
                            "Ngày quyết định kết thúc không được trước ngày bắt đầu bổ nhiệm.")
    appt.end_date, appt.end_reason = end_date, reason
    appt.end_decision_no, appt.end_decision_date = decision_no, decision_date
    db.session.flush()
    return appt


def _refresh_home_unit(person: Person, appt: Appointment) -> None:
    """A person belongs to the unit of their newest active appointment."""
    if appt.end_date is None and (person.unit_id is None or appt.unit_id != person.unit_id):
        person.unit = appt.unit


def transfer(person: Person, new_unit: Unit, day: dt.date, reason: EndReason) -> list[Appointment]:
    """End every active appointment on the day before `day` and start it again in `new_unit`."""
    access.require_write(new_unit)
    started = []
    for old in person.active_appointments(day):
        old.end_date, old.end_reason = day - dt.timedelta(days=1), reason
        if old.end_date < old.start_date:
            old.end_date = old.start_date
        new = Appointment(person=person, unit=new_unit, unit_id=new_unit.id,
                          unit_name_snapshot=new_unit.name, role=old.role, level=old.level,
                          decision_no=old.decision_no, decision_date=old.decision_date,
                          decision_body=old.decision_body, term=old.term, start_date=day)
        db.session.add(new)
        started.append(new)
    person.unit = new_unit
    db.session.flush()
    return started
