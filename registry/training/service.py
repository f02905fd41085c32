"""Courses and attendance: create, edit and delete courses; add attendees in bulk; results."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from models import Attendance, Course, Person, TrainingResult, Unit, db
from registry.core import access
from registry.core.attrs import apply_fields
from registry.core.rules import RuleViolation

COURSE_FIELDS = ("name", "kind", "level", "organiser", "start_date", "end_date", "place", "form",
                 "hours", "note")


def _check_course(data: dict) -> None:
    if data.get("end_date") and data.get("start_date") and data["end_date"] < data["start_date"]:
        raise RuleViolation("end_date", "Ngày kết thúc không được trước ngày bắt đầu.")
    if data.get("hours") is not None and data["hours"] <= 0:
        raise RuleViolation("hours", "Số giờ phải là số nguyên dương.")


def create_course(data: dict, unit: Unit) -> Course:
    access.require_write(unit)
    data = {**data, "end_date": data.get("end_date") or data.get("start_date")}
    _check_course(data)
    course = Course(unit=unit, unit_id=unit.id)
    apply_fields(course, data, COURSE_FIELDS, multiline=("note",))
    db.session.add(course)
    db.session.flush()
    return course


def update_course(course: Course, data: dict, unit: Unit | None = None) -> Course:
    access.require_write(course.unit)
    data = {**data, "end_date": data.get("end_date") or data.get("start_date")}
    _check_course(data)
    if unit is not None and unit.id != course.unit_id:
        access.require_write(unit)
        course.unit = unit
    apply_fields(course, data, COURSE_FIELDS, multiline=("note",))
    db.session.flush()
    return course


def attendance_count(course: Course) -> int:
    """Every attendance row of the course, including people outside the actor's scope."""
    # Unscoped on purpose: a shared course's size counts every unit's people, without naming
    # them; deleting the course is refused while anyone, anywhere, attended it.
    stmt = access.unscoped(sa.select(sa.func.count(Attendance.id))
                           .where(Attendance.course_id == course.id))
    return db.session.execute(stmt).scalar_one()


def delete_course(course: Course) -> None:
    access.require_write(course.unit)
    n = attendance_count(course)
    if n:
        raise RuleViolation(None, f"Không thể xóa khóa học đang có {n} người tham gia; "
                                  "hãy xóa danh sách tham gia trước.")
    db.session.delete(course)
    db.session.flush()


def add_attendees(course: Course, persons: list[Person],
                  result: TrainingResult | None = None) -> tuple[int, int]:
    """Add people to a course; returns (added, already there). Each person must be writable."""
    if result is not None and course.start_date > dt.date.today():
        raise RuleViolation("result", "Khóa học chưa diễn ra nên chưa thể ghi kết quả.")
    present = set(db.session.execute(
        sa.select(Attendance.person_id).where(Attendance.course_id == course.id)).scalars())
    added = 0
    for person in persons:
        access.require_write(person.unit)
        if person.id in present:
            continue
        db.session.add(Attendance(course=course, person=person, result=result))
        present.add(person.id)
        added += 1
    db.session.flush()
    return added, len(persons) - added


def update_attendance(att: Attendance, data: dict) -> Attendance:
    access.require_write(att.person.unit)
    if data.get("result") is not None and att.course.start_date > dt.date.today():
        raise RuleViolation("result", "Khóa học chưa diễn ra nên chưa thể ghi kết quả.")
    apply_fields(att, data, ("result", "certificate_no", "note"))
    db.session.flush()
    return att


def set_results(course: Course, rows: dict[int, dict]) -> int:
    """Save results and certificate numbers for several attendance rows of one course at once."""
    changed = 0
    for att in visible_attendances(course):
        if att.id not in rows or not access.unit_in_scope(att.person.unit):
            continue
        before = (att.result, att.certificate_no)
        update_attendance(att, rows[att.id])
        changed += before != (att.result, att.certificate_no)
    return changed


def delete_attendance(att: Attendance) -> None:
    access.require_write(att.person.unit)
    db.session.delete(att)
    db.session.flush()


def visible_attendances(course: Course) -> list[Attendance]:
    """The course's attendance rows the actor may see, in roster order."""
    stmt = (sa.select(Attendance).join(Attendance.person).where(Attendance.course_id == course.id)
            .order_by(Person.sort_key, Person.id))
    return list(db.session.execute(stmt).scalars())


def person_attendances(person: Person) -> list[Attendance]:
    stmt = (sa.select(Attendance).join(Attendance.course).where(Attendance.person_id == person.id)
            .order_by(Course.start_date.desc()))
    return list(db.session.execute(stmt).scalars())


def attendable_courses(person: Person) -> list[tuple[int, str]]:
    """Courses the actor sees that the person has not attended yet, newest first."""
    taken = sa.select(Attendance.course_id).where(Attendance.person_id == person.id)
    rows = db.session.execute(sa.select(Course).where(Course.id.not_in(taken))
                              .order_by(Course.start_date.desc()).limit(300)).scalars()
    return [(c.id, f"{c.name} ({c.start_date:%d/%m/%Y})") for c in rows]
