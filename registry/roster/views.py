"""Roster views: list, search, suggest, person page; thin wrappers over services."""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, current_app, jsonify, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup

from models import Gender, Level, Person, Role, db
from registry import refdata
from registry.audit.service import person_history
from registry.bulk.actions import ACTIONS as BULK_ACTIONS
from registry.core import access, figure_cache
from registry.core.crud import ConfirmForm, delete_button, form_page, form_unit
from registry.eligibility import rules as eligibility
from registry.exports.agency import agency_for
from registry.roster import persons as svc
from registry.roster.choices import fill_person
from registry.roster.forms import NewPersonForm, PersonForm
from registry.roster.query import (
    AGE_BANDS,
    STATUSES,
    RosterFilter,
    build_query,
    paginate_filtered,
    units_on,
)
from registry.units.service import writable_unit_choices

bp = Blueprint("roster", __name__)


@bp.route("/roster")
def index():
    f = RosterFilter.from_args(request.args)
    return render_template("roster/index.html", f=f, listing=_listing(f), statuses=STATUSES,
                           age_bands=AGE_BANDS, roles=Role, levels=Level, genders=Gender,
                           units=writable_unit_choices(f.day),
                           ethnicities=refdata.choices("ethnicity"),
                           llct=refdata.choices("political_theory")), 400 if f.bad_day else 200


def _listing(f: RosterFilter) -> Markup:
    """The count, rows and pager, as HTML kept in the figure cache until the data changes (a
    district's list at 100,000 people costs tens of milliseconds to count, load and judge).
    Searches vary without end and are rendered afresh. Writers get the boxes and the bar of
    bulk decisions (registry.bulk), viewers of the same scope never: a part of the key."""
    scope = access.current_scope()
    selectable = scope is None or scope.can_write

    def render() -> str:
        page = paginate_filtered(f, current_app.config["PAGE_SIZE"])
        return render_template("roster/_listing.html", f=f, page=page, age_bands=AGE_BANDS,
                               verdicts=eligibility.verdicts(page.items, f.day),
                               units_then=units_on(page.items, f.day) if f.day else {},
                               selectable=selectable, bulk_actions=BULK_ACTIONS)

    if f.q.strip():
        return Markup(render())
    return Markup(figure_cache.cached("roster-page", (
        access.scope_key(), dt.date.today().isoformat(), f.args(page=f.page), selectable),
        render))


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
                           dforms=refdata.names("discipline_form"), today=dt.date.today(),
                           history=person_history(person.id),
                           # The printed sheet carries the block of the office that prints it.
                           agency=agency_for(current_user.unit))


@bp.route("/persons/new", methods=["GET", "POST"])
def create():
    access.require_writer()  # a viewer never sees a form they cannot save
    form = NewPersonForm()
    fill_person(form)
    return form_page(form, lambda: _create(form), lambda p: f"Đã thêm {p.full_name}.",
                     lambda p: url_for("roster.detail", person_id=p.id), "roster/form.html",
                     person=None)


def _create(form: NewPersonForm) -> Person:
    unit = form_unit(form)
    person = svc.create_person(form.person_data(), unit)
    if (first := form.appointment_data()) is not None:
        svc.add_appointment(person, first, unit)
    return person


@bp.route("/persons/<int:person_id>/edit", methods=["GET", "POST"])
def edit(person_id: int):
    person = access.get_writable_or_404(Person, person_id)
    form = PersonForm(obj=person)
    fill_person(form)
    if request.method == "GET":
        form.version.data = person.version
        form.unit_id.data = str(person.unit_id)
        form.dob.data = (person.dob, person.dob_precision) if person.dob else None
        form.gender.data = person.gender.value if person.gender else None
    return form_page(form, lambda: _save_edit(form, person), "Đã lưu thay đổi.",
                     url_for("roster.detail", person_id=person.id), "roster/form.html",
                     person=person)


def _save_edit(form: PersonForm, person: Person) -> None:
    svc.update_person(person, form.person_data(), unit=form_unit(form),
                      expected_version=_int(form.version.data))


@bp.route("/persons/<int:person_id>/delete", methods=["POST"])
def delete(person_id: int):
    person = access.get_scoped_or_404(Person, person_id)
    return delete_button(lambda: svc.delete_person(person), f"Đã xóa hồ sơ {person.full_name}.",
                         url_for("roster.index"), url_for("roster.detail", person_id=person.id))


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1
