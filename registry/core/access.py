"""THE scoping module: which units a user sees, applied to every ORM query in one place.

A request sets the scope of its logged-in user; a CLI command sets the scope of the unit it
names. While a scope is set, every ORM SELECT gets loader criteria that keep only rows of
UnitScoped models inside the scope's subtree, and rows of PersonScoped models whose person is
inside it. Without a logged-in user a request sees no scoped rows at all. Units themselves are
not filtered (the tree is everyone's): `visible_units` and `unit_in_scope` say which are the
actor's, and `get_scoped_or_404` answers 404 for the others.

UnitShared rows (courses, conferences, documents) are open a little wider: a course is visible
when its organising unit is inside the subtree, when it is organised by a unit *above* the
scope's unit (the province's course is every district's course), or when one of the scope's
people attended it. A conference is open the same way, and also to the units of its connection
points; a document to the units above-or-below likewise, and to the units whose people it was
sent to.
Writing to such a row still needs its organising unit inside the subtree (`require_write`);
the attendance rows on it stay PersonScoped, so nobody sees who else came.
"""
from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
from dataclasses import dataclass
from typing import TypeVar

import sqlalchemy as sa
from flask import abort, has_request_context
from sqlalchemy import event
from sqlalchemy.orm import Session, with_loader_criteria

from models import (
    Attendance,
    Conference,
    ConferenceAttendance,
    ConferencePoint,
    Course,
    Distribution,
    Document,
    Person,
    Unit,
    UserRole,
    db,
    unit_successors,
)
from models.base import PersonScoped, UnitScoped

T = TypeVar("T")


@dataclass(frozen=True)
class Scope:
    """What one actor may see: a subtree (by unit path) or the whole province (path None)."""

    unit_id: int | None
    unit_path: str | None
    can_write: bool = True
    # A unit of the former structure (ended) reaches the units that took over its subtree: their
    # subtrees (`reach`), a new province root alone (`reach_exact`), and all their ids at the
    # time the scope was made (`reach_ids`, for SQL).
    reach: tuple[str, ...] = ()
    reach_exact: tuple[str, ...] = ()
    reach_ids: tuple[int, ...] = ()

    @property
    def is_province(self) -> bool:
        return self.unit_path is None

    def contains_path(self, path: str) -> bool:
        return (
            self.unit_path is None
            or path.startswith(self.unit_path)
            or path in self.reach_exact
            or any(path.startswith(prefix) for prefix in self.reach)
        )


class AccessDenied(Exception):
    """A write outside the actor's scope, or by an actor who may only read."""


_scope: contextvars.ContextVar[Scope | None] = contextvars.ContextVar("scope", default=None)
# Unit paths hold only digits and "/", so no unit lies below this one: a scope or a filter
# with it shows nothing.
NO_UNIT_PATH = "/none/"
DENY_ALL = Scope(unit_id=None, unit_path=NO_UNIT_PATH, can_write=False)


def scope_for_user(user) -> Scope:
    if user.role is UserRole.ADMIN:
        return Scope(unit_id=user.unit_id, unit_path=None, can_write=True)
    if _ended(user.unit):
        return _former_scope(user.unit, can_write=user.role is UserRole.OFFICER)
    return Scope(user.unit_id, user.unit.path, can_write=user.role is UserRole.OFFICER)


def scope_for_unit(unit: Unit) -> Scope:
    """The scope an officer of `unit` has; a root unit (the province) sees everything, a former
    one (ended) its old subtree and the units that took it over."""
    if _ended(unit):
        return _former_scope(unit, can_write=True)
    return Scope(unit.id, None if unit.parent_id is None else unit.path, can_write=True)


def _ended(unit: Unit) -> bool:
    return unit.valid_to is not None and unit.valid_to < dt.date.today()


def _former_scope(unit: Unit, *, can_write: bool) -> Scope:
    """An account (or a command) on a unit of the former structure keeps working until it is
    moved: its old subtree, and the units its subtree's units were succeeded by, with theirs
    (villages added since). A successor that is a province root counts alone: "Tỉnh Kon Tum"
    reaches the people at the new province's level, not the whole new province."""
    old = _ids_under(unit.path)
    successors = db.session.execute(
        sa.select(Unit).where(Unit.id.in_(
            sa.select(unit_successors.c.successor_id)
            .where(unit_successors.c.predecessor_id.in_(old))))
    ).scalars().all()
    reach = tuple(sorted({u.path for u in successors if u.parent_id is not None}))
    exact = tuple(sorted({u.path for u in successors if u.parent_id is None}))
    ids: tuple[int, ...] = ()
    if reach or exact:
        ids = tuple(db.session.execute(sa.select(Unit.id).where(sa.or_(
            Unit.path.in_(exact), *(Unit.path.startswith(p) for p in reach)))).scalars())
    return Scope(unit.id, unit.path, can_write, reach, exact, ids)


def current_scope() -> Scope | None:
    scope = _scope.get()
    if scope is None and has_request_context():
        return DENY_ALL
    return scope


