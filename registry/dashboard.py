"""Landing page after login: headline counts and charts within the user's scope, each figure
linking to the roster filtered to exactly the people it counts."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from models import Appointment, Person, Role, db
from registry import charts
from registry.services import dashboard as stats

bp = Blueprint("dashboard", __name__)


def headline_counts(day: dt.date) -> dict[str, int]:
    active = sa.select(Appointment.role, sa.func.count(sa.distinct(Appointment.person_id))) \
        .where(Appointment.active_on_clause(day)).group_by(Appointment.role)
    by_role = {role: n for role, n in db.session.execute(active)}
    total = db.session.execute(sa.select(sa.func.count(Person.id))).scalar_one()
    return {"persons": total, "bcv": by_role.get(Role.BCV, 0), "ttv": by_role.get(Role.TTV, 0)}


def _roster_url(args: dict) -> str:
    return url_for("roster.index", **args)


@bp.route("/")
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    today = dt.date.today()
    drawings = [charts.vertical(c, _roster_url) if c.key == "coverage"
                else charts.horizontal(c, _roster_url) for c in stats.charts(today)]
    return render_template("dashboard/index.html", counts=headline_counts(today),
                           drawings=drawings, today=today)
