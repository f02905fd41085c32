"""Landing page after login: headline counts within the user's scope."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from models import Appointment, Person, Role, db

bp = Blueprint("dashboard", __name__)


def headline_counts(day: dt.date) -> dict[str, int]:
    active = sa.select(Appointment.role, sa.func.count(sa.distinct(Appointment.person_id))) \
        .where(Appointment.active_on_clause(day)).group_by(Appointment.role)
    by_role = {role: n for role, n in db.session.execute(active)}
    total = db.session.execute(sa.select(sa.func.count(Person.id))).scalar_one()
    return {"persons": total, "bcv": by_role.get(Role.BCV, 0), "ttv": by_role.get(Role.TTV, 0)}


@bp.route("/")
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return render_template("dashboard/index.html", counts=headline_counts(dt.date.today()))
