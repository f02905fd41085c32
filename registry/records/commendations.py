"""Commendation views: a person's khen thưởng, and the list of the unit's."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, render_template, request

from models import Commendation, Person, db
from registry import refdata
from registry.core import access
from registry.core.crud import PersonRecordPages
from registry.records import service as svc
from registry.records.forms import CommendationForm
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
    year, form_code, unit_id = (request.args.get(k, "") for k in ("year", "form", "unit"))
    stmt = sa.select(Commendation).join(Commendation.person).order_by(
        Commendation.year.desc(), Person.sort_key, Commendation.id).limit(1000)
    if year.isdigit() and len(year) == 4:
        stmt = stmt.where(Commendation.year == int(year))
    if form_code:
        stmt = stmt.where(Commendation.form == form_code)
    if unit_id:
        stmt = stmt.where(access.in_subtree(Person.unit_id, access.visible_unit(unit_id)))
    return render_template("records/commendations.html",
                           items=db.session.execute(stmt).scalars().all(),
                           forms=refdata.choices("commendation_form"),
                           names=refdata.names("commendation_form"), units=writable_unit_choices(),
                           year=year, form_code=form_code, unit_id=unit_id)


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
