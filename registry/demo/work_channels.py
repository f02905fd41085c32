"""Demo data: the team's online channels (a Zalo group and a fanpage for the province and a few
communes, member counts at four dates, posts over the last six months) and a few sessions
given by several presenters (issue 14)."""
from __future__ import annotations

import datetime as dt
import random
import uuid
from typing import TYPE_CHECKING

from models import (
    Activity,
    Channel,
    ChannelCount,
    ChannelPlatform,
    ChannelPost,
    DeliveryForm,
    Unit,
    UnitKind,
    db,
)
from registry.core.dates import add_months
from registry.exports.agency import short_name

if TYPE_CHECKING:
    from models import Person
    from registry.demo.records import Places

POST_TOPICS = ["Kỷ niệm Ngày Quốc khánh 2/9", "Phòng, chống tin giả, tin xấu độc",
               "Tuyên truyền Nghị quyết Đại hội Đảng bộ", "Phòng, chống lừa đảo qua mạng",
               "Gương người tốt, việc tốt", "Phòng, chống cháy rừng mùa khô",
               "Chính sách bảo hiểm xã hội tự nguyện", "Xây dựng nông thôn mới"]
SESSION_TOPICS = ["Tọa đàm Chỉ thị 30-CT/TW về công tác tuyên truyền miệng",
                  "Hội nghị tuyên truyền Nghị quyết Đại hội Đảng bộ tỉnh",
                  "Tuyên truyền pháp luật về đất đai cho đồng bào dân tộc thiểu số"]
COMMUNES = 3


def seed(rng: random.Random, places: Places, people: list[Person], today: dt.date) -> None:
    active = [p for p in people if p.active_appointments(today)]
    communes = _communes(rng, active, today)
    for unit in [places.province, *communes]:
        admins = [p for p in active if p.unit_id == unit.id]
        for platform in (ChannelPlatform.ZALO, ChannelPlatform.FANPAGE):
            _channel(rng, unit, platform, rng.choice(admins) if admins else None, today)
    _shared_sessions(rng, active, communes, today)


def _communes(rng: random.Random, active: list[Person], today: dt.date) -> list[Unit]:
    units = {p.unit.id: p.unit for p in active
             if p.unit.kind is UnitKind.XA and p.unit.is_valid_on(today)}
    ordered = [units[k] for k in sorted(units)]
    return rng.sample(ordered, min(COMMUNES, len(ordered)))


def _channel(rng: random.Random, unit: Unit, platform: ChannelPlatform,
             admin: Person | None, today: dt.date) -> None:
    prefix = "Nhóm Zalo tuyên truyền viên" if platform is ChannelPlatform.ZALO else "Trang"
    channel = Channel(unit=unit, platform=platform, name=f"{prefix} {unit.name}",
                      admin_person=admin,
                      admin_name=None if admin else f"Ban Tuyên giáo {short_name(unit)}",
                      url=None if platform is ChannelPlatform.ZALO
                      else f"https://facebook.com/tuyengiao.{unit.id}")
    db.session.add(channel)
    members = rng.randint(80, 400) * (5 if unit.parent_id is None else 1)
    for months in (9, 6, 3, 0):
        day = add_months(today, -months).replace(day=1) - dt.timedelta(days=1)
        members += rng.randint(5, 60)
        db.session.add(ChannelCount(channel=channel, counted_on=day, members=members))
    for months in range(6):
        first = add_months(today.replace(day=1), -months)
        for _ in range(rng.randint(1, 3)):
            day = first.replace(day=rng.randint(1, 28))
            if day <= today:
                db.session.add(ChannelPost(
                    channel=channel, unit_id=unit.id, date=day, topic=rng.choice(POST_TOPICS),
                    posts=rng.randint(1, 6), reach=rng.randint(50, 40 * members // 10),
                    person=admin if admin and rng.random() < 0.5 else None))


def _shared_sessions(rng: random.Random, active: list[Person], communes: list[Unit],
                     today: dt.date) -> None:
    """Two sessions in each chosen commune given together by two or three of its people."""
    for unit in communes:
        team = [p for p in active if p.unit_id == unit.id]
        for k in range(2 if len(team) >= 2 else 0):
            day = add_months(today, -(k + 1)).replace(day=rng.randint(1, 28))
            presenters = rng.sample(team, min(len(team), rng.randint(2, 3)))
            key = str(uuid.UUID(int=rng.getrandbits(128), version=4))  # deterministic
            audience = rng.randint(60, 250)
            for person in presenters:
                appt = next((a for a in person.active_appointments(day)), None)
                if appt is None:
                    continue
                db.session.add(Activity(
                    person=person, appointment=appt, unit=unit, date=day, topic=SESSION_TOPICS[k],
                    place=f"Hội trường {unit.name}", form=DeliveryForm.TRUC_TIEP,
                    audience=audience, session_key=key))
