"""The periodic report: a unit's subtree, a period and an "as of" date, on screen and as xlsx."""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, render_template, request
from flask_login import current_user

from registry.core import access
from registry.core.dates import parse_day
from registry.core.downloads import record_download
from registry.core.errors import render_error
from registry.core.rules import RuleViolation
from registry.exports.download import send_xlsx
from registry.reports import team_report
from registry.reports import xlsx as export
from registry.units import asof
from registry.units.service import writable_unit_choices

bp = Blueprint("reports", __name__)


def _date(name: str, default: dt.date, label: str, problems: list[str]) -> dt.date:
    text = request.args.get(name, "").strip()
    if not text:
        return default
    day = parse_day(text)
    if day is None:
        problems.append(f"{label} «{text[:40]}» không hợp lệ; hãy nhập theo dạng dd/mm/yyyy.")
        return default
    return day


def _params() -> tuple[dict, list[str]]:
    """Unit, period and as-of date from the query string, with what was wrong in Vietnamese."""
    problems: list[str] = []
    today = dt.date.today()
    start = _date("start", dt.date(today.year, 1, 1), "Ngày bắt đầu kỳ", problems)
    end = _date("end", today, "Ngày kết thúc kỳ", problems)
    # "on", the date every page takes, stands for the as-of date when that is not given.
    as_of = _date("as_of" if request.args.get("as_of") else asof.ON, end, "Ngày tính số lượng",
                  problems)
    unit_arg = request.args.get("unit", "").strip()
    unit = access.visible_unit(unit_arg) if unit_arg else _default_unit(as_of)
    if unit is None:
        problems.append("Đơn vị đã chọn không tồn tại hoặc nằm ngoài phạm vi của bạn.")
        unit = current_user.unit
    return {"unit": unit, "start": start, "end": end, "as_of": as_of}, problems


def _default_unit(as_of: dt.date):
    """The user's unit, or the unit standing for it on the date when it had ended or not yet
    begun (an account of the old province reports on today's), if inside the user's scope."""
    found = asof.unit_on(current_user.unit, as_of)
    return found if access.unit_in_scope(found) else current_user.unit


def _report(params: dict, problems: list[str]):
    if problems:
        return None
    try:
        return team_report.build(params["unit"].id, params["start"], params["end"],
                                 params["as_of"])
    except RuleViolation as exc:
        problems.append(exc.message)
        return None


@bp.route("/reports/team")
def team():
    params, problems = _params()
    report = _report(params, problems)
    cols = export.columns(report) if report else []
    return render_template("reports/team.html", report=report, params=params, problems=problems,
                           cols=cols, units=writable_unit_choices(params["as_of"]),
                           args=request.args)


@bp.route("/reports/team.xlsx")
def team_export():
    params, problems = _params()
    report = _report(params, problems)
    if report is None:
        return render_error(400, " ".join(problems))
    file, name = export.build(report, current_user.unit), export.filename(report)
    record_download("Báo cáo đội ngũ", request.args.to_dict(), len(report.lines), name)
    return send_xlsx(file, name)
