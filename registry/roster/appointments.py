"""Appointment views: add, edit and end a person's BCV/TTV appointment."""
from __future__ import annotations

from flask import Blueprint

from models import Appointment, EndReason, Person
from registry.core import access
from registry.core.crud import PersonRecordPages, form_page, form_unit, person_page
from registry.roster import persons as svc
from registry.roster.choices import fill_appointment
from registry.roster.forms import AppointmentForm, EndAppointmentForm

bp = Blueprint("appointments", __name__)
PAGES = PersonRecordPages(Appointment, "roster/appointment_form.html", "appt")


@bp.route("/persons/<int:person_id>/appointments/new", methods=["GET", "POST"])
def create(person_id: int):
    person = access.get_writable_or_404(Person, person_id)
    form = AppointmentForm()
    fill_appointment(form)
    if not form.is_submitted():
        form.unit_id.data = str(person.unit_id)
    return PAGES.new(person, form, lambda: svc.add_appointment(person, form.appointment_data(),
                                                               form_unit(form)),
                     "Đã thêm bổ nhiệm.")


@bp.route("/appointments/<int:appointment_id>/edit", methods=["GET", "POST"])
def edit(appointment_id: int):
    appt = PAGES.load(appointment_id)
    form = AppointmentForm(obj=appt)
    fill_appointment(form, appt.start_date, keep=appt.level)
    if not form.is_submitted():
        form.role.data, form.level.data = appt.role.value, appt.level.value
        form.unit_id.data = str(appt.unit_id)
        form.end_reason.data = appt.end_reason.value if appt.end_reason else None
    return PAGES.edit(appt, form, lambda: svc.update_appointment(appt, form.appointment_data(),
                                                                 form_unit(form)),
                      "Đã lưu bổ nhiệm.")


@bp.route("/appointments/<int:appointment_id>/end", methods=["GET", "POST"])
def end(appointment_id: int):
    appt = PAGES.load(appointment_id)
    form = EndAppointmentForm()
    return form_page(form, lambda: svc.end_appointment(appt, form.end_date.data,
                                                       EndReason(form.end_reason.data),
                                                       **form.decision()),
                     "Đã kết thúc bổ nhiệm.", person_page(appt.person_id),
                     "roster/appointment_end.html", appt=appt)
