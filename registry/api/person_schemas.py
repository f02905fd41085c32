"""Schemas of persons and appointments in the API: the roster's filters as query arguments, what
is read (ISO dates, codes of the enums), and the JSON bodies that the web's forms then judge."""
from __future__ import annotations

import datetime as dt
import re

from marshmallow import Schema, ValidationError, fields, validate

from models import DatePrecision, EndReason, Gender, Level, Role
from registry.api import record_schemas as rs
from registry.api.schemas import PageMeta
from registry.roster.query import AGE_BANDS, NONE, STATUSES

_PARTIAL = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _codes(enum_cls) -> fields.Enum:
    return fields.Enum(enum_cls, by_value=True)


def _text(size: int, **kw) -> fields.String:
    return rs.text(size, **kw)


class PersonListArgs(Schema):
    """The web roster's filters (registry.roster.query.RosterFilter), by the same names."""

    q = fields.String(load_default="", validate=validate.Length(max=200),
                      metadata={"description": "Tìm theo họ tên (có hoặc không dấu)"})
    unit = rs.unit_filter("Đơn vị (id)")
    own = fields.Boolean(metadata={"description": "Chỉ người của chính đơn vị `unit`"})
    role = fields.String(validate=validate.OneOf([r.value for r in Role]))
    level = fields.String(validate=validate.OneOf([v.value for v in Level]))
    status = fields.String(load_default="active", validate=validate.OneOf(list(STATUSES)),
                           metadata={"description": "active: đang hoạt động; ended; all"})
    gender = fields.String(validate=validate.OneOf([g.value for g in Gender] + [NONE]))
    ethnicity = fields.String(validate=validate.Length(max=60),
                              metadata={"description": "Dân tộc; `none`: chưa ghi"})
    party = fields.Boolean(metadata={"description": "Đảng viên hay không"})
    llct = fields.String(validate=validate.Length(max=60),
                         metadata={"description": "Mã trình độ lý luận chính trị; `none`"})
    elig = fields.Boolean(metadata={"description": "Đủ / chưa đủ tiêu chuẩn"})
    age = fields.String(validate=validate.OneOf(list(AGE_BANDS)))
    trained = fields.Boolean(metadata={"description": "Đã / chưa bồi dưỡng trong thời hạn"})
    on = fields.Date(metadata={"description": "Danh sách vào ngày (YYYY-MM-DD); mặc định hôm nay"})
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


def filter_args(args: dict) -> dict[str, str]:
    """The query arguments as the web roster's query string (RosterFilter.from_args reads it)."""
    out = {}
    for key, value in args.items():
        if key == "per_page" or value is None:
            continue
        if isinstance(value, bool):
            value = "1" if value else "0"
        elif isinstance(value, dt.date):
            value = value.isoformat()
        out[key] = str(value)
    if out.get("own") == "0":
        del out["own"]
    return out


class UnitRef(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)


class ActiveAppointment(Schema):
    id = fields.Integer(required=True)
    role = _codes(Role)
    level = _codes(Level)
    unit_id = fields.Integer(required=True)
    start_date = fields.Date(required=True)
    term = fields.String(allow_none=True)


class AppointmentSchema(ActiveAppointment):
    person_id = fields.Integer(required=True)
    unit_name = fields.String(attribute="unit_name_snapshot",
                              metadata={"description": "Tên đơn vị như trong quyết định"})
    decision_no = fields.String(allow_none=True)
    decision_date = fields.Date(allow_none=True)
    decision_body = fields.String(allow_none=True)
    end_date = fields.Date(allow_none=True)
    end_reason = fields.Enum(EndReason, by_value=True, allow_none=True)
    end_decision_no = fields.String(allow_none=True)
    end_decision_date = fields.Date(allow_none=True)
    active = fields.Boolean(attribute="is_active", metadata={"description": "Còn hiệu lực hôm nay"})


class PersonBase(Schema):
    id = fields.Integer(required=True)
    full_name = fields.String(required=True)
    dob = fields.Date(allow_none=True)
    dob_precision = fields.Enum(DatePrecision, by_value=True, allow_none=True)
    gender = fields.Enum(Gender, by_value=True, allow_none=True)
    ethnicity = fields.String(allow_none=True)
    unit = fields.Nested(UnitRef, required=True)


class PersonItem(PersonBase):
    appointments = fields.List(fields.Nested(ActiveAppointment), attribute="active",
                               metadata={"description": "Bổ nhiệm có hiệu lực vào ngày của "
                                                        "danh sách"})


class PersonPage(Schema):
    items = fields.List(fields.Nested(PersonItem), required=True)
    meta = fields.Nested(PageMeta, required=True)


class PersonAttendance(rs.AttendanceSchema):
    course_name = fields.String(attribute="course.name", required=True)


