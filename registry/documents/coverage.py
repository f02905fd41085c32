"""Coverage of the information supplied: per document and per unit, how many of the BCV active
on the document's date (BCV appointment active on its issued_on) were sent it and received it.

Units are the chosen unit's children in today's tree, each with its subtree; the people of the
chosen unit itself get a row of their own. Only the people in the actor's scope count."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import sqlalchemy as sa

from models import Appointment, Distribution, Document, DocumentKind, Person, Role, Unit, db
from registry.core import access
from registry.units.tree import UnitTree

MAX_DOCUMENTS = 300


@dataclass
class Cell:
    bcv: int = 0
    sent: int = 0
    received: int = 0

    @property
    def rate(self) -> float | None:
        """Share of the BCV who received, in percent (None without any BCV)."""
        return round(100 * self.received / self.bcv, 1) if self.bcv else None

    def add(self, other: Cell) -> None:
        self.bcv += other.bcv
        self.sent += other.sent
        self.received += other.received


@dataclass
class Coverage:
    unit: Unit
    start: dt.date
    end: dt.date
    kind: DocumentKind | None
    by_document: list[tuple[Document, Cell]] = field(default_factory=list)
    by_unit: list[tuple[str, Cell]] = field(default_factory=list)
    total: Cell = field(default_factory=Cell)
    truncated: bool = False


@dataclass(frozen=True)
class _Term:
    person_id: int
    unit_id: int
    start: dt.date
    end: dt.date | None


def documents(start: dt.date, end: dt.date, kind: DocumentKind | None) -> list[Document]:
    stmt = (sa.select(Document).where(Document.issued_on.between(start, end))
            .order_by(Document.issued_on.desc(), Document.id.desc()).limit(MAX_DOCUMENTS + 1))
    if kind is not None:
        stmt = stmt.where(Document.kind == kind)
    return list(db.session.execute(stmt).scalars())


def _bcv_terms(unit: Unit, start: dt.date, end: dt.date) -> list[_Term]:
    """BCV appointments of the subtree's people overlapping the period."""
    stmt = (sa.select(Appointment.person_id, Person.unit_id, Appointment.start_date,
                      Appointment.end_date)
            .join(Person, Person.id == Appointment.person_id)
            .where(Appointment.role == Role.BCV, access.in_subtree(Person.unit_id, unit),
                   Appointment.start_date <= end,
                   sa.or_(Appointment.end_date.is_(None), Appointment.end_date >= start)))
    return [_Term(*row) for row in db.session.execute(stmt)]


def _sent(doc_ids: list[int], unit: Unit) -> dict[int, dict[int, bool]]:
    """document id -> {person id: received?} of the subtree's people."""
    stmt = (sa.select(Distribution.document_id, Distribution.person_id,
                      Distribution.received_on.is_not(None))
            .join(Person, Person.id == Distribution.person_id)
            .where(Distribution.document_id.in_(doc_ids or [0]),
                   access.in_subtree(Person.unit_id, unit)))
    out: dict[int, dict[int, bool]] = {}
    for doc_id, person_id, received in db.session.execute(stmt):
        out.setdefault(doc_id, {})[person_id] = bool(received)
    return out


def _groups(unit: Unit, today: dt.date) -> tuple[list[str], dict[int, int]]:
    """Row labels (the unit's own people first, then each child) and unit id -> row."""
    tree = UnitTree()
    labels, row_of = [f"{unit.name} (trực tiếp)"], {unit.id: 0}
    for child in tree.children(unit.id, today):
        labels.append(child.name)
        for unit_id in tree.subtree(child.id, None):
            row_of[unit_id] = len(labels) - 1
    return labels, row_of


def build(unit: Unit, start: dt.date, end: dt.date, kind: DocumentKind | None = None,
          today: dt.date | None = None) -> Coverage:
    today = today or dt.date.today()
    docs = documents(start, end, kind)
    out = Coverage(unit, start, end, kind, truncated=len(docs) > MAX_DOCUMENTS)
    docs = docs[:MAX_DOCUMENTS]
    labels, row_of = _groups(unit, today)
    units = [Cell() for _ in labels]
    if docs:
        terms = _bcv_terms(unit, min(d.issued_on for d in docs), max(d.issued_on for d in docs))
        sent = _sent([d.id for d in docs], unit)
        for doc in docs:
            cell = _document_cell(doc, terms, sent.get(doc.id, {}), row_of, units)
            out.by_document.append((doc, cell))
            out.total.add(cell)
    out.by_unit = [(label, cell) for label, cell in zip(labels, units, strict=True)
                   if cell.bcv or cell.sent]
    return out


def _document_cell(doc: Document, terms: list[_Term], sent: dict[int, bool],
                   row_of: dict[int, int], units: list[Cell]) -> Cell:
    """The document's figures, also added to the row of each BCV's unit."""
    day = doc.issued_on
    active = {t.person_id: t.unit_id for t in terms
              if t.start <= day and (t.end is None or day <= t.end)}
    cell = Cell()
    for person_id, unit_id in active.items():
        got = Cell(1, int(person_id in sent), int(sent.get(person_id, False)))
        cell.add(got)
        units[row_of.get(unit_id, 0)].add(got)
    return cell
