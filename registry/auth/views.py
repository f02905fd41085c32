"""Log in and out (Flask-Login), CSRF for every form (Flask-WTF)."""
from __future__ import annotations

import time
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import (
    Blueprint,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import LoginManager, current_user, login_required, login_user, logout_user
from flask_wtf import CSRFProtect
from sqlalchemy.orm import joinedload

from models import User, db
from registry.auth import sessions, signin, throttle, totp
from registry.auth.forms import CodeForm, LoginForm
from registry.auth.users import end_sessions
from registry.core.audit import security_event
from registry.core.commit import commit_or_flash
from registry.core.errors import API_PREFIX, render_error

bp = Blueprint("auth", __name__)
login_manager = LoginManager()
csrf = CSRFProtect()


@login_manager.user_loader
def _load_user(user_id: str):
    try:
        key = int(user_id)
    except ValueError:
        return None
    if request.path.startswith(API_PREFIX):  # a session cookie never authenticates the API
        return None
    # The unit comes along: every request's scope needs its path.
    user = db.session.execute(sa.select(User).where(User.id == key)
                              .options(joinedload(User.unit))).scalar_one_or_none()
    # Checked against the database on every request: a copied cookie dies with the session.
    return sessions.admit(user) if user is not None else None


def init_app(app) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Vui lòng đăng nhập để tiếp tục."
    login_manager.login_message_category = "warning"
    login_manager.session_protection = "strong"
    csrf.init_app(app)
    app.before_request(sessions.forget_loaded_user)

    @app.before_request
    def _require_login():
        if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
            return None
        if not current_user.is_authenticated:
            if request.path.startswith(API_PREFIX):
                return render_error(401, "Cần khóa truy cập hợp lệ trong tiêu đề "
                                         "«Authorization: Bearer …».")
            return _expired() if sessions.expired() else login_manager.unauthorized()
        return None


def _expired():
    flash(sessions.EXPIRED_MESSAGE, "warning")
    target = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for(login_manager.login_view, next=target))


# The API's document and its page are public: they describe the API, they hold no data.
PUBLIC_ENDPOINTS = {"auth.login", "auth.login_code", "static", "api-docs.openapi_json",
                    "api_docs.page"}


def _safe_next(target: str | None) -> str:
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and not urlsplit(target).netloc
    ):
        return target
    return url_for("dashboard.index")


def _refusal(wait: int):
    """429 with the login page (or the code page) and how long to wait."""
    template, form = (("auth/login_code.html", CodeForm()) if request.endpoint == "auth.login_code"
                      else ("auth/login.html", LoginForm()))
    message = throttle.THROTTLED_MESSAGE.format(seconds=wait)
    resp = make_response(render_template(template, form=form, refusal=message), 429)
    resp.headers["Retry-After"] = str(wait)
    return resp


def _on_breach(limit):
    wait = throttle.breach_wait(limit)
    commit_or_flash(lambda: signin.throttled(throttle.typed_username(), wait, "limit"), None)
    return _refusal(wait)


login_limited = throttle.login_limits(_on_breach)


def _complete(user: User, next_url: str | None):
    login_user(user)
    sessions.remember(user)
    return redirect(_safe_next(next_url))


@bp.route("/login", methods=["GET", "POST"])
@login_limited
def login():
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form)
    # Committed whatever the outcome: a failed attempt is a security event too.
    outcome = commit_or_flash(lambda: signin.attempt(
        form.username.data, form.password.data, throttle.client_addr()), None).value
    if outcome.wait:
        return _refusal(outcome.wait)
    if outcome.user is None:
        form.password.errors.append(outcome.error)
        return render_template("auth/login.html", form=form)
    if outcome.needs_code:
        # Kept in the signed session cookie, not in this worker's memory: the code may be
        # posted to another worker or machine.
        session[PENDING] = {"user_id": outcome.user.id, "at": time.time(),
                            "next": request.args.get("next")}
        return redirect(url_for("auth.login_code"))
    return _complete(outcome.user, request.args.get("next"))


PENDING = "login_pending"
PENDING_MAX_S = 300
CODE_EXPIRED = "Đã quá thời gian nhập mã, vui lòng đăng nhập lại."
CODE_TOO_MANY = "Nhập sai mã quá nhiều lần, vui lòng đăng nhập lại."


def _pending_user() -> User | None:
    pending = session.get(PENDING)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_MAX_S:
        return None
    user = db.session.get(User, pending.get("user_id"))
    return user if user is not None and user.active and totp.enabled(user) else None


def _restart(message: str):
    session.pop(PENDING, None)
    flash(message, "warning")
    return redirect(url_for("auth.login"))


@bp.route("/login/code", methods=["GET", "POST"])
@login_limited
def login_code():
    """The second step of an admin's login with two-factor on."""
    user = _pending_user()
    if user is None:
        return _restart(CODE_EXPIRED)
    form = CodeForm()
    if form.validate_on_submit():
        addr = throttle.client_addr()
        if not throttle.code_tries_left(addr, user.id):
            return _restart(CODE_TOO_MANY)
        kind = commit_or_flash(lambda: signin.code_attempt(user, form.code.data, addr),
                               None).value
        if kind:
            return _complete(user, session.pop(PENDING, {}).get("next"))
        form.code.errors.append(totp.BAD_CODE)
    return render_template("auth/login_code.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    # Ends every copy of this session's cookie too (they carry the old version).
    user = current_user._get_current_object()
    commit_or_flash(lambda: _end(user), None)
    logout_user()
    flash("Bạn đã đăng xuất.", "info")
    return redirect(url_for("auth.login"))


def _end(user: User) -> None:
    end_sessions(user)
    security_event(db.session, "logout")
