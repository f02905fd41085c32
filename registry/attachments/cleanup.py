"""Files go with what they belong to, whatever deletes it: a record deleted (a commendation, an
appointment..., one by one or with its person) takes its attachments; an attachment deleted
takes its stored bytes. Done once, at flush, in the same transaction, for every code path."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from models import Attachment, StoredFile
from registry.attachments import records


def _records_gone(session: Session) -> dict[str, list[int]]:
    gone: dict[str, list[int]] = {}
    for obj in session.deleted:
        if isinstance(obj, records.MODELS):
            gone.setdefault(obj.__tablename__, []).append(obj.id)
    return gone


def _attachments_of(session: Session, gone: dict[str, list[int]]) -> list[Attachment]:
    if not gone:
        return []
    stmt = sa.select(Attachment).where(sa.or_(*(
        sa.and_(Attachment.record_table == table, Attachment.record_id.in_(ids))
        for table, ids in gone.items())))
    # Unscoped on purpose: deleting the record was authorised where it was deleted, and its
    # files must never outlive it, whoever's scope runs the flush (a CLI command, a cascade).
    return list(session.execute(stmt.execution_options(unscoped=True)).scalars())


def _files_of(session: Session, attachments: list[Attachment]) -> list[StoredFile]:
    ids = {att.file_id for att in attachments if att.file_id is not None}
    if not ids:
        return []
    stmt = sa.select(StoredFile).where(StoredFile.id.in_(ids))
    return list(session.execute(stmt).scalars())


# insert=True: before the audit's own before_flush listener, so that the attachments deleted
# here are audited with the rest of the flush.
@event.listens_for(Session, "before_flush", insert=True)
def _delete_with_owner(session: Session, _ctx, _instances) -> None:
    if not session.deleted:
        return
    with session.no_autoflush:
        for att in _attachments_of(session, _records_gone(session)):
            if att not in session.deleted:
                session.delete(att)
        gone = [obj for obj in session.deleted if isinstance(obj, Attachment)]
        for stored in _files_of(session, gone):
            session.delete(stored)
