"""The conference list: its filters read from the query string (never refusing: a value not
understood is dropped and said so), and one page of it."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from models import Conference, DeliveryForm, Unit, db
from registry.core import access
from registry.roster.query import Page

PER_PAGE = 30


def year_arg(text: str | None) -> int | None:
    """A year from 1900 to 2100, or None."""
    text = (text or "").strip()
    return int(text) if text.isascii() and text.isdigit() and 1900 <= int(text) <= 2100 \
        else None


@dataclass
class ConferenceFilter:
    year: int | None = None
    unit: Unit | None = None
    form: DeliveryForm | None = None
    problems: list[str] = field(default_factory=list)

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> ConferenceFilter:
        f = cls(year=year_arg(args.get("year")), unit=access.visible_unit(args.get("unit")),
                form=DeliveryForm.parse(args.get("form")))
        if args.get("year") and f.year is None:
            f.problems.append(f"Năm «{args['year'][:20]}» không hợp lệ; đang hiện mọi năm.")
        if args.get("unit") and f.unit is None:
            f.problems.append("Không tìm thấy đơn vị đã chọn trong phạm vi của bạn; "
                              "đang hiện mọi đơn vị.")
        return f

    def args(self, **extra) -> dict:
        """The query arguments that give this filter back (for the pager)."""
        out = {"year": self.year, "unit": self.unit.id if self.unit else None,
               "form": self.form.value if self.form else None, **extra}
        return {k: v for k, v in out.items() if v not in (None, "")}

    def statement(self) -> sa.Select:
        stmt = sa.select(Conference)
        if self.year is not None:
            stmt = stmt.where(Conference.date.between(dt.date(self.year, 1, 1),
                                                      dt.date(self.year, 12, 31)))
        if self.unit is not None:
            stmt = stmt.where(access.in_subtree(Conference.unit_id, self.unit))
        if self.form is not None:
            stmt = stmt.where(Conference.form == self.form)
        return stmt


def page_of(f: ConferenceFilter, page: int, per_page: int = PER_PAGE) -> Page:
    """One page of the conferences the filter keeps, newest first."""
    stmt = f.statement()
    total = db.session.execute(
        sa.select(sa.func.count()).select_from(stmt.subquery())).scalar_one()
    page = min(page, max(1, -(-total // per_page)))
    items = db.session.execute(
        stmt.options(joinedload(Conference.unit))
        .order_by(Conference.date.desc(), Conference.id.desc())
        .limit(per_page).offset((page - 1) * per_page)).scalars().all()
    return Page(list(items), total, page, per_page)
