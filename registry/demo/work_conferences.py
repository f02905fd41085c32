"""Demo data: the province's monthly BCV conference of the last twelve months, online, from the
province's hall to three to six communes (the demo's busiest first), with most of the BCV active
that day recorded at the point nearest their unit (some missing)."""
from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING

import sqlalchemy as sa

from models import (
    Conference,
    ConferenceAttendance,
    ConferencePoint,
    DeliveryForm,
    OrgLevel,
    Role,
    Unit,
    UnitKind,
    db,
)
from registry.core.dates import add_months
from registry.exports.agency import committee, propaganda_body, short_name

if TYPE_CHECKING:
    from models import Person
    from registry.demo.records import Places

TOPICS = ["Tình hình thời sự trong nước và quốc tế nổi bật", "Kết quả thực hiện Chỉ thị 30-CT/TW",
          "Định hướng tuyên truyền các ngày lễ lớn", "Phòng, chống tin giả, tin xấu độc",
          "Tình hình kinh tế - xã hội của tỉnh", "Công tác chuẩn bị đại hội đảng bộ các cấp"]
PRESENTERS = ["Phó Trưởng Ban Tuyên giáo và Dân vận Tỉnh ủy", "Báo cáo viên Trung ương",
              "Trưởng Ban Tuyên giáo và Dân vận Tỉnh ủy"]
ATTEND_SHARE = 0.8


def seed(rng: random.Random, places: Places, people: list[Person], today: dt.date) -> None:
    """The 5th of each of the last twelve months, unless a conference is already on that day
    (the one registry.demo.records holds last month)."""
    for back in range(12, 0, -1):
        day = add_months(today, -back).replace(day=5)
        taken = db.session.execute(sa.select(Conference.id).where(Conference.date == day)).first()
        if not taken:
            hold(rng, places, people, day)


def hold(rng: random.Random, places: Places, people: list[Person], day: dt.date) -> Conference:
    """The province's conference of `day` with its points and who attended where."""
    province = places.province if places.province.is_valid_on(day) else places.past_province
    communes = _communes(rng, places, province, day)
    conf = Conference(unit=province, date=day, level=OrgLevel.TINH, form=DeliveryForm.TRUC_TUYEN,
                      topic=f"Hội nghị báo cáo viên tháng {day:%m/%Y}: {rng.choice(TOPICS)}",
                      presenter=rng.choice(PRESENTERS), hours=4,
                      organiser=f"{propaganda_body(province.name, day)} {short_name(province)}")
    points = [ConferencePoint(conference=conf, unit=province, place="Hội trường Tỉnh ủy",
                              participants=rng.randint(80, 150))]
    points += [ConferencePoint(conference=conf, unit=unit, participants=rng.randint(20, 60),
                               place=f"Hội trường {committee(unit)}")
               for unit in communes]
    db.session.add(conf)
    for person in people:
        point = _point_of(person, points, day)
        if point is not None and rng.random() < ATTEND_SHARE:
            db.session.add(ConferenceAttendance(conference=conf, point=point, person=person))
    return conf


def _communes(rng: random.Random, places: Places, province: Unit, day: dt.date) -> list[Unit]:
    """Three to six units below the province: the demo's busiest first, then communes drawn."""
    def fits(u: Unit) -> bool:
        return u.path.startswith(province.path) and u.id != province.id and u.is_valid_on(day)

    first = [u for u in places.local if fits(u)]
    others = [u for u in db.session.execute(
        sa.select(Unit).where(Unit.kind == UnitKind.XA, Unit.path.startswith(province.path))
        .order_by(Unit.id)).scalars() if fits(u) and u not in first]
    wanted = rng.randint(3, 6)
    return (first + rng.sample(others, max(0, min(len(others), wanted - len(first)))))[:wanted]


def _point_of(person: Person, points: list[ConferencePoint], day: dt.date):
    """The point nearest the unit of the person's BCV appointment active on `day` (the deepest
    point above it), or None when they were not a BCV below the organiser that day."""
    paths = [a.unit.path for a in person.active_appointments(day) if a.role is Role.BCV]
    near = [p for p in points for path in paths if path.startswith(p.unit.path)]
    return max(near, key=lambda p: len(p.unit.path), default=None)
