"""Commendation views: a person's khen thưởng, and the list of the unit's."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, redirect, render_template, request, url_for

from models import Commendation, Person, Unit, db
from registry import refdata
from registry.core import access
from registry.core.commit import commit_or_flash, commit_or_show
from registry.records import service as svc
from registry.records.forms import CommendationForm
from registry.roster.forms import ConfirmForm
from registry.units.service import writable_unit_choices

bp = Blueprint("commendations", __name__)


def _form(obj=None) -> CommendationForm:
    form = CommendationForm(obj=obj)
    form.form.choices = refdata.choices("commendation_form")
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
        unit = access.visible_unit(unit_id)
        path = unit.path if unit is not None else "/none/"
        stmt = stmt.where(Person.unit_id.in_(sa.select(Unit.id).where(Unit.path.startswith(path))))
    return render_template("records/commendations.html",
                           items=db.session.execute(stmt).scalars().all(),
                           forms=refdata.choices("commendation_form"),
                           names=refdata.names("commendation_form"), units=writable_unit_choices(),
                           year=year, form_code=form_code, unit_id=unit_id)


@bp.route("/persons/<int:person_id>/commendations/new", methods=["GET", "POST"])
def create(person_id: int):
    person = access.get_scoped_or_404(Person, person_id)
    access.require_write(person.unit)
    form = _form()
    if form.validate_on_submit() and commit_or_show(
            form, lambda: svc.add_commendation(person, form.record_data()), "Đã thêm khen thưởng."):
        return redirect(url_for("roster.detail", person_id=person.id))
    return render_template("records/commendation_form.html", form=form, person=person, item=None)


@bp.route("/commendations/<int:commendation_id>/edit", methods=["GET", "POST"])
def edit(commendation_id: int):
    item = access.get_scoped_or_404(Commendation, commendation_id)
    access.require_write(item.person.unit)
    form = _form(item)
    if not form.is_submitted():
        form.issuer_level.data = item.issuer_level.value
    if form.validate_on_submit() and commit_or_show(
            form, lambda: svc.update_commendation(item, form.record_data()), "Đã lưu khen thưởng."):
        return redirect(url_for("roster.detail", person_id=item.person_id))
    return render_template("records/commendation_form.html", form=form, person=item.person,
                           item=item)


@bp.route("/commendations/<int:commendation_id>/delete", methods=["POST"])
def delete(commendation_id: int):
    item = access.get_scoped_or_404(Commendation, commendation_id)
    access.require_write(item.person.unit)
    if ConfirmForm().validate_on_submit():
        commit_or_flash(lambda: svc.delete_record(item), "Đã xóa khen thưởng.")
    return redirect(url_for("roster.detail", person_id=item.person_id))
