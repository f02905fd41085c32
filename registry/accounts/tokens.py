"""Everyone's "Khóa truy cập API" page: the list of one's personal access tokens, a new token
(its text shown once, in answer to the POST, never stored), and revoking one. Making and
revoking a token are security events, from the web as from `flask create-token`."""
from __future__ import annotations

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField
from wtforms.validators import Length

from models import ApiToken, User, UserRole, db
from models.base import utcnow
from registry.accounts.views import _account_or_404, bp
from registry.api import tokens
from registry.core import access
from registry.core.audit import Actor, security_event
from registry.core.commit import commit_or_flash, commit_or_show
from registry.core.crud import ConfirmForm
from registry.core.fields import PositiveIntField, not_blank


class TokenForm(FlaskForm):
    name = StringField("Tên khóa", validators=[not_blank("Hãy đặt tên cho khóa."),
                                               Length(max=100)])
    read_only = BooleanField("Chỉ đọc (không thêm, sửa, kết thúc được gì)", default=True)
    days = PositiveIntField("Số ngày hiệu lực (1–366; để trống: không hết hạn)",
                            maximum=tokens.MAX_DAYS)


def issue(actor: Actor, user: User, name: str, *, read_only: bool, days: int | None,
          via: str = "web") -> tuple[ApiToken, str]:
    """A new token of `user` (tokens.create), and the security event saying so. The caller
    commits."""
    token, plain = tokens.create(user, name, read_only=read_only, days=days)
    _event("api_token_created", actor, token, via=via, days=days)
    return token, plain


def withdraw(actor: Actor, token: ApiToken) -> None:
    """Revoke `token` (once), as a security event. The caller commits."""
    if token.revoked_at is None:
        tokens.revoke(token)
        _event("api_token_revoked", actor, token)


def _event(action: str, actor: Actor, token: ApiToken, **details) -> None:
    security_event(db.session, action, {
        "token_id": token.id, "name": token.name, "prefix": token.prefix,
        "read_only": token.read_only, "user_id": token.user_id,
        "username": token.user.username if token.user else None, **details},
        actor=actor)


@bp.route("/account/tokens", methods=["GET", "POST"], endpoint="tokens")
def tokens_page():
    user = current_user._get_current_object()
    form = TokenForm()
    viewer = user.role is UserRole.VIEWER
    if viewer:
        form.read_only.data = True
    actor = Actor(user.id, user.username)
    if form.validate_on_submit() and (done := commit_or_show(form, lambda: issue(
            actor, user, form.name.data, read_only=viewer or form.read_only.data,
            days=form.days.data), None)):
        token, plain = done.value
        resp = make_response(render_template("accounts/token_issued.html", token=token,
                                             plain=plain))
        resp.headers["Cache-Control"] = "no-store"
        return resp
    return render_template("accounts/tokens.html", form=form, items=tokens.of_user(user),
                           viewer=viewer, confirm=ConfirmForm(), now=utcnow())


@bp.route("/account/tokens/revoke", methods=["POST"])
def revoke_token():
    """The token's id comes in the form (no id in the URL: the scoping matrix needs none)."""
    user = current_user._get_current_object()
    # A user's own tokens only: another's token is not found (not an unit-scoped row).
    token_id = access.parse_id(request.form.get("token_id"))
    token = db.session.get(ApiToken, token_id) if token_id else None
    if token is None or token.user_id != user.id:
        abort(404)
    if ConfirmForm().validate_on_submit():
        commit_or_flash(lambda: withdraw(Actor(user.id, user.username), token),
                        f"Đã thu hồi khóa «{token.name}»; nó không dùng được nữa.")
    else:
        flash("Biểu mẫu đã hết hạn; vui lòng tải lại trang rồi thử lại.", "danger")
    return redirect(url_for("accounts.tokens"))


@bp.route("/accounts/<int:user_id>/tokens/revoke", methods=["POST"])
def admin_revoke_token(user_id: int):
    """An admin revokes a token of any account, from that account's page (the event names the
    admin as the actor). The token's id comes in the form, and must be this account's."""
    access.require_admin()
    user = _account_or_404(user_id)
    back = url_for("accounts.edit", user_id=user.id) + "#khoa-api"
    token_id = access.parse_id(request.form.get("token_id"))
    token = db.session.get(ApiToken, token_id) if token_id else None
    if token is None or token.user_id != user.id:
        flash("Không tìm thấy khóa này của tài khoản; có thể nó đã bị xóa.", "danger")
        return redirect(back)
    if ConfirmForm().validate_on_submit():
        commit_or_flash(lambda: withdraw(Actor(current_user.id, current_user.username), token),
                        f"Đã thu hồi khóa «{token.name}» của {user.username}; nó không dùng "
                        "được nữa.")
    else:
        flash("Biểu mẫu đã hết hạn; vui lòng tải lại trang rồi thử lại.", "danger")
    return redirect(back)
