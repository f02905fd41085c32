"""Appointments: read one, edit it (If-Match) and end it, through the web's appointment form
and services (registry.roster.persons). Listing and adding are under the person:
/api/v1/persons/<id>/appointments."""
from __future__ import annotations

from flask_smorest import Blueprint

from models import Appointment, EndReason
from registry.api import form_input, idempotency
from registry.api import person_schemas as ps
from registry.api.idempotency import idempotent
from registry.api.record_common import problems
from registry.core import access
from registry.core.crud import form_unit
from registry.roster import persons as svc
from registry.roster.choices import fill_appointment
from registry.roster.forms import AppointmentForm, EndAppointmentForm

blp = Blueprint("api_appointments", __name__, url_prefix="/appointments",
                description="Bổ nhiệm báo cáo viên, tuyên truyền viên")


@blp.route("/<int:appointment_id>")
@blp.etag
@blp.response(200, ps.AppointmentSchema)
@problems(blp, 401, 404)
def get_appointment(appointment_id: int):
    """Một bổ nhiệm."""
    return access.get_scoped_or_404(Appointment, appointment_id)


@blp.route("/<int:appointment_id>", methods=["PATCH"])
@blp.etag
@blp.arguments(ps.AppointmentPatch(partial=True))
@blp.response(200, ps.AppointmentSchema)
@problems(blp, 401, 403, 404, 409, 422)
def update_appointment(data, appointment_id: int):
    """Sửa bổ nhiệm (chỉ các trường gửi lên), cần If-Match với ETag vừa đọc."""
    appt = access.get_scoped_or_404(Appointment, appointment_id)
    blp.check_etag(appt, ps.AppointmentSchema)
    access.require_write(access.owner_unit(appt))
    values = {k: getattr(appt, k) for k in svc.APPOINTMENT_FIELDS}
    values.update(unit_id=appt.unit_id, **data)
    form = form_input.judged(AppointmentForm, values, obj=appt,
                             fill=lambda f: fill_appointment(f, appt.start_date, keep=appt.level))
    form_input.save(lambda: svc.update_appointment(appt, form.appointment_data(),
                                                   form_unit(form)))
    return access.get_scoped_or_404(Appointment, appointment_id)


@blp.route("/<int:appointment_id>/end", methods=["POST"])
@idempotent
@blp.doc(parameters=[idempotency.describe()])
@blp.arguments(ps.AppointmentEnd)
@blp.response(200, ps.AppointmentSchema)
@problems(blp, 401, 403, 404, 409, 422)
def end_appointment(data, appointment_id: int):
    """Kết thúc bổ nhiệm: ngày, lý do và quyết định kết thúc (nếu có); dòng lịch sử vẫn giữ."""
    appt = access.get_writable_or_404(Appointment, appointment_id)
    form = form_input.judged(EndAppointmentForm, data)
    form_input.save(lambda: svc.end_appointment(appt, form.end_date.data,
                                                EndReason(form.end_reason.data),
                                                **form.decision()))
    return access.get_scoped_or_404(Appointment, appointment_id)
