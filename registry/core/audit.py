"""Every flush of an Audited row writes an AuditLog entry: who, when, what, before and after."""
from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import enum
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from models import AuditLog
from models.base import Audited, utcnow


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    name: str


_actor: contextvars.ContextVar[Actor | None] = contextvars.ContextVar("actor", default=None)


@contextlib.contextmanager
def acting_as(actor: Actor):
    token = _actor.set(actor)
    try:
        yield actor
    finally:
        _actor.reset(token)


def current_actor() -> Actor:
    actor = _actor.get()
    if actor is not None:
        return actor
    from flask import has_request_context
    from flask_login import current_user

    if has_request_context() and current_user.is_authenticated:
        return Actor(current_user.id, current_user.username)
    return Actor(None, "system")


def _plain(value):
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def _columns(obj) -> list[str]:
    excluded = set(getattr(obj, "__audit_exclude__", ())) | {"created_at", "updated_at"}
    return [c.key for c in sa.inspect(obj).mapper.column_attrs if c.key not in excluded]


def snapshot(obj) -> dict:
    return {key: _plain(getattr(obj, key)) for key in _columns(obj)}


def _changes(obj) -> tuple[dict, dict]:
    state = sa.inspect(obj)
    before, after = {}, {}
    for key in _columns(obj):
        hist = state.attrs[key].history
        if hist.has_changes() and key != "version":
            before[key] = _plain(hist.deleted[0]) if hist.deleted else None
            after[key] = _plain(hist.added[0]) if hist.added else None
    return before, after


def _entries(session: Session) -> list[dict]:
    rows = []
    for action, objs in (("create", session.new), ("update", session.dirty),
                         ("delete", session.deleted)):
        for obj in objs:
            if not isinstance(obj, Audited):
                continue
            if action == "create":
                before, after = None, None  # ids and defaults exist only after the flush
            elif action == "delete":
                before, after = snapshot(obj), None
            else:
                before, after = _changes(obj)
                if not after:
                    continue
            rows.append({"action": action, "entity": obj.__tablename__,
                         "entity_id": sa.inspect(obj).identity[0] if action != "create" else None,
                         "obj": obj, "before": before, "after": after})
    return rows


def _write(session: Session, rows: list[dict]) -> None:
    if not rows:
        return
    actor = current_actor()
    now = utcnow()
    addr = client_addr()
    values = [{"at": now, "user_id": actor.user_id, "actor": actor.name, "action": r["action"],
               "client_addr": addr,
               "entity": r["entity"], "entity_id": _entity_id(r),
               "before": r["before"],
               "after": snapshot(r["obj"]) if r["action"] == "create" else r["after"]}
              for r in rows]
    session.connection().execute(sa.insert(AuditLog.__table__), values)


def _entity_id(row: dict) -> int | None:
    # A created row has its id only once flushed; an event (obj None) may name no row at all.
    return row["entity_id"] if row["obj"] is None else row["entity_id"] or row["obj"].id


def log_event(session: Session, action: str, entity: str, entity_id: int | None,
              before: dict | None = None, after: dict | None = None) -> None:
    """Write one audit entry for an action that is not a plain row change (e.g. an import)."""
    _write(session, [{"action": action, "entity": entity, "entity_id": entity_id, "obj": None,
                      "before": before, "after": after}])


def security_event(session: Session, action: str, details: dict | None = None, *,
                   actor: Actor | None = None) -> None:
    """Append a security event (entity "security"): a login, a failed login, a throttled client,
    a password or account change, a download of personal data (what, filters, row count). It
    joins the session's transaction: the caller commits, a GET that downloads too.

    action: "login", "login_failed", "throttled", "logout", "password_changed",
    "password_reset", "account_changed", "totp", "export"…; `actor`: who, when not the
    logged-in user (the username a failed login tried)."""
    with acting_as(actor) if actor is not None else contextlib.nullcontext():
        _write(session, [{"action": action, "entity": "security", "entity_id": None,
                          "obj": None, "before": None, "after": details or {}}])


def client_addr() -> str | None:
    """The request's client address (behind a proxy, configure ProxyFix so that this is the
    client's); None outside a request (the CLI, jobs)."""
    from flask import has_request_context, request

    return (request.remote_addr or None) if has_request_context() else None


@event.listens_for(Session, "before_flush")
def _collect(session: Session, _ctx, _instances) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditLog):
            raise PermissionError("The audit log is append-only.")
    session.info["_audit_pending"] = _entries(session)


@event.listens_for(Session, "after_flush")
def _flush_audit(session: Session, _ctx) -> None:
    _write(session, session.info.pop("_audit_pending", []))


def init_app(app) -> None:
    """Listeners are global to Session; nothing per app."""
