"""Forms for a person and their appointments."""
from __future__ import annotations

import datetime as dt
import re

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from imports.terms import parse_term, term_problem
from imports.text import collapse_spaces
from models import EndReason, Gender, Level, Role
from registry.core import reform2025
from registry.core.fields import (
    CodeSelectField,
    PartialDateField,
    VNDateField,
    not_blank,
    required,
)

_CCCD = re.compile(r"^\d{12}$")
_PHONE = re.compile(r"^[+0-9 .()-]{6,20}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _email(form, field):
    if field.data and not _EMAIL.match(field.data.strip()):
        raise ValidationError("Địa chỉ email không hợp lệ.")


def _cccd(form, field):
    if field.data:
        field.data = re.sub(r"[\s.]", "", field.data)
        if not _CCCD.match(field.data):
            raise ValidationError("Số CCCD phải gồm đúng 12 chữ số.")


def term_field(field) -> None:
    """A term must give its years (they decide "hết nhiệm kỳ"); kept as typed, spaces tidied.
    A term stored before as written (an old import) may stay: editing another field of the
    appointment must not force a fix of its term."""
    text = collapse_spaces(field.data or "")
    field.data = text or None
    if text and text != field.object_data and parse_term(text) is None:
        raise ValidationError(term_problem(text))


def _phone(form, field):
    if field.data and not _PHONE.match(field.data.strip()):
        raise ValidationError("Số điện thoại chỉ gồm chữ số, khoảng trắng và các dấu + . ( ) -.")


class PersonForm(FlaskForm):
    version = HiddenField()
    full_name = StringField("Họ và tên", validators=[not_blank("Vui lòng nhập họ và tên."),
                                                      Length(max=200, message="Tối đa 200 ký tự.")])
    dob = PartialDateField("Ngày sinh")
    gender = CodeSelectField("Giới tính", choices=Gender.choices())
    ethnicity = CodeSelectField("Dân tộc")
    religion = CodeSelectField("Tôn giáo")
    hometown = StringField("Quê quán", validators=[Length(max=300, message="Tối đa 300 ký tự.")],
                           render_kw={"placeholder": "Nghĩa Hành, Quảng Ngãi"})
    cccd = StringField("Số CCCD", validators=[Optional(), _cccd])
    unit_id = CodeSelectField("Đơn vị quản lý",
                              validators=[required("Vui lòng chọn đơn vị quản lý.")])
    party_member = BooleanField("Đảng viên")
    party_join_date = VNDateField("Ngày vào Đảng", not_future=True)
    position = StringField("Chức vụ", validators=[Length(max=300, message="Tối đa 300 ký tự.")])
    workplace = StringField(
        "Nơi công tác", validators=[Length(max=300, message="Tối đa 300 ký tự.")]
    )
    education = StringField(
        "Trình độ học vấn", validators=[Length(max=60, message="Tối đa 60 ký tự.")]
    )
    professional = StringField(
        "Chuyên môn", validators=[Length(max=200, message="Tối đa 200 ký tự.")]
    )
    political_theory = CodeSelectField("Lý luận chính trị")
    state_management = CodeSelectField("Quản lý nhà nước")
    it_level = StringField("Tin học", validators=[Length(max=100, message="Tối đa 100 ký tự.")])
    foreign_language = StringField(
        "Ngoại ngữ", validators=[Length(max=100, message="Tối đa 100 ký tự.")]
    )
    minority_languages = StringField(
        "Tiếng dân tộc thiểu số", validators=[Length(max=200, message="Tối đa 200 ký tự.")]
    )
    phone = StringField("Điện thoại", validators=[Optional(), _phone])
    email = StringField("Email", validators=[Optional(), _email, Length(max=200)])
    notes = TextAreaField("Ghi chú", validators=[Length(max=4000, message="Tối đa 4000 ký tự.")])

    def person_data(self) -> dict:
        data = {
            k: getattr(self, k).data
            for k in (
                "full_name",
                "gender",
                "ethnicity",
                "religion",
                "hometown",
                "cccd",
                "party_member",
                "party_join_date",
                "position",
                "workplace",
                "education",
                "professional",
                "political_theory",
                "state_management",
                "it_level",
                "foreign_language",
                "minority_languages",
                "phone",
                "email",
                "notes",
            )
        }
        data["gender"] = Gender.parse(data["gender"])
        dob = self.dob.data
        # A bare date is the record's own, left by a post without the field (no form data at
        # all): the birth date and its precision then stay as they are.
        if not isinstance(dob, dt.date):
            data["dob"], data["dob_precision"] = dob or (None, None)
        return data


class NewPersonForm(PersonForm):
    """Adding a person usually means adding them to the roster: the first appointment, optional."""

    first_role = CodeSelectField("Vai trò", choices=Role.choices(), blank="— chưa bổ nhiệm —")
    first_level = CodeSelectField("Cấp", choices=Level.choices())
    first_start = VNDateField("Ngày bắt đầu")
    first_decision_no = StringField("Số quyết định công nhận", validators=[Length(max=100)])
    first_decision_date = VNDateField("Ngày quyết định", not_future=True)

    def validate_first_level(self, field):
        if self.first_role.data and not field.data:
            raise ValidationError("Vui lòng chọn cấp.")
        if self.first_role.data and (refusal := reform2025.level_refusal(
                Level.parse(field.data), self.first_start.data)):
            raise ValidationError(refusal)

    def validate_first_start(self, field):
        if self.first_role.data and not field.data:
            raise ValidationError("Vui lòng nhập ngày bắt đầu.")

    def appointment_data(self) -> dict | None:
        if not self.first_role.data:
            return None
        return {
            "role": Role(self.first_role.data),
            "level": Level(self.first_level.data),
            "start_date": self.first_start.data,
            "decision_no": self.first_decision_no.data or None,
            "decision_date": self.first_decision_date.data,
        }


class AppointmentForm(FlaskForm):
    role = CodeSelectField("Vai trò", choices=Role.choices(),
                           validators=[required("Vui lòng chọn vai trò.")])
    level = CodeSelectField("Cấp", choices=Level.choices(),
                            validators=[required("Vui lòng chọn cấp.")])
    unit_id = CodeSelectField("Đơn vị", validators=[required("Vui lòng chọn đơn vị.")])
    decision_no = StringField("Số quyết định công nhận", validators=[Length(max=100)])
    decision_date = VNDateField("Ngày quyết định", not_future=True)
    decision_body = StringField("Cơ quan ra quyết định", validators=[Length(max=200)])
    term = StringField(
        "Nhiệm kỳ", validators=[Length(max=40)], render_kw={"placeholder": "2025-2030"}
    )
    start_date = VNDateField(
        "Ngày bắt đầu", validators=[InputRequired("Vui lòng nhập ngày bắt đầu.")]
    )
    end_date = VNDateField("Ngày kết thúc")
    end_reason = CodeSelectField("Lý do kết thúc", choices=EndReason.choices())

    def validate_end_date(self, field):
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError("Ngày kết thúc không được trước ngày bắt đầu.")

    def validate_end_reason(self, field):
        if self.end_date.data and not field.data:
            raise ValidationError("Vui lòng chọn lý do kết thúc.")

    def validate_term(self, field):
        term_field(field)

    def appointment_data(self) -> dict:
        data = {
            k: getattr(self, k).data
            for k in (
                "decision_no",
                "decision_date",
                "decision_body",
                "term",
                "start_date",
                "end_date",
            )
        }
        data.update(
            role=Role(self.role.data),
            level=Level(self.level.data),
            end_reason=EndReason.parse(self.end_reason.data),
        )
        return data


class EndAppointmentForm(FlaskForm):
    end_date = VNDateField(
        "Ngày kết thúc", validators=[InputRequired("Vui lòng nhập ngày kết thúc.")]
    )
    end_reason = CodeSelectField("Lý do", choices=EndReason.choices(),
                                 validators=[required("Vui lòng chọn lý do kết thúc.")])
    # The decision that ended it, as the office files it (issue 15): optional, since an
    # appointment may end with no decision of its own (a death, a term running out).
    end_decision_no = StringField("Số quyết định kết thúc",
                                  validators=[Length(max=100, message="Tối đa 100 ký tự.")])
    end_decision_date = VNDateField("Ngày quyết định kết thúc", not_future=True)

    def decision(self) -> dict:
        return {"decision_no": (self.end_decision_no.data or "").strip() or None,
                "decision_date": self.end_decision_date.data}
