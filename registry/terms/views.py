"""The "hết nhiệm kỳ" list and its bulk re-appointment; thin wrappers over the service."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import joinedload

from models import Appointment, Person, Role, db
from registry.core import access
from registry.core.commit import commit_or_show
from registry.core.crud import int_list
from registry.core.downloads import record_download
from registry.exports import listing
from registry.exports.download import send_xlsx
from registry.roster.query import Page
from registry.terms import ended_xlsx, rules, service
from registry.terms.forms import ReappointForm
from registry.units.service import writable_unit_choices

bp = Blueprint("terms", __name__, url_prefix="/terms")


@bp.route("/ended", methods=["GET", "POST"])
def ended():
    today = dt.date.today()
    f = service.TermFilter.from_args(request.form if request.method == "POST" else request.args)
    form = ReappointForm()
    if request.method == "POST":
        access.require_writer()
        if form.validate_on_submit() and _reappoint(form, f, today):
            return redirect(url_for("terms.ended", **f.args()))
    return render_template("terms/ended.html", f=f, form=form, page=_page(f, today),
                           roles=Role, units=writable_unit_choices(), today=today)


@bp.route("/ended.xlsx")
def ended_export():
    today = dt.date.today()
    f = service.TermFilter.from_args(request.args)
    rows = db.session.execute(service.ended_terms(f, today)).unique().scalars().all()
    unit = access.visible_unit(f.unit_id)
    file = ended_xlsx.build(rows, ended_xlsx.described(f, unit, today), current_user.unit, today)
    name = listing.filename("het-nhiem-ky", today, unit)
    record_download("Danh sách hết nhiệm kỳ", request.args.to_dict(), len(rows), name)
    return send_xlsx(file, name)


def _reappoint(form: ReappointForm, f: service.TermFilter, today: dt.date):
    ids = (service.ended_term_ids(f, today) if request.form.get("all_matching")
           else int_list(request.form.getlist("appointment_ids")))
    rows = _load(ids)
    return commit_or_show(form, lambda: service.reappoint(rows, form.decision(), today),
                          lambda started: f"Đã bổ nhiệm lại {len(started)} người cho nhiệm kỳ "
                                          f"{form.term.data}.")


def _load(ids: list[int]) -> list[Appointment]:
    """The ticked appointments through the scoped query path: an id the actor cannot see (or
    that does not exist) is a 404, never a silent skip."""
    rows = db.session.execute(sa.select(Appointment).where(Appointment.id.in_(ids)).options(
        joinedload(Appointment.person).joinedload(Person.unit),
        joinedload(Appointment.unit))).scalars().all()
    if len(rows) != len(set(ids)):
        abort(404)
    return sorted(rows, key=lambda a: (a.person.sort_key, a.id))


def _page(f: service.TermFilter, today: dt.date) -> Page:
    try:
        number = int(request.args.get("page", 1))
    except ValueError:
        number = 1
    return service.page_of(f, today, number, current_app.config["PAGE_SIZE"])


@bp.app_context_processor
def _term_helpers() -> dict:
    # The person page and the roster show the flag; the rule stays here, not in templates.
    return {"term_ended": rules.term_ended, "has_ended_term": rules.has_ended_term}
