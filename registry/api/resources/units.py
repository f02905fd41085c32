"""GET /api/v1/units: the unit tree as of a date (the units everyone shares; not scoped, like
the web's units page), each under the parent it had that day, with its successors."""
from __future__ import annotations

import datetime as dt

from flask_smorest import Blueprint
from marshmallow import Schema, fields

from registry.api.schemas import ProblemSchema
from registry.units.cli import units_on

blp = Blueprint("api_units", __name__, url_prefix="/units",
                description="Đơn vị hành chính và tổ chức, như vào một ngày")


class UnitArgs(Schema):
    on = fields.Date(load_default=None,
                     metadata={"description": "Ngày (YYYY-MM-DD); mặc định hôm nay"})


class UnitSchema(Schema):
    id = fields.Integer(required=True)
    code = fields.String(allow_none=True, metadata={"description": "Mã đơn vị hành chính"})
    name = fields.String(required=True)
    type = fields.String(required=True)
    parent = fields.String(allow_none=True)
    valid_from = fields.String(allow_none=True)
    valid_to = fields.String(allow_none=True)
    successors = fields.List(fields.String(), required=True)


@blp.route("")
@blp.arguments(UnitArgs, location="query")
@blp.response(200, UnitSchema(many=True))
@blp.alt_response(401, schema=ProblemSchema)
@blp.alt_response(422, schema=ProblemSchema)
def list_units(args):
    """Các đơn vị có hiệu lực vào ngày `on`."""
    return units_on(args["on"] or dt.date.today())
