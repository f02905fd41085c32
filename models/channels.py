"""Online channels of the team (Zalo and Facebook groups, fanpages, websites) and their use."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Audited, Base, TimestampMixin, UnitScoped
from .enums import ChannelPlatform, enum_column

if TYPE_CHECKING:
    from .person import Person
    from .unit import Unit


class Channel(Audited, UnitScoped, TimestampMixin, Base):
    __tablename__ = "channels"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    platform: Mapped[ChannelPlatform] = mapped_column(enum_column(ChannelPlatform, 20))
    url: Mapped[str | None] = mapped_column(sa.String(300))
    # The person who runs it, when they are on the roster; else a name.
    admin_person_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("persons.id", ondelete="SET NULL"), index=True)
    admin_name: Mapped[str | None] = mapped_column(sa.String(200))
    active: Mapped[bool] = mapped_column(default=True)
    note: Mapped[str | None] = mapped_column(sa.Text)

    unit: Mapped[Unit] = relationship()
    admin_person: Mapped[Person | None] = relationship()
    counts: Mapped[list[ChannelCount]] = relationship(
        back_populates="channel", cascade="all, delete-orphan",
        order_by="ChannelCount.counted_on.desc()")
    posts: Mapped[list[ChannelPost]] = relationship(
        back_populates="channel", cascade="all, delete-orphan",
        order_by="ChannelPost.date.desc()")


class ChannelCount(Audited, TimestampMixin, Base):
    """Members or followers on a date. Reached only through its channel (scoped)."""

    __tablename__ = "channel_counts"
    __table_args__ = (
        sa.UniqueConstraint("channel_id", "counted_on", name="uq_channel_counts_channel_day"),
        sa.CheckConstraint("members >= 0", name="members_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel_id: Mapped[int] = mapped_column(
        sa.ForeignKey("channels.id", ondelete="CASCADE"), index=True)
    counted_on: Mapped[dt.date] = mapped_column()
    members: Mapped[int] = mapped_column()

    channel: Mapped[Channel] = relationship(back_populates="counts")


class ChannelPost(Audited, UnitScoped, TimestampMixin, Base):
    """Online activity on a channel: posts on a topic and their reach. `unit_id` is the
    channel's unit, kept on the row so that totals are scoped like every other record."""

    __tablename__ = "channel_posts"
    __table_args__ = (
        sa.CheckConstraint("posts >= 1", name="posts_positive"),
        sa.CheckConstraint("reach IS NULL OR reach >= 0", name="reach_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel_id: Mapped[int] = mapped_column(
        sa.ForeignKey("channels.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("persons.id", ondelete="SET NULL"), index=True)
    date: Mapped[dt.date] = mapped_column(index=True)
    topic: Mapped[str] = mapped_column(sa.String(300))
    posts: Mapped[int] = mapped_column(default=1)
    reach: Mapped[int | None] = mapped_column()

    channel: Mapped[Channel] = relationship(back_populates="posts")
    person: Mapped[Person | None] = relationship()
