"""Account pages: the admins' list, create, edit, deactivate, reset; everyone's "Đổi mật khẩu";
and the redirect that forces the change at first login and after a reset."""
from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_user

from models import User, UserRole, db
from models.base import utcnow
from registry.accounts import service
from registry.accounts.forms import AccountForm, NewAccountForm, PasswordForm
from registry.api import tokens as api_tokens
from registry.auth import sessions
from registry.core import access
from registry.core.commit import commit_or_flash, commit_or_show
from registry.core.crud import ConfirmForm, form_page
from registry.core.errors import API_PREFIX
from registry.core.params import page_arg
from registry.units.service import writable_unit_choices

bp = Blueprint("accounts", __name__)

# Two admins creating the same username at once: the unique key refuses the second.
TAKEN_MEANWHILE = "Tên đăng nhập này vừa được tạo bởi người khác; hãy chọn tên khác."
FORCED_MESSAGE = "Bạn cần đổi mật khẩu trước khi tiếp tục."
# What a user who must change their password may still reach.
_OPEN_WHILE_FORCED = {"accounts.password", "auth.logout", "auth.login", "static"}


@bp.before_app_request
def _force_password_change():
    if (current_user.is_authenticated and current_user.must_change_password
            and request.endpoint not in _OPEN_WHILE_FORCED and request.endpoint is not None
            and not request.path.startswith(API_PREFIX)):
        flash(FORCED_MESSAGE, "warning")
        return redirect(url_for("accounts.password"))
    return None


@bp.route("/accounts/")
def index():
    access.require_admin()
    args = request.args
    f = service.AccountFilter(unit=access.visible_unit(args.get("unit")),
                              role=UserRole.parse(args.get("role")),
                              active={"1": True, "0": False}.get(args.get("active", "")))
    page = service.page_of(f, page_arg(args))

    def page_args(**extra) -> dict:
        return {**{k: args[k] for k in ("unit", "role", "active") if args.get(k)}, **extra}

    return render_template("accounts/index.html", page=page, f=f, page_args=page_args,
                           units=writable_unit_choices(), roles=UserRole)


@bp.route("/accounts/new", methods=["GET", "POST"])
def create():
    access.require_admin()
    form = NewAccountForm()
    form.unit_id.choices = writable_unit_choices()
    if form.validate_on_submit() and (done := commit_or_show(form, lambda: service.create_account(
            current_user, form.username.data, form.display_name.data,
            UserRole(form.role.data), access.parse_id(form.unit_id.data)), None,
            conflict=TAKEN_MEANWHILE)):
        user, password = done.value
        return _issued(user, password, "Đã tạo tài khoản.")
    return render_template("accounts/form.html", form=form, account=None)


@bp.route("/accounts/<int:user_id>/edit", methods=["GET", "POST"])
def edit(user_id: int):
    access.require_admin()
    user = _account_or_404(user_id)
    form = AccountForm(obj=user)
    form.unit_id.choices = _unit_choices(user)
    return form_page(form, lambda: service.update_account(
        current_user, user, form.display_name.data, UserRole(form.role.data),
        access.parse_id(form.unit_id.data)), "Đã lưu tài khoản.",
        url_for("accounts.index"), "accounts/form.html", account=user,
        api_tokens=api_tokens.of_user(user), now=utcnow())


@bp.route("/accounts/<int:user_id>/deactivate", methods=["POST"])
def deactivate(user_id: int):
    return _set_active(user_id, False, "Đã khóa tài khoản; các phiên đăng nhập của tài khoản "
                                       "đã kết thúc.")


@bp.route("/accounts/<int:user_id>/reactivate", methods=["POST"])
def reactivate(user_id: int):
    return _set_active(user_id, True, "Đã mở lại tài khoản.")


@bp.route("/accounts/<int:user_id>/reset", methods=["POST"])
def reset(user_id: int):
    access.require_admin()
    user = _account_or_404(user_id)
    back = url_for("accounts.edit", user_id=user.id)
    if not ConfirmForm().validate_on_submit():
        flash("Biểu mẫu đã hết hạn; vui lòng tải lại trang rồi thử lại.", "danger")
        return redirect(back)
    done = commit_or_flash(lambda: service.reset_password(current_user, user), None)
    if not done:
        return redirect(back)
    return _issued(user, done.value, "Đã đặt lại mật khẩu; các phiên đăng nhập của tài khoản "
                                     "đã kết thúc.")


@bp.route("/account/password", methods=["GET", "POST"])
def password():
    form = PasswordForm()
    user = current_user._get_current_object()
    if form.validate_on_submit() and commit_or_show(form, lambda: service.change_own_password(
            user, form.current.data, form.new.data, form.repeat.data), "Đã đổi mật khẩu."):
        # Every session of the user ended with the change; this one goes on under the new
        # version.
        login_user(user)
        sessions.remember(user)
        return redirect(url_for("dashboard.index"))
    return render_template("accounts/password.html", form=form,
                           forced=user.must_change_password)


def _set_active(user_id: int, active: bool, success: str):
    access.require_admin()
    user = _account_or_404(user_id)
    if ConfirmForm().validate_on_submit():
        commit_or_flash(lambda: service.set_active(current_user, user, active), success)
    else:
        flash("Biểu mẫu đã hết hạn; vui lòng tải lại trang rồi thử lại.", "danger")
    return redirect(url_for("accounts.edit", user_id=user.id))


def _issued(user: User, password: str, message: str):
    """The one page that shows a temporary password: rendered in answer to the POST (never
    stored, not even in the session cookie), and kept out of every cache."""
    resp = make_response(render_template("accounts/issued.html", account=user,
                                         password=password, message=message))
    resp.headers["Cache-Control"] = "no-store"
    return resp


def _account_or_404(user_id: int) -> User:
    # Accounts are not unit-scoped rows: only admins reach these pages (checked first).
    user = db.session.get(User, access.parse_id(user_id) or 0)
    if user is None:
        abort(404)
    return user


def _unit_choices(user: User) -> list[tuple[int, str]]:
    """Units valid today, and the account's own unit when it has ended (an account left on a
    unit of the former structure can be renamed without being moved)."""
    choices = writable_unit_choices()
    if user.unit_id not in {unit_id for unit_id, _name in choices}:
        choices.insert(0, (user.unit_id, f"{user.unit.name} (đã hết hiệu lực)"))
    return choices


# Everyone's token pages ("Khóa truy cập API") live on this blueprint too.
from registry.accounts import tokens as _tokens  # noqa: E402,F401
