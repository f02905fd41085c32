"""The grouped queries behind the period report and the dashboard's activity figures.

`records(start, end)` yields (by, id, key, n): `n` counted under `key` for the unit (by "unit")
or the person (by "person") `id`. Every query is grouped, so their number is fixed whatever the
number of units or people, and every one goes through the ORM: the actor's scope applies.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from models import (
    Activity,
    Appointment,
    Attendance,
    Channel,
    ChannelCount,
    ChannelPost,
    Commendation,
    Conference,
    ConferenceAttendance,
    ConferencePoint,
    Course,
    CourseKind,
    Discipline,
    Distribution,
    Document,
    Evaluation,
    ExemplaryModel,
    Role,
    Unit,
    db,
)
from registry.eligibility import rules as eligibility
from registry.reports.team_report import commended_in, disciplined_in

Record = tuple[str, int, str, int]


def records(start: dt.date, end: dt.date, kinds: tuple[str, ...] | None = None
            ) -> Iterator[Record]:
    """The records of the period, of the `kinds` of SOURCES named (all of them for None)."""
    for kind, source in SOURCES.items():
        if kinds is None or kind in kinds:
            yield from source(start, end)


def _rows(by: str, stmt, *keys: str) -> Iterator[Record]:
    """(id, n1, n2...) rows of a grouped query as records under `keys`."""
    for ident, *values in db.session.execute(stmt):
        for key, n in zip(keys, values, strict=True):
            yield by, ident, key, int(n or 0)


def _count_by(column, *where):
    return sa.select(column, sa.func.count()).where(*where).group_by(column)


def _members(start: dt.date, end: dt.date) -> Iterator[Record]:
    yield from _rows("unit", _count_by(Appointment.unit_id,
                                       Appointment.start_date.between(start, end)), "added")
    ended = db.session.execute(
        sa.select(Appointment.unit_id, Appointment.end_reason, sa.func.count())
        .where(Appointment.end_date.between(start, end))
        .group_by(Appointment.unit_id, Appointment.end_reason))
    for unit_id, reason, n in ended:
        yield "unit", unit_id, "removed", n
        yield "unit", unit_id, f"removed:{reason.value if reason else 'none'}", n


def _training(start: dt.date, end: dt.date) -> Iterator[Record]:
    held = (Course.end_date.between(start, end), Course.kind != CourseKind.HOI_NGHI_BCV)
    yield from _rows("unit", _count_by(Course.unit_id, *held), "courses")
    completed = sa.case((Attendance.result.in_(eligibility.COMPLETED), 1), else_=0)
    yield from _rows("person", sa.select(
        Attendance.person_id, sa.func.count(), sa.func.sum(completed))
        .join(Course, Course.id == Attendance.course_id).where(*held)
        .group_by(Attendance.person_id), "trainees", "completed")


def _conferences(start: dt.date, end: dt.date) -> Iterator[Record]:
    in_period = Conference.date.between(start, end)
    yield from _rows("unit", _count_by(Conference.unit_id, in_period), "conferences")
    yield from _rows("unit", sa.select(
        ConferencePoint.unit_id, sa.func.count(), sa.func.sum(ConferencePoint.participants))
        .join(Conference, Conference.id == ConferencePoint.conference_id).where(in_period)
        .group_by(ConferencePoint.unit_id), "points", "participants")
    yield from _rows("person", sa.select(ConferenceAttendance.person_id, sa.func.count())
                     .join(Conference, Conference.id == ConferenceAttendance.conference_id)
                     .where(in_period).group_by(ConferenceAttendance.person_id),
                     "conf_attended")


def expected_bcv(start: dt.date, end: dt.date):
    """(person_id, conference_id) of each BCV expected at a conference of the period: holding an
    active BCV appointment on its date, in the organiser's unit or below it."""
    own, organiser = aliased(Unit), aliased(Unit)
    return (sa.select(Appointment.person_id, Conference.id.label("conference_id"))
            .join(own, own.id == Appointment.unit_id)
            .join(Conference, sa.and_(Conference.date.between(start, end),
                                      Appointment.start_date <= Conference.date,
                                      sa.or_(Appointment.end_date.is_(None),
                                             Appointment.end_date >= Conference.date)))
            .join(organiser, organiser.id == Conference.unit_id)
            .where(Appointment.role == Role.BCV, own.path.startswith(organiser.path))
            .distinct())


