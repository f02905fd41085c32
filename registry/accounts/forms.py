"""The account forms: create and edit (admins), and the password change (everyone)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import Length

from models import UserRole
from registry.core.fields import CodeSelectField, not_blank, required

ROLE_CHOICES = [(r.value, r.label) for r in UserRole]


class AccountForm(FlaskForm):
    display_name = StringField("Họ tên", validators=[not_blank("Vui lòng nhập họ tên."),
                                                     Length(max=200)])
    role = CodeSelectField("Quyền", choices=ROLE_CHOICES,
                           validators=[required("Vui lòng chọn quyền.")])
    unit_id = CodeSelectField("Đơn vị", validators=[required("Vui lòng chọn đơn vị.")])


class NewAccountForm(AccountForm):
    username = StringField("Tên đăng nhập", validators=[not_blank("Vui lòng nhập tên đăng nhập."),
                                                        Length(max=80)])


class PasswordForm(FlaskForm):
    current = PasswordField("Mật khẩu hiện tại", validators=[Length(max=200)])
    new = PasswordField("Mật khẩu mới", validators=[not_blank("Vui lòng nhập mật khẩu mới."),
                                                    Length(max=200)])
    repeat = PasswordField("Nhập lại mật khẩu mới", validators=[Length(max=200)])
