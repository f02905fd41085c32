"""Conferences, their connection points and attendance: the writes, each checked here."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from models import (
    Conference,
    ConferenceAttendance,
    ConferencePoint,
    DeliveryForm,
    Person,
    Unit,
    db,
)
from registry.conferences import rules
from registry.core import access
from registry.core.attrs import apply_fields
from registry.core.rules import RuleViolation

CONFERENCE_FIELDS = ("date", "end_date", "topic", "presenter", "level", "form", "organiser",
                     "hours", "note")
POINT_TAKEN = "Đơn vị này đã có điểm cầu trong hội nghị; mỗi đơn vị chỉ một điểm cầu."
ONE_POINT = ("Hội nghị trực tiếp thường chỉ có một điểm cầu; "
             "nếu hội nghị có nhiều điểm cầu, hãy sửa hình thức thành trực tuyến.")


def _check_conference(data: dict) -> None:
    if data.get("end_date") and data.get("date") and data["end_date"] < data["date"]:
        raise RuleViolation("end_date", "Ngày kết thúc không được trước ngày khai mạc.")
    if data.get("hours") is not None and data["hours"] <= 0:
        raise RuleViolation("hours", "Số giờ phải là số nguyên dương.")


def create_conference(data: dict, unit: Unit, place: str | None = None) -> Conference:
    """A conference of `unit`; with a `place`, its first connection point at `unit` itself."""
    access.require_write(unit)
    _check_conference(data)
    conf = Conference(unit=unit, unit_id=unit.id)
    apply_fields(conf, data, CONFERENCE_FIELDS, multiline=("note",))
    db.session.add(conf)
    if place and place.strip():
        db.session.add(ConferencePoint(conference=conf, unit=unit, unit_id=unit.id,
                                       place=place.strip()[:300]))
    db.session.flush()
    return conf


def update_conference(conf: Conference, data: dict, unit: Unit | None = None) -> Conference:
    access.require_write(conf.unit)
    _check_conference(data)
    if unit is not None and unit.id != conf.unit_id:
        access.require_write(unit)
        outside = [p.unit.name for p in all_points(conf) if not p.unit.path.startswith(unit.path)]
        if outside:
            raise RuleViolation("unit_id", "Các điểm cầu phải thuộc đơn vị tổ chức hoặc cấp "
                                           f"dưới; không thuộc {unit.name}: {', '.join(outside)}.")
        conf.unit, conf.unit_id = unit, unit.id
    apply_fields(conf, data, CONFERENCE_FIELDS, multiline=("note",))
    db.session.flush()
    return conf


def all_points(conf: Conference) -> list[ConferencePoint]:
    """Every point of the conference, including those of units outside the actor's scope."""
    # Unscoped on purpose: an organiser's unit change must keep every point below it, and the
    # organiser's writers see their whole subtree anyway.
    return list(db.session.execute(access.unscoped(
        sa.select(ConferencePoint).where(ConferencePoint.conference_id == conf.id))).scalars())


def totals(conference_ids: list[int]) -> dict[int, tuple[int, int]]:
    """conference id -> (connection points, attendances), counted over every unit."""
    # Unscoped on purpose: the counts name no one, and a commune sees how far the province's
    # conference reached.
    points = dict(db.session.execute(access.unscoped(
        sa.select(ConferencePoint.conference_id, sa.func.count(ConferencePoint.id))
        .where(ConferencePoint.conference_id.in_(conference_ids))
        .group_by(ConferencePoint.conference_id))).all())
    came = dict(db.session.execute(access.unscoped(
        sa.select(ConferenceAttendance.conference_id, sa.func.count(ConferenceAttendance.id))
        .where(ConferenceAttendance.conference_id.in_(conference_ids))
        .group_by(ConferenceAttendance.conference_id))).all())
    return {i: (points.get(i, 0), came.get(i, 0)) for i in conference_ids}


def delete_conference(conf: Conference) -> None:
    access.require_write(conf.unit)
    came = totals([conf.id])[conf.id][1]
    if came:
        raise RuleViolation(None, f"Không thể xóa hội nghị đã ghi {came} người dự; "
                                  "hãy bỏ danh sách người dự trước.")
    db.session.delete(conf)
    db.session.flush()


# Connection points ------------------------------------------------------------------------

def may_edit_point(point: ConferencePoint) -> bool:
    """Writers of the organiser's unit edit every point; writers of the point's unit their own
    point's place and participants (a commune on the province's conference)."""
    return any(_writes(u) for u in (point.conference.unit, point.unit))


def may_manage_points(conf: Conference) -> bool:
    """Adding, moving and deleting points is the organiser's."""
    return _writes(conf.unit)


def _writes(unit: Unit) -> bool:
    try:
        access.require_write(unit)
    except access.AccessDenied:
        return False
    return True


