"""Which audit entries an actor may read. The audit log is not a scoped model: an entry is
visible when it is about a person the actor sees, or about one of that person's rows
(appointments, records, payments…). The people come from registry.core.access
(`visible_unit_ids`); a person or row deleted since is placed by its last snapshot.

Security events and entries about units, accounts, rates or settings belong to no person:
only admins read them."""
from __future__ import annotations

import functools

import sqlalchemy as sa

from models import AuditLog
from models.base import Audited, Base

PERSONS = "persons"


@functools.cache
def person_tables() -> tuple[sa.Table, ...]:
    """The audited tables whose rows belong to a person (they have a person_id)."""
    return tuple(
        sorted((m.local_table for m in Base.registry.mappers
                if issubclass(m.class_, Audited) and "person_id" in m.local_table.c
                and m.local_table.name != PERSONS), key=lambda t: t.name))


def _snapshot_int(log: sa.TableClause, key: str) -> sa.ColumnElement:
    # A delete keeps the whole row in `before`, a create in `after`: either names the owner.
    return sa.func.coalesce(log.c.before[key].as_integer(), log.c.after[key].as_integer())


def people_in_units(unit_ids: sa.Select) -> sa.CompoundSelect:
    """Ids of the people of `unit_ids`: those alive there now, and those deleted while there
    (an id taken again by a newer person counts as that person's, never as the old one's)."""
    persons = Base.metadata.tables[PERSONS]
    log = AuditLog.__table__.alias("gone_people")
    alive = sa.select(persons.c.id).where(persons.c.unit_id.in_(unit_ids))
    gone = sa.select(log.c.entity_id).where(
        log.c.entity == PERSONS, log.c.action == "delete",
        log.c.before["unit_id"].as_integer().in_(unit_ids),
        log.c.entity_id.not_in(sa.select(persons.c.id)))
    return sa.union(alive, gone)


def about_people(person_ids) -> sa.ColumnElement[bool]:
    """Entries about `person_ids` (a SELECT of ids or a list) or about their rows."""
    clauses = [sa.and_(AuditLog.entity == PERSONS, AuditLog.entity_id.in_(person_ids))]
    for table in person_tables():
        clauses.append(sa.and_(AuditLog.entity == table.name,
                               AuditLog.entity_id.in_(_rows_of(table, person_ids))))
    return sa.or_(*clauses)


def _rows_of(table: sa.Table, person_ids) -> sa.CompoundSelect:
    """Ids of `table`'s rows of these people: alive now, or deleted (by their snapshots)."""
    log = AuditLog.__table__.alias(f"gone_{table.name}")
    alive = sa.select(table.c.id).where(table.c.person_id.in_(person_ids))
    gone = sa.select(log.c.entity_id).where(
        log.c.entity == table.name, log.c.entity_id.not_in(sa.select(table.c.id)),
        _snapshot_int(log, "person_id").in_(person_ids))
    return sa.union(alive, gone)


def owners(entries: list[AuditLog]) -> dict[int, int]:
    """Entry id → the id of the person it is about, for the entries that name one (one query
    for the rows still there, however many kinds of row the entries are about)."""
    found = {e.id: e.entity_id for e in entries if e.entity == PERSONS and e.entity_id}
    rows = [e for e in entries if e.entity != PERSONS and e.entity_id]
    live = _live_owners(rows)
    for e in rows:
        snap = (e.before or {}).get("person_id") or (e.after or {}).get("person_id")
        owner = live.get((e.entity, e.entity_id)) or snap
        if isinstance(owner, int):
            found[e.id] = owner
    return found


def _live_owners(entries: list[AuditLog]) -> dict[tuple[str, int], int]:
    from models import db

    parts = []
    for table in person_tables():
        ids = {e.entity_id for e in entries if e.entity == table.name}
        if ids:
            parts.append(sa.select(sa.literal(table.name).label("entity"), table.c.id,
                                   table.c.person_id).where(table.c.id.in_(ids)))
    if not parts:
        return {}
    rows = db.session.execute(sa.union_all(*parts) if len(parts) > 1 else parts[0])
    return {(entity, row_id): person_id for entity, row_id, person_id in rows}
