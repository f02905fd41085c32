"""Schemas shared by the resources: errors, paging, dates as the API writes them (ISO 8601)."""
from __future__ import annotations

import datetime as dt

from marshmallow import Schema, fields, validate


class ProblemSchema(Schema):
    code = fields.Integer(required=True)
    status = fields.String(required=True)
    message = fields.String(required=True, metadata={"description": "Thông báo bằng tiếng Việt"})
    errors = fields.Dict(keys=fields.String(), values=fields.Raw(),
                         metadata={"description": "Trường → các lỗi của trường đó"})


class PageArgs(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000),
                          metadata={"description": "Trang (từ 1)"})
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500),
                              metadata={"description": "Số dòng mỗi trang (1–500)"})


class PageMeta(Schema):
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(required=True)
    pages = fields.Integer(required=True)


class UtcDateTime(fields.DateTime):
    """A stored time (UTC, kept without an offset) said with its offset, as date-time requires."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return super()._serialize(value, attr, obj, **kwargs)
