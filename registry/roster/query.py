"""The roster list: filters from the query string, diacritic-free search, Vietnamese order."""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, fields

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from imports.text import fold_case, fold_case_and_diacritics
from models import Appointment, Gender, Level, Person, Role, db
from registry.core import access
from registry.core.dates import add_months, parse_day
from registry.roster import name_search
from registry.units.tree import UnitTree

STATUSES = {"active": "Đang hoạt động", "ended": "Đã kết thúc", "all": "Tất cả"}
# Age bands on the list's date: key -> (label, lowest age, highest age); "none": no birth date.
AGE_BANDS = {"duoi30": ("Dưới 30 tuổi", None, 29), "30-39": ("30–39 tuổi", 30, 39),
             "40-49": ("40–49 tuổi", 40, 49), "50-59": ("50–59 tuổi", 50, 59),
             "tu60": ("Từ 60 tuổi", 60, None), "none": ("Chưa rõ ngày sinh", None, None)}
NONE = "none"  # gender, ethnicity, political theory: the filter value for "not recorded"
_NOT_FILTERS = ("page", "problems", "bad_day")


def age_cutoffs(
    day: dt.date, low: int | None, high: int | None
) -> tuple[dt.date | None, dt.date | None]:
    """Birth dates of people aged `low`..`high` on `day`: (born after, born on or before)."""
    after = add_months(day, -12 * (high + 1)) if high is not None else None
    until = add_months(day, -12 * low) if low is not None else None
    return after, until


def age_band(dob: dt.date | None, day: dt.date) -> str:
    """The AGE_BANDS key of a birth date on `day` (the same cut-offs the roster filter uses)."""
    if dob is None:
        return "none"
    for key, after, until in _band_cutoffs(day):
        if (after is None or dob > after) and (until is None or dob <= until):
            return key
    return "none"


@functools.lru_cache(maxsize=64)
def _band_cutoffs(day: dt.date) -> tuple:
    # Charts and reports put 100,000 people in bands on one day: the dates once, not per person.
    return tuple(
        (key, *age_cutoffs(day, low, high))
        for key, (_label, low, high) in AGE_BANDS.items()
        if key != "none"
    )


@dataclass
class RosterFilter:
    q: str = ""
    role: str = ""
    level: str = ""
    unit: str = ""
    own: str = ""  # "1": only the unit's own people, not those of the units below it
    status: str = "active"
    gender: str = ""
    ethnicity: str = ""
    party: str = ""
    llct: str = ""
    elig: str = ""  # "1": đủ tiêu chuẩn, "0": chưa đủ (registry.eligibility.rules decides)
    age: str = ""  # an AGE_BANDS key, ages on the list's date
    trained: str = ""  # "1"/"0": a counted course completed within the settings' window
    on: str = ""  # the list's date (dd/mm/yyyy or yyyy-mm-dd); empty: today
    page: int = 1
    problems: tuple[str, ...] = ()  # what was ignored, in Vietnamese, for the page to say
    bad_day: bool = False  # `on` named no date: the page still shows today's list, as a 400

    @classmethod
    def from_args(cls, args) -> RosterFilter:
        """Read filters from request args; unknown or malformed values are ignored (a malformed
        date is also explained in `problems`)."""
        f = cls(
            **{
                k.name: (args.get(k.name) or "").strip()[:200]
                for k in fields(cls)
                if k.name not in _NOT_FILTERS
            }
        )
        f.role = f.role if Role.parse(f.role) else ""
        f.level = f.level if Level.parse(f.level) else ""
        f.gender = f.gender if Gender.parse(f.gender) or f.gender == NONE else ""
        f.status = f.status if f.status in STATUSES else "active"
        f.party = f.party if f.party in ("1", "0") else ""
        f.unit = f.unit if f.unit.isdigit() else ""
        f.own = "1" if f.own == "1" and f.unit else ""
        f.elig = f.elig if f.elig in ("1", "0") else ""
        f.trained = f.trained if f.trained in ("1", "0") else ""
        f.age = f.age if f.age in AGE_BANDS else ""
        if f.on and parse_day(f.on) is None:
            f.problems += (
                f"Ngày «{f.on}» không hợp lệ (dùng dạng dd/mm/yyyy); "
                "danh sách tính theo ngày hôm nay.",
            )
            f.on, f.bad_day = "", True
        try:
            f.page = max(1, min(int(args.get("page", 1)), 100000))
        except ValueError:
            f.page = 1
        return f

    @property
    def day(self) -> dt.date | None:
        """The list's date when one was given."""
        return parse_day(self.on)

    @property
    def post_filtered(self) -> bool:
        """Filters decided in Python by the eligibility rules after the SQL query."""
        return bool(self.elig or self.trained)

    def args(self, **override) -> dict:
        values = {k.name: getattr(self, k.name) for k in fields(self)
                  if k.name not in ("problems", "bad_day")}
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
    """SELECT of Person rows matching `f`, in roster order (scoping is added by access).
    Filters decided by the eligibility rules (`f.post_filtered`) are applied by filtered_ids."""
    day = day or f.day or dt.date.today()
    stmt = sa.select(Person)
    if f.role or f.level or f.status == "active":
        stmt = stmt.where(_appointment_clause(f, day))
    if f.status == "ended":
        stmt = stmt.where(~_appointment_clause(RosterFilter(status="active"), day))
    if f.unit:
        unit = access.visible_unit(f.unit)
        if unit is not None and f.day is not None:
            stmt = stmt.where(_held_in(f, day, unit))
        elif unit is not None and f.own:
            stmt = stmt.where(Person.unit_id == unit.id)
        else:
            stmt = stmt.where(access.in_subtree(Person.unit_id, unit))
    if f.gender == NONE:
        stmt = stmt.where(Person.gender.is_(None))
    elif f.gender:
        stmt = stmt.where(Person.gender == Gender(f.gender))
    if f.ethnicity == NONE:
        stmt = stmt.where(Person.ethnicity.is_(None))
    elif f.ethnicity:
        stmt = stmt.where(Person.ethnicity == f.ethnicity)
    if f.party:
        stmt = stmt.where(Person.party_member.is_(f.party == "1"))
    if f.llct == NONE:
        stmt = stmt.where(Person.political_theory.is_(None))
    elif f.llct:
        stmt = stmt.where(Person.political_theory == f.llct)
    if f.age:
        stmt = stmt.where(*_age_clause(f.age, day))
    return _search(stmt, f.q)


