"""One upload of a roster file: its preview (every row's plan), then its commit and undo log.

The preview lives here, in the database, so that any worker can serve the confirm."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UnitScoped, utcnow
from .enums import LabelledEnum, enum_column
from .unit import Unit
from .user import User


class ImportStatus(LabelledEnum):
    PREVIEWED = ("previewed", "Chờ xác nhận")
    COMMITTED = ("committed", "Đã nhập")
    UNDONE = ("undone", "Đã hoàn tác")
    REJECTED = ("rejected", "Tệp bị từ chối")
    # Read and planned outside the request (big files); progress below.
    QUEUED = ("queued", "Đang đọc tệp")
    DISCARDED = ("discarded", "Đã hủy")


class ImportBatch(UnitScoped, Base):
    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    actor: Mapped[str] = mapped_column(sa.String(120))
    file_name: Mapped[str] = mapped_column(sa.String(255))
    file_hash: Mapped[str] = mapped_column(sa.String(64), index=True)
    file_size: Mapped[int] = mapped_column()
    status: Mapped[ImportStatus] = mapped_column(enum_column(ImportStatus, 16), index=True)
    encoding: Mapped[str | None] = mapped_column(sa.String(16))
    counts: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    # File-level outcome: error, and per sheet its name, header rows and column titles.
    meta: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    # Filled by the commit: ids inserted and values replaced, so that undo can restore them.
    applied: Mapped[dict | None] = mapped_column(sa.JSON)
    all_or_nothing: Mapped[bool] = mapped_column(default=False)
    committed_at: Mapped[dt.datetime | None] = mapped_column()
    undone_at: Mapped[dt.datetime | None] = mapped_column()
    # Rows read so far by a background job, and the total when known; polled by the progress bar.
    progress: Mapped[int] = mapped_column(default=0)
    progress_total: Mapped[int | None] = mapped_column()

    unit: Mapped[Unit] = relationship()
    user: Mapped[User | None] = relationship()

    @property
    def is_open(self) -> bool:
        return self.status is ImportStatus.PREVIEWED


class ImportRow(Base):
    """One data row of a batch with its planned action; rows stay small and are paged in SQL."""

    __tablename__ = "import_rows"
    __table_args__ = (sa.Index("ix_import_rows_batch_status", "batch_id", "status", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(sa.ForeignKey("import_batches.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column()
    sheet: Mapped[int] = mapped_column()
    row: Mapped[int] = mapped_column()
    status: Mapped[str] = mapped_column(sa.String(12))
    reason: Mapped[str | None] = mapped_column(sa.String(40))
    person_id: Mapped[int | None] = mapped_column()
    # values, changes, message, field at fault, duplicate_of_row, original cells
    data: Mapped[dict] = mapped_column(sa.JSON)


class ImportFile(Base):
    """The uploaded bytes, kept in the database so that any worker or machine can read the file
    (a background job, the error workbook that copies its title rows). Deleted with the batch."""

    __tablename__ = "import_files"

    batch_id: Mapped[int] = mapped_column(
        sa.ForeignKey("import_batches.id", ondelete="CASCADE"), primary_key=True)
    data: Mapped[bytes] = mapped_column(sa.LargeBinary)
