"""Villages in bulk under a commune: names pasted or uploaded, a preview, then a confirm that plans
again from the posted names (nothing is kept between the two requests)."""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, redirect, render_template, request, url_for

from models import Unit
from registry.core import access
from registry.core.commit import commit_or_show
from registry.core.rules import RuleViolation, field_error
from registry.units import villages
from registry.units.forms import ConfirmVillagesForm, VillagesForm

bp = Blueprint("villages", __name__)


def _commune(unit_id: int) -> Unit:
    unit = access.get_scoped_or_404(Unit, unit_id)
    access.require_write(unit)
    return unit


@bp.route("/units/<int:unit_id>/villages", methods=["GET", "POST"])
def new(unit_id: int):
    commune = _commune(unit_id)
    form = VillagesForm()
    refusal = _refusal(commune)
    plan = _preview(commune, form) if not refusal and form.validate_on_submit() else None
    return render_template("units/villages.html", unit=commune, form=form, plan=plan,
                           confirm=ConfirmVillagesForm(valid_from=form.valid_from.data),
                           refusal=refusal)


def _preview(commune: Unit, form: VillagesForm) -> villages.VillagePlan | None:
    try:
        upload = form.file.data
        names = (villages.names_from_xlsx(upload.read()) if upload and upload.filename
                 else villages.names_from_text(form.names.data))
        villages.check_commune(commune, form.valid_from.data or dt.date.today())
        return villages.plan_villages(commune, names)
    except RuleViolation as exc:
        field_error(form, exc)
        return None


@bp.route("/units/<int:unit_id>/villages/confirm", methods=["POST"])
def confirm(unit_id: int):
    commune = _commune(unit_id)
    form = ConfirmVillagesForm()
    names = request.form.getlist("name")
    if form.validate_on_submit() and commit_or_show(
        form, lambda: villages.add_villages(commune, names, valid_from=form.valid_from.data),
        lambda done: _added(commune, *done),
    ):
        return redirect(url_for("units.detail", unit_id=commune.id))
    retry = VillagesForm(formdata=None, names="\n".join(names), valid_from=form.valid_from.data)
    retry.names.errors = [e for errs in form.errors.values() for e in errs]
    return render_template("units/villages.html", unit=commune, form=retry, plan=None,
                           confirm=form, refusal=None)


def _added(commune: Unit, units: list[Unit], plan: villages.VillagePlan) -> str:
    skipped = f"; bỏ qua {len(plan.skipped)} tên" if plan.skipped else ""
    return f"Đã thêm {len(units)} thôn, tổ dân phố vào {commune.name}{skipped}."


def _refusal(commune: Unit) -> str | None:
    """Why nothing can be added here today, shown instead of the form (a date the commune did
    not exist on is refused beside the date field instead)."""
    try:
        villages.check_commune(commune, dt.date.today())
    except RuleViolation as exc:
        return exc.message
    return None
