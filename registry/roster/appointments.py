"""Appointment views: add, edit and end a person's BCV/TTV appointment."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for

from models import Appointment, EndReason, Person, Unit, db
from registry.core import access
from registry.roster import persons as svc
from registry.roster.choices import fill_appointment
from registry.roster.forms import AppointmentForm, EndAppointmentForm
from registry.roster.views import _field_error

bp = Blueprint("appointments", __name__)


@bp.route("/persons/<int:person_id>/appointments/new", methods=["GET", "POST"])
def create(person_id: int):
    person = access.get_scoped_or_404(Person, person_id)
    access.require_write(person.unit)
    form = AppointmentForm()
    fill_appointment(form)
    if not form.is_submitted():
        form.unit_id.data = str(person.unit_id)
    if form.validate_on_submit():
        unit = access.get_scoped_or_404(Unit, form.unit_id.data)
        try:
            svc.add_appointment(person, form.appointment_data(), unit)
        except svc.RuleViolation as exc:
            db.session.rollback()
            _field_error(form, exc)
        else:
            db.session.commit()
            flash("Đã thêm bổ nhiệm.", "success")
            return redirect(url_for("roster.detail", person_id=person.id))
    return render_template("roster/appointment_form.html", form=form, person=person, appt=None)


@bp.route("/appointments/<int:appointment_id>/edit", methods=["GET", "POST"])
def edit(appointment_id: int):
    appt = access.get_scoped_or_404(Appointment, appointment_id)
    access.require_write(appt.person.unit)
    form = AppointmentForm(obj=appt)
    fill_appointment(form)
    if not form.is_submitted():
        form.role.data, form.level.data = appt.role.value, appt.level.value
        form.unit_id.data = str(appt.unit_id)
        form.end_reason.data = appt.end_reason.value if appt.end_reason else None
    if form.validate_on_submit():
        unit = access.get_scoped_or_404(Unit, form.unit_id.data)
        try:
            svc.update_appointment(appt, form.appointment_data(), unit)
        except svc.RuleViolation as exc:
            db.session.rollback()
            _field_error(form, exc)
        else:
            db.session.commit()
            flash("Đã lưu bổ nhiệm.", "success")
            return redirect(url_for("roster.detail", person_id=appt.person_id))
    return render_template("roster/appointment_form.html", form=form, person=appt.person, appt=appt)


@bp.route("/appointments/<int:appointment_id>/end", methods=["GET", "POST"])
def end(appointment_id: int):
    appt = access.get_scoped_or_404(Appointment, appointment_id)
    access.require_write(appt.person.unit)
    form = EndAppointmentForm()
    if form.validate_on_submit():
        try:
            svc.end_appointment(appt, form.end_date.data, EndReason(form.end_reason.data))
        except svc.RuleViolation as exc:
            db.session.rollback()
            _field_error(form, exc)
        else:
            db.session.commit()
            flash("Đã kết thúc bổ nhiệm.", "success")
            return redirect(url_for("roster.detail", person_id=appt.person_id))
    return render_template("roster/appointment_end.html", form=form, appt=appt)
