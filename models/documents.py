"""Information supplied to the team: documents, their files, and who each was sent to."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Audited, Base, PersonScoped, TimestampMixin, UnitShared
from .enums import DocumentKind, enum_column
from .stored_file import StoredFile

if TYPE_CHECKING:
    from .person import Person
    from .unit import Unit

document_files = sa.Table(
    "document_files", Base.metadata,
    sa.Column("document_id", sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("file_id", sa.ForeignKey("stored_files.id", ondelete="CASCADE"), primary_key=True),
)


class Document(Audited, UnitShared, TimestampMixin, Base):
    """A document issued by a unit; like a course, open to the units below it
    (registry.core.access holds the rule); only the issuing unit's subtree writes it."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[DocumentKind] = mapped_column(enum_column(DocumentKind, 24), index=True)
    number: Mapped[str | None] = mapped_column(sa.String(100))  # "Số 12-TB/BTGDVTU"
    issued_on: Mapped[dt.date] = mapped_column(index=True)
    issuer: Mapped[str] = mapped_column(sa.String(200))
    title: Mapped[str] = mapped_column(sa.String(300))
    summary: Mapped[str | None] = mapped_column(sa.Text)

    unit: Mapped[Unit] = relationship()
    files: Mapped[list[StoredFile]] = relationship(secondary=document_files,
                                                   order_by=StoredFile.id)
    distributions: Mapped[list[Distribution]] = relationship(back_populates="document",
                                                             cascade="all, delete-orphan")


class Distribution(Audited, PersonScoped, TimestampMixin, Base):
    """One document sent to one person, and when they confirmed receiving it."""

    __tablename__ = "distributions"
    __table_args__ = (
        sa.UniqueConstraint("document_id", "person_id", name="uq_distributions_document_person"),
        sa.CheckConstraint("received_on IS NULL OR received_on >= sent_on",
                           name="received_after_sent"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        sa.ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    sent_on: Mapped[dt.date] = mapped_column()
    sent_by: Mapped[str | None] = mapped_column(sa.String(80))  # username
    received_on: Mapped[dt.date | None] = mapped_column()

    document: Mapped[Document] = relationship(back_populates="distributions")
    person: Mapped[Person] = relationship(back_populates="distributions")
