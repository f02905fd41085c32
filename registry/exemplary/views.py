"""Exemplary models (mô hình hay, điển hình tiên tiến): the list with its filters and xlsx, a
model's page, and adding, editing and deleting one."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask import Blueprint, current_app, flash, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload

from models import ExemplaryModel, db
from registry.core import access
from registry.core.crud import ConfirmForm, delete_button, form_page, form_unit
from registry.core.downloads import record_download
from registry.core.params import page_arg
from registry.exemplary import service as svc
from registry.exemplary import xlsx as export
from registry.exemplary.forms import ExemplaryForm
from registry.exports.download import send_xlsx
from registry.roster.query import Page
from registry.units.service import writable_unit_choices

bp = Blueprint("exemplary", __name__)
LOAD = (joinedload(ExemplaryModel.unit), selectinload(ExemplaryModel.persons))


@bp.app_context_processor
def _person_models():
    # The person page includes exemplary/_person.html with only `person` in hand.
    return {"exemplary_models_of": svc.person_models}


def _filter() -> svc.ModelFilter:
    f = svc.ModelFilter.from_args(request.args)
    for problem in f.problems:
        flash(problem, "warning")
    return f


@bp.route("/exemplary")
def index():
    f, page_no = _filter(), page_arg(request.args)
    per_page = current_app.config["PAGE_SIZE"]
    stmt = f.query()
    total = db.session.execute(stmt.with_only_columns(
        sa.func.count(ExemplaryModel.id)).order_by(None)).scalar_one()
    page_no = min(page_no, max(1, -(-total // per_page)))
    items = db.session.execute(stmt.options(*LOAD).limit(per_page)
                               .offset((page_no - 1) * per_page)).unique().scalars().all()
    return render_template("exemplary/index.html", f=f, page=Page(items, total, page_no, per_page),
                           fields=svc.fields_in_use(), units=writable_unit_choices())


@bp.route("/exemplary/export.xlsx")
def export_xlsx():
    f = svc.ModelFilter.from_args(request.args)
    items = db.session.execute(f.query().options(*LOAD)).unique().scalars().all()
    today = dt.date.today()
    unit = access.visible_unit(f.unit)
    subtitle = "(" + "; ".join(x for x in (
        unit.name if unit else "", f"năm {f.year}" if f.year.isdigit() else "",
        f"lĩnh vực {f.field}" if f.field else "") if x) + ")" if (unit or f.field) else None
    file, name = export.build(items, current_user.unit, subtitle, today), export.filename(today)
    record_download("Mô hình, điển hình", request.args.to_dict(), len(items), name)
    return send_xlsx(file, name)


def _form(item: ExemplaryModel | None = None) -> ExemplaryForm:
    form = ExemplaryForm(obj=item)
    form.unit_id.choices = writable_unit_choices()
    form.person_ids.choices = svc.person_choices()
    if not form.is_submitted():
        form.unit_id.data = str(item.unit_id if item else current_user.unit_id)
        form.person_ids.data = [str(p.id) for p in item.persons] if item else []
        if item is None:
            form.year.data = dt.date.today().year
    return form


def _page(form, save, success, back, item):
    return form_page(form, save, success, back, "exemplary/form.html", item=item,
                     fields=svc.fields_in_use())


@bp.route("/exemplary/new", methods=["GET", "POST"])
def create():
    access.require_writer()
    form = _form()
    return _page(form, lambda: svc.create_model(form.model_data(), form_unit(form),
                                                form.chosen_ids()),
                 "Đã thêm mô hình.", lambda m: url_for("exemplary.detail", exemplary_id=m.id),
                 None)


@bp.route("/exemplary/<int:exemplary_id>")
def detail(exemplary_id: int):
    item = access.get_scoped_or_404(ExemplaryModel, exemplary_id, *LOAD)
    return render_template("exemplary/detail.html", item=item, confirm=ConfirmForm(),
                           decision=export.decision_text(item))


@bp.route("/exemplary/<int:exemplary_id>/edit", methods=["GET", "POST"])
def edit(exemplary_id: int):
    item = access.get_writable_or_404(ExemplaryModel, exemplary_id)
    form = _form(item)
    return _page(form, lambda: svc.update_model(item, form.model_data(), form_unit(form),
                                                form.chosen_ids()),
                 "Đã lưu mô hình.", url_for("exemplary.detail", exemplary_id=item.id), item)


@bp.route("/exemplary/<int:exemplary_id>/delete", methods=["POST"])
def delete(exemplary_id: int):
    item = access.get_writable_or_404(ExemplaryModel, exemplary_id)
    return delete_button(lambda: svc.delete_model(item), f"Đã xóa mô hình «{item.name}».",
                         url_for("exemplary.index"),
                         url_for("exemplary.detail", exemplary_id=item.id))

