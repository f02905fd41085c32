"""The documents list: its filters (kind, year, issuing unit's subtree, text), one page, and
the sent/received counts of the page's documents among the people the actor sees."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from models import Distribution, Document, DocumentKind, Unit, db
from registry.core import access
from registry.roster.query import Page


@dataclass
class DocumentFilter:
    kind: DocumentKind | None = None
    year: int | None = None
    unit: Unit | None = None
    q: str = ""
    problems: tuple[str, ...] = ()  # what was ignored, in Vietnamese

    @classmethod
    def from_args(cls, args) -> DocumentFilter:
        f = cls(kind=DocumentKind.parse(args.get("kind")), q=(args.get("q") or "").strip()[:200])
        problems = []
        year = (args.get("year") or "").strip()
        if year.isascii() and year.isdigit() and 1900 <= int(year) <= 2100:
            f.year = int(year)
        elif year:
            problems.append(f"Năm «{year[:20]}» không hợp lệ; đang hiện mọi năm.")
        unit = (args.get("unit") or "").strip()
        if unit:
            f.unit = access.visible_unit(unit)
            if f.unit is None:
                problems.append("Đơn vị đã chọn không tồn tại hoặc nằm ngoài phạm vi của bạn; "
                                "đang hiện mọi đơn vị.")
        f.problems = tuple(problems)
        return f

    def args(self, **override) -> dict:
        values = {"kind": self.kind.value if self.kind else "", "year": self.year or "",
                  "unit": self.unit.id if self.unit else "", "q": self.q, **override}
        return {k: v for k, v in values.items() if v not in ("", None, 1)}

    def statement(self) -> sa.Select:
        stmt = sa.select(Document).order_by(Document.issued_on.desc(), Document.id.desc())
        if self.kind is not None:
            stmt = stmt.where(Document.kind == self.kind)
        if self.year is not None:
            stmt = stmt.where(Document.issued_on.between(dt.date(self.year, 1, 1),
                                                         dt.date(self.year, 12, 31)))
        if self.unit is not None:
            stmt = stmt.where(access.in_subtree(Document.unit_id, self.unit))
        if self.q:
            stmt = stmt.where(sa.or_(*(col.icontains(self.q, autoescape=True) for col in (
                Document.title, Document.number, Document.issuer, Document.summary))))
        return stmt


def page_of(stmt: sa.Select, page: int, per_page: int) -> Page:
    """One page of the rows `stmt` selects (a page past the end shows the last one)."""
    total = db.session.execute(sa.select(sa.func.count()).select_from(
        stmt.order_by(None).subquery())).scalar_one()
    page = min(page, max(1, -(-total // per_page)))
    items = db.session.execute(stmt.limit(per_page).offset((page - 1) * per_page)).scalars().all()
    return Page(list(items), total, page, per_page)


def document_page(f: DocumentFilter, page: int, per_page: int) -> tuple[Page, dict]:
    """A page of documents, and document id -> (sent, received) among the actor's people."""
    found = page_of(f.statement(), page, per_page)
    rows = db.session.execute(
        sa.select(Distribution.document_id, sa.func.count(Distribution.id),
                  sa.func.count(Distribution.received_on))
        .where(Distribution.document_id.in_([d.id for d in found.items] or [0]))
        .group_by(Distribution.document_id)).all()
    return found, {doc_id: (sent, received) for doc_id, sent, received in rows}
