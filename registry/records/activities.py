"""Oral-propaganda sessions: per person and per unit, filtered by period, with counts."""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, current_app, render_template, request, url_for
from flask_login import current_user

from models import Activity, DeliveryForm, Person, db
from registry.core import access
from registry.core.crud import (
    PersonRecordPages,
    confirm_button,
    form_page,
    form_unit,
    person_page,
)
from registry.core.downloads import record_download
from registry.exports.download import send_xlsx
from registry.records import activity_group as group
from registry.records import activity_query as query
from registry.records import activity_xlsx
from registry.records import service as svc
from registry.records.activity_forms import SessionForm
from registry.records.activity_query import ActivityFilter
from registry.records.activity_summary import summary
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
    return f"{a.role.value} {a.level.phrase} – {a.unit_name_snapshot} ({since}–{until})"


@bp.route("/activities")
def index():
    f = ActivityFilter.from_args(request.args)
    stmt = query.build(f)
    page = query.paginate(stmt, f.page, current_app.config["PAGE_SIZE"])
    return render_template("records/activities.html", f=f, page=page,
                           groups=query.group_sizes(page.items), totals=summary(f),
                           counts=svc.sessions_per_person(stmt), units=writable_unit_choices(),
                           forms=DeliveryForm)


@bp.route("/activities.xlsx")
def export():
    f = ActivityFilter.from_args(request.args)
    items = db.session.execute(query.build(f).options(*query.row_options())).scalars().all()
    today = dt.date.today()
    file = activity_xlsx.build(items, summary(f), current_user.unit, f.described(), today)
    name = activity_xlsx.filename(today)
    record_download("Hoạt động tuyên truyền miệng", request.args.to_dict(), len(items), name)
    return send_xlsx(file, name)


@bp.route("/activities/session/new", methods=["GET", "POST"])
def create_session():
    """One session, several presenters, entered once."""
    access.require_writer()
    form = SessionForm()
    form.unit_id.choices = writable_unit_choices()
    if not form.is_submitted():
        form.unit_id.data = str(current_user.unit_id)
        form.form.data = DeliveryForm.TRUC_TIEP.value
    return form_page(form, lambda: group.create_session(form.record_data(), form_unit(form),
                                                        form.presenters.data),
                     lambda rows: f"Đã ghi buổi báo cáo của {len(rows)} người.",
                     url_for("activities.index"), "records/session_form.html")


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
    return form_page(form, lambda: svc.update_activity(item, form.record_data(), form_unit(form)),
                     "Đã lưu buổi báo cáo.", person_page(item.person_id),
                     "records/activity_form.html", person=item.person, item=item,
                     group=group.session_rows(item) if item.session_key else [])


# Declared before `delete`: the scoping test opens routes in this order, and a row deleted
# alone first would leave this route nothing to find.
@bp.route("/activities/<int:activity_id>/delete-session", methods=["POST"])
def delete_session(activity_id: int):
    """Xóa cả buổi: every presenter's row of a shared session."""
    item = PAGES.load(activity_id)
    return confirm_button(lambda: group.delete_session(item),
                          lambda n: f"Đã xóa buổi báo cáo ({n} người báo cáo).",
                          url_for("activities.index"))


@bp.route("/activities/<int:activity_id>/delete", methods=["POST"])
def delete(activity_id: int):
    return PAGES.delete(activity_id, svc.delete_record, "Đã xóa buổi báo cáo.")

