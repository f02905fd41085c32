"""The roster list: filters from the query string, diacritic-free search, Vietnamese order."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

import sqlalchemy as sa

from models import Appointment, Gender, Level, Person, Role, Unit, db
from registry import access
from registry.vntext import casefold_nfc, fold

STATUSES = {"active": "Đang hoạt động", "ended": "Đã kết thúc", "all": "Tất cả"}


@dataclass
class RosterFilter:
    q: str = ""
    role: str = ""
    level: str = ""
    unit: str = ""
    status: str = "active"
    gender: str = ""
    ethnicity: str = ""
    party: str = ""
    llct: str = ""
    elig: str = ""  # "1": đủ tiêu chuẩn, "0": chưa đủ (registry.services.eligibility decides)
    page: int = 1

    @classmethod
    def from_args(cls, args) -> RosterFilter:
        """Read filters from request args; unknown or malformed values are ignored."""
        f = cls(**{k.name: (args.get(k.name) or "").strip()[:200]
                   for k in fields(cls) if k.name != "page"})
        f.role = f.role if Role.parse(f.role) else ""
        f.level = f.level if Level.parse(f.level) else ""
        f.gender = f.gender if Gender.parse(f.gender) else ""
        f.status = f.status if f.status in STATUSES else "active"
        f.party = f.party if f.party in ("1", "0") else ""
        f.unit = f.unit if f.unit.isdigit() else ""
        f.elig = f.elig if f.elig in ("1", "0") else ""
        try:
            f.page = max(1, min(int(args.get("page", 1)), 100000))
        except ValueError:
            f.page = 1
        return f

    def args(self, **override) -> dict:
        values = {k.name: getattr(self, k.name) for k in fields(self)}
        values.update(override)
        return {k: v for k, v in values.items() if v not in ("", None, 1) or k == "status"}


def _appointment_clause(f: RosterFilter, day: dt.date):
    conds = [Appointment.person_id == Person.id]
    if f.role:
        conds.append(Appointment.role == Role(f.role))
    if f.level:
        conds.append(Appointment.level == Level(f.level))
    if f.status == "active":
        conds.append(Appointment.active_on_clause(day))
    return sa.exists().where(*conds)


def build_query(f: RosterFilter, day: dt.date | None = None) -> sa.Select:
    """SELECT of Person rows matching `f`, in roster order (scoping is added by access)."""
    day = day or dt.date.today()
    stmt = sa.select(Person)
    if f.role or f.level or f.status == "active":
        stmt = stmt.where(_appointment_clause(f, day))
    if f.status == "ended":
        stmt = stmt.where(~_appointment_clause(RosterFilter(status="active"), day))
    if f.unit:
        unit = access.visible_unit(f.unit)
        path = unit.path if unit is not None else "/none/"
        stmt = stmt.where(Person.unit_id.in_(sa.select(Unit.id).where(
            Unit.path.startswith(path))))
    if f.gender:
        stmt = stmt.where(Person.gender == Gender(f.gender))
    if f.ethnicity:
        stmt = stmt.where(Person.ethnicity == f.ethnicity)
    if f.party:
        stmt = stmt.where(Person.party_member.is_(f.party == "1"))
    if f.llct:
        stmt = stmt.where(Person.political_theory == f.llct)
    return _search(stmt, f.q)


def _search(stmt: sa.Select, q: str) -> sa.Select:
    if not q.strip():
        return stmt.order_by(Person.sort_key, Person.id)
    key = fold(q)
    stmt = stmt.where(sa.or_(Person.search_key.contains(key, autoescape=True),
                             Person.cccd == q.strip()))
    if key == q.strip().casefold():  # typed without diacritics: nothing to rank on
        return stmt.order_by(Person.sort_key, Person.id)
    exact = sa.case((Person.name_folded.contains(casefold_nfc(q), autoescape=True), 0), else_=1)
    return stmt.order_by(exact, Person.sort_key, Person.id)


@dataclass
class Page:
    items: list
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def paginate(stmt: sa.Select, page: int, per_page: int) -> Page:
    total = db.session.execute(sa.select(sa.func.count()).select_from(
        stmt.order_by(None).with_only_columns(Person.id).subquery())).scalar_one()
    page = min(page, max(1, -(-total // per_page)))
    items = db.session.execute(stmt.limit(per_page).offset((page - 1) * per_page)).scalars().all()
    return Page(items, total, page, per_page)


def paginate_filtered(f: RosterFilter, per_page: int, day: dt.date | None = None) -> Page:
    """`paginate(build_query(f))`, and when `f.elig` is set, keep only the people the
    eligibility function finds qualified (or not) for their current roles on `day`."""
    if not f.elig:
        return paginate(build_query(f, day), f.page, per_page)
    from registry.services import eligibility

    day = day or dt.date.today()
    ids = list(db.session.execute(build_query(f, day).with_only_columns(Person.id)).scalars())
    kept = eligibility.filter_ids(ids, f.elig == "1", day, Role.parse(f.role), Level.parse(f.level))
    page = min(f.page, max(1, -(-len(kept) // per_page)))
    chunk = kept[(page - 1) * per_page:page * per_page]
    found = {p.id: p for p in db.session.execute(
        sa.select(Person).where(Person.id.in_(chunk))).scalars()}
    return Page([found[i] for i in chunk if i in found], len(kept), page, per_page)