class PersonDetail(PersonBase):
    religion = fields.String(allow_none=True)
    hometown = fields.String(allow_none=True)
    cccd = fields.String(allow_none=True)
    party_member = fields.Boolean()
    party_join_date = fields.Date(allow_none=True)
    position = fields.String(allow_none=True)
    workplace = fields.String(allow_none=True)
    education = fields.String(allow_none=True)
    professional = fields.String(allow_none=True)
    political_theory = fields.String(allow_none=True)
    state_management = fields.String(allow_none=True)
    it_level = fields.String(allow_none=True)
    foreign_language = fields.String(allow_none=True)
    minority_languages = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    notes = fields.String(allow_none=True)
    version = fields.Integer()
    appointments = fields.List(fields.Nested(AppointmentSchema))
    commendations = fields.List(fields.Nested(rs.CommendationSchema))
    disciplines = fields.List(fields.Nested(rs.DisciplineSchema))
    attendances = fields.List(fields.Nested(PersonAttendance))
    activities = fields.List(fields.Nested(rs.ActivitySchema))
    payments = fields.List(fields.Nested(rs.PaymentSchema))


def _partial_date(text: str) -> None:
    if not _PARTIAL.match(text):
        raise ValidationError("Ngày sinh phải có dạng YYYY-MM-DD, YYYY-MM hoặc YYYY.")


class FirstAppointment(Schema):
    """The first appointment made with the person, as the web's "Thêm người" form offers."""

    role = fields.String(required=True, validate=validate.OneOf([r.value for r in Role]))
    level = fields.String(required=True, validate=validate.OneOf([v.value for v in Level]))
    start_date = fields.Date(required=True)
    decision_no = _text(100)
    decision_date = fields.Date(allow_none=True)


class PersonWrite(Schema):
    """A person's fields as the web form has them; the form's own checks judge the values."""

    full_name = rs.text(200, required=True)
    dob = fields.String(allow_none=True, validate=_partial_date,
                        metadata={"description": "Ngày sinh: YYYY-MM-DD, YYYY-MM hoặc YYYY"})
    gender = fields.String(allow_none=True, validate=validate.OneOf([g.value for g in Gender]))
    ethnicity = _text(60)
    religion = _text(100)
    hometown = _text(300)
    cccd = _text(20, metadata={"description": "Số CCCD, 12 chữ số"})
    unit_id = rs.ident(required=True, metadata={"description": "Đơn vị quản lý (id)"})
    party_member = fields.Boolean()
    party_join_date = fields.Date(allow_none=True)
    position = _text(300)
    workplace = _text(300)
    education = _text(60)
    professional = _text(200)
    political_theory = _text(60, metadata={"description": "Mã trình độ lý luận chính trị"})
    state_management = _text(100, metadata={"description": "Mã trình độ quản lý nhà nước"})
    it_level = _text(100)
    foreign_language = _text(100)
    minority_languages = _text(200)
    phone = _text(40)
    email = _text(200)
    notes = _text(4000)


class PersonCreate(PersonWrite):
    appointment = fields.Nested(FirstAppointment, allow_none=True,
                                metadata={"description": "Bổ nhiệm đầu tiên (không bắt buộc)"})


class AppointmentWrite(Schema):
    role = fields.String(required=True, validate=validate.OneOf([r.value for r in Role]))
    level = fields.String(required=True, validate=validate.OneOf([v.value for v in Level]))
    unit_id = rs.ident(required=True)
    decision_no = _text(100)
    decision_date = fields.Date(allow_none=True)
    decision_body = _text(200)
    term = _text(40, metadata={"description": "Nhiệm kỳ, ví dụ 2025-2030"})
    start_date = fields.Date(required=True)
    end_date = fields.Date(allow_none=True)
    end_reason = fields.String(allow_none=True,
                               validate=validate.OneOf([r.value for r in EndReason]))


class AppointmentPatch(AppointmentWrite):
    """Only the fields sent change (use with partial=True)."""


class PersonPatch(PersonWrite):
    """Only the fields sent change (use with partial=True)."""


class AppointmentEnd(Schema):
    end_date = fields.Date(required=True)
    end_reason = fields.String(required=True,
                               validate=validate.OneOf([r.value for r in EndReason]))
    end_decision_no = _text(100)
    end_decision_date = fields.Date(allow_none=True)


def dob_text(dob: dt.date | None, precision: DatePrecision | None) -> str | None:
    """A stored birth date as the form's field reads it (dd/mm/yyyy, mm/yyyy or yyyy)."""
    if dob is None:
        return None
    if precision == DatePrecision.YEAR:
        return f"{dob.year}"
    if precision == DatePrecision.MONTH:
        return f"{dob.month:02d}/{dob.year}"
    return dob.strftime("%d/%m/%Y")


def dob_input(text: str | None) -> str | None:
    """The API's YYYY, YYYY-MM or YYYY-MM-DD as the form's field reads it."""
    if not text:
        return None
    parts = text.split("-")
    if len(parts) == 2:
        return f"{parts[1]}/{parts[0]}"
    return text
