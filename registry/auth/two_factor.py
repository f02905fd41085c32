"""The two-factor page: an admin turns TOTP on (secret and otpauth:// URI shown, confirmed by a
code; recovery codes shown once) or off (with a code)."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, session, url_for
from flask_login import current_user

from models import db
from registry.auth import totp
from registry.auth.forms import CodeForm
from registry.core import access
from registry.core.audit import security_event
from registry.core.commit import commit_or_show

bp = Blueprint("two_factor", __name__, url_prefix="/account/two-factor")

# The secret being set up lives in the signed session until a code confirms it: a page reload
# keeps the one already typed into the phone.
SETUP = "totp_setup"


def _me():
    user = current_user._get_current_object()
    if not totp.enabled(user):
        access.require_admin()  # optional for admins; whoever has it on may turn it off
    return user


def _setup_secret() -> str:
    if not isinstance(session.get(SETUP), str):
        session[SETUP] = totp.new_secret()
    return session[SETUP]


def _page(user, form, codes=None):
    secret = None if totp.enabled(user) else _setup_secret()
    return render_template(
        "auth/two_factor.html", form=form, user=user, secret=secret, codes=codes,
        uri=totp.provisioning_uri(secret, user.username) if secret else None,
        left=len(user.totp_recovery or []))


@bp.route("/")
def index():
    user = _me()
    return _page(user, CodeForm())


@bp.route("/enable", methods=["POST"])
def enable():
    user, form = _me(), CodeForm()
    if not form.validate_on_submit():
        return _page(user, form)
    secret = _setup_secret()

    def _enable():
        codes = totp.start(user, secret, form.code.data)
        security_event(db.session, "totp_enabled", {"username": user.username})
        return codes

    done = commit_or_show(form, _enable, None)
    if not done:
        return _page(user, form)
    session.pop(SETUP, None)
    return _page(user, CodeForm(), codes=done.value)


@bp.route("/disable", methods=["POST"])
def disable():
    user, form = _me(), CodeForm()
    if not form.validate_on_submit():
        return _page(user, form)

    def _disable():
        totp.stop(user, form.code.data)
        security_event(db.session, "totp_disabled", {"username": user.username})

    if not commit_or_show(form, _disable, None):
        return _page(user, form)
    flash("Đã tắt xác thực hai bước.", "success")
    return redirect(url_for("two_factor.index"))
