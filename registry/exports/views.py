"""Downloads of the roster, in the complete or the trích ngang layout."""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, request
from flask_login import current_user

from registry.core.downloads import record_download
from registry.core.errors import render_error
from registry.exports import roster as roster_export
from registry.exports.download import send_xlsx
from registry.roster.query import RosterFilter

bp = Blueprint("exports", __name__)


@bp.route("/roster/export.xlsx")
def roster():
    """The roster list with the same query string as /roster: every row of every page."""
    f = RosterFilter.from_args(request.args)
    layout = request.args.get("layout", "full")
    if layout not in roster_export.LAYOUTS:
        return render_error(400, roster_export.BadLayout.message)
    if f.problems:
        return render_error(400, " ".join(f.problems))
    file, count = roster_export.build(f, layout, current_user.unit)
    name = roster_export.filename(layout, f.day or dt.date.today())
    record_download("Danh sách đội ngũ", request.args.to_dict(), count, name)
    return send_xlsx(file, name)
