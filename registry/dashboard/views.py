"""Landing page after login: headline counts and charts within the user's scope, each figure
linking to the roster filtered to exactly the people it counts."""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup

from registry.core import access, figure_cache
from registry.dashboard import charts, stats, todo
from registry.units import asof

bp = Blueprint("dashboard", __name__)
WORK_PAGES = ("activities.index", "documents.index", "conferences.index", "reports.period")


def _roster_url(args: dict) -> str:
    return url_for("roster.index", **args)


@bp.route("/")
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    on, problem = asof.day_arg(request.args)
    day = on or dt.date.today()
    counts, drawn = figure_cache.cached(
        "dashboard", (access.scope_key(), dt.date.today().isoformat(), day.isoformat()),
        lambda: _draw(day))
    # The to-do block is always of today: the lists it links to are today's.
    return render_template("dashboard/index.html", counts=counts, drawn=Markup(drawn),
                           today=day, on=on, problem=problem, links=_work_links(),
                           todo=todo.items(dt.date.today()))


def _work_links() -> dict[str, str]:
    """The pages behind the activity figures, those this installation has."""
    return {endpoint.split(".")[0]: url_for(endpoint) for endpoint in WORK_PAGES
            if endpoint in current_app.view_functions}


def _draw(day: dt.date) -> tuple[dict, str]:
    """The headline counts and the charts as HTML: kept in the figure cache until the data
    changes (at 100,000 people they take seconds to compute, and milliseconds to draw)."""
    drawings = [charts.vertical(c, _roster_url) if c.key == "coverage"
                else charts.horizontal(c, _roster_url) for c in stats.charts(day)]
    counts = stats.headline_counts(day) | {"work": stats.work_figures(day)}
    return counts, render_template("dashboard/_charts.html", drawings=drawings)
