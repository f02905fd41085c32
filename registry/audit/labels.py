"""How an audit entry reads in Vietnamese: the kind of row, the action, each field's label (taken
from the forms that edit it), and each value as the rest of the app shows it."""
from __future__ import annotations

import datetime as dt
import functools

import sqlalchemy as sa
from wtforms.fields.core import UnboundField

from models import db
from models.base import Base
from models.enums import LabelledEnum
from registry.core.templating import vn_number

ENTITIES = {
    "persons": "Hồ sơ", "appointments": "Bổ nhiệm", "commendations": "Khen thưởng",
    "disciplines": "Kỷ luật", "activities": "Hoạt động báo cáo", "payments": "Chi trả",
    "attendances": "Tham gia bồi dưỡng", "courses": "Lớp bồi dưỡng",
    "transfer_requests": "Chuyển công tác", "successor_reviews": "Xã chia tách",
    "units": "Đơn vị", "users": "Tài khoản", "rates": "Mức chi", "settings": "Thiết lập",
    "saved_lists": "Danh sách chuyên đề", "reorganisations": "Sắp xếp đơn vị",
    "import_batches": "Nhập Excel", "security": "An ninh",
    "documents": "Tài liệu", "distributions": "Gửi tài liệu", "conferences": "Hội nghị BCV",
    "conference_points": "Điểm cầu", "conference_attendances": "Dự hội nghị BCV",
    "channels": "Kênh trực tuyến", "channel_counts": "Số thành viên kênh",
    "channel_posts": "Tin bài trên kênh", "exemplary_models": "Mô hình, điển hình",
    "evaluations": "Đánh giá hằng năm",
}
ACTIONS = {
    "create": "Thêm", "update": "Sửa", "delete": "Xóa",
    "import": "Nhập Excel", "undo_import": "Hoàn tác nhập", "discard_import": "Hủy bản xem trước",
    "expire_import": "Bản xem trước hết hạn",
    "login": "Đăng nhập", "login_failed": "Đăng nhập sai", "throttled": "Bị chặn tạm thời",
    "logout": "Đăng xuất", "password_changed": "Đổi mật khẩu",
    "password_reset": "Đặt lại mật khẩu", "account_changed": "Thay đổi tài khoản",
    "totp": "Xác thực hai lớp", "export": "Tải xuống",
}
# Columns no form edits, and the keys of events' details.
_COMMON = {
    "id": "Mã", "person_id": "Người", "unit_id": "Đơn vị", "full_name": "Họ và tên",
    "dob_precision": "Độ chính xác ngày sinh", "unit_name_snapshot": "Tên đơn vị lúc bổ nhiệm",
    "start_date": "Từ ngày", "term": "Nhiệm kỳ", "term_start": "Nhiệm kỳ từ",
    "term_end": "Nhiệm kỳ đến", "period": "Kỳ chi", "paid": "Đã chi", "course_id": "Lớp",
    "appointment_id": "Bổ nhiệm", "status": "Trạng thái", "from_unit_id": "Từ đơn vị",
    "username": "Tên đăng nhập", "display_name": "Tên hiển thị", "role": "Vai trò",
    "active": "Đang hoạt động", "must_change_password": "Phải đổi mật khẩu",
    "password_changed_at": "Đổi mật khẩu lúc", "what": "Nội dung", "filters": "Bộ lọc",
    "rows": "Số dòng", "file": "Tệp", "reason": "Lý do", "inserted": "Thêm mới",
    "updated": "Cập nhật", "requested": "Đề nghị chuyển", "days": "Số ngày",
    "name": "Tên", "kind": "Loại", "parent_id": "Trực thuộc", "valid_from": "Hiệu lực từ",
    "valid_to": "Hiệu lực đến", "gso_code": "Mã đơn vị hành chính",
}
# The forms that edit each table: their field labels are the labels people know.
_FORMS = {
    "persons": ("registry.roster.forms", "PersonForm"),
    "appointments": ("registry.roster.forms", "AppointmentForm"),
    "commendations": ("registry.records.forms", "CommendationForm"),
    "disciplines": ("registry.records.forms", "DisciplineForm"),
    "activities": ("registry.records.forms", "ActivityForm"),
    "payments": ("registry.payments.forms", "PaymentForm"),
    "rates": ("registry.payments.forms", "RateForm"),
    "courses": ("registry.training.forms", "CourseForm"),
    "attendances": ("registry.training.forms", "AttendanceForm"),
    "units": ("registry.units.forms", "UnitForm"),
    "evaluations": ("registry.evaluations.forms", "EvaluationForm"),
    "exemplary_models": ("registry.exemplary.forms", "ExemplaryForm"),
    "documents": ("registry.documents.forms", "DocumentForm"),
    "conferences": ("registry.conferences.forms", "ConferenceForm"),
    "conference_points": ("registry.conferences.forms", "PointForm"),
    "channels": ("registry.channels.forms", "ChannelForm"),
    "channel_counts": ("registry.channels.forms", "CountForm"),
    "channel_posts": ("registry.channels.forms", "PostForm"),
}
EMPTY = "—"


