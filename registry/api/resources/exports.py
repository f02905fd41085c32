"""GET /api/v1/exports/roster.xlsx: the web's roster download (registry.exports.views.roster),
with the same filters as the roster, streamed and recorded as a download («Tải xuống»)."""
from __future__ import annotations

import datetime as dt

from flask import request
from flask_login import current_user
from flask_smorest import Blueprint, abort
from marshmallow import Schema, fields, validate

from registry.api.schemas import ProblemSchema
from registry.api.xlsx import xlsx_doc
from registry.core.downloads import record_download
from registry.exports import roster as roster_export
from registry.exports.download import send_xlsx
from registry.roster.query import RosterFilter

blp = Blueprint("api_exports", __name__, url_prefix="/exports",
                description="Tải danh sách đội ngũ dạng Excel")


class RosterExportArgs(Schema):
    """The roster's filters (as on the web page /roster); unknown values are ignored, as there."""

    q = fields.String(metadata={"description": "Tìm theo tên, số CCCD"})
    role = fields.String(metadata={"description": "bcv hoặc ttv"})
    level = fields.String(metadata={"description": "Cấp"})
    unit = fields.String(metadata={"description": "Mã số (id) đơn vị, cả cây con"})
    own = fields.String(metadata={"description": "1: chỉ người của chính đơn vị"})
    status = fields.String(metadata={"description": "active (mặc định), ended, all…"})
    gender = fields.String()
    ethnicity = fields.String()
    party = fields.String(metadata={"description": "1 đảng viên, 0 chưa"})
    llct = fields.String(metadata={"description": "Trình độ lý luận chính trị"})
    elig = fields.String(metadata={"description": "1 đủ tiêu chuẩn, 0 chưa đủ"})
    age = fields.String(metadata={"description": "Nhóm tuổi"})
    trained = fields.String(metadata={"description": "1 đã bồi dưỡng trong thời hạn, 0 chưa"})
    on = fields.String(metadata={"description": "Tính đến ngày (YYYY-MM-DD hoặc dd/mm/yyyy)"})
    layout = fields.String(load_default="full",
                           validate=validate.OneOf(list(roster_export.LAYOUTS)),
                           metadata={"description": "full (đầy đủ) hoặc trich-ngang"})


@blp.route("/roster.xlsx")
@blp.arguments(RosterExportArgs, location="query")
@blp.doc(responses=xlsx_doc())
@blp.alt_response(401, schema=ProblemSchema)
@blp.alt_response(422, schema=ProblemSchema)
def roster(args):
    """Danh sách đội ngũ theo bộ lọc của trang Danh sách, mọi dòng của mọi trang."""
    f = RosterFilter.from_args(request.args)
    if f.problems:
        abort(422, message=" ".join(f.problems), errors={"on": list(f.problems)})
    layout = args["layout"]
    file, count = roster_export.build(f, layout, current_user.unit)
    name = roster_export.filename(layout, f.day or dt.date.today())
    record_download("Danh sách đội ngũ", request.args.to_dict(), count, name)
    return send_xlsx(file, name)
