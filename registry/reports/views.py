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
from registry.exports.agency import agency_for
from registry.exports.download import send_xlsx
from registry.reports import period, period_xlsx, team_report
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
    unit = _unit(as_of, problems)
    return {"unit": unit, "start": start, "end": end, "as_of": as_of}, problems


def _unit(day: dt.date, problems: list[str]):
    """The unit asked for, else the user's (as it stood on `day`)."""
    unit_arg = request.args.get("unit", "").strip()
    unit = access.visible_unit(unit_arg) if unit_arg else _default_unit(day)
    if unit is None:
        problems.append("Đơn vị đã chọn không tồn tại hoặc nằm ngoài phạm vi của bạn.")
        unit = current_user.unit
    return unit


def _default_unit(as_of: dt.date):
    """The user's unit, or the unit standing for it on the date when it had ended or not yet
    begun (an account of the old province reports on today's), if inside the user's scope."""
    found = asof.unit_on(current_user.unit, as_of)
    return found if access.unit_in_scope(found) else current_user.unit


def _attempt(problems: list[str], build):
    """`build()` unless the input was wrong; a rule it breaks joins the problems."""
    if problems:
        return None
    try:
        return build()
    except RuleViolation as exc:
        problems.append(exc.message)
        return None


def _report(params: dict, problems: list[str]):
    return _attempt(problems, lambda: team_report.build(
        params["unit"].id, params["start"], params["end"], params["as_of"]))


def _send(report, problems: list[str], file_and_name, what: str, rows: int):
    """The xlsx of a report, its download recorded; 400 with the problems when there is none."""
    if report is None:
        return render_error(400, " ".join(problems))
    file, name = file_and_name(report)
    record_download(what, request.args.to_dict(), rows, name)
    return send_xlsx(file, name)


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
    return _send(report, problems,
                 lambda r: (export.build(r, current_user.unit), export.filename(r)),
                 "Báo cáo đội ngũ", len(report.lines) if report else 0)


def _period_params() -> tuple[dict, list[str]]:
    """Unit and period of the sơ kết / tổng kết report (default: this year so far, the user's
    unit as it stood at the period's end)."""
    problems: list[str] = []
    today = dt.date.today()
    start = _date("from", dt.date(today.year, 1, 1), "Ngày đầu kỳ", problems)
    end = _date("to", today, "Ngày cuối kỳ", problems)
    return {"unit": _unit(end, problems), "from": start, "to": end}, problems


def _period_report(params: dict, problems: list[str]):
    return _attempt(problems, lambda: period.build(params["unit"], params["from"], params["to"]))


@bp.route("/reports/period", endpoint="period")
def period_page():
    params, problems = _period_params()
    report = _period_report(params, problems)
    return render_template(
        "reports/period.html", report=report, params=params, problems=problems,
        units=writable_unit_choices(params["to"]), args=request.args,
        quick=period_xlsx.quick_choices(dt.date.today(), params["unit"].id),
        agency=agency_for(current_user.unit), today=dt.date.today(),
        title=period_xlsx.title(report) if report else "", change=period.change,
        figures=period.FIGURES, value=period.value, shown=period.shown, signed=period.signed)


@bp.route("/reports/period.xlsx", endpoint="period_xlsx")
def period_export():
    params, problems = _period_params()
    report = _period_report(params, problems)
    if report is None:
        return _send(None, problems, None, "", 0)
    return _send(report, problems,
                 lambda r: (period_xlsx.build(r, current_user.unit), period_xlsx.filename(r)),
                 period_xlsx.title(report), len(report.current.rows))
