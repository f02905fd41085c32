"""Downloads of the roster (complete or trích ngang layout) and of a unit's payment sheet."""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, request
from flask_login import current_user

from models import Unit
from registry.core import access
from registry.core.dates import parse_month
from registry.core.errors import render_error
from registry.exports import roster as roster_export
from registry.exports.download import send_xlsx
from registry.payments import sheet_xlsx as payment_sheet
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
    file, _count = roster_export.build(f, layout, current_user.unit)
    return send_xlsx(file, roster_export.filename(layout, f.day or dt.date.today()))


@bp.route("/units/<int:unit_id>/payments/sheet.xlsx")
def payment_sheet_xlsx(unit_id: int):
    unit = access.get_scoped_or_404(Unit, unit_id)
    text = request.args.get("month", "").strip()
    period = parse_month(text) if text else dt.date.today().replace(day=1)
    if period is None:
        return render_error(400, f"Tháng «{text[:20]}» không hợp lệ; hãy chọn theo dạng mm/yyyy.")
    return send_xlsx(payment_sheet.build(unit, period), payment_sheet.filename(unit, period))
