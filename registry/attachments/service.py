"""Files on a person or on one of their records: add, replace the portrait photo, delete, list.

Every write needs write access to the person's unit. The bytes are checked on their content
(registry.files): scans and certificates are JPEG, PNG or PDF; a portrait JPEG or PNG, smaller.
A record's files go with the record (registry.attachments.cleanup)."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from models import Attachment, AttachmentKind, Person, db
from registry.attachments import records
from registry.audit.service import LOCAL_OFFSET
from registry.core import access
from registry.core.rules import RuleViolation
from registry.files import storage
from registry.files.sniff import JPEG, PDF, PNG
from registry.files.storage import Accept, Upload

PHOTO_MAX_BYTES = 5 * 1024 * 1024
SCANS = Accept((JPEG, PNG, PDF), "ảnh JPEG, PNG hoặc PDF")


def photo_accept() -> Accept:
    """A portrait: JPEG or PNG, at most 5 MB (less when the upload setting is smaller)."""
    return Accept((JPEG, PNG), "ảnh JPEG hoặc PNG", PHOTO_MAX_BYTES)


def add_attachment(person: Person, kind: AttachmentKind, upload: Upload, *, title: str = "",
                   record=None, actor: str | None = None) -> Attachment:
    """A scan or certificate of `person`, or of `record` (one of the person's records)."""
    access.require_write(person.unit)
    if kind is AttachmentKind.PHOTO:
        raise RuleViolation("kind", "Ảnh chân dung được tải lên ở mục «Ảnh chân dung».")
    if record is not None and (type(record) not in records.MODELS
                               or record.person_id != person.id):
        raise RuleViolation("record", "Hồ sơ, quyết định được chọn không thuộc người này.")
    stored = storage.store(upload, "file", SCANS)
    att = Attachment(person=person, kind=kind, file=stored, title=(title or "").strip() or None,
                     record_table=record.__tablename__ if record is not None else None,
                     record_id=record.id if record is not None else None, created_by=actor)
    db.session.add(att)
    db.session.flush()
    return att


def photo_of(person: Person) -> Attachment | None:
    stmt = (sa.select(Attachment).where(Attachment.person_id == person.id,
                                        Attachment.kind == AttachmentKind.PHOTO)
            .order_by(Attachment.id.desc()))
    return db.session.execute(stmt).scalars().first()


def set_photo(person: Person, upload: Upload, *, actor: str | None = None) -> Attachment:
    """The person's portrait, in place of the one they had (deleted, with its file)."""
    access.require_write(person.unit)
    stored = storage.store(upload, "file", photo_accept())
    old = db.session.execute(sa.select(Attachment).where(
        Attachment.person_id == person.id, Attachment.kind == AttachmentKind.PHOTO)).scalars()
    for att in old:
        db.session.delete(att)
    photo = Attachment(person=person, kind=AttachmentKind.PHOTO, file=stored,
                       title="Ảnh chân dung", created_by=actor)
    db.session.add(photo)
    db.session.flush()
    return photo


def delete_attachment(att: Attachment) -> None:
    """Delete a file of a person (its StoredFile goes with it: registry.attachments.cleanup)."""
    access.require_write(att.person.unit)
    db.session.delete(att)
    db.session.flush()


@dataclass
class PersonFiles:
    """A person's files as their page shows them: the portrait, every other file with the
    label of the record it belongs to, and the files of each record (by record key)."""

    photo: Attachment | None = None
    files: list[Attachment] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    by_record: dict[str, list[Attachment]] = field(default_factory=lambda: defaultdict(list))

    def of(self, table: str, record_id: int) -> list[Attachment]:
        return self.by_record.get(records.key(table, record_id), [])

    @staticmethod
    def uploaded_on(att: Attachment) -> dt.date:
        """The day of the upload where the registry is (created_at is UTC)."""
        return (att.created_at + LOCAL_OFFSET).date()

    def label(self, att: Attachment) -> str:
        if att.record_table is None:
            return "Hồ sơ chung"
        return self.labels.get(records.key(att.record_table, att.record_id), "")


def person_files(person: Person) -> PersonFiles:
    stmt = (sa.select(Attachment).where(Attachment.person_id == person.id)
            .options(joinedload(Attachment.file)).order_by(Attachment.id))
    found = PersonFiles(labels=records.labels(person))
    for att in db.session.execute(stmt).scalars():
        if att.kind is AttachmentKind.PHOTO:
            found.photo = att
            continue
        found.files.append(att)
        if att.record_table is not None:
            found.by_record[records.key(att.record_table, att.record_id)].append(att)
    return found
