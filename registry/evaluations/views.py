"""Yearly evaluation: the bulk page of a unit's team for a year, the summary per unit, the xlsx
of the year's ratings, and one person's rating added, edited or deleted from their page."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload

from models import Evaluation, EvaluationRating, Person, Unit, db
from registry.core import access
from registry.core.commit import commit_or_flash
from registry.core.crud import ConfirmForm, PersonRecordPages, int_list
from registry.core.downloads import record_download
from registry.core.errors import abort_bad_request
from registry.core.params import page_arg
from registry.evaluations import bulk
from registry.evaluations import service as svc
from registry.evaluations import xlsx as export
from registry.evaluations.forms import EvaluationForm
from registry.evaluations.summary import RATINGS, summarise
from registry.exports.download import send_xlsx
from registry.roster.query import paginate
from registry.units.service import writable_unit_choices

bp = Blueprint("evaluations", __name__)
PAGES = PersonRecordPages(Evaluation, "evaluations/form.html")
CONFLICT = ("Một người khác vừa lưu đánh giá cho cùng người và năm; chưa có gì được lưu. "
            "Hãy tải lại trang rồi nhập lại.")


def _year() -> int:
    text = request.args.get("year", "").strip()
    if not text:
        return svc.default_year()
    last = svc.last_year_allowed()
    if not (text.isascii() and text.isdigit() and svc.FIRST_YEAR <= int(text) <= last):
        abort_bad_request(f"Năm «{text[:20]}» không hợp lệ; hãy chọn năm từ "
                          f"{svc.FIRST_YEAR} đến {last}.")
    return int(text)


def _unit() -> Unit:
    text = request.args.get("unit", "").strip()
    unit = access.visible_unit(text or current_user.unit_id)
    if unit is None:
        abort_bad_request("Đơn vị đã chọn không tồn tại hoặc nằm ngoài phạm vi của bạn.")
    return unit


def _args(year: int, unit: Unit, **extra) -> dict:
    return {"year": year, "unit": unit.id, **extra}


@bp.route("/evaluations", methods=["GET", "POST"])
def index():
    year, unit, page_no = _year(), _unit(), page_arg(request.args)
    if request.method == "GET":
        return _bulk_page(year, unit, page_no)
    access.require_writer()
    if not ConfirmForm().validate_on_submit():
        flash("Biểu mẫu đã hết hạn; vui lòng tải lại trang rồi nhập lại.", "danger")
        return _bulk_page(year, unit, page_no, submitted=request.form)
    ids = int_list(request.form.getlist("pid"))
    people = {p.id: p for p in db.session.execute(
        svc.team_query(unit, year).where(Person.id.in_(ids))).scalars()}
    rows, errors = bulk.parse(request.form, list(people))
    if errors:
        flash("Vui lòng sửa các dòng được đánh dấu bên dưới; chưa có gì được lưu.", "danger")
        return _bulk_page(year, unit, page_no, rows, errors)
    if commit_or_flash(lambda: bulk.save(year, people, rows), lambda o: o.message(),
                       conflict=CONFLICT):
        return redirect(url_for("evaluations.index", **_args(year, unit, page=page_no)))
    return _bulk_page(year, unit, page_no, rows, refresh=True)


def _bulk_page(year: int, unit: Unit, page_no: int, rows: dict | None = None,
               errors: dict | None = None, *, refresh: bool = False, submitted=None):
    """The page: the team's rows with their figures; `rows` (submitted) are shown as typed.
    `refresh`: a save refused as stale; rows changed meanwhile are marked and reloaded."""
    if submitted is not None:
        rows = bulk.parse(submitted, int_list(submitted.getlist("pid")))[0]
    page = paginate(svc.team_query(unit, year), page_no, current_app.config["PAGE_SIZE"])
    ids = [p.id for p in page.items]
    current = svc.ratings_of(ids, year)
    lines = [_line(p, current.get(p.id), (rows or {}).get(p.id), refresh) for p in page.items]
    for line in lines:
        line["error"] = (errors or {}).get(line["person"].id)
    return render_template("evaluations/index.html", year=year, unit=unit, page=page,
                           lines=lines, figures=svc.year_figures(ids, year),
                           ratings=EvaluationRating, units=writable_unit_choices(),
                           confirm=ConfirmForm(), args=lambda **kw: _args(year, unit, **kw))


def _line(person: Person, item: Evaluation | None, row: bulk.Row | None, refresh: bool) -> dict:
    stored = bulk.state(item)
    line = {"person": person, "item": item, "rating": stored[0], "note": stored[1],
            "was": stored, "changed_by_other": None}
    if row is not None:
        line.update(rating=row.rating, note=row.note)
        if not refresh:
            line["was"] = (row.was_rating, row.was_note)
        elif row.touched and stored not in ((row.was_rating, row.was_note),
                                            (row.rating, row.note)):
            line["changed_by_other"] = svc.rating_label(item.rating if item else None) or \
                "đã xóa đánh giá"
    return line


@bp.route("/evaluations/summary")
def summary():
    year, unit = _year(), _unit()
    return render_template("evaluations/summary.html", s=summarise(unit, year), ratings=RATINGS,
                           units=writable_unit_choices(), year=year, unit=unit)


@bp.route("/evaluations/export.xlsx")
def export_xlsx():
    year, unit = _year(), _unit()
    people = list(db.session.execute(svc.team_query(unit, year).options(
        selectinload(Person.appointments), joinedload(Person.unit))).unique().scalars())
    ids = [p.id for p in people]
    file = export.build(people, svc.year_figures(ids, year), svc.ratings_of(ids, year),
                        summarise(unit, year), current_user.unit)
    name = export.filename(year)
    record_download("Kết quả đánh giá hằng năm", {"year": year, "unit": unit.id}, len(people),
                    name)
    return send_xlsx(file, name)


@bp.route("/persons/<int:person_id>/evaluations/new", methods=["GET", "POST"])
def create(person_id: int):
    person = access.get_writable_or_404(Person, person_id)
    form = EvaluationForm()
    if not form.is_submitted():
        form.year.data = svc.default_year()
    return PAGES.new(person, form, lambda: svc.add_evaluation(person, form.evaluation_data()),
                     lambda e: f"Đã ghi đánh giá năm {e.year}.")


@bp.route("/evaluations/<int:evaluation_id>/edit", methods=["GET", "POST"])
def edit(evaluation_id: int):
    item = PAGES.load(evaluation_id)
    form = EvaluationForm(obj=item)
    return PAGES.edit(item, form, lambda: svc.update_evaluation(item, form.evaluation_data()),
                      "Đã lưu đánh giá.")


@bp.route("/evaluations/<int:evaluation_id>/delete", methods=["POST"])
def delete(evaluation_id: int):
    return PAGES.delete(evaluation_id, svc.delete_evaluation, "Đã xóa đánh giá.")
