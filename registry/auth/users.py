"""Accounts: creation and the password check of a login."""
from __future__ import annotations

import functools
import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from werkzeug.security import check_password_hash

from models import Unit, User, UserRole, db
from models.base import utcnow
from registry.auth.passwords import password_problem


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    error: str | None


GENERIC_ERROR = "Tên đăng nhập hoặc mật khẩu không đúng."


def authenticate(username: str, password: str) -> LoginResult:
    """Check a password. An unknown name, an inactive account and a wrong password get the same
    answer after the same work (a hash is always checked), so the answer tells nothing of which
    accounts exist. No lock-out: an attacker's failures must never refuse the real user's right
    password (throttling per client is registry.auth.throttle's job); failed_logins only
    counts, for the admin's information."""
    user = db.session.execute(
        sa.select(User).where(User.username == username.strip())
    ).scalar_one_or_none()
    if user is None:
        check_password_hash(_dummy_hash(), password)
        return LoginResult(None, GENERIC_ERROR)
    if not user.check_password(password):
        user.failed_logins = (user.failed_logins or 0) + 1
        return LoginResult(None, GENERIC_ERROR)
    if not user.active:
        return LoginResult(None, GENERIC_ERROR)
    user.failed_logins = 0
    user.locked_until = None
    user.last_login = utcnow()
    return LoginResult(user, None)


@functools.cache
def _dummy_hash() -> str:
    # Made like a real one (User.set_password), so checking it costs what a real check costs.
    probe = User()
    probe.set_password(secrets.token_hex(16))
    return probe.password_hash


def create_user(username: str, password: str, *, display_name: str, role: UserRole,
                unit: Unit) -> User:
    problem = password_problem(password, username)
    if problem:
        raise ValueError(problem)
    exists = db.session.execute(sa.select(User.id).where(User.username == username)).first()
    if exists:
        raise ValueError(f"Tên đăng nhập «{username}» đã tồn tại.")
    user = User(username=username, display_name=display_name, role=role, unit=unit)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def end_sessions(user: User) -> None:
    """End every session of `user` at once, on every worker: sessions carry the old version."""
    user.session_version = (user.session_version or 1) + 1
