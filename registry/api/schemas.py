"""Schemas shared by the resources: errors, paging, dates as the API writes them (ISO 8601)."""
from __future__ import annotations

from marshmallow import Schema, fields


class ProblemSchema(Schema):
    code = fields.Integer(required=True)
    status = fields.String(required=True)
    message = fields.String(required=True, metadata={"description": "Thông báo bằng tiếng Việt"})
    errors = fields.Dict(keys=fields.String(), values=fields.Raw(),
                         metadata={"description": "Trường → các lỗi của trường đó"})


class PageArgs(Schema):
    page = fields.Integer(load_default=1, validate=lambda n: 1 <= n <= 100_000,
                          metadata={"description": "Trang (từ 1)"})
    per_page = fields.Integer(load_default=50, validate=lambda n: 1 <= n <= 500,
                              metadata={"description": "Số dòng mỗi trang (1–500)"})


class PageMeta(Schema):
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(required=True)
    pages = fields.Integer(required=True)
