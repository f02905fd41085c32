"""GET /api/v1/lists/…: the qualification lists as JSON (registry.lists: the ready-made ones and
the saved criteria), each person with the verdict and its reasons, and their xlsx (trích ngang),
recorded as downloads like the web's."""
from __future__ import annotations

import datetime as dt

from flask import request
from flask_login import current_user
from flask_smorest import Blueprint, abort
from marshmallow import Schema, fields

from models import SavedList
from registry.api.schemas import ProblemSchema
from registry.api.xlsx import xlsx_doc
from registry.core import access
from registry.core.downloads import record_download
from registry.exports.download import send_xlsx
from registry.lists import qualification
from registry.lists import ready as ready_lists
from registry.lists import views as lists_views
from registry.lists import xlsx as export

blp = Blueprint("api_lists", __name__, url_prefix="/lists",
                description="Danh sách chuyên đề (đủ tiêu chuẩn, chưa bồi dưỡng, …) với lý do")

NOT_IN_SCOPE = "Đơn vị đã chọn không tồn tại hoặc nằm ngoài phạm vi của bạn."


class ListReadyArgs(Schema):
    unit = fields.Integer(load_default=None, metadata={"description": "Đơn vị (cả cây con)"})
    on = fields.Date(load_default=None, metadata={"description": "Tính đến ngày; mặc định hôm nay"})


class ListEntrySchema(Schema):
    person_id = fields.Integer(required=True)
    full_name = fields.String(required=True)
    unit = fields.String(allow_none=True)
    included = fields.Boolean(required=True, metadata={"description": "Có trong danh sách"})
    reasons = fields.List(fields.String(), required=True)
    verdicts = fields.List(fields.String(), required=True)
    last_rating = fields.String(required=True)


class ListUnitLineSchema(Schema):
    unit_id = fields.Integer(required=True)
    unit = fields.String(required=True)
    parent = fields.String(allow_none=True)
    bcv = fields.Integer(required=True)


class ListOutcomeSchema(Schema):
    title = fields.String(required=True)
    day = fields.Date(required=True)
    criteria = fields.List(fields.String(), required=True)
    kind = fields.String(required=True, metadata={"description": "persons hoặc units"})
    in_label = fields.String(allow_none=True)
    out_label = fields.String(allow_none=True)
    members = fields.Integer(required=True, metadata={"description": "Số người trong danh sách"})
    entries = fields.List(fields.Nested(ListEntrySchema), required=True)
    units = fields.List(fields.Nested(ListUnitLineSchema), required=True)


def _entry(e: qualification.Entry) -> dict:
    return {"person_id": e.person.id, "full_name": e.person.full_name,
            "unit": e.person.unit.name if e.person.unit else None, "included": e.included,
            "reasons": list(e.reasons), "verdicts": list(e.verdicts),
            "last_rating": e.last_rating or ""}


def outcome_json(outcome) -> dict:
    if isinstance(outcome, ready_lists.UnitsOutcome):
        units = [{"unit_id": r.unit.id, "unit": r.unit.name,
                  "parent": r.unit.parent.name if r.unit.parent else None, "bcv": r.bcv}
                 for r in outcome.rows]
        return {"title": outcome.title, "day": outcome.day, "criteria": list(outcome.lines),
                "kind": "units", "in_label": None, "out_label": None, "members": len(units),
                "entries": [], "units": units}
    return {"title": outcome.title, "day": outcome.day, "criteria": list(outcome.lines),
            "kind": "persons", "in_label": outcome.in_label, "out_label": outcome.out_label,
            "members": len(outcome.members), "entries": [_entry(e) for e in outcome.entries],
            "units": []}


def _ready(slug: str, args: dict):
    if slug not in ready_lists.PRESETS:
        abort(404, message=f"Không có danh sách có sẵn «{slug[:40]}».")
    unit = None
    if args["unit"] is not None:
        unit = access.visible_unit(args["unit"])
        if unit is None:
            abort(422, message=NOT_IN_SCOPE, errors={"unit": [NOT_IN_SCOPE]})
    day = args["on"] or dt.date.today()
    return day, ready_lists.run(slug, unit.id if unit else None, day,
                                unit.name if unit else None)


def _saved(list_id: int):
    """The web's saved list: its subtree only while still inside the actor's scope."""
    saved = access.get_scoped_or_404(SavedList, list_id)
    return saved, lists_views._saved_outcome(saved)


@blp.route("/ready/<slug>")
@blp.arguments(ListReadyArgs, location="query")
@blp.response(200, ListOutcomeSchema)
@blp.alt_response(404, schema=ProblemSchema)
@blp.alt_response(422, schema=ProblemSchema)
def ready(args, slug):
    """Một danh sách có sẵn (slug: bcv-du-tieu-chuan, ttv-chua-boi-duong, dang-ky-luat,
    de-nghi-dua-ra-khoi-danh-sach, don-vi-chua-co-ttv), mỗi người kèm kết luận và lý do."""
    return outcome_json(_ready(slug, args)[1])


@blp.route("/ready/<slug>/export.xlsx")
@blp.arguments(ListReadyArgs, location="query")
@blp.doc(responses=xlsx_doc())
@blp.alt_response(404, schema=ProblemSchema)
@blp.alt_response(422, schema=ProblemSchema)
def ready_xlsx(args, slug):
    """Tệp Excel (trích ngang) của danh sách có sẵn; được ghi nhật ký «Tải xuống»."""
    day, outcome = _ready(slug, args)
    file, name = export.build(outcome, current_user.unit), export.filename(slug, day)
    record_download(outcome.title, request.args.to_dict(), export.row_count(outcome), name)
    return send_xlsx(file, name)


@blp.route("/<int:list_id>")
@blp.response(200, ListOutcomeSchema)
@blp.alt_response(404, schema=ProblemSchema)
def saved_list(list_id):
    """Một danh sách đã lưu (theo tiêu chí), mỗi người kèm kết luận và lý do."""
    return outcome_json(_saved(list_id)[1])


@blp.route("/<int:list_id>/export.xlsx")
@blp.doc(responses=xlsx_doc())
@blp.alt_response(404, schema=ProblemSchema)
def saved_xlsx(list_id):
    """Tệp Excel (trích ngang) của danh sách đã lưu; được ghi nhật ký «Tải xuống»."""
    saved, outcome = _saved(list_id)
    file = export.build(outcome, current_user.unit)
    name = export.filename(lists_views._name_slug(saved.name), outcome.day)
    record_download(saved.name, {"list": saved.id}, export.row_count(outcome), name)
    return send_xlsx(file, name)