def scope_key() -> str:
    """What figures computed in the current scope depend on (the figure cache's key)."""
    scope = current_scope()
    return "-" if scope is None else f"{scope.unit_id}:{scope.unit_path}"


@contextlib.contextmanager
def scoped(scope: Scope | None):
    token = _scope.set(scope)
    try:
        yield scope
    finally:
        _scope.reset(token)


def set_request_scope(scope: Scope | None) -> contextvars.Token:
    return _scope.set(scope)


def reset_request_scope(token: contextvars.Token) -> None:
    _scope.reset(token)


def _ids_under(path: str) -> sa.Select:
    """SELECT of the ids of the unit at `path` and of every unit below it."""
    return sa.select(Unit.id).where(Unit.path.startswith(path))


def in_subtree(column, unit: Unit | None) -> sa.ColumnElement[bool]:
    """`column` (a unit id column) names `unit` or a unit below it. A None unit (a filter naming
    a unit the actor may not see) matches nothing: an unseen unit reads as an empty one."""
    return column.in_(_ids_under(unit.path if unit is not None else NO_UNIT_PATH))


def visible_unit_ids(scope: Scope | None = None) -> sa.Select:
    """SELECT of the ids of units inside the scope (all units for the province)."""
    scope = scope or current_scope()
    if scope is not None and scope.reach_ids:
        return sa.select(Unit.id).where(sa.or_(Unit.path.startswith(scope.unit_path),
                                               Unit.id.in_(scope.reach_ids)))
    if scope is not None and scope.unit_path is not None:
        return _ids_under(scope.unit_path)
    return sa.select(Unit.id)


def visible_units(scope: Scope | None = None) -> sa.Select:
    """SELECT of Unit rows inside the scope, in tree order."""
    return sa.select(Unit).where(Unit.id.in_(visible_unit_ids(scope))).order_by(Unit.path)


def unit_in_scope(unit: Unit | None, scope: Scope | None = None) -> bool:
    scope = scope or current_scope()
    return unit is not None and (scope is None or scope.contains_path(unit.path))


def require_write(unit: Unit | None, scope: Scope | None = None) -> None:
    """Raise AccessDenied unless the actor may write rows owned by `unit`."""
    scope = scope or current_scope()
    if scope is not None and (not scope.can_write or not unit_in_scope(unit, scope)):
        raise AccessDenied
    if unit is None:
        raise AccessDenied


def require_writer(scope: Scope | None = None) -> None:
    """Raise AccessDenied when the actor may only read (a viewer), whatever the unit."""
    scope = scope or current_scope()
    if scope is not None and not scope.can_write:
        raise AccessDenied


def is_admin(scope: Scope | None = None) -> bool:
    """Whether the actor administers the province: it sees the whole province and may write.
    A user has this scope exactly when their role is ADMIN (`scope_for_user`); a CLI command
    has it when it names the root unit, or names none (no scope set)."""
    scope = scope or current_scope()
    return scope is None or (scope.is_province and scope.can_write)


def require_admin(scope: Scope | None = None) -> None:
    """Raise AccessDenied (a 403 page in a request) unless the actor is an admin (`is_admin`)."""
    if not is_admin(scope):
        raise AccessDenied


def parse_id(ident) -> int | None:
    """A row id from a URL or form value; None for anything a database column cannot hold."""
    try:
        key = int(ident)
    except (TypeError, ValueError):
        return None
    return key if 0 < key < 2**31 else None  # ids are INTEGER columns on PostgreSQL


def visible_unit(ident) -> Unit | None:
    """The unit a filter names, if the actor may see it (None otherwise, never an error)."""
    key = parse_id(ident)
    unit = db.session.get(Unit, key) if key is not None else None
    return unit if unit_in_scope(unit) else None


def get_scoped_or_404(model: type[T], ident, *options) -> T:
    """Load one row through the scoped query path (never the identity map) or abort 404;
    `options`: loader options (what the page shows, in a few queries instead of one per row)."""
    key = parse_id(ident)
    if key is None:
        abort(404)
    row = db.session.execute(sa.select(model).where(model.id == key).options(*options)) \
        .scalar_one_or_none()
    if row is None:
        abort(404)
    if isinstance(row, Unit) and not unit_in_scope(row):
        abort(404)
    return row


def owner_unit(row) -> Unit:
    """The unit whose writers may change `row`: a unit itself, the person's unit for a row of
    a person (an appointment or a payment elsewhere still belongs to the person), else the
    row's own unit."""
    if isinstance(row, Unit):
        return row
    if isinstance(row, PersonScoped):
        return row.person.unit
    return row.unit


def get_writable_or_404(model: type[T], ident, *options) -> T:
    """Load one row as `get_scoped_or_404` does, then check the actor may write it.

    :raise NotFound: (abort 404) the id is malformed, or no such row is visible to the actor.
    :raise AccessDenied: (a 403 page) the row is visible but the actor may not write it: a
        viewer, or a course organised by a unit above the actor's.
    """
    row = get_scoped_or_404(model, ident, *options)
    require_write(owner_unit(row))
    return row


