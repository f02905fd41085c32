"""Sending a document to the people chosen by criteria, and recording that they received it.

Recipients are the people in the actor's scope holding, today, an active appointment of the
role and level chosen, in the unit's subtree, and (when a saved list is chosen) among that
list's members. Each gets one Distribution; people who already have one are skipped. A commune
officer may send a province document to their own people: what matters is that the actor may
write each recipient's unit, not the document's."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from models import Distribution, Document, Level, Person, Role, SavedList, Unit, db
from registry.core import access
from registry.core.rules import RuleViolation
from registry.lists.qualification import Criteria, evaluate
from registry.roster.query import RosterFilter, filtered_ids

_CHUNK = 500
PREVIEW_NAMES = 20


@dataclass
class Choice:
    """The criteria of one sending."""

    role: Role | None = None
    level: Level | None = None
    unit: Unit | None = None          # None: the actor's whole scope
    saved: SavedList | None = None

    def describe(self) -> str:
        who = self.role.label if self.role else "Báo cáo viên và tuyên truyền viên"
        parts = [who + (f" {self.level.phrase}" if self.level else "") + " đang hoạt động"]
        if self.unit is not None:
            parts.append(f"thuộc {self.unit.name}")
        if self.saved is not None:
            parts.append(f"có trong danh sách «{self.saved.name}»")
        return ", ".join(parts)


@dataclass
class Recipients:
    ids: list[int]                     # everyone the criteria choose, roster order
    already: set[int] = field(default_factory=set)  # of them, those already sent it

    @property
    def new_ids(self) -> list[int]:
        return [i for i in self.ids if i not in self.already]


def recipients(doc: Document, choice: Choice, today: dt.date | None = None) -> Recipients:
    today = today or dt.date.today()
    f = RosterFilter(role=choice.role.value if choice.role else "",
                     level=choice.level.value if choice.level else "",
                     unit=str(choice.unit.id) if choice.unit else "", status="active")
    ids = filtered_ids(f, today)
    if choice.saved is not None:
        outcome = evaluate(Criteria.of(choice.saved), choice.saved.name, today)
        members = {e.person.id for e in outcome.members}
        ids = [i for i in ids if i in members]
    already = set(db.session.execute(sa.select(Distribution.person_id).where(
        Distribution.document_id == doc.id)).scalars())
    return Recipients(ids, already & set(ids))


def people(ids: list[int]) -> list[Person]:
    """The people of `ids` with their units, in the order of `ids`."""
    found: dict[int, Person] = {}
    for start in range(0, len(ids), _CHUNK):
        stmt = (sa.select(Person).where(Person.id.in_(ids[start:start + _CHUNK]))
                .options(joinedload(Person.unit)))
        found.update({p.id: p for p in db.session.execute(stmt).scalars()})
    return [found[i] for i in ids if i in found]


def send(doc: Document, choice: Choice, actor: str,
         today: dt.date | None = None) -> tuple[int, int]:
    """One Distribution per new recipient, all or none; returns (sent, skipped)."""
    access.require_writer()
    today = today or dt.date.today()
    found = recipients(doc, choice, today)
    if not found.ids:
        raise RuleViolation(None, "Không có ai phù hợp với tiêu chí đã chọn; chưa gửi cho ai.")
    if not found.new_ids:
        raise RuleViolation(None, f"Cả {len(found.ids)} người phù hợp đều đã được gửi tài liệu "
                                  "này; không có người nhận mới.")
    for person in people(found.new_ids):
        access.require_write(person.unit)
        db.session.add(Distribution(document_id=doc.id, person_id=person.id, sent_on=today,
                                    sent_by=actor))
    db.session.flush()
    return len(found.new_ids), len(found.already)


# Receipt ---------------------------------------------------------------------------------

STATUSES = {"": "Tất cả", "received": "Đã nhận", "pending": "Chưa nhận"}


def distributions_stmt(doc: Document, status: str = "") -> sa.Select:
    """The document's distributions the actor may see (their people), roster order."""
    stmt = (sa.select(Distribution).join(Distribution.person)
            .where(Distribution.document_id == doc.id)
            .order_by(Person.sort_key, Person.id))
    if status == "received":
        stmt = stmt.where(Distribution.received_on.is_not(None))
    elif status == "pending":
        stmt = stmt.where(Distribution.received_on.is_(None))
    return stmt


def chosen(doc: Document, ids: list[int], status: str, everyone: bool) -> list[Distribution]:
    """The ticked distributions of `doc` (or all those the filter shows), the actor's only."""
    stmt = distributions_stmt(doc, status).options(joinedload(Distribution.person)
                                                   .joinedload(Person.unit))
    if not everyone:
        stmt = stmt.where(Distribution.id.in_(ids or [0]))
    return list(db.session.execute(stmt).scalars())


def mark_received(rows: list[Distribution], day: dt.date) -> int:
    """Record receipt on `day` for those not yet recorded; returns how many changed."""
    if not rows:
        raise RuleViolation(None, "Chưa chọn người nào.")
    if day > dt.date.today():
        raise RuleViolation("received_on", "Ngày nhận không được ở tương lai.")
    changed = 0
    for dist in rows:
        access.require_write(dist.person.unit)
        if dist.received_on is not None:
            continue
        if day < dist.sent_on:
            raise RuleViolation("received_on", f"Ngày nhận {day:%d/%m/%Y} trước ngày gửi "
                                f"{dist.sent_on:%d/%m/%Y} ({dist.person.full_name}); "
                                "chưa ghi nhận cho ai.")
        dist.received_on = day
        changed += 1
    db.session.flush()
    return changed


def undo_received(rows: list[Distribution]) -> int:
    if not rows:
        raise RuleViolation(None, "Chưa chọn người nào.")
    changed = 0
    for dist in rows:
        access.require_write(dist.person.unit)
        changed += dist.received_on is not None
        dist.received_on = None
    db.session.flush()
    return changed


def counts(doc: Document) -> tuple[int, int]:
    """(sent, received) among the people the actor sees."""
    row = db.session.execute(
        sa.select(sa.func.count(Distribution.id), sa.func.count(Distribution.received_on))
        .where(Distribution.document_id == doc.id)).one()
    return row[0], row[1]


def person_distributions(person: Person) -> list[Distribution]:
    stmt = (sa.select(Distribution).join(Distribution.document)
            .where(Distribution.person_id == person.id)
            .options(joinedload(Distribution.document))
            .order_by(Document.issued_on.desc(), Distribution.id.desc()))
    return list(db.session.execute(stmt).scalars())
