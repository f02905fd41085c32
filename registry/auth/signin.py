"""One login attempt: the client's wait, the password, the counters, the security log.

The throttle's counters are written on connections of their own before anything is added to
the session, and the caller commits the session afterwards: a failed attempt is recorded too."""
from __future__ import annotations

from dataclasses import dataclass

from models import User, db
from registry.auth import throttle, totp
from registry.auth.users import authenticate
from registry.core.audit import Actor, security_event


@dataclass(frozen=True)
class Attempt:
    user: User | None = None  # the password was right (the second step may still be due)
    error: str | None = None
    wait: int = 0  # refused unchecked: the client must wait this many seconds

    @property
    def needs_code(self) -> bool:
        return self.user is not None and totp.enabled(self.user)


def _as(username: str, user: User | None = None) -> Actor:
    return Actor(user.id if user else None, (username or "").strip()[:80])


def throttled(username: str, wait: int, reason: str) -> None:
    security_event(db.session, "throttled", {"username": username, "wait_s": wait,
                                             "reason": reason}, actor=_as(username))


def attempt(username: str, password: str, addr: str) -> Attempt:
    key = username.strip().casefold()[:80]
    wait = throttle.wait_seconds(addr, key)
    if wait:
        throttled(username, wait, "delay")
        return Attempt(wait=wait)
    result = authenticate(username, password)
    if result.user is None:
        delay = throttle.record_failure(addr, key)
        security_event(db.session, "login_failed", {"username": username, "delay_s": delay},
                       actor=_as(username))
        return Attempt(error=result.error)
    throttle.record_success(addr, key)
    if not totp.enabled(result.user):
        logged_in(result.user, username)
    return Attempt(user=result.user)


def logged_in(user: User, username: str, second_factor: str | None = None) -> None:
    details = {"username": username}
    if second_factor:
        details["second_factor"] = second_factor
    security_event(db.session, "login", details, actor=_as(username, user))
    if second_factor == "recovery":
        security_event(db.session, "recovery_code_used",
                       {"username": username, "left": len(user.totp_recovery or [])},
                       actor=_as(username, user))


def code_attempt(user: User, code: str, addr: str) -> str | None:
    """The second step: how `code` proved the login ("totp", "recovery") or None. A client
    that fails too often must log in again from the password (see code_tries_left)."""
    kind = totp.second_factor(user, code)
    if kind is None:
        throttle.record_code_failure(addr, user.id)
        security_event(db.session, "login_failed", {"username": user.username, "step": "totp"},
                       actor=_as(user.username, user))
        return None
    logged_in(user, user.username, kind)
    return kind
