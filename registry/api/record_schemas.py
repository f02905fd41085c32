"""Schemas of the records kept on people and units: courses and attendance, payments,
commendations, disciplines, activities. Each kind has what the API writes (`…Schema`, also the
source of its ETag), what a list accepts (`…Args`) and what a create accepts (`…In`; a PATCH
takes the same fields, each optional). Text limits are the database's, as on the web's forms."""
from __future__ import annotations

import datetime as dt
import re

from marshmallow import Schema, ValidationError, fields, validate

from imports.text import collapse_spaces
from models import (
    CourseKind,
    DeliveryForm,
    DisciplineSystem,
    OrgLevel,
    PaymentKind,
    TrainingResult,
)
from registry.api.schemas import PageArgs, PageMeta

MAX_ID = 2**31 - 1  # ids are INTEGER columns: PostgreSQL refuses a larger number outright
ID = validate.Range(min=1, max=MAX_ID, error="Phải là mã số từ 1 trở lên.")


def _no_nul(value: str) -> None:
    if "\x00" in value:
        raise ValidationError("Chứa ký tự không hợp lệ (ký tự NUL).")


def _not_blank(value: str) -> None:
    if not collapse_spaces(value):
        raise ValidationError("Không được để trống.")


def text(maximum: int, *, required: bool = False, **kw) -> fields.String:
    """A text field of at most `maximum` characters, never holding a NUL; `required`: present
    and not blank (spaces and invisible characters alone are blank)."""
    checks = [validate.Length(max=maximum), _no_nul] + ([_not_blank] if required else [])
    return fields.String(required=required, allow_none=not required, validate=checks, **kw)


def enum(cls, **kw) -> fields.Enum:
    return fields.Enum(cls, by_value=True, **kw)


def ident(*, strict: bool = True, **kw) -> fields.Integer:
    """A row id: strict (a JSON number) in a body, any digits in a query string."""
    return fields.Integer(strict=strict, validate=ID, **kw)


def unit_filter(what: str) -> fields.Integer:
    return ident(strict=False, metadata={"description": f"{what} (cả các đơn vị trực thuộc)"})


class Month(fields.String):
    """A month as "YYYY-MM" (a full date is taken as its month); loads the first day."""

    PATTERN = re.compile(r"^(\d{4})-(\d{2})(?:-\d{2})?$")

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else f"{value:%Y-%m}"

    def _deserialize(self, value, attr, data, **kwargs):
        found = self.PATTERN.match(value) if isinstance(value, str) else None
        try:
            day = dt.date(int(found[1]), int(found[2]), 1) if found else None
        except ValueError:
            day = None
        if day is None or not 1900 <= day.year <= 2100:
            raise ValidationError("Tháng phải có dạng YYYY-MM (năm 1900–2100).")
        return day


def page_schema(item: type[Schema], name: str) -> type[Schema]:
    """{"items": [...], "meta": {page, per_page, total, pages}} of `item`."""
    return Schema.from_dict({"items": fields.List(fields.Nested(item), required=True),
                             "meta": fields.Nested(PageMeta, required=True)}, name=name)


# Courses and attendance ---------------------------------------------------------------------

class CourseSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    kind = enum(CourseKind, required=True)
    level = enum(OrgLevel, required=True)
    organiser = fields.String(allow_none=True)
    unit_id = fields.Integer(required=True, metadata={"description": "Đơn vị tổ chức"})
    unit_name = fields.String(attribute="unit.name", required=True)
    start_date = fields.Date(required=True)
    end_date = fields.Date(required=True)
    place = fields.String(allow_none=True)
    form = enum(DeliveryForm, required=True)
    hours = fields.Integer(allow_none=True)
    note = fields.String(allow_none=True)


class CourseArgs(PageArgs):
    year = fields.Integer(validate=validate.Range(1900, 2100), metadata={
        "description": "Năm bắt đầu"})
    kind = enum(CourseKind)
    unit = unit_filter("Đơn vị tổ chức")


class CourseIn(Schema):
    name = text(300, required=True)
    kind = enum(CourseKind, required=True)
    level = enum(OrgLevel, required=True)
    unit_id = ident(required=True, metadata={"description": "Đơn vị tổ chức"})
    organiser = text(200)
    start_date = fields.Date(required=True)
    end_date = fields.Date(allow_none=True, metadata={"description": "Mặc định: ngày bắt đầu"})
    place = text(300)
    form = enum(DeliveryForm, required=True)
    hours = fields.Integer(allow_none=True, validate=validate.Range(1, 2000))
    note = text(4000)


