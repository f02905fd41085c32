"""The audit trail as people read it: filters from a query string, the entries the actor may
see (registry.audit.scope), and each entry's before/after difference field by field."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

import sqlalchemy as sa

from models import AuditLog, Person, Unit, db
from registry.audit import labels, scope
from registry.core import access
from registry.core.dates import parse_day
from registry.roster.persons import name_keys
from registry.roster.query import Page

# Entries are stored in UTC (models.base.utcnow); users read and filter by Vietnam's clock
# (UTC+7 all year: no daylight saving).
LOCAL_OFFSET = dt.timedelta(hours=7)
PER_PAGE = 50
# Keys the audit keeps but nobody reads: derived search keys and the edit counter.
HIDDEN = frozenset({"search_key", "name_folded", "sort_key", "version", "created_at",
                    "updated_at"})
FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass
class AuditFilter:
    person: str = ""
    user: str = ""
    unit: str = ""
    action: str = ""
    entity: str = ""
    start: str = ""
    end: str = ""
    page: int = 1
    problems: list[str] = field(default_factory=list)
    unit_row: Unit | None = None
    start_day: dt.date | None = None
    end_day: dt.date | None = None

    FIELDS = ("person", "user", "unit", "action", "entity", "start", "end")

    @classmethod
    def from_args(cls, args) -> AuditFilter:
        """Read the filters; a value that cannot be used is explained in `problems` (then the
        list shows nothing rather than more than was asked for)."""
        f = cls(**{k: (args.get(k) or "").strip()[:200] for k in cls.FIELDS})
        f.page = _page(args.get("page"))
        if f.action and f.action not in labels.ACTIONS:
            f.problems.append(f"Hành động «{f.action[:40]}» không có trong danh sách.")
        if f.entity and f.entity not in labels.ENTITIES:
            f.problems.append(f"Loại đối tượng «{f.entity[:40]}» không có trong danh sách.")
        if f.unit:
            f.unit_row = access.visible_unit(f.unit)
            if f.unit_row is None:
                f.problems.append("Đơn vị đã chọn không có, hoặc nằm ngoài phạm vi bạn được xem.")
        f.start_day = f._day(f.start, "Từ ngày")
        f.end_day = f._day(f.end, "Đến ngày")
        if f.start_day and f.end_day and f.start_day > f.end_day:
            f.problems.append("«Từ ngày» phải trước hoặc bằng «Đến ngày».")
        return f

    def _day(self, text: str, what: str) -> dt.date | None:
        if not text:
            return None
        day = parse_day(text)
        if day is None or not FIRST_YEAR <= day.year <= LAST_YEAR:
            self.problems.append(f"{what} «{text[:40]}» không hợp lệ; hãy nhập theo dạng "
                                 f"dd/mm/yyyy (năm {FIRST_YEAR}–{LAST_YEAR}).")
            return None
        return day

    def args(self, **changes) -> dict:
        """The query string of this filter (for the pager and the export link)."""
        values = {k: getattr(self, k) for k in self.FIELDS if getattr(self, k)}
        return {**values, **changes}


def _page(text) -> int:
    try:
        return max(1, min(int(text or 1), 10**6))
    except (TypeError, ValueError):
        return 1


def build_query(f: AuditFilter) -> sa.Select:
    """The entries `f` asks for that the current actor may see, newest first."""
    stmt = sa.select(AuditLog).order_by(AuditLog.at.desc(), AuditLog.id.desc())
    if f.problems:
        return stmt.where(sa.false())
    for condition in _conditions(f):
        stmt = stmt.where(condition)
    return stmt


def _conditions(f: AuditFilter) -> Iterator[sa.ColumnElement[bool]]:
    if not access.is_admin() or f.unit_row is not None:
        yield scope.about_people(scope.people_in_units(_unit_ids(f.unit_row)))
    if f.person:
        yield scope.about_people(_person_ids(f.person))
    if f.user:
        yield sa.func.lower(AuditLog.actor) == f.user.lower()
    if f.action:
        yield AuditLog.action == f.action
    if f.entity:
        yield AuditLog.entity == f.entity
    if f.start_day:
        yield AuditLog.at >= _utc(f.start_day)
    if f.end_day:
        yield AuditLog.at < _utc(f.end_day + dt.timedelta(days=1))


def _unit_ids(unit: Unit | None) -> sa.Select:
    """The actor's units (`access`), narrowed to `unit`'s subtree when the filter names one."""
    ids = access.visible_unit_ids()
    if unit is not None:
        ids = ids.where(access.in_subtree(Unit.id, unit))
    return ids


def _person_ids(text: str):
    """A person id, or the people whose name holds `text`. Never wider than the scope: the
    entries are also held to the actor's people (`_conditions`)."""
    key = access.parse_id(text)
    if key is not None:
        return [key]
    key = name_keys(text)["search_key"]  # as the roster searches: with or without diacritics
    return sa.select(Person.id).where(Person.search_key.contains(key, autoescape=True))