def _held_in(f: RosterFilter, day: dt.date, unit) -> sa.ColumnElement[bool]:
    """People who held an appointment (of the role and level asked) in `unit`'s subtree as it
    stood on `day`: a list as of a date follows the units of that date, where people then
    worked, not the units they belong to today."""
    ids = [unit.id] if f.own else UnitTree(day).subtree(unit.id, day)
    conds = [Appointment.person_id == Person.id, Appointment.unit_id.in_(ids),
             Appointment.active_on_clause(day) if f.status == "active"
             else Appointment.start_date <= day]
    if f.role:
        conds.append(Appointment.role == Role(f.role))
    if f.level:
        conds.append(Appointment.level == Level(f.level))
    return sa.exists().where(*conds)


def units_on(people: list[Person], day: dt.date) -> dict[int, str]:
    """Person id -> the unit(s) of their appointments active on `day` (appointments loaded with
    the page): a list as of a past date shows where each person worked then."""
    out = {}
    for p in people:
        names = dict.fromkeys(a.unit_name_snapshot for a in p.appointments
                              if a.start_date <= day and (a.end_date is None or day <= a.end_date))
        if names:
            out[p.id] = ", ".join(names)
    return out


def _age_clause(key: str, day: dt.date) -> list:
    if key == "none":
        return [Person.dob.is_(None)]
    _label, low, high = AGE_BANDS[key]
    after, until = age_cutoffs(day, low, high)
    conds = []
    if after is not None:
        conds.append(Person.dob > after)
    if until is not None:
        conds.append(Person.dob <= until)
    return conds


def _search(stmt: sa.Select, q: str) -> sa.Select:
    if not q.strip():
        return stmt.order_by(Person.sort_key, Person.id)
    key = fold_case_and_diacritics(q)
    # Find the (usually few) matches first, then sort them: as a list of ids, and sorted by an
    # expression no index provides. Walking the name index testing each person instead costs
    # a hundred milliseconds when the matches share a given name late in the alphabet
    # (bench/README.md, "Load").
    stmt = stmt.where(Person.id.in_(name_search.ids_containing(key, q.strip())))
    if key == q.strip().casefold():  # typed without diacritics: nothing to rank on
        return stmt.order_by(Person.sort_key + sa.literal_column("''"), Person.id)
    exact = sa.case((Person.name_folded.contains(fold_case(q), autoescape=True), 0), else_=1)
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
    total = db.session.execute(
        sa.select(sa.func.count()).select_from(
            stmt.order_by(None).with_only_columns(Person.id).subquery()
        )
    ).scalar_one()
    page = min(page, max(1, -(-total // per_page)))
    # The page shows each person's appointments: one query for all of them, not one each.
    items = (
        db.session.execute(
            stmt.limit(per_page)
            .offset((page - 1) * per_page)
            .options(selectinload(Person.appointments), joinedload(Person.unit))
        )
        .scalars()
        .all()
    )
    return Page(items, total, page, per_page)


def filtered_ids(f: RosterFilter, day: dt.date | None = None) -> list[int]:
    """Ids of every person the list holds (all pages), in roster order, the eligibility filters
    (`elig`, `trained`) included: what the screen shows and what the export writes."""
    from registry.eligibility import rules as eligibility

    day = day or f.day or dt.date.today()
    ids = list(db.session.execute(build_query(f, day).with_only_columns(Person.id)).scalars())
    if f.elig:
        ids = eligibility.filter_ids(
            ids, f.elig == "1", day, Role.parse(f.role), Level.parse(f.level)
        )
    if f.trained:
        trained = eligibility.trained_ids(ids, day)
        ids = [i for i in ids if (i in trained) == (f.trained == "1")]
    return ids


def paginate_filtered(f: RosterFilter, per_page: int, day: dt.date | None = None) -> Page:
    """`paginate(build_query(f))`, and with the eligibility filters (`elig`, `trained`), keep
    only the people the eligibility rules find qualified (or trained, or not) on `day`."""
    if not f.post_filtered and not f.q.strip():
        return paginate(build_query(f, day), f.page, per_page)
    # A search's matches are listed once and counted in Python: one scan of the names, not one
    # to count and another for the page. Searches vary without end; their counts are not cached.
    kept = filtered_ids(f, day)
    page = min(f.page, max(1, -(-len(kept) // per_page)))
    chunk = kept[(page - 1) * per_page : page * per_page]
    found = {
        p.id: p
        for p in db.session.execute(
            sa.select(Person)
            .where(Person.id.in_(chunk))
            .options(selectinload(Person.appointments), joinedload(Person.unit))
        ).scalars()
    }
    return Page([found[i] for i in chunk if i in found], len(kept), page, per_page)