def _attendance(start: dt.date, end: dt.date) -> Iterator[Record]:
    """Expected and missed (expected, not attended) per BCV: missed = expected - attended."""
    pairs = expected_bcv(start, end).subquery()
    came = sa.exists().where(ConferenceAttendance.person_id == pairs.c.person_id,
                             ConferenceAttendance.conference_id == pairs.c.conference_id)
    yield from _rows("person", sa.select(
        pairs.c.person_id, sa.func.count(), sa.func.sum(sa.case((came, 0), else_=1)))
        .group_by(pairs.c.person_id), "conf_expected", "conf_missed")


def _documents(start: dt.date, end: dt.date) -> Iterator[Record]:
    yield from _rows("unit", _count_by(Document.unit_id, Document.issued_on.between(start, end)),
                     "documents")
    yield from _rows("person", sa.select(
        Distribution.person_id, sa.func.count(), sa.func.count(Distribution.received_on))
        .where(Distribution.sent_on.between(start, end)).group_by(Distribution.person_id),
        "distributions", "received")


def _sessions(start: dt.date, end: dt.date) -> Iterator[Record]:
    """Sessions and audience by form: presenters sharing a session_key make one session, its
    audience the largest any of them recorded."""
    group = sa.func.coalesce(Activity.session_key, sa.cast(Activity.id, sa.String))
    sessions = (sa.select(sa.func.min(Activity.unit_id).label("unit_id"),
                          sa.func.min(Activity.form).label("form"),
                          sa.func.max(Activity.audience).label("audience"))
                .where(Activity.date.between(start, end)).group_by(group).subquery())
    found = db.session.execute(
        sa.select(sessions.c.unit_id, sessions.c.form, sa.func.count(),
                  sa.func.sum(sessions.c.audience))
        .group_by(sessions.c.unit_id, sessions.c.form))
    for unit_id, form, n, audience in found:
        form = getattr(form, "value", form)
        for key, count in (("sessions", n), ("audience", audience or 0)):
            yield "unit", unit_id, key, count
            yield "unit", unit_id, f"{key}:{form}", count


def _channels(start: dt.date, end: dt.date) -> Iterator[Record]:
    yield from _rows("unit", _count_by(Channel.unit_id, Channel.active), "channels")
    latest = (sa.select(ChannelCount.channel_id, sa.func.max(ChannelCount.counted_on).label("day"))
              .where(ChannelCount.counted_on <= end).group_by(ChannelCount.channel_id).subquery())
    yield from _rows("unit", sa.select(Channel.unit_id, sa.func.sum(ChannelCount.members))
                     .join(latest, latest.c.channel_id == Channel.id)
                     .join(ChannelCount, sa.and_(ChannelCount.channel_id == Channel.id,
                                                 ChannelCount.counted_on == latest.c.day))
                     .where(Channel.active).group_by(Channel.unit_id), "members")
    yield from _rows("unit", sa.select(
        ChannelPost.unit_id, sa.func.sum(ChannelPost.posts), sa.func.sum(ChannelPost.reach))
        .where(ChannelPost.date.between(start, end)).group_by(ChannelPost.unit_id),
        "posts", "reach")


def _others(start: dt.date, end: dt.date) -> Iterator[Record]:
    years = (start.year, end.year)
    yield from _rows("unit", _count_by(ExemplaryModel.unit_id,
                                       ExemplaryModel.year.between(*years)), "exemplary")
    yield from _rows("person", _count_by(Commendation.person_id, commended_in(start, end)),
                     "commended")
    yield from _rows("person", _count_by(Discipline.person_id, disciplined_in(start, end)),
                     "disciplined")
    rated = db.session.execute(
        sa.select(Evaluation.person_id, Evaluation.rating, sa.func.count())
        .where(Evaluation.year.between(*years))
        .group_by(Evaluation.person_id, Evaluation.rating))
    for pid, rating, n in rated:
        yield "person", pid, f"eval:{rating.value}", n


SOURCES = {"members": _members, "training": _training, "conferences": _conferences,
           "attendance": _attendance, "documents": _documents, "sessions": _sessions,
           "channels": _channels, "others": _others}