def _utc(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time()) - LOCAL_OFFSET


def page_of(f: AuditFilter, per_page: int = PER_PAGE) -> Page:
    stmt = build_query(f)
    total = db.session.execute(
        sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery())).scalar_one()
    page = min(f.page, max(1, -(-total // per_page)))
    rows = db.session.execute(stmt.limit(per_page).offset((page - 1) * per_page)).scalars().all()
    return Page(present(rows), total, page, per_page)


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class Entry:
    at: dt.datetime  # local time
    actor: str
    client_addr: str
    action: str
    subject: str
    person_id: int | None
    changes: list[Change]


def present(rows: list[AuditLog]) -> list[Entry]:
    """Entries ready to show: local time, labels, the person named, the changes."""
    owners = scope.owners(rows)
    names = _person_names(set(owners.values()))
    units = labels.unit_names(_unit_ids_named(rows))
    return [_entry(e, owners.get(e.id), names, units) for e in rows]


def _entry(e: AuditLog, owner: int | None, names: dict[int, str],
           units: dict[int, str]) -> Entry:
    name = names.get(owner) if owner else None
    if name is None and e.entity == scope.PERSONS:
        name = (e.before or {}).get("full_name") or (e.after or {}).get("full_name")
    subject = labels.entity_label(e.entity)
    if e.entity_id:
        subject += f" #{e.entity_id}"
    if name:
        subject += f" — {name}"
    return Entry(e.at + LOCAL_OFFSET, e.actor, e.client_addr or "",
                 labels.action_label(e.action), subject, owner, changes(e, units))


def changes(e: AuditLog, units: dict[int, str]) -> list[Change]:
    """The fields an entry changed, each with its label and both values shown Vietnamese-style.
    A created row lists what it was created with, a deleted one what it held."""
    before, after = e.before or {}, e.after or {}
    keys = [k for k in dict.fromkeys([*before, *after]) if k not in HIDDEN]
    if e.action in ("create", "delete"):
        keys = [k for k in keys if before.get(k) not in (None, "") or
                after.get(k) not in (None, "")]
    show = labels.show_value
    return [Change(labels.field_label(e.entity, k), show(e.entity, k, before.get(k), units),
                   show(e.entity, k, after.get(k), units)) for k in keys]


def _person_names(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = db.session.execute(sa.select(Person.id, Person.full_name).where(Person.id.in_(ids)))
    return dict(rows.tuples().all())


def _unit_ids_named(rows: list[AuditLog]) -> set[int]:
    ids = set()
    for e in rows:
        for snap in (e.before or {}, e.after or {}):
            ids.update(v for k, v in snap.items() if k.endswith("unit_id") and isinstance(v, int))
    return ids


def choices() -> dict[str, list[tuple[str, str]]]:
    """The select boxes of the filter form; admins also get the security events."""
    admin = access.is_admin()
    actions = [(k, v) for k, v in labels.ACTIONS.items()]
    entities = [(k, v) for k, v in labels.ENTITIES.items()
                if admin or k == scope.PERSONS or k in {t.name for t in scope.person_tables()}]
    units = [(str(u.id), u.name) for u in db.session.execute(access.visible_units()).scalars()]
    return {"actions": actions, "entities": entities, "units": units}


def person_history(person_id: int, limit: int = 10) -> Page:
    """The latest entries about one person and their rows (the person page's section)."""
    return page_of(AuditFilter(person=str(person_id)), per_page=limit)
