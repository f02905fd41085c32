"""Qualification lists: the ready-made ones and saved criteria, on screen (each person with why
they are in or out) and as xlsx in the trích ngang layout."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask import Blueprint, render_template, request, url_for
from flask_login import current_user

from models import SavedList, Unit, db
from registry.core import access
from registry.core.crud import ConfirmForm, delete_button, form_page
from registry.core.dates import parse_day
from registry.core.downloads import record_download
from registry.core.errors import render_error
from registry.exports import listing
from registry.exports.download import send_xlsx
from registry.lists import qualification
from registry.lists import ready as ready_lists
from registry.lists import saved as svc
from registry.lists import xlsx as export
from registry.lists.forms import SavedListForm
from registry.units.service import writable_unit_choices

bp = Blueprint("lists", __name__)
SHOWN = 1000  # people per section on screen; the file has them all


class BadInput(Exception):
    """A query-string value that cannot be used; `message` says why, in Vietnamese."""


class NotFound(Exception):
    """An unknown ready-made list; `message` says so, in Vietnamese."""


def _params() -> tuple[Unit | None, dt.date]:
    """The unit (its subtree) and the date a ready-made list is asked for."""
    unit_arg, on_arg = request.args.get("unit", "").strip(), request.args.get("on", "").strip()
    unit = access.visible_unit(unit_arg) if unit_arg else None
    if unit_arg and unit is None:
        raise BadInput("Đơn vị đã chọn không tồn tại hoặc nằm ngoài phạm vi của bạn.")
    day = parse_day(on_arg) if on_arg else dt.date.today()
    if day is None:
        raise BadInput(f"Ngày «{on_arg[:40]}» không hợp lệ; hãy nhập theo dạng dd/mm/yyyy.")
    return unit, day


def _preset(slug: str):
    preset = ready_lists.PRESETS.get(slug)
    if preset is None:
        raise NotFound(f"Không có danh sách có sẵn «{slug[:40]}». Hãy chọn trong trang "
                       "Danh sách chuyên đề.")
    unit, day = _params()
    outcome = ready_lists.run(slug, unit.id if unit else None, day, unit.name if unit else None)
    return preset, unit, day, outcome


@bp.errorhandler(BadInput)
def _bad_input(exc: BadInput):
    return render_error(400, str(exc))


@bp.errorhandler(NotFound)
def _not_found(exc: NotFound):
    return render_error(404, str(exc))


@bp.route("/lists")
def index():
    saved = db.session.execute(sa.select(SavedList).order_by(SavedList.name)).scalars().all()
    return render_template("lists/index.html", presets=ready_lists.PRESETS.values(), saved=saved)


@bp.route("/lists/ready/<slug>")
def preset(slug: str):
    info, unit, day, outcome = _preset(slug)
    return render_template("lists/show.html", outcome=outcome, preset=info, unit=unit, day=day,
                           units=writable_unit_choices(), saved=None, shown=SHOWN,
                           export_url=url_for("lists.preset_export", slug=slug,
                                              **request.args.to_dict()))


@bp.route("/lists/ready/<slug>/export.xlsx")
def preset_export(slug: str):
    _info, _unit, day, outcome = _preset(slug)
    file, name = export.build(outcome, current_user.unit), export.filename(slug, day)
    record_download(outcome.title, request.args.to_dict(), export.row_count(outcome), name)
    return send_xlsx(file, name)


def _saved_outcome(saved: SavedList):
    subtree = saved.subtree_unit
    if subtree is not None and not access.unit_in_scope(subtree):
        subtree = None
    criteria = qualification.Criteria.of(saved)
    criteria.unit_id = subtree.id if subtree else None
    return qualification.evaluate(criteria, saved.name, unit_name=subtree.name if subtree else None)


@bp.route("/lists/<int:list_id>")
def show(list_id: int):
    saved = access.get_scoped_or_404(SavedList, list_id)
    return render_template("lists/show.html", outcome=_saved_outcome(saved), preset=None,
                           saved=saved, confirm=ConfirmForm(), shown=SHOWN,
                           export_url=url_for("lists.export", list_id=saved.id))


@bp.route("/lists/<int:list_id>/export.xlsx", endpoint="export")
def export_saved(list_id: int):
    saved = access.get_scoped_or_404(SavedList, list_id)
    outcome = _saved_outcome(saved)
    file = export.build(outcome, current_user.unit)
    name = export.filename(_name_slug(saved.name), outcome.day)
    record_download(saved.name, {"list": saved.id}, export.row_count(outcome), name)
    return send_xlsx(file, name)


def _name_slug(name: str) -> str:
    """A saved list's name for its file ("danh-sach-bcv-du-chuan-…"), never its id."""
    text = listing.slug(name).removeprefix("danh-sach-")[:60].strip("-")
    return text or "tieu-chuan"


@bp.route("/lists/new", methods=["GET", "POST"])
def create():
    access.require_write(current_user.unit)
    form = SavedListForm().fill()
    return form_page(form, lambda: svc.create(form.list_data(), current_user.unit),
                     "Đã lưu danh sách.", lambda saved: url_for("lists.show", list_id=saved.id),
                     "lists/form.html", saved=None)


@bp.route("/lists/<int:list_id>/edit", methods=["GET", "POST"])
def edit(list_id: int):
    saved = access.get_writable_or_404(SavedList, list_id)
    form = SavedListForm().fill()
    if request.method == "GET":
        form.load(saved)
    return form_page(form, lambda: svc.update(saved, form.list_data()), "Đã lưu thay đổi.",
                     url_for("lists.show", list_id=saved.id), "lists/form.html", saved=saved)


@bp.route("/lists/<int:list_id>/delete", methods=["POST"])
def delete(list_id: int):
    saved = access.get_writable_or_404(SavedList, list_id)
    return delete_button(lambda: svc.delete(saved), f"Đã xóa danh sách «{saved.name}».",
                         url_for("lists.index"), url_for("lists.show", list_id=saved.id))
