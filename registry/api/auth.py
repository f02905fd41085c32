"""Who calls the API: a personal access token (`Authorization: Bearer sdn_…`) and nothing else.
A session cookie never authenticates the API (registry.auth.views skips its user loader under
/api/); the token's user gets the same scope as on the web, narrowed to reading for a read-only
token, and each token has its own rate limit."""
from __future__ import annotations

import dataclasses
import math
import time

import sqlalchemy as sa
from flask import current_app, g, request
from sqlalchemy.orm import joinedload

from models import ApiToken, User, db
from registry.api import tokens
from registry.auth.throttle import limiter
from registry.core import access
from registry.core.errors import render_error

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
API_PREFIX = "/api/v1/"


def load_user(req):
    """Flask-Login's request loader: the user of a live token, under /api/ only."""
    if not req.path.startswith(API_PREFIX):
        return None
    scheme, _, plain = req.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    token = tokens.usable(plain.strip())
    if token is None:
        return None
    g.api_token = token
    return db.session.execute(sa.select(User).where(User.id == token.user_id)
                              .options(joinedload(User.unit))).scalar_one()


def current_token() -> ApiToken | None:
    return g.get("api_token")


def before_api_request():
    """After the app's login check: a read-only token reads, the rate limit holds."""
    token = current_token()
    if token is None:  # the public document and its page
        return None
    if token.read_only:
        scope = access.current_scope()
        if scope is not None:
            access.set_request_scope(dataclasses.replace(scope, can_write=False))
        if request.method not in SAFE_METHODS:
            return render_error(403, "Khóa truy cập này chỉ được đọc, không được ghi.")
    over = _over_limit(token)
    if over:
        response, code = render_error(429, f"Khóa truy cập đã gửi quá {over[0]} yêu cầu trong "
                                           f"một phút; hãy thử lại sau {over[1]} giây.")
        response.headers["Retry-After"] = str(over[1])
        return response, code
    tokens.touch(token)
    return None


def _over_limit(token: ApiToken) -> tuple[int, int] | None:
    """(limit, seconds to wait) when this token has used its minute, else None."""
    limit = current_app.config["API_RATE_PER_MINUTE"]
    window = math.floor(time.time() / 60)
    used = limiter.storage.incr(f"api-token:{token.id}:{window}", 60)
    if used > limit:
        return limit, 60 - int(time.time()) % 60
    return None
