"""The channel list: filters (unit subtree, platform, active), each channel's latest member
count, and posts and reach over a period (the current year when none is given)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from models import Channel, ChannelCount, ChannelPlatform, ChannelPost, Unit, db
from registry.core import access
from registry.core.dates import parse_day

ACTIVE = {"1": "Đang hoạt động", "0": "Ngừng hoạt động"}


@dataclass
class ChannelFilter:
    unit: Unit | None = None
    platform: ChannelPlatform | None = None
    active: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    problems: list[str] = field(default_factory=list)

    @classmethod
    def from_args(cls, args, today: dt.date | None = None) -> ChannelFilter:
        today = today or dt.date.today()
        active = args.get("active") or ""
        f = cls(unit=access.visible_unit(args.get("unit")),
                platform=ChannelPlatform.parse(args.get("platform")),
                active=active if active in ACTIVE else "")
        f.start = f._day(args, "from", "Từ ngày", today.replace(month=1, day=1))
        f.end = f._day(args, "to", "Đến ngày", today)
        if f.end < f.start:
            f.problems.append("«Đến ngày» trước «Từ ngày»: tính từ đầu năm đến hôm nay.")
            f.start, f.end = today.replace(month=1, day=1), today
        return f

    def _day(self, args, name: str, label: str, default: dt.date) -> dt.date:
        text = (args.get(name) or "").strip()
        day = parse_day(text[:40])
        if text and day is None:
            self.problems.append(f"{label} «{text[:20]}» không hợp lệ (dùng dạng dd/mm/yyyy).")
        return day or default


@dataclass
class Line:
    channel: Channel
    members: int | None
    counted_on: dt.date | None
    posts: int
    reach: int


def channels(f: ChannelFilter) -> list[Line]:
    stmt = sa.select(Channel).options(joinedload(Channel.unit),
                                      joinedload(Channel.admin_person))
    if f.unit is not None:
        stmt = stmt.where(access.in_subtree(Channel.unit_id, f.unit))
    if f.platform is not None:
        stmt = stmt.where(Channel.platform == f.platform)
    if f.active:
        stmt = stmt.where(Channel.active.is_(f.active == "1"))
    rows = db.session.execute(stmt.join(Unit, Channel.unit_id == Unit.id)
                              .order_by(Unit.path, Channel.name, Channel.id)).scalars().all()
    ids = [c.id for c in rows]
    latest = _latest_counts(ids)
    posts = _post_totals(ids, f.start, f.end)
    return [Line(c, *latest.get(c.id, (None, None)), *posts.get(c.id, (0, 0))) for c in rows]


def _latest_counts(ids: list[int]) -> dict[int, tuple[int, dt.date]]:
    if not ids:
        return {}
    last = (sa.select(ChannelCount.channel_id, sa.func.max(ChannelCount.counted_on).label("day"))
            .where(ChannelCount.channel_id.in_(ids)).group_by(ChannelCount.channel_id).subquery())
    rows = db.session.execute(
        sa.select(ChannelCount.channel_id, ChannelCount.members, ChannelCount.counted_on)
        .join(last, sa.and_(last.c.channel_id == ChannelCount.channel_id,
                            last.c.day == ChannelCount.counted_on))).all()
    return {cid: (members, day) for cid, members, day in rows}


def _post_totals(ids: list[int], start: dt.date, end: dt.date) -> dict[int, tuple[int, int]]:
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(ChannelPost.channel_id, sa.func.sum(ChannelPost.posts),
                  sa.func.coalesce(sa.func.sum(ChannelPost.reach), 0))
        .where(ChannelPost.channel_id.in_(ids), ChannelPost.date.between(start, end))
        .group_by(ChannelPost.channel_id)).all()
    return {cid: (int(posts), int(reach)) for cid, posts, reach in rows}
