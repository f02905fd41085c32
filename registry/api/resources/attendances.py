"""/api/v1/attendances/<id>: one person's attendance of a course: its result, certificate
number and note (registry.training.service, as the web's result pages); added in bulk through
POST /api/v1/courses/<id>/attendances."""
from __future__ import annotations

from flask_smorest import Blueprint

from models import Attendance
from registry.api.record_common import item_routes, merged
from registry.api.record_schemas import AttendancePatch, AttendanceSchema
from registry.training import service as svc

blp = Blueprint("api_attendances", __name__, url_prefix="/attendances",
                description="Kết quả tham gia khóa học của từng người")

FIELDS = ("result", "certificate_no", "note")


item_routes(blp, Attendance, AttendanceSchema, AttendancePatch, "attendance_id",
            update=lambda att, patch: svc.update_attendance(att, merged(att, FIELDS, patch)),
            delete=svc.delete_attendance, what="kết quả tham gia khóa học của một người")