class AttendanceSchema(Schema):
    id = fields.Integer(required=True)
    course_id = fields.Integer(required=True)
    person_id = fields.Integer(required=True)
    person_name = fields.String(attribute="person.full_name", required=True)
    result = enum(TrainingResult, allow_none=True)
    certificate_no = fields.String(allow_none=True)
    note = fields.String(allow_none=True)


class AttendeesIn(Schema):
    person_ids = fields.List(ident(), required=True,
                             validate=validate.Length(min=1, max=5000))
    result = enum(TrainingResult, allow_none=True)


class AttendeesOut(Schema):
    added = fields.Integer(required=True)
    already_present = fields.Integer(required=True)


class AttendanceIn(Schema):
    result = enum(TrainingResult, allow_none=True)
    certificate_no = text(100)
    note = text(300)


# Payments -----------------------------------------------------------------------------------

class PaymentSchema(Schema):
    id = fields.Integer(required=True)
    person_id = fields.Integer(required=True)
    person_name = fields.String(attribute="person.full_name", required=True)
    unit_id = fields.Integer(required=True, metadata={"description": "Đơn vị chi trả"})
    appointment_id = fields.Integer(allow_none=True)
    period = Month(required=True, metadata={"description": "Tháng (YYYY-MM)"})
    kind = enum(PaymentKind, required=True)
    amount = fields.Integer(required=True, metadata={"description": "Số tiền (đồng)"})
    sessions = fields.Integer(allow_none=True)
    basis = fields.String(allow_none=True)
    paid_date = fields.Date(allow_none=True)
    note = fields.String(allow_none=True)
    generated = fields.Boolean(required=True, metadata={
        "description": "Lập tự động theo mức chi (Lập chi trả tháng)"})


class PaymentArgs(PageArgs):
    month = Month(metadata={"description": "Tháng (YYYY-MM)"})
    unit = unit_filter("Đơn vị chi trả")
    person = ident(strict=False)
    kind = enum(PaymentKind)
    paid = fields.Boolean(metadata={"description": "Đã chi (true) hay chưa chi (false)"})


class PaymentEditIn(Schema):
    amount = fields.Integer(required=True, validate=validate.Range(1, 10**12))
    sessions = fields.Integer(allow_none=True, validate=validate.Range(1, 1000))
    basis = text(300)
    paid_date = fields.Date(allow_none=True)
    note = text(300)


class PaymentIn(PaymentEditIn):
    person_id = ident(required=True)
    unit_id = ident(metadata={"description": "Đơn vị chi trả; mặc định đơn vị của người"})
    kind = enum(PaymentKind, required=True)
    period = Month(required=True, metadata={"description": "Tháng (YYYY-MM)"})


# Commendations ------------------------------------------------------------------------------

class CommendationSchema(Schema):
    id = fields.Integer(required=True)
    person_id = fields.Integer(required=True)
    person_name = fields.String(attribute="person.full_name", required=True)
    form = fields.String(required=True, metadata={"description": "Mã trong danh mục hình thức "
                                                                 "khen thưởng"})
    title = fields.String(allow_none=True)
    issuer_level = enum(OrgLevel, required=True)
    issuer = fields.String(required=True)
    decision_no = fields.String(allow_none=True)
    decision_date = fields.Date(allow_none=True)
    year = fields.Integer(required=True)
    reason = fields.String(allow_none=True)


class CommendationArgs(PageArgs):
    year = fields.Integer(validate=validate.Range(1900, 2100))
    form = text(60)
    unit = unit_filter("Đơn vị của người")
    person = ident(strict=False)


class CommendationIn(Schema):
    person_id = ident(required=True)
    form = text(60, required=True)
    title = text(300)
    issuer_level = enum(OrgLevel, required=True)
    issuer = text(200, required=True)
    decision_no = text(100)
    decision_date = fields.Date(allow_none=True)
    year = fields.Integer(required=True, validate=validate.Range(1, 9999))
    reason = text(4000)


# Disciplines --------------------------------------------------------------------------------

