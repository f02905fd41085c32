"""A request to move a person into the unit that asked for them, filed when an import met a CCCD
registered outside the uploader's scope. Nothing changes for that person until someone whose
scope covers both units approves it."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Audited, Base, TimestampMixin, UnitScoped
from .enums import LabelledEnum, Level, Role, enum_column

if TYPE_CHECKING:
    from .person import Person
    from .unit import Unit
    from .user import User


class TransferStatus(LabelledEnum):
    PENDING = ("pending", "Chờ duyệt")
    APPROVED = ("approved", "Đã duyệt")
    REJECTED = ("rejected", "Từ chối")


class TransferRequest(Audited, UnitScoped, TimestampMixin, Base):
    """unit_id (UnitScoped) is the receiving unit: the requester's side sees its own requests;
    from_unit_id is the person's unit when asked, shown only to those who may approve."""

    __tablename__ = "transfer_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(
        sa.ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    from_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"), index=True)
    batch_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("import_batches.id", ondelete="SET NULL"), index=True)
    file_row: Mapped[int | None] = mapped_column()
    requested_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"))
    requested_by: Mapped[str] = mapped_column(sa.String(120))
    role: Mapped[Role] = mapped_column(enum_column(Role, 8))
    level: Mapped[Level] = mapped_column(enum_column(Level, 16))
    # The file's own values (and appointment decision), applied on approval.
    values: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    status: Mapped[TransferStatus] = mapped_column(enum_column(TransferStatus, 12), index=True)
    decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"))
    decided_by: Mapped[str | None] = mapped_column(sa.String(120))
    decided_at: Mapped[dt.datetime | None] = mapped_column()
    transfer_date: Mapped[dt.date | None] = mapped_column()
    reason: Mapped[str | None] = mapped_column(sa.Text)
    version: Mapped[int] = mapped_column(default=1)

    person: Mapped[Person] = relationship()
    unit: Mapped[Unit] = relationship(foreign_keys="TransferRequest.unit_id")
    from_unit: Mapped[Unit] = relationship(foreign_keys=[from_unit_id])
    requester: Mapped[User | None] = relationship(foreign_keys=[requested_by_id])
    decider: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    __mapper_args__ = {"version_id_col": version}
