"""GET /api/v1/reports/team and /reports/period: the web's reports (registry.reports) as JSON,
with the same defaults and refusals as the pages (registry.reports.views)."""
from __future__ import annotations

import datetime as dt

from flask_login import current_user
from flask_smorest import Blueprint, abort
from marshmallow import Schema, fields

from registry.api.messages import refuse
from registry.api.resources.lists import NOT_IN_SCOPE
from registry.api.schemas import ProblemSchema
from registry.core import access
from registry.core.rules import RuleViolation
from registry.reports import period, team_report
from registry.reports import xlsx as team_xlsx
from registry.units import asof

blp = Blueprint("api_reports", __name__, url_prefix="/reports",
                description="Báo cáo số lượng, chất lượng đội ngũ; báo cáo sơ kết, tổng kết")

class TeamReportArgs(Schema):
    unit = fields.Integer(load_default=None,
                          metadata={"description": "Đơn vị (cả cây con); mặc định đơn vị của "
                                                   "tài khoản"})
    start = fields.Date(load_default=None, metadata={"description": "Đầu kỳ; mặc định 01/01"})
    end = fields.Date(load_default=None, metadata={"description": "Cuối kỳ; mặc định hôm nay"})
    on = fields.Date(load_default=None,
                     metadata={"description": "Ngày tính số lượng; mặc định cuối kỳ"})


class PeriodReportArgs(Schema):
    unit = fields.Integer(load_default=None)
    from_ = fields.Date(data_key="from", load_default=None,
                        metadata={"description": "Ngày đầu kỳ; mặc định 01/01 năm nay"})
    to = fields.Date(load_default=None, metadata={"description": "Ngày cuối kỳ; mặc định hôm nay"})


class ReportColumnSchema(Schema):
    key = fields.String(required=True)
    group = fields.String(required=True)
    label = fields.String(required=True)


class ReportLineSchema(Schema):
    label = fields.String(required=True)
    unit_id = fields.Integer(allow_none=True)
    counts = fields.Dict(keys=fields.String(), values=fields.Float(), required=True)


class ReportWithoutTtvSchema(Schema):
    unit = fields.String(required=True)
    district = fields.String(allow_none=True)


class TeamReportSchema(Schema):
    unit = fields.String(required=True)
    start = fields.Date(required=True)
    end = fields.Date(required=True)
    on = fields.Date(required=True)
    columns = fields.List(fields.Nested(ReportColumnSchema), required=True)
    lines = fields.List(fields.Nested(ReportLineSchema), required=True)
    total = fields.Nested(ReportLineSchema, required=True)
    without_ttv = fields.List(fields.Nested(ReportWithoutTtvSchema), required=True)


class PeriodFigureSchema(Schema):
    section = fields.String(required=True)
    key = fields.String(required=True)
    label = fields.String(required=True)
    value = fields.Float(required=True)
    previous = fields.Float(allow_none=True)


class PeriodReportSchema(Schema):
    unit = fields.String(required=True)
    from_ = fields.Date(data_key="from", required=True)
    to = fields.Date(required=True)
    final = fields.Boolean(required=True, metadata={"description": "Tổng kết (cả năm trở lên) "
                                                                   "hay sơ kết"})
    previous_from = fields.Date(required=True)
    previous_to = fields.Date(required=True)
    figures = fields.List(fields.Nested(PeriodFigureSchema), required=True)
    lines = fields.List(fields.Nested(ReportLineSchema), required=True)


def _unit(unit_id: int | None, day: dt.date):
    """The unit asked for (404-free: 422 when out of scope), else the user's as it stood."""
    if unit_id is None:
        found = asof.unit_on(current_user.unit, day)
        return found if access.unit_in_scope(found) else current_user.unit
    unit = access.visible_unit(unit_id)
    if unit is None:
        abort(422, message=NOT_IN_SCOPE, errors={"unit": [NOT_IN_SCOPE]})
    return unit


def _line(label: str, unit_id, counts) -> dict:
    return {"label": label, "unit_id": unit_id, "counts": dict(counts)}


@blp.route("/team")
@blp.arguments(TeamReportArgs, location="query")
@blp.response(200, TeamReportSchema)
@blp.alt_response(422, schema=ProblemSchema)
def team(args):
    """Số lượng, chất lượng đội ngũ theo đơn vị, tính đến ngày `on` (như trang Báo cáo)."""
    today = dt.date.today()
    start = args["start"] or dt.date(today.year, 1, 1)
    end = args["end"] or today
    on = args["on"] or end
    unit = _unit(args["unit"], on)
    try:
        report = team_report.build(unit.id, start, end, on)
    except RuleViolation as exc:
        refuse(exc)
    return {"unit": report.root_name, "start": report.start, "end": report.end,
            "on": report.as_of,
            "columns": [{"key": c.key, "group": c.top, "label": c.sub or c.top}
                        for c in team_xlsx.columns(report)[2:]],
            "lines": [_line(x.label, x.unit_id, x.counts) for x in report.lines],
            "total": _line(report.total.label, None, report.total.counts),
            "without_ttv": [{"unit": u, "district": d or None} for u, d in report.without_ttv]}


@blp.route("/period")
@blp.arguments(PeriodReportArgs, location="query")
@blp.response(200, PeriodReportSchema)
@blp.alt_response(422, schema=ProblemSchema)
def period_report(args):
    """Báo cáo sơ kết, tổng kết của một kỳ, so với kỳ trước (như trang Báo cáo định kỳ)."""
    today = dt.date.today()
    start, end = args["from_"] or dt.date(today.year, 1, 1), args["to"] or today
    unit = _unit(args["unit"], end)
    try:
        report = period.build(unit, start, end)
    except RuleViolation as exc:
        refuse(exc)
    figures = [{"section": title, "key": fig.key, "label": fig.label, "value": now,
                "previous": before}
               for title, figs in report.lines() for fig, now, before in figs]
    return {"unit": report.current.unit_name, "from_": start, "to": end,
            "final": report.is_final, "previous_from": report.prev_start,
            "previous_to": report.prev_end, "figures": figures,
            "lines": [_line(r.label, r.unit_id, {f.key: period.value(r.counts, f)
                                                 for f in period.FIGURES})
                      for r in report.current.rows]}
