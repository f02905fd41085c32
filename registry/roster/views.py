"""Roster views: list, search, suggest, person page; thin wrappers over services."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask import (
    Blueprint,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from markupsafe import Markup

from models import Gender, Level, Person, Role, Unit, db
from registry import refdata
from registry.core import access, figure_cache
from registry.lists import eligibility
from registry.roster import persons as svc
from registry.roster.choices import fill_person
from registry.roster.forms import ConfirmForm, NewPersonForm, PersonForm
from registry.roster.query import AGE_BANDS, STATUSES, RosterFilter, build_query, paginate_filtered
from registry.units.service import writable_unit_choices

bp = Blueprint("roster", __name__)


@bp.route("/roster")
def index():
    f = RosterFilter.from_args(request.args)
    return render_template("roster/index.html", f=f, listing=_listing(f), statuses=STATUSES,
                           age_bands=AGE_BANDS, roles=Role, levels=Level, genders=Gender,
                           units=writable_unit_choices(),
                           ethnicities=refdata.choices("ethnicity"),
                           llct=refdata.choices("political_theory"))


def _listing(f: RosterFilter) -> Markup:
    """The count, rows and pager, as HTML kept in the figure cache until the data changes (a
    district's list at 100,000 people costs tens of milliseconds to count, load and judge).
    Searches vary without end and are rendered afresh."""
    def render() -> str:
        page = paginate_filtered(f, current_app.config["PAGE_SIZE"])
        return render_template("roster/_listing.html", f=f, page=page, age_bands=AGE_BANDS,
                               verdicts=eligibility.verdicts(page.items, f.day))

    if f.q.strip():
        return Markup(render())
    return Markup(figure_cache.cached("roster-page", (
        access.scope_key(), dt.date.today().isoformat(), f.args(page=f.page)), render))


@bp.route("/persons/suggest")
def suggest():
    f = RosterFilter(q=(request.args.get("q") or "")[:100], status="all")
    if len(f.q.strip()) < 2:
        return jsonify([])
    rows = db.session.execute(build_query(f).limit(10)).scalars().all()
    return jsonify([{"id": p.id, "name": p.full_name, "unit": p.unit.name,
                     "url": url_for("roster.detail", person_id=p.id)} for p in rows])


@bp.route("/persons/<int:person_id>")
def detail(person_id: int):
    person = access.get_scoped_or_404(Person, person_id, *svc.PAGE_LOADS)
    llct = refdata.names("political_theory")
    return render_template("roster/detail.html", person=person, llct=llct,
                           sm=refdata.names("state_management"), confirm=ConfirmForm(),
                           standing=eligibility.standing(person),
                           cforms=refdata.names("commendation_form"),
                           dforms=refdata.names("discipline_form"), today=dt.date.today())


@bp.route("/persons/new", methods=["GET", "POST"])
def create():
    form = NewPersonForm()
    fill_person(form)
    if form.validate_on_submit():
        unit = access.get_scoped_or_404(Unit, form.unit_id.data)
        try:
            person = svc.create_person(form.person_data(), unit)
            if (first := form.appointment_data()) is not None:
                svc.add_appointment(person, first, unit)
        except svc.RuleViolation as exc:
            db.session.rollback()
            _field_error(form, exc)
        else:
            db.session.commit()
            flash(f"Đã thêm {person.full_name}.", "success")
            return redirect(url_for("roster.detail", person_id=person.id))
    return render_template("roster/form.html", form=form, person=None)


@bp.route("/persons/<int:person_id>/edit", methods=["GET", "POST"])
def edit(person_id: int):
    person = access.get_scoped_or_404(Person, person_id)
    access.require_write(person.unit)
    form = PersonForm(obj=person)
    fill_person(form)
    if request.method == "GET":
        form.version.data = person.version
        form.unit_id.data = str(person.unit_id)
        form.dob.data = (person.dob, person.dob_precision) if person.dob else None
        form.gender.data = person.gender.value if person.gender else None
    if form.validate_on_submit():
        if _save_edit(form, person):
            return redirect(url_for("roster.detail", person_id=person.id))
    return render_template("roster/form.html", form=form, person=person)


def _save_edit(form: PersonForm, person: Person) -> bool:
    unit = access.get_scoped_or_404(Unit, form.unit_id.data)
    try:
        svc.update_person(person, form.person_data(), unit=unit,
                          expected_version=_int(form.version.data))
        db.session.commit()
    except svc.StaleEdit as exc:
        db.session.rollback()
        flash(exc.message, "danger")
        return False
    except svc.RuleViolation as exc:
        db.session.rollback()
        _field_error(form, exc)
        return False
    except sa.orm.exc.StaleDataError:
        db.session.rollback()
        flash(svc.StaleEdit.message, "danger")
        return False
    flash("Đã lưu thay đổi.", "success")
    return True


@bp.route("/persons/<int:person_id>/delete", methods=["POST"])
def delete(person_id: int):
    person = access.get_scoped_or_404(Person, person_id)
    if ConfirmForm().validate_on_submit():
        name = person.full_name
        try:
            svc.delete_person(person)
        except svc.RuleViolation as exc:
            db.session.rollback()
            flash(exc.message, "danger")
            return redirect(url_for("roster.detail", person_id=person.id))
        db.session.commit()
        flash(f"Đã xóa hồ sơ {name}.", "success")
        return redirect(url_for("roster.index"))
    flash("Yêu cầu xóa không hợp lệ; vui lòng thử lại.", "danger")
    return redirect(url_for("roster.detail", person_id=person.id))


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def _field_error(form, exc: svc.RuleViolation) -> None:
    field = getattr(form, exc.field, None) if exc.field else None
    if field is not None:
        field.errors = list(field.errors) + [exc.message]
    else:
        flash(exc.message, "danger")
