"""Files attached to a person or to one of their records: a portrait photo, decision scans,
certificates. The bytes are a StoredFile; this row says whose they are."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Audited, Base, PersonScoped, utcnow
from .enums import AttachmentKind, enum_column
from .stored_file import StoredFile

if TYPE_CHECKING:
    from .person import Person


class Attachment(Audited, PersonScoped, Base):
    """Visible exactly when the person is. `record_table`/`record_id` name the record it belongs
    to (an appointment, a commendation...), or nothing for the person's own files; the record's
    deletion takes its attachments with it (registry.attachments)."""

    __tablename__ = "attachments"
    __table_args__ = (
        sa.Index("ix_attachments_record", "record_table", "record_id"),
        sa.CheckConstraint("(record_table IS NULL) = (record_id IS NULL)",
                           name="record_named_whole"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[AttachmentKind] = mapped_column(enum_column(AttachmentKind, 20))
    file_id: Mapped[int] = mapped_column(sa.ForeignKey("stored_files.id", ondelete="CASCADE"),
                                         index=True)
    record_table: Mapped[str | None] = mapped_column(sa.String(40))
    record_id: Mapped[int | None] = mapped_column()
    title: Mapped[str | None] = mapped_column(sa.String(200))
    created_by: Mapped[str | None] = mapped_column(sa.String(80))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    file: Mapped[StoredFile] = relationship()
    person: Mapped[Person] = relationship(back_populates="attachments")
