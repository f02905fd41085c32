"""The activity list's filters, read from the query string: period, unit (its subtree), form,
topic (accent-insensitive) and person. A value the list cannot use is ignored and, for a date,
explained on the page; the list itself never refuses."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from imports.text import fold_case_and_diacritics
from models import Activity, DeliveryForm, Person, Unit, db
from registry.core import access
from registry.core.dates import parse_day
from registry.core.params import MAX_PAGE
from registry.roster.query import Page

# A topic search matches the distinct topics of the filtered rows in Python (neither database
# folds Vietnamese diacritics by itself); past this many distinct matches the IN list is cut.
MAX_TOPICS = 5000


@dataclass
class ActivityFilter:
    start: dt.date | None = None
    end: dt.date | None = None
    unit: Unit | None = None
    form: DeliveryForm | None = None
    topic: str = ""
    person: Person | None = None
    page: int = 1
    problems: list[str] = field(default_factory=list)

    @classmethod
    def from_args(cls, args) -> ActivityFilter:
        f = cls(unit=access.visible_unit(args.get("unit")),
                form=DeliveryForm.parse(args.get("form")),
                topic=" ".join((args.get("topic") or "").split())[:200],
                person=_person(args.get("person")), page=_page(args.get("page")))
        f.start = f._day(args, "from", "Từ ngày")
        f.end = f._day(args, "to", "Đến ngày")
        if f.start and f.end and f.end < f.start:
            f.problems.append("«Đến ngày» trước «Từ ngày»: khoảng thời gian bị bỏ qua.")
            f.start = f.end = None
        return f

    def _day(self, args, name: str, label: str) -> dt.date | None:
        text = (args.get(name) or "").strip()
        day = parse_day(text[:40])
        if text and day is None:
            self.problems.append(f"{label} «{text[:20]}» không hợp lệ (dùng dạng dd/mm/yyyy); "
                                 "điều kiện này bị bỏ qua.")
        return day

    def args(self, **override) -> dict:
        """The query string of this filter (for the pager, the export link)."""
        values = {"from": f"{self.start:%d/%m/%Y}" if self.start else "",
                  "to": f"{self.end:%d/%m/%Y}" if self.end else "",
                  "unit": self.unit.id if self.unit else "",
                  "form": self.form.value if self.form else "", "topic": self.topic,
                  "person": self.person.id if self.person else "", "page": self.page}
        values.update(override)
        return {k: v for k, v in values.items() if v not in ("", None) and (k, v) != ("page", 1)}

    def described(self) -> str:
        """The filter in words, for the exported file's subtitle."""
        parts = []
        period = " ".join(x for x in (f"từ ngày {self.start:%d/%m/%Y}" if self.start else "",
                                      f"đến ngày {self.end:%d/%m/%Y}" if self.end else "") if x)
        parts.append(period)
        if self.unit:
            parts.append(f"đơn vị {self.unit.name}")
        if self.form:
            parts.append(f"hình thức {self.form.label.lower()}")
        if self.topic:
            parts.append(f"chủ đề có «{self.topic}»")
        if self.person:
            parts.append(f"người báo cáo {self.person.full_name}")
        return "; ".join(p for p in parts if p) or "tất cả các buổi trong phạm vi"


def _person(ident) -> Person | None:
    key = access.parse_id(ident)
    if key is None:
        return None
    return db.session.execute(sa.select(Person).where(Person.id == key)).scalar_one_or_none()


def _page(text) -> int:
    text = (text or "").strip()
    if text.isascii() and text.isdigit() and len(text) <= 7:
        return max(1, min(int(text), MAX_PAGE))
    return 1


def build(f: ActivityFilter) -> sa.Select:
    """The filtered sessions, newest first (one row per presenter)."""
    stmt = sa.select(Activity).join(Activity.person).where(*_conditions(f))
    if f.topic:
        stmt = stmt.where(Activity.topic.in_(matching_topics(f)))
    return stmt.order_by(Activity.date.desc(), Person.sort_key, Activity.id)


def _conditions(f: ActivityFilter) -> list:
    conds = []
    if f.unit is not None:
        conds.append(access.in_subtree(Activity.unit_id, f.unit))
    if f.person is not None:
        conds.append(Activity.person_id == f.person.id)
    if f.start is not None:
        conds.append(Activity.date >= f.start)
    if f.end is not None:
        conds.append(Activity.date <= f.end)
    if f.form is not None:
        conds.append(Activity.form == f.form)
    return conds


def matching_topics(f: ActivityFilter) -> list[str]:
    """The distinct topics of the otherwise filtered rows that contain the searched text, case
    and diacritics aside ("nghi quyet" finds "Nghị quyết")."""
    key = fold_case_and_diacritics(f.topic)
    topics = db.session.execute(
        sa.select(Activity.topic).where(*_conditions(f)).distinct()).scalars()
    return [t for t in topics if key in fold_case_and_diacritics(t)][:MAX_TOPICS]


def paginate(stmt: sa.Select, page: int, per_page: int) -> Page:
    """One page of the filtered rows (the last one when `page` is beyond it), with the
    presenter, unit and appointment each row shows loaded in the same query."""
    total = db.session.execute(sa.select(sa.func.count()).select_from(
        stmt.order_by(None).with_only_columns(Activity.id).subquery())).scalar_one()
    page = min(page, max(1, -(-total // per_page)))
    items = db.session.execute(stmt.limit(per_page).offset((page - 1) * per_page).options(
        *row_options())).scalars().all()
    return Page(list(items), total, page, per_page)


def row_options() -> tuple:
    """What a listed row shows besides itself, loaded with it."""
    return (joinedload(Activity.person).joinedload(Person.unit), joinedload(Activity.unit),
            joinedload(Activity.appointment))


def group_sizes(items) -> dict[str, int]:
    """How many presenters (visible to the actor) each shared session on the page has."""
    keys = {a.session_key for a in items if a.session_key}
    if not keys:
        return {}
    return dict(db.session.execute(
        sa.select(Activity.session_key, sa.func.count(Activity.id))
        .where(Activity.session_key.in_(keys)).group_by(Activity.session_key)).all())
