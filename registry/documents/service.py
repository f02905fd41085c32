"""Documents and their files: create, change, delete; attach, remove and find files."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask import abort

from models import Distribution, Document, StoredFile, Unit, UnitKind, db, document_files
from registry.core import access
from registry.core.attrs import apply_fields
from registry.core.rules import RuleViolation
from registry.exports.agency import committee, propaganda_body
from registry.files import storage
from registry.files.storage import Upload

FIELDS = ("kind", "number", "issued_on", "issuer", "title", "summary")


def default_issuer(unit: Unit, day: dt.date) -> str:
    """Who issues what a unit sends: the province's propaganda board, a district's or a
    commune's Party committee, or the unit itself (an agency, a village)."""
    if unit.parent_id is None or unit.kind is UnitKind.TINH:
        return propaganda_body(unit.name, day)
    if unit.kind in (UnitKind.HUYEN, UnitKind.XA):
        return committee(unit)
    return unit.name


def _check(data: dict) -> None:
    if not (data.get("title") or "").strip():
        raise RuleViolation("title", "Vui lòng nhập trích yếu (tên tài liệu).")
    if data.get("issued_on") is None:
        raise RuleViolation("issued_on", "Vui lòng nhập ngày ban hành.")


def _fill(doc: Document, data: dict, unit: Unit) -> None:
    data = dict(data)
    if not (data.get("issuer") or "").strip():
        data["issuer"] = default_issuer(unit, data["issued_on"])
    apply_fields(doc, data, FIELDS, multiline=("summary",))


def create_document(data: dict, unit: Unit) -> Document:
    access.require_write(unit)
    _check(data)
    doc = Document(unit=unit, unit_id=unit.id)
    _fill(doc, data, unit)
    db.session.add(doc)
    db.session.flush()
    return doc


def update_document(doc: Document, data: dict, unit: Unit | None = None) -> Document:
    access.require_write(doc.unit)
    _check(data)
    if unit is not None and unit.id != doc.unit_id:
        access.require_write(unit)
        doc.unit = unit
    _fill(doc, data, doc.unit)
    db.session.flush()
    return doc


def all_distributions(doc: Document) -> list[Distribution]:
    """Every distribution of the document, whoever it was sent to."""
    # Unscoped on purpose: the issuing unit's writer deletes its document, and with it the
    # record of sending it to people outside their scope (a province officer may have sent a
    # district's document to another district). They are deleted one by one, so audited.
    stmt = access.unscoped(sa.select(Distribution).where(Distribution.document_id == doc.id))
    return list(db.session.execute(stmt).scalars())


def delete_document(doc: Document) -> int:
    """Delete the document, its files and its distributions; returns how many were sent."""
    access.require_write(doc.unit)
    sent = all_distributions(doc)
    for dist in sent:
        db.session.delete(dist)
    for stored in list(doc.files):
        storage.delete(stored)
    db.session.delete(doc)
    db.session.flush()
    return len(sent)


def add_files(doc: Document, uploads: list[Upload]) -> list[StoredFile]:
    """Attach uploaded files: all of them, or none when one is refused."""
    access.require_write(doc.unit)
    stored = storage.store_all(uploads)
    doc.files.extend(stored)
    db.session.flush()
    return stored


def find_file(doc: Document, file_id: int) -> StoredFile:
    """A file of `doc` (404 for a file of another document): the document, loaded through the
    scoping module by the caller, is what makes the file visible."""
    stmt = (sa.select(StoredFile).join(document_files, document_files.c.file_id == StoredFile.id)
            .where(document_files.c.document_id == doc.id, StoredFile.id == file_id))
    stored = db.session.execute(stmt).scalar_one_or_none()
    if stored is None:
        abort(404)
    return stored


def remove_file(doc: Document, stored: StoredFile) -> None:
    access.require_write(doc.unit)
    doc.files.remove(stored)
    storage.delete(stored)
    db.session.flush()
