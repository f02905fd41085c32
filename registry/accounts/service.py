"""Accounts managed by the province's admins: the list, create, edit, deactivate, reset; and
every user's own password change. Each change is audited twice over: the ORM audit keeps the
row's before/after, `security_event` says who did what to which account."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from models import Unit, User, UserRole, db
from models.base import utcnow
from registry.auth import throttle
from registry.auth.passwords import password_problem, temporary_password
from registry.auth.users import end_sessions
from registry.core import access
from registry.core.audit import Actor, client_addr, security_event
from registry.core.rules import RuleViolation
from registry.roster.query import Page

PER_PAGE = 50
# What a username may hold: it is typed at every login, so no spaces or diacritics.
_USERNAME = re.compile(r"^[A-Za-z0-9._-]{3,80}$")
# Roles from least to most power: "raising one's own role" compares these.
_RANK = {UserRole.VIEWER: 0, UserRole.OFFICER: 1, UserRole.ADMIN: 2}


@dataclass(frozen=True)
class AccountFilter:
    unit: Unit | None = None
    role: UserRole | None = None
    active: bool | None = None


def page_of(f: AccountFilter, page: int, per_page: int = PER_PAGE) -> Page:
    """One page of the accounts the filter keeps (a unit keeps its subtree's), by unit then
    username."""
    access.require_admin()
    stmt = sa.select(User)
    if f.unit is not None:
        stmt = stmt.where(access.in_subtree(User.unit_id, f.unit))
    if f.role is not None:
        stmt = stmt.where(User.role == f.role)
    if f.active is not None:
        stmt = stmt.where(User.active.is_(f.active))
    total = db.session.execute(
        sa.select(sa.func.count()).select_from(stmt.subquery())).scalar_one()
    page = min(max(1, page), max(1, -(-total // per_page)))
    items = db.session.execute(
        stmt.join(User.unit).options(joinedload(User.unit))
        .order_by(Unit.path, User.username).limit(per_page).offset((page - 1) * per_page)
    ).scalars().all()
    return Page(list(items), total, page, per_page)


def create_account(actor: User, username: str, display_name: str, role: UserRole,
                   unit_id: int | None) -> tuple[User, str]:
    """A new account with a temporary password (returned, to be shown once, kept only as a
    hash); its user must choose their own at first login."""
    access.require_admin()
    username = (username or "").strip()
    if not _USERNAME.match(username):
        raise RuleViolation("username", "Tên đăng nhập gồm 3 đến 80 ký tự: chữ không dấu, "
                                        "số, dấu chấm, gạch ngang hoặc gạch dưới.")
    taken = db.session.execute(sa.select(User.id).where(
        sa.func.lower(User.username) == username.lower())).first()
    if taken:
        raise RuleViolation("username", f"Tên đăng nhập «{username}» đã có người dùng.")
    password = temporary_password(username)
    user = User(username=username, display_name=_display_name(display_name), role=role,
                unit=_current_unit(unit_id), must_change_password=True)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    _event("account_changed", actor, user, change="create", role=role.value,
           unit=user.unit.name)
    return user, password


def update_account(actor: User, user: User, display_name: str, role: UserRole,
                   unit_id: int | None) -> User:
    """Change name, role and unit. A new role or unit ends the user's sessions: what they may
    see changed."""
    access.require_admin()
    if user.id == actor.id and _RANK[role] > _RANK[actor.role]:
        raise RuleViolation("role", "Không ai được tự nâng quyền của mình.")
    if user.role is UserRole.ADMIN and role is not UserRole.ADMIN:
        _keep_an_admin(user, "role", "Không thể hạ quyền quản trị viên cuối cùng còn hoạt "
                                     "động: hãy cấp quyền quản trị cho người khác trước.")
    unit = _current_unit(unit_id) if unit_id != user.unit_id else user.unit
    moved = role is not user.role or unit.id != user.unit_id
    changes = {"change": "update"}
    if moved:
        changes.update(role=role.value, unit=unit.name)
    user.display_name = _display_name(display_name)
    user.role, user.unit = role, unit
    if moved:
        end_sessions(user)
    db.session.flush()
    _event("account_changed", actor, user, **changes)
    return user


def set_active(actor: User, user: User, active: bool) -> User:
    """Deactivate (its sessions end at once) or reactivate an account."""
    access.require_admin()
    if user.active == active:
        return user
    if not active:
        if user.id == actor.id:
            raise RuleViolation(None, "Bạn không thể tự khóa tài khoản của mình.")
        if user.role is UserRole.ADMIN:
            _keep_an_admin(user, None, "Không thể khóa quản trị viên cuối cùng còn hoạt động.")
        end_sessions(user)
    user.active = active
    # A reactivated account starts afresh: no lock-out left from before.
    user.failed_logins, user.locked_until = 0, None
    db.session.flush()
    _event("account_changed", actor, user, change="reactivate" if active else "deactivate")
    return user


def reset_password(actor: User, user: User) -> str:
    """A new temporary password (returned, to be shown once); the user's sessions end and the
    next login must choose a new one."""
    access.require_admin()
    password = temporary_password(user.username)
    user.set_password(password)
    user.must_change_password = True
    user.failed_logins, user.locked_until = 0, None
    end_sessions(user)
    db.session.flush()
    _event("password_reset", actor, user)
    return password


def change_own_password(user: User, current: str, new: str, repeat: str) -> User:
    """The user's own change: the current password proves it is them; the rules of
    `passwords.py` apply. Every session of the user ends (the caller keeps this one).
    Wrong current passwords count as failed logins of this client: a stolen session cannot
    guess the password here faster than at the login page."""
    addr = client_addr() or "-"
    wait = throttle.wait_seconds(addr, user.username)
    if wait:
        raise RuleViolation("current", f"Quá nhiều lần nhập sai; hãy thử lại sau {wait} giây.")
    if not user.check_password(current or ""):
        throttle.record_failure(addr, user.username)
        raise RuleViolation("current", "Mật khẩu hiện tại không đúng.")
    throttle.record_success(addr, user.username)
    if new != repeat:
        raise RuleViolation("repeat", "Mật khẩu nhập lại không khớp.")
    if new == current:
        raise RuleViolation("new", "Mật khẩu mới phải khác mật khẩu hiện tại.")
    problem = password_problem(new, user.username)
    if problem:
        raise RuleViolation("new", problem)
    user.set_password(new)
    user.password_changed_at = utcnow()
    user.must_change_password = False
    end_sessions(user)
    db.session.flush()
    _event("password_changed", user, user)
    return user


def _display_name(name: str | None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise RuleViolation("display_name", "Vui lòng nhập họ tên.")
    if len(name) > 200:
        raise RuleViolation("display_name", "Họ tên dài quá 200 ký tự.")
    return name


def _current_unit(unit_id: int | None, day: dt.date | None = None) -> Unit:
    """The unit an account is put on: it must exist and be valid today (not a unit of the
    former structure, nor one not yet in force)."""
    day = day or dt.date.today()
    unit = db.session.get(Unit, unit_id) if unit_id is not None else None
    if unit is None:
        raise RuleViolation("unit_id", "Vui lòng chọn đơn vị.")
    if (unit.valid_from and unit.valid_from > day) or (unit.valid_to and unit.valid_to < day):
        raise RuleViolation("unit_id", f"Đơn vị «{unit.name}» không còn (hoặc chưa) hiệu lực "
                                       "hôm nay; hãy chọn đơn vị hiện hành.")
    return unit


def _keep_an_admin(user: User, field: str | None, message: str) -> None:
    """Refuse when `user` is the last active admin. The active admins' rows are locked
    (PostgreSQL) so that two admins demoting each other at once cannot both pass: the second
    waits, then reads the first one's change."""
    admins = db.session.execute(
        sa.select(User.id).where(User.role == UserRole.ADMIN, User.active.is_(True))
        .with_for_update()
    ).scalars().all()
    if user.active and not set(admins) - {user.id}:
        raise RuleViolation(field, message)


def _event(action: str, actor: User, user: User, **details) -> None:
    security_event(db.session, action, {"user_id": user.id, "username": user.username,
                                        **details}, actor=Actor(actor.id, actor.username))