def _check_point_unit(conf: Conference, unit: Unit, point: ConferencePoint | None = None) -> None:
    access.require_write(unit)
    if not unit.path.startswith(conf.unit.path):
        raise RuleViolation("unit_id", f"Điểm cầu phải là {conf.unit.name} hoặc một đơn vị "
                                       "cấp dưới của đơn vị tổ chức.")
    taken = db.session.execute(sa.select(ConferencePoint.id).where(
        ConferencePoint.conference_id == conf.id, ConferencePoint.unit_id == unit.id,
        ConferencePoint.id != (point.id if point else 0))).first()
    if taken:
        raise RuleViolation("unit_id", POINT_TAKEN)


def add_point(conf: Conference, unit: Unit, data: dict) -> ConferencePoint:
    if not may_manage_points(conf):
        raise access.AccessDenied
    _check_point_unit(conf, unit)
    point = ConferencePoint(conference=conf, unit=unit, unit_id=unit.id)
    apply_fields(point, data, ("place", "participants"))
    db.session.add(point)
    db.session.flush()
    return point


def update_point(point: ConferencePoint, data: dict, unit: Unit | None = None) -> ConferencePoint:
    if not may_edit_point(point):
        raise access.AccessDenied
    if unit is not None and unit.id != point.unit_id:
        if not may_manage_points(point.conference):
            raise access.AccessDenied
        _check_point_unit(point.conference, unit, point)
        point.unit, point.unit_id = unit, unit.id
    apply_fields(point, data, ("place", "participants"))
    db.session.flush()
    return point


def point_attendances(point: ConferencePoint) -> int:
    return db.session.execute(sa.select(sa.func.count(ConferenceAttendance.id)).where(
        ConferenceAttendance.point_id == point.id)).scalar_one()


def delete_point(point: ConferencePoint) -> None:
    if not may_manage_points(point.conference):
        raise access.AccessDenied
    came = point_attendances(point)
    if came:
        raise RuleViolation(None, f"Điểm cầu {point.unit.name} đã ghi {came} người dự; "
                                  "hãy bỏ họ khỏi danh sách trước khi xóa điểm cầu.")
    db.session.delete(point)
    db.session.flush()


# Attendance --------------------------------------------------------------------------------

def record_attendance(point: ConferencePoint, people: list[Person],
                      today: dt.date | None = None) -> int:
    """Record `people` at `point`, all or none: each must be writable by the actor, an active
    BCV of the point's subtree on the conference's date, and not yet recorded at it."""
    conf = point.conference
    if conf.date > (today or dt.date.today()):
        raise RuleViolation(None, "Hội nghị chưa diễn ra nên chưa thể ghi người dự.")
    present = recorded_people(conf)
    for person in people:
        _check_attendee(person, point, present)
        present.add(person.id)
    for person in people:
        db.session.add(ConferenceAttendance(conference=conf, point=point, person=person))
    db.session.flush()
    return len(people)


def _check_attendee(person: Person, point: ConferencePoint, present: set[int]) -> None:
    access.require_write(person.unit)
    day = point.conference.date
    if not rules.is_eligible(person, point):
        raise RuleViolation(None, f"{person.full_name} không phải báo cáo viên đang hoạt động "
                                  f"thuộc {point.unit.name} vào ngày {day:%d/%m/%Y}; "
                                  "chưa ghi ai.")
    if person.id in present:
        raise RuleViolation(None, f"{person.full_name} đã được ghi dự hội nghị này; chưa ghi ai.")


def recorded_people(conf: Conference) -> set[int]:
    """Ids of the people (in the actor's scope) recorded at the conference, at any point."""
    return set(db.session.execute(sa.select(ConferenceAttendance.person_id).where(
        ConferenceAttendance.conference_id == conf.id)).scalars())


def delete_attendance(att: ConferenceAttendance) -> None:
    access.require_write(att.person.unit)
    db.session.delete(att)
    db.session.flush()


def visible_attendances(conf: Conference) -> list[ConferenceAttendance]:
    """The conference's attendance rows the actor may see, by point then roster order."""
    stmt = (sa.select(ConferenceAttendance).join(ConferenceAttendance.person)
            .where(ConferenceAttendance.conference_id == conf.id)
            .order_by(ConferenceAttendance.point_id, Person.sort_key, Person.id))
    return list(db.session.execute(stmt).scalars())


def visible_points(conf: Conference) -> list[ConferencePoint]:
    stmt = (sa.select(ConferencePoint).join(ConferencePoint.unit)
            .where(ConferencePoint.conference_id == conf.id).order_by(Unit.path))
    return list(db.session.execute(stmt).scalars())


def person_attendances(person: Person) -> list[ConferenceAttendance]:
    stmt = (sa.select(ConferenceAttendance).join(ConferenceAttendance.conference)
            .where(ConferenceAttendance.person_id == person.id)
            .order_by(Conference.date.desc()))
    return list(db.session.execute(stmt).scalars())


def too_many_points(conf: Conference) -> bool:
    """A trực tiếp conference with more than one point: allowed, but worth a second look."""
    return conf.form is DeliveryForm.TRUC_TIEP and totals([conf.id])[conf.id][0] > 1
