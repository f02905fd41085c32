"""The periodic report: a unit's subtree, a period and an "as of" date, on screen and as xlsx."""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, render_template, request
from flask_login import current_user

from registry.core import access
from registry.core.dates import parse_day
from registry.core.errors import render_error
from registry.core.rules import RuleViolation
from registry.exports.download import send_xlsx
from registry.reports import team_report
from registry.reports import xlsx as export
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
    unit_arg = request.args.get("unit", "").strip()
    unit = access.visible_unit(unit_arg) if unit_arg else current_user.unit
    if unit is None:
        problems.append("Đơn vị đã chọn không tồn tại hoặc nằm ngoài phạm vi của bạn.")
        unit = current_user.unit
    start = _date("start", dt.date(today.year, 1, 1), "Ngày bắt đầu kỳ", problems)
    end = _date("end", today, "Ngày kết thúc kỳ", problems)
    as_of = _date("as_of", end, "Ngày tính số lượng", problems)
    return {"unit": unit, "start": start, "end": end, "as_of": as_of}, problems


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
                           cols=cols, units=writable_unit_choices(), args=request.args)


@bp.route("/reports/team.xlsx")
def team_export():
    params, problems = _params()
    report = _report(params, problems)
    if report is None:
        return render_error(400, " ".join(problems))
    return send_xlsx(export.build(report, current_user.unit), export.filename(report))