def unscoped(stmt):
    """Mark a statement as deliberately outside scoping (reference data, import matching)."""
    return stmt.execution_options(unscoped=True)


def _criteria_for(scope: Scope):
    # The lambdas are cached by SQLAlchemy; `prefix` is a plain string so that it is tracked
    # as a bound parameter and each scope gets its own value (a captured Select would not be,
    # hence `_ids_under` spelled out inside them). Unit paths hold only digits and "/", so
    # LIKE needs no escaping.
    prefix = scope.unit_path
    if scope.reach_ids:
        return _reaching_criteria(prefix, scope.reach_ids)
    return [
        *_shared_criteria(prefix),
        with_loader_criteria(
            UnitScoped,
            lambda cls: cls.unit_id.in_(sa.select(Unit.id).where(Unit.path.startswith(prefix))),
            include_aliases=True),
        with_loader_criteria(
            PersonScoped,
            lambda cls: cls.person_id.in_(sa.select(Person.id).where(Person.unit_id.in_(
                sa.select(Unit.id).where(Unit.path.startswith(prefix))))),
            include_aliases=True),
    ]


def _reaching_criteria(prefix: str, ids: tuple[int, ...]):
    """`_criteria_for` of a former unit's scope: its subtree or the units that took it over
    (`ids`, a plain tuple: the lambdas bind it as one expanding parameter)."""
    return [
        *_shared_criteria(prefix),
        with_loader_criteria(
            UnitScoped,
            lambda cls: cls.unit_id.in_(sa.select(Unit.id).where(
                sa.or_(Unit.path.startswith(prefix), Unit.id.in_(ids)))),
            include_aliases=True),
        with_loader_criteria(
            PersonScoped,
            lambda cls: cls.person_id.in_(sa.select(Person.id).where(Person.unit_id.in_(
                sa.select(Unit.id).where(sa.or_(Unit.path.startswith(prefix),
                                                Unit.id.in_(ids)))))),
            include_aliases=True),
    ]


def _shared_criteria(prefix: str) -> list:
    return [
        with_loader_criteria(Course, _course_criteria(prefix), include_aliases=True),
        with_loader_criteria(Conference, _conference_criteria(prefix), include_aliases=True),
        with_loader_criteria(Document, _document_criteria(prefix), include_aliases=True),
    ]


def _above_and_under(prefix: str):
    above = [int(part) for part in prefix.strip("/").split("/") if part.isdigit()]
    subtree = _ids_under(prefix)
    return above, subtree, sa.select(Person.id).where(Person.unit_id.in_(subtree))


def _course_criteria(prefix: str):
    """Courses of the subtree, of the units above it, and those the subtree's people attended."""
    above, subtree, people = _above_and_under(prefix)
    attended = sa.select(Attendance.course_id).where(Attendance.person_id.in_(people))
    return sa.or_(Course.unit_id.in_(subtree), Course.unit_id.in_(above),
                  Course.id.in_(attended))


def _conference_criteria(prefix: str):
    """As courses, and the conferences with a connection point inside the subtree."""
    above, subtree, people = _above_and_under(prefix)
    attended = sa.select(ConferenceAttendance.conference_id).where(
        ConferenceAttendance.person_id.in_(people))
    pointed = sa.select(ConferencePoint.conference_id).where(ConferencePoint.unit_id.in_(subtree))
    return sa.or_(Conference.unit_id.in_(subtree), Conference.unit_id.in_(above),
                  Conference.id.in_(attended), Conference.id.in_(pointed))


def _document_criteria(prefix: str):
    """Documents of the subtree, of the units above it, and those sent to the subtree's people."""
    above, subtree, people = _above_and_under(prefix)
    sent = sa.select(Distribution.document_id).where(Distribution.person_id.in_(people))
    return sa.or_(Document.unit_id.in_(subtree), Document.unit_id.in_(above),
                  Document.id.in_(sent))


@event.listens_for(Session, "do_orm_execute")
def _apply_scope(state) -> None:
    if not state.is_select or state.is_column_load or state.execution_options.get("unscoped"):
        return
    scope = current_scope()
    if scope is None or scope.unit_path is None:
        return
    state.statement = state.statement.options(*_criteria_for(scope))


def init_app(app) -> None:
    from flask import g
    from flask_login import current_user

    @app.before_request
    def _set_scope():
        if current_user.is_authenticated:
            g._scope_token = set_request_scope(scope_for_user(current_user))

    @app.teardown_request
    def _reset_scope(_exc):
        token = g.pop("_scope_token", None)
        if token is not None:
            try:
                reset_request_scope(token)
            except ValueError:  # token from another context (test client reuse)
                _scope.set(None)

    @app.context_processor
    def _helpers():
        def can_edit(unit=None) -> bool:
            scope = current_scope()
            if scope is None:
                return True
            return scope.can_write and (unit is None or unit_in_scope(unit, scope))

        return {"can_edit": can_edit, "current_scope": current_scope, "is_admin": is_admin}
