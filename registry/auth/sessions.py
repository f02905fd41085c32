"""Sessions that end: the signed session cookie lives on the client, so a copy outlives logout
unless every request checks it against the database. The cookie carries the user's
session_version and the login and last-seen times; a session whose version is behind the
database's (logout, deactivation, a password, role or unit change), whose account is inactive,
or which has been idle or open too long is refused on any worker or machine."""
from __future__ import annotations

import time

from flask import current_app, g, session

from models import User

EXPIRED_MESSAGE = "Phiên đăng nhập đã hết hạn, vui lòng đăng nhập lại."

VERSION, LOGIN_AT, SEEN_AT = "auth_version", "auth_login_at", "auth_seen_at"

# Last-seen is rewritten at most this often: a fresh cookie on every request would cost a
# Set-Cookie per response for a minute's precision on a 30-minute timeout.
SEEN_GRANULARITY_S = 60


def remember(user: User) -> None:
    """Bind the current session to `user`'s session_version, from now: called at login and
    after a password change (which moved the version on)."""
    now = time.time()
    session[VERSION] = user.session_version or 1
    session[LOGIN_AT] = now
    session[SEEN_AT] = now


def refusal(user: User, stored: dict, now: float, *, idle_minutes: float,
            max_hours: float) -> str | None:
    """Why the session `stored` (the cookie's values) may no longer act for `user`, or None."""
    if not user.active:
        return "inactive"
    if stored.get(VERSION) != (user.session_version or 1):
        return "version"
    login_at, seen_at = stored.get(LOGIN_AT), stored.get(SEEN_AT)
    if not isinstance(login_at, (int, float)) or not isinstance(seen_at, (int, float)):
        return "version"  # made before these checks existed: no proof of when it started
    if now - seen_at > idle_minutes * 60:
        return "idle"
    if now - login_at > max_hours * 3600:
        return "absolute"
    return None


def admit(user: User) -> User | None:
    """`user` if the current session may act for them (last-seen moved on), else None with
    the session emptied and the request marked expired (see `expired`)."""
    now = time.time()
    reason = refusal(user, session, now,
                     idle_minutes=current_app.config["SESSION_IDLE_MINUTES"],
                     max_hours=current_app.config["SESSION_MAX_HOURS"])
    if reason is not None:
        session.clear()
        g.session_expired = reason
        return None
    if now - session[SEEN_AT] >= SEEN_GRANULARITY_S:
        session[SEEN_AT] = now
    return user


def forget_loaded_user() -> None:
    """Load the user, and so check the session, afresh for every request: Flask-Login keeps
    the user in `g`, which lives as long as the app context, and a request inside an app
    context pushed around it (the tests, a script) would otherwise skip the check."""
    g.pop("_login_user", None)
    g.pop("session_expired", None)


def expired() -> bool:
    """Whether this request came with a session that `admit` refused."""
    return bool(g.get("session_expired"))
