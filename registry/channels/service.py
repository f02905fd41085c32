"""Online channels, their member counts at dates and the posts on them; callers commit.

A post's `unit_id` is its channel's, set here and moved with the channel: the totals of posts
and reach are then scoped like every other unit record. A count is reached only through its
channel."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from models import Channel, ChannelCount, ChannelPost, Person, Unit, db
from registry.core import access
from registry.core.attrs import apply_fields
from registry.core.rules import RuleViolation

CHANNEL_FIELDS = ("name", "platform", "url", "admin_name", "active", "note")
POST_FIELDS = ("date", "topic", "posts", "reach")
DUPLICATE_COUNT = "Ngày này đã có số thành viên của kênh; hãy xóa số cũ trước khi ghi lại."


def _person_under(person_id: int | None, unit: Unit, field: str) -> Person | None:
    """A person of the roster in scope, of `unit` or a unit below it (None when none chosen)."""
    if person_id is None:
        return None
    person = db.session.execute(sa.select(Person).where(
        Person.id == person_id, access.in_subtree(Person.unit_id, unit))).scalar_one_or_none()
    if person is None:
        raise RuleViolation(field, f"Người được chọn không thuộc {unit.name}.")
    return person


def _set_admin(channel: Channel, data: dict) -> None:
    person = _person_under(data.get("admin_person_id"), channel.unit, "admin_person_id")
    channel.admin_person = person
    if person is not None:
        channel.admin_name = None  # the roster names them; a typed name would only drift


def _check_channel(data: dict) -> None:
    if not (data.get("name") or "").strip():
        raise RuleViolation("name", "Vui lòng nhập tên kênh.")
    if data.get("platform") is None:
        raise RuleViolation("platform", "Vui lòng chọn nền tảng.")


def create_channel(data: dict, unit: Unit) -> Channel:
    access.require_write(unit)
    _check_channel(data)
    channel = Channel(unit=unit)
    db.session.add(channel)
    apply_fields(channel, data, CHANNEL_FIELDS, multiline=("note",))
    _set_admin(channel, data)
    db.session.flush()
    return channel


def update_channel(channel: Channel, data: dict, unit: Unit) -> Channel:
    """Save a channel; moved to another unit, its posts move with it."""
    access.require_write(channel.unit)
    access.require_write(unit)
    _check_channel(data)
    for post in channel.posts:  # row by row, so that each move is audited
        post.unit_id = unit.id
    channel.unit = unit
    apply_fields(channel, data, CHANNEL_FIELDS, multiline=("note",))
    _set_admin(channel, data)
    db.session.flush()
    return channel


def delete_channel(channel: Channel) -> None:
    access.require_write(channel.unit)
    db.session.delete(channel)
    db.session.flush()


def add_count(channel: Channel, counted_on: dt.date | None, members: int | None) -> ChannelCount:
    """Record the members or followers on a day: one figure a day."""
    access.require_write(channel.unit)
    if counted_on is None:
        raise RuleViolation("counted_on", "Vui lòng nhập ngày ghi nhận.")
    if counted_on > dt.date.today():
        raise RuleViolation("counted_on", "Ngày ghi nhận không được ở tương lai.")
    if members is None or members < 0:
        raise RuleViolation("members", "Vui lòng nhập số thành viên (số nguyên không âm).")
    if any(c.counted_on == counted_on for c in channel.counts):
        raise RuleViolation("counted_on", DUPLICATE_COUNT)
    count = ChannelCount(channel=channel, counted_on=counted_on, members=members)
    db.session.add(count)
    db.session.flush()
    return count


def delete_count(channel: Channel, count: ChannelCount) -> None:
    access.require_write(channel.unit)
    channel.counts.remove(count)
    db.session.flush()


def _check_post(data: dict) -> None:
    day = data.get("date")
    if day is None:
        raise RuleViolation("date", "Vui lòng nhập ngày đăng.")
    if day > dt.date.today():
        raise RuleViolation("date", "Ngày đăng không được ở tương lai.")
    if not data.get("posts") or data["posts"] < 1:
        raise RuleViolation("posts", "Số bài đăng phải từ 1 trở lên.")
    if data.get("reach") is not None and data["reach"] < 0:
        raise RuleViolation("reach", "Lượt tiếp cận không được âm.")


def save_post(channel: Channel, data: dict, post: ChannelPost | None = None) -> ChannelPost:
    """Add (or, with `post`, change) online activity on the channel, in the channel's unit."""
    access.require_write(channel.unit)
    _check_post(data)
    person = _person_under(data.get("person_id"), channel.unit, "person_id")
    if post is None:
        post = ChannelPost(channel=channel)
        db.session.add(post)
    apply_fields(post, data, POST_FIELDS)
    post.unit_id = channel.unit_id
    post.person = person
    db.session.flush()
    return post


def delete_post(post: ChannelPost) -> None:
    access.require_write(post.channel.unit)
    db.session.delete(post)
    db.session.flush()


def people_choices(unit: Unit, limit: int = 300) -> list[tuple[int, str]]:
    """(id, "name – unit") of the people of `unit` and below, in roster order: who may run a
    channel of the unit or write on it."""
    rows = db.session.execute(
        sa.select(Person.id, Person.full_name, Unit.name).join(Unit, Person.unit_id == Unit.id)
        .where(access.in_subtree(Person.unit_id, unit))
        .order_by(Person.sort_key, Person.id).limit(limit)).all()
    return [(pid, f"{name} – {unit_name}") for pid, name, unit_name in rows]
