"""Accounts: creation and the login check with lock-out after repeated failures."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from models import Unit, User, UserRole, db
from models.base import utcnow


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    error: str | None


GENERIC_ERROR = "Tên đăng nhập hoặc mật khẩu không đúng."


def authenticate(username: str, password: str, *, max_failures: int,
                 lock_minutes: int) -> LoginResult:
    """Check a password; lock the account for a while after `max_failures` wrong tries."""
    user = db.session.execute(
        sa.select(User).where(User.username == username.strip())
    ).scalar_one_or_none()
    if user is None or not user.active:
        return LoginResult(None, GENERIC_ERROR)
    now = utcnow()
    if user.locked_until and user.locked_until > now:
        minutes = max(1, int((user.locked_until - now).total_seconds() // 60) + 1)
        return LoginResult(None, f"Tài khoản tạm khóa do đăng nhập sai nhiều lần. "
                                 f"Vui lòng thử lại sau {minutes} phút.")
    if not user.check_password(password):
        user.failed_logins += 1
        if user.failed_logins >= max_failures:
            user.locked_until = now + dt.timedelta(minutes=lock_minutes)
            user.failed_logins = 0
        return LoginResult(None, GENERIC_ERROR)
    user.failed_logins = 0
    user.locked_until = None
    user.last_login = now
    return LoginResult(user, None)


def create_user(username: str, password: str, *, display_name: str, role: UserRole,
                unit: Unit) -> User:
    if len(password) < 8:
        raise ValueError("Mật khẩu phải có ít nhất 8 ký tự.")
    exists = db.session.execute(sa.select(User.id).where(User.username == username)).first()
    if exists:
        raise ValueError(f"Tên đăng nhập «{username}» đã tồn tại.")
    user = User(username=username, display_name=display_name, role=role, unit=unit)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user