class DisciplineSchema(Schema):
    id = fields.Integer(required=True)
    person_id = fields.Integer(required=True)
    person_name = fields.String(attribute="person.full_name", required=True)
    system = enum(DisciplineSystem, required=True)
    form = fields.String(required=True, metadata={"description": "Mã trong danh mục hình thức "
                                                                 "kỷ luật"})
    issuer = fields.String(allow_none=True)
    decision_no = fields.String(allow_none=True)
    decision_date = fields.Date(allow_none=True)
    effective_from = fields.Date(required=True)
    effective_until = fields.Date(allow_none=True)
    summary = fields.String(allow_none=True)


class DisciplineArgs(PageArgs):
    status = fields.String(load_default="in_force", validate=validate.OneOf(["in_force", "all"]),
                           metadata={"description": "in_force: đang có hiệu lực hôm nay"})
    system = enum(DisciplineSystem)
    expiring_within = fields.Integer(validate=validate.Range(1, 3650), metadata={
        "description": "Sắp hết hiệu lực trong số ngày này"})
    unit = unit_filter("Đơn vị của người")
    person = ident(strict=False)


class DisciplineIn(Schema):
    person_id = ident(required=True)
    system = enum(DisciplineSystem, required=True)
    form = text(60, required=True)
    issuer = text(200)
    decision_no = text(100)
    decision_date = fields.Date(allow_none=True)
    effective_from = fields.Date(required=True)
    effective_until = fields.Date(allow_none=True, metadata={
        "description": "Để trống: theo thời hạn mặc định của hình thức"})
    summary = text(4000)
    end_appointments = fields.Boolean(metadata={
        "description": "Xác nhận: «đưa ra khỏi danh sách» kết thúc các bổ nhiệm còn hiệu lực "
                       "(bắt buộc khi có bổ nhiệm sẽ bị kết thúc)"})


# Activities ---------------------------------------------------------------------------------

class ActivitySchema(Schema):
    id = fields.Integer(required=True)
    person_id = fields.Integer(required=True)
    person_name = fields.String(attribute="person.full_name", required=True)
    appointment_id = fields.Integer(allow_none=True, metadata={
        "description": "Với tư cách (bổ nhiệm tính thù lao); null: không tính thù lao"})
    unit_id = fields.Integer(required=True, metadata={"description": "Đơn vị nơi báo cáo"})
    date = fields.Date(required=True)
    topic = fields.String(required=True)
    place = fields.String(allow_none=True)
    form = enum(DeliveryForm, required=True)
    audience = fields.Integer(allow_none=True)
    notes = fields.String(allow_none=True)
    session_key = fields.String(allow_none=True, metadata={
        "description": "Chung cho các người cùng báo cáo một buổi"})


class ActivityArgs(PageArgs):
    start = fields.Date(data_key="from", metadata={"description": "Từ ngày"})
    end = fields.Date(data_key="to", metadata={"description": "Đến ngày"})
    unit = unit_filter("Đơn vị nơi báo cáo")
    form = enum(DeliveryForm)
    topic = text(200)
    person = ident(strict=False)


class ActivityIn(Schema):
    person_id = ident(required=True)
    unit_id = ident(required=True, metadata={"description": "Đơn vị nơi báo cáo"})
    appointment_id = ident(allow_none=True, metadata={
        "description": "Bổ nhiệm tính thù lao; bỏ trống: không tính thù lao"})
    date = fields.Date(required=True)
    topic = text(300, required=True)
    place = text(300)
    form = enum(DeliveryForm, required=True)
    audience = fields.Integer(allow_none=True, validate=validate.Range(1, 1_000_000))
    notes = text(4000)


CoursePage = page_schema(CourseSchema, "CoursePage")
AttendancePage = page_schema(AttendanceSchema, "AttendancePage")
PaymentPage = page_schema(PaymentSchema, "PaymentPage")
CommendationPage = page_schema(CommendationSchema, "CommendationPage")
DisciplinePage = page_schema(DisciplineSchema, "DisciplinePage")
ActivityPage = page_schema(ActivitySchema, "ActivityPage")


# What a PATCH takes: the same fields, each optional (loaded with partial=True); never the
# person a record belongs to.

class CoursePatch(CourseIn):
    pass


class AttendancePatch(AttendanceIn):
    pass


class PaymentPatch(PaymentEditIn):
    pass


class CommendationPatch(CommendationIn):
    class Meta:
        exclude = ("person_id",)


class DisciplinePatch(DisciplineIn):
    class Meta:
        exclude = ("person_id",)


class ActivityPatch(ActivityIn):
    class Meta:
        exclude = ("person_id",)
