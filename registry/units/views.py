"""Units page: the tree with active BCV/TTV counts; admins add, end-date and merge units."""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, flash, redirect, render_template, request, url_for

from models import Unit, UnitKind
from registry.core import access
from registry.core.commit import commit_or_flash, commit_or_show
from registry.core.crud import form_page
from registry.units import asof
from registry.units import service as svc
from registry.units.forms import EndUnitForm, MergeForm, UnitForm
from registry.units.types import kind_of, unit_type

bp = Blueprint("units", __name__)


@bp.route("/units")
def index():
    day, problem = asof.day_arg(request.args)
    shown = day or dt.date.today()
    return render_template("units/index.html", rows=svc.tree_rows(shown), today=shown, on=day,
                           problem=problem)


@bp.route("/units/<int:unit_id>")
def detail(unit_id: int):
    unit = access.get_scoped_or_404(Unit, unit_id)
    # A commune's page lists its villages, flagged like the tree (grassroots TTV coverage).
    villages = svc.tree_rows(root=unit)[1:] if unit.kind is UnitKind.XA else []
    return render_template("units/detail.html", unit=unit, end_form=EndUnitForm(),
                           villages=villages)


@bp.route("/units/new", methods=["GET", "POST"])
def create():
    access.require_admin()
    form = UnitForm()
    form.parent_id.choices = svc.writable_unit_choices()
    return form_page(form, lambda: _add(form), lambda u: f"Đã thêm đơn vị {u.name}.",
                     lambda u: url_for("units.detail", unit_id=u.id), "units/form.html")


def _add(form: UnitForm) -> Unit:
    parent = access.get_scoped_or_404(Unit, form.parent_id.data) if form.parent_id.data else None
    return svc.add_unit(form.name.data, form.unit_kind(), parent, gso_code=form.gso_code.data,
                        type_label=form.unit_type(), valid_from=form.valid_from.data)


@bp.route("/units/<int:unit_id>/end", methods=["POST"])
def end(unit_id: int):
    unit = access.get_scoped_or_404(Unit, unit_id)
    access.require_admin()
    form = EndUnitForm()
    if form.validate_on_submit():
        commit_or_flash(
            lambda: svc.end_unit(unit, form.valid_to.data),
            f"Đơn vị {unit.name} hết hiệu lực sau ngày {form.valid_to.data:%d/%m/%Y}.",
        )
    else:
        for errors in form.errors.values():
            flash(" ".join(errors), "danger")
    return redirect(url_for("units.detail", unit_id=unit.id))


@bp.route("/units/merge", methods=["GET", "POST"])
def merge():
    access.require_admin()
    form = MergeForm()
    form.units.choices = svc.writable_unit_choices()
    form.successor_id.choices = form.units.choices
    if form.validate_on_submit():
        olds = [access.get_scoped_or_404(Unit, uid) for uid in form.units.data]
        done = commit_or_show(form, lambda: _merge(form, olds), None)
        if done:
            successor, moved = done.value
            flash(
                f"Đã sáp nhập {len(olds)} đơn vị vào {successor.name}; "
                f"chuyển {moved} bổ nhiệm đang hoạt động.",
                "success",
            )
            return redirect(url_for("units.detail", unit_id=successor.id))
    return render_template("units/merge.html", form=form)


def _merge(form: MergeForm, olds: list[Unit]) -> tuple[Unit, int]:
    successor = _successor(form, olds)
    return successor, svc.merge_units(olds, successor, form.day.data)


def _successor(form: MergeForm, olds: list[Unit]) -> Unit:
    if form.successor_id.data:
        return access.get_scoped_or_404(Unit, form.successor_id.data)
    first = olds[0]
    # The new unit's type is the one given or its name's, not the first old unit's: a "Xã Đăk
    # Hà" made of a thị trấn and two xã is a xã.
    type_label = unit_type(form.new_name.data, form.new_type.data)
    return svc.add_unit(
        form.new_name.data,
        kind_of(type_label) or first.kind,
        first.parent,
        type_label=type_label,
        valid_from=form.day.data,
    )
