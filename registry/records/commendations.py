"""Commendation views: a person's khen thưởng, and the list of the unit's."""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, render_template, request, url_for
from flask_login import current_user

from models import Commendation, Person, db
from registry import refdata
from registry.core import access
from registry.core.crud import PersonRecordPages
from registry.core.downloads import record_download
from registry.exports import listing
from registry.exports.download import send_xlsx
from registry.records import lists_xlsx
from registry.records import service as svc
from registry.records.forms import CommendationForm
from registry.records.record_lists import SHOWN, CommendationFilter
from registry.units.service import writable_unit_choices

bp = Blueprint("commendations", __name__)
PAGES = PersonRecordPages(Commendation, "records/commendation_form.html")


def _form(item: Commendation | None = None) -> CommendationForm:
    form = CommendationForm(obj=item)
    form.form.choices = refdata.choices("commendation_form")
    if item is not None and not form.is_submitted():
        form.issuer_level.data = item.issuer_level.value
    return form


@bp.route("/commendations")
def index():
    f = CommendationFilter.from_args(request.args)
    items = db.session.execute(f.statement().limit(SHOWN)).scalars().all()
    return render_template("records/commendations.html", items=items,
                           forms=refdata.choices("commendation_form"),
                           names=refdata.names("commendation_form"), units=writable_unit_choices(),
                           year=f.year, form_code=f.form, unit_id=f.unit,
                           export_url=url_for("commendations.export", **f.args()))


@bp.route("/commendations.xlsx")
def export():
    f = CommendationFilter.from_args(request.args)
    items = db.session.execute(f.statement()).scalars().all()
    today = dt.date.today()
    file = lists_xlsx.commendations(items, f, current_user.unit, today)
    name = listing.filename("khen-thuong", today, f.unit_row)
    record_download("Danh sách khen thưởng", request.args.to_dict(), len(items), name)
    return send_xlsx(file, name)


@bp.route("/persons/<int:person_id>/commendations/new", methods=["GET", "POST"])
def create(person_id: int):
    person = access.get_writable_or_404(Person, person_id)
    form = _form()
    return PAGES.new(person, form, lambda: svc.add_commendation(person, form.record_data()),
                     "Đã thêm khen thưởng.")


@bp.route("/commendations/<int:commendation_id>/edit", methods=["GET", "POST"])
def edit(commendation_id: int):
    item = PAGES.load(commendation_id)
    form = _form(item)
    return PAGES.edit(item, form, lambda: svc.update_commendation(item, form.record_data()),
                      "Đã lưu khen thưởng.")


@bp.route("/commendations/<int:commendation_id>/delete", methods=["POST"])
def delete(commendation_id: int):
    return PAGES.delete(commendation_id, svc.delete_record, "Đã xóa khen thưởng.")
