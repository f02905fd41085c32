"""Oral-propaganda sessions: per person and per unit, filtered by period, with counts."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, render_template, request

from models import Activity, DeliveryForm, Person, db
from registry.core import access
from registry.core.crud import PersonRecordPages, form_unit
from registry.core.dates import parse_day
from registry.records import service as svc
from registry.records.forms import ActivityForm
from registry.units.service import writable_unit_choices

bp = Blueprint("activities", __name__)
PAGES = PersonRecordPages(Activity, "records/activity_form.html")


def _form(person: Person, obj=None) -> ActivityForm:
    form = ActivityForm(obj=obj)
    form.unit_id.choices = writable_unit_choices()
    form.appointment_id.choices = [(a.id, _appointment_label(a)) for a in person.appointments]
    return form


def _appointment_label(a) -> str:
    until = a.end_date.strftime("%d/%m/%Y") if a.end_date else "nay"
    since = a.start_date.strftime("%d/%m/%Y")
    return f"{a.role.value} {a.level.label} – {a.unit_name_snapshot} ({since}–{until})"


@bp.route("/activities")
def index():
    unit = access.visible_unit(request.args.get("unit"))
    person, person_id = None, access.parse_id(request.args.get("person"))
    if person_id is not None:
        person = db.session.execute(
            sa.select(Person).where(Person.id == person_id)).scalar_one_or_none()
    start, end = parse_day(request.args.get("from", "")), parse_day(request.args.get("to", ""))
    stmt = svc.activity_query(unit, start, end, person)
    return render_template("records/activities.html",
                           items=db.session.execute(stmt.limit(1000)).scalars().all(),
                           counts=svc.sessions_per_person(stmt), unit=unit, person=person,
                           start=start, end=end, units=writable_unit_choices())


@bp.route("/persons/<int:person_id>/activities/new", methods=["GET", "POST"])
def create(person_id: int):
    person = access.get_writable_or_404(Person, person_id)
    form = _form(person)
    if not form.is_submitted():
        active = person.active_appointments()
        form.appointment_id.data = str(active[0].id) if active else None
        form.unit_id.data = str(person.unit_id)
        form.form.data = DeliveryForm.TRUC_TIEP.value
    return PAGES.new(person, form, lambda: svc.add_activity(person, form.record_data(),
                                                            form_unit(form)),
                     "Đã ghi buổi báo cáo.")


@bp.route("/activities/<int:activity_id>/edit", methods=["GET", "POST"])
def edit(activity_id: int):
    item = PAGES.load(activity_id)
    form = _form(item.person, item)
    if not form.is_submitted():
        form.appointment_id.data = str(item.appointment_id) if item.appointment_id else None
        form.unit_id.data = str(item.unit_id)
    return PAGES.edit(item, form, lambda: svc.update_activity(item, form.record_data(),
                                                              form_unit(form)),
                      "Đã lưu buổi báo cáo.")


@bp.route("/activities/<int:activity_id>/delete", methods=["POST"])
def delete(activity_id: int):
    return PAGES.delete(activity_id, svc.delete_record, "Đã xóa buổi báo cáo.")
