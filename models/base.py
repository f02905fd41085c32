"""Declarative base and the mixins that tell the scoping module who owns a row."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# Indexes that only some databases have, made by hand in migration e1perf (on PostgreSQL the
# roster search's trigram index; on SQLite two covering indexes). They are not declared on the
# models; autogenerate and the schema check skip them (migrations/env.py, tests/cli/test_cli.py).
DIALECT_ONLY_INDEXES = frozenset({"ix_persons_search_trgm", "ix_persons_search_cover",
                                  "ix_appointments_person_active"})
# SQLite's trigram index of names (migration f2search): an FTS5 table and the tables it keeps.
DIALECT_ONLY_TABLE_PREFIX = "persons_search"


def declared_in_models(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic's include_object: leave out what only some databases have (above)."""
    if type_ == "index":
        return name not in DIALECT_ONLY_INDEXES
    return not (type_ == "table" and name.startswith(DIALECT_ONLY_TABLE_PREFIX))


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class TimestampMixin:
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class UnitScoped:
    """Rows owned by a unit: visible to users whose subtree holds that unit."""

    @declared_attr
    def unit_id(cls) -> Mapped[int]:
        return mapped_column(sa.ForeignKey("units.id"), index=True)


class UnitShared:
    """Rows owned by a unit and open to the units below it (a course the province organises is
    the districts' course too). registry.core.access holds the exact rule; only the owner writes."""

    @declared_attr
    def unit_id(cls) -> Mapped[int]:
        return mapped_column(sa.ForeignKey("units.id"), index=True)


class PersonScoped:
    """Rows that belong to a person: visible exactly when the person is."""

    @declared_attr
    def person_id(cls) -> Mapped[int]:
        return mapped_column(sa.ForeignKey("persons.id", ondelete="CASCADE"), index=True)


class Audited:
    """Marker: every insert, update and delete of these rows writes an AuditLog entry."""
