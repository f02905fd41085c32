"""Log in and out (Flask-Login), CSRF for every form (Flask-WTF)."""
from __future__ import annotations

from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import LoginManager, current_user, login_required, login_user, logout_user
from flask_wtf import CSRFProtect
from sqlalchemy.orm import joinedload

from models import User, db
from registry.auth.forms import LoginForm
from registry.auth.users import authenticate
from registry.core.commit import commit_or_flash

bp = Blueprint("auth", __name__)
login_manager = LoginManager()
csrf = CSRFProtect()


@login_manager.user_loader
def _load_user(user_id: str):
    try:
        key = int(user_id)
    except ValueError:
        return None
    # The unit comes along: every request's scope needs its path.
    return db.session.execute(sa.select(User).where(User.id == key)
                              .options(joinedload(User.unit))).scalar_one_or_none()


def init_app(app) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Vui lòng đăng nhập để tiếp tục."
    login_manager.login_message_category = "warning"
    login_manager.session_protection = "strong"
    csrf.init_app(app)

    @app.before_request
    def _require_login():
        if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
            return None
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        return None


PUBLIC_ENDPOINTS = {"auth.login", "static"}


def _safe_next(target: str | None) -> str:
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and not urlsplit(target).netloc
    ):
        return target
    return url_for("dashboard.index")


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        # Committed whatever the outcome: a failure counts towards the lock.
        result = commit_or_flash(lambda: authenticate(
            form.username.data,
            form.password.data,
            max_failures=current_app.config["LOGIN_MAX_FAILURES"],
            lock_minutes=current_app.config["LOGIN_LOCK_MINUTES"],
        ), None).value
        if result.user is not None:
            login_user(result.user)
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors.append(result.error)
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    logout_user()
    flash("Bạn đã đăng xuất.", "info")
    return redirect(url_for("auth.login"))
