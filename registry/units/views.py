"""Units page: the tree with active BCV/TTV counts; admins add, end-date and merge units."""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from models import Unit, UnitKind, db
from registry.core import access
from registry.roster.persons import RuleViolation
from registry.roster.views import _field_error
from registry.units import service as svc
from registry.units.forms import EndUnitForm, MergeForm, UnitForm

bp = Blueprint("units", __name__)


def _admin_only() -> None:
    if not current_user.is_admin:
        abort(403)


@bp.route("/units")
def index():
    return render_template("units/index.html", rows=svc.tree_rows(), today=dt.date.today())


@bp.route("/units/<int:unit_id>")
def detail(unit_id: int):
    unit = access.get_scoped_or_404(Unit, unit_id)
    return render_template("units/detail.html", unit=unit, end_form=EndUnitForm())


@bp.route("/units/new", methods=["GET", "POST"])
def create():
    _admin_only()
    form = UnitForm()
    form.parent_id.choices = svc.writable_unit_choices()
    if form.validate_on_submit():
        parent = access.get_scoped_or_404(Unit, form.parent_id.data)
        unit = svc.add_unit(form.name.data, UnitKind(form.kind.data), parent,
                            gso_code=form.gso_code.data, valid_from=form.valid_from.data)
        db.session.commit()
        flash(f"Đã thêm đơn vị {unit.name}.", "success")
        return redirect(url_for("units.detail", unit_id=unit.id))
    return render_template("units/form.html", form=form)


@bp.route("/units/<int:unit_id>/end", methods=["POST"])
def end(unit_id: int):
    unit = access.get_scoped_or_404(Unit, unit_id)
    _admin_only()
    form = EndUnitForm()
    if form.validate_on_submit():
        try:
            svc.end_unit(unit, form.valid_to.data)
            db.session.commit()
            flash(
                f"Đơn vị {unit.name} hết hiệu lực sau ngày {form.valid_to.data:%d/%m/%Y}.",
                "success",
            )
        except RuleViolation as exc:
            db.session.rollback()
            flash(exc.message, "danger")
    else:
        for errors in form.errors.values():
            flash(" ".join(errors), "danger")
    return redirect(url_for("units.detail", unit_id=unit.id))


@bp.route("/units/merge", methods=["GET", "POST"])
def merge():
    _admin_only()
    form = MergeForm()
    form.units.choices = svc.writable_unit_choices()
    form.successor_id.choices = form.units.choices
    if form.validate_on_submit():
        olds = [access.get_scoped_or_404(Unit, uid) for uid in form.units.data]
        try:
            successor = _successor(form, olds)
            moved = svc.merge_units(olds, successor, form.day.data)
        except RuleViolation as exc:
            db.session.rollback()
            _field_error(form, exc)
        else:
            db.session.commit()
            flash(
                f"Đã sáp nhập {len(olds)} đơn vị vào {successor.name}; "
                f"chuyển {moved} bổ nhiệm đang hoạt động.",
                "success",
            )
            return redirect(url_for("units.detail", unit_id=successor.id))
    return render_template("units/merge.html", form=form)


def _successor(form: MergeForm, olds: list[Unit]) -> Unit:
    if form.successor_id.data:
        return access.get_scoped_or_404(Unit, form.successor_id.data)
    first = olds[0]
    return svc.add_unit(
        form.new_name.data,
        first.kind,
        first.parent,
        type_label=first.type_label,
        valid_from=form.day.data,
    )
