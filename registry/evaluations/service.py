"""Yearly evaluations: who is rated for a year (the team of a unit), their figures for that year,
and the one-by-one writes (add, edit, delete) of a person's rating."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from models import (
    Activity,
    Appointment,
    Attendance,
    Conference,
    ConferenceAttendance,
    Course,
    Evaluation,
    EvaluationRating,
    Person,
    TrainingResult,
    Unit,
    db,
)
from registry.core import access
from registry.core.attrs import apply_fields
from registry.core.rules import RuleViolation

FIRST_YEAR = 2000
_CHUNK = 500
COMPLETED = [r for r in TrainingResult if r.completed]


def last_year_allowed(today: dt.date | None = None) -> int:
    """The latest year a rating may be given for: the current one (ratings are made in its
    last weeks), never a year still to come."""
    return (today or dt.date.today()).year


def default_year(today: dt.date | None = None) -> int:
    """The year the bulk page opens on: the current year from October (the rating season),
    before that the year just ended."""
    today = today or dt.date.today()
    return today.year if today.month >= 10 else today.year - 1


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def check_year(year: int | None, field: str = "year") -> int:
    last = last_year_allowed()
    if year is None or not FIRST_YEAR <= year <= last:
        raise RuleViolation(field, f"Năm đánh giá phải từ {FIRST_YEAR} đến {last}.")
    return year


@dataclass
class Figures:
    """What a person did in a year, shown beside their rating."""

    sessions: int = 0      # session rows (a session given with others counts for each presenter)
    audience: int = 0
    conferences: int = 0   # BCV conferences attended (by the conference's date)
    trainings: int = 0     # courses ending in the year
    trained: int = 0       # of them, completed


def year_figures(person_ids: list[int], year: int) -> dict[int, Figures]:
    """Figures of `year` for each person (every id gets one, zeros when nothing was done),
    with three grouped queries per chunk of people."""
    start, end = year_bounds(year)
    out = {pid: Figures() for pid in person_ids}
    for i in range(0, len(person_ids), _CHUNK):
        chunk = person_ids[i:i + _CHUNK]
        for pid, n, audience in db.session.execute(
                sa.select(Activity.person_id, sa.func.count(Activity.id),
                          sa.func.coalesce(sa.func.sum(Activity.audience), 0))
                .where(Activity.person_id.in_(chunk), Activity.date.between(start, end))
                .group_by(Activity.person_id)):
            out[pid].sessions, out[pid].audience = n, int(audience)
        for pid, n in db.session.execute(
                sa.select(ConferenceAttendance.person_id, sa.func.count(ConferenceAttendance.id))
                .join(Conference, Conference.id == ConferenceAttendance.conference_id)
                .where(ConferenceAttendance.person_id.in_(chunk),
                       Conference.date.between(start, end))
                .group_by(ConferenceAttendance.person_id)):
            out[pid].conferences = n
        done = sa.case((Attendance.result.in_(COMPLETED), 1), else_=0)
        for pid, n, trained in db.session.execute(
                sa.select(Attendance.person_id, sa.func.count(Attendance.id), sa.func.sum(done))
                .join(Course, Course.id == Attendance.course_id)
                .where(Attendance.person_id.in_(chunk), Course.end_date.between(start, end))
                .group_by(Attendance.person_id)):
            out[pid].trainings, out[pid].trained = n, int(trained or 0)
    return out


def team_query(unit: Unit, year: int) -> sa.Select:
    """People of `unit`'s subtree (in scope) holding an appointment at some time in `year`,
    grouped by unit in tree order, then in roster order."""
    start, end = year_bounds(year)
    held = sa.exists().where(Appointment.person_id == Person.id, Appointment.start_date <= end,
                             sa.or_(Appointment.end_date.is_(None), Appointment.end_date >= start))
    return (sa.select(Person).join(Unit, Unit.id == Person.unit_id)
            .where(access.in_subtree(Person.unit_id, unit), held)
            .order_by(Unit.path, Person.sort_key, Person.id))


def ratings_of(person_ids: list[int], year: int) -> dict[int, Evaluation]:
    """The evaluations of `year` of these people, by person."""
    found: dict[int, Evaluation] = {}
    for i in range(0, len(person_ids), _CHUNK):
        found.update((e.person_id, e) for e in db.session.execute(
            sa.select(Evaluation).where(Evaluation.person_id.in_(person_ids[i:i + _CHUNK]),
                                        Evaluation.year == year)).scalars())
    return found


def _taken(person: Person, year: int, other_than: int | None = None) -> None:
    stmt = sa.select(Evaluation.id).where(Evaluation.person_id == person.id,
                                          Evaluation.year == year)
    found = db.session.execute(stmt).scalar()
    if found is not None and found != other_than:
        raise RuleViolation("year", f"{person.full_name} đã có đánh giá năm {year}; "
                                    "hãy sửa đánh giá đó thay vì thêm mới.")


def add_evaluation(person: Person, data: dict) -> Evaluation:
    """Rate `person` for a year they have no rating for yet."""
    access.require_write(person.unit)
    check_year(data.get("year"))
    _taken(person, data["year"])
    item = Evaluation(person=person, person_id=person.id)
    apply_fields(item, data, ("year", "rating", "note"))
    db.session.add(item)
    db.session.flush()
    return item


def update_evaluation(item: Evaluation, data: dict) -> Evaluation:
    access.require_write(item.person.unit)
    check_year(data.get("year"))
    _taken(item.person, data["year"], item.id)
    apply_fields(item, data, ("year", "rating", "note"))
    db.session.flush()
    return item


def delete_evaluation(item: Evaluation) -> None:
    access.require_write(item.person.unit)
    db.session.delete(item)
    db.session.flush()


def rating_label(rating: EvaluationRating | None) -> str:
    return rating.label if rating is not None else ""
