"""Personal access tokens: made (shown once), hashed, looked up, revoked."""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets

import sqlalchemy as sa

from models import ApiToken, User, UserRole, db
from models.base import utcnow
from registry.core.rules import RuleViolation

TOKEN_PREFIX = "sdn_"
MAX_DAYS = 366


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def create(user: User, name: str, *, read_only: bool, days: int | None) -> tuple[ApiToken, str]:
    """A new token of `user`; returns it with its plain text, which is never stored. A viewer's
    token is read-only whatever is asked: a token is never more than its user."""
    name = (name or "").strip()
    if not name:
        raise RuleViolation("name", "Hãy đặt tên cho khóa (ví dụ: «Cổng báo cáo tỉnh»).")
    if days is not None and not 1 <= days <= MAX_DAYS:
        raise RuleViolation("days", f"Số ngày hiệu lực phải từ 1 đến {MAX_DAYS}.")
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name[:100], token_hash=digest(plain),
                     prefix=plain[:12], read_only=read_only or user.role is UserRole.VIEWER,
                     expires_at=utcnow() + dt.timedelta(days=days) if days else None)
    db.session.add(token)
    db.session.flush()
    return token, plain


def usable(plain: str) -> ApiToken | None:
    """The live token this text names (not revoked, not expired, its user active), or None."""
    if not plain or not plain.startswith(TOKEN_PREFIX) or len(plain) > 200:
        return None
    token = db.session.execute(
        sa.select(ApiToken).where(ApiToken.token_hash == digest(plain))).scalar_one_or_none()
    now = utcnow()
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    if token.expires_at is not None and token.expires_at <= now:
        return None
    return token


def touch(token: ApiToken) -> None:
    """Record the time of last use, at most once a minute (a busy script writes little)."""
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        db.session.execute(sa.update(ApiToken).where(ApiToken.id == token.id)
                           .values(last_used_at=now))
        db.session.commit()


def revoke(token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = utcnow()


def of_user(user: User) -> list[ApiToken]:
    return list(db.session.execute(sa.select(ApiToken).where(ApiToken.user_id == user.id)
                                   .order_by(ApiToken.created_at.desc())).scalars())