def entity_label(entity: str) -> str:
    return ENTITIES.get(entity, entity)


def action_label(action: str) -> str:
    return ACTIONS.get(action, action)


@functools.cache
def field_labels(entity: str) -> dict[str, str]:
    """Column name → label for `entity`: the editing form's labels over the common ones."""
    labels = dict(_COMMON)
    spec = _FORMS.get(entity)
    if spec:
        import importlib

        form_cls = getattr(importlib.import_module(spec[0]), spec[1])
        labels.update(_form_labels(form_cls))
    return labels


def _form_labels(form_cls) -> dict[str, str]:
    found = {}
    for name in dir(form_cls):
        field = getattr(form_cls, name, None)
        if isinstance(field, UnboundField):
            label = field.args[0] if field.args else field.kwargs.get("label")
            if isinstance(label, str) and label:
                found[name] = label
    return found


def field_label(entity: str, column: str) -> str:
    return field_labels(entity).get(column, column)


@functools.cache
def _column_types(entity: str) -> dict[str, sa.types.TypeEngine]:
    table = Base.metadata.tables.get(entity)
    return {} if table is None else {c.name: c.type for c in table.columns}


def show_value(entity: str, column: str, value, units: dict[int, str]) -> str:
    """`value` as stored in the audit JSON, shown as the app shows it: dates dd/mm/yyyy, enums
    by label, yes/no, money and counts with dots, unit ids by the unit's name."""
    if value is None or value == "":
        return EMPTY
    kind = _column_types(entity).get(column)
    if isinstance(value, bool) or isinstance(kind, sa.Boolean):
        return "Có" if value else "Không"
    if isinstance(kind, sa.Enum) and kind.enum_class and issubclass(kind.enum_class, LabelledEnum):
        member = kind.enum_class.parse(value)
        return member.label if member is not None else str(value)
    if isinstance(kind, (sa.Date, sa.DateTime)) and isinstance(value, str):
        return _show_date(value)
    if column.endswith("unit_id") and isinstance(value, int):
        return units.get(value, f"#{value}")
    if isinstance(value, int) and column in ("amount", "rows", "audience"):
        return vn_number(value)
    if isinstance(value, dict):
        return "; ".join(f"{field_label(entity, k)}: {v}" for k, v in value.items()) or EMPTY
    return str(value)


def _show_date(text: str) -> str:
    try:
        if "T" in text:
            return dt.datetime.fromisoformat(text).strftime("%d/%m/%Y %H:%M")
        return dt.date.fromisoformat(text).strftime("%d/%m/%Y")
    except ValueError:
        return text


def unit_names(ids: set[int]) -> dict[int, str]:
    """Names of the units an entry's values name (the tree is everyone's: no scope needed)."""
    from models import Unit

    if not ids:
        return {}
    rows = db.session.execute(sa.select(Unit.id, Unit.name).where(Unit.id.in_(ids)))
    return dict(rows.tuples().all())
