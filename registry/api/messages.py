"""marshmallow's and webargs' refusals, said in Vietnamese (the API's errors name each field)."""
from __future__ import annotations

import re

EXACT = {
    "Missing data for required field.": "Thiếu trường bắt buộc.",
    "Not a valid integer.": "Không phải số nguyên.",
    "Not a valid number.": "Không phải số.",
    "Not a valid string.": "Không phải chuỗi ký tự.",
    "Not a valid boolean.": "Không phải giá trị đúng/sai.",
    "Not a valid date.": "Không phải ngày hợp lệ (YYYY-MM-DD).",
    "Not a valid datetime.": "Không phải thời điểm hợp lệ (ISO 8601).",
    "Not a valid list.": "Không phải danh sách.",
    "Not a valid mapping type.": "Không phải đối tượng JSON.",
    "Unknown field.": "Trường không được hỗ trợ.",
    "Field may not be null.": "Không được để trống (null).",
    "Invalid input type.": "Kiểu dữ liệu không hợp lệ.",
    "Invalid value.": "Giá trị không hợp lệ.",
    "Shorter than minimum length 1.": "Không được để trống.",
}
PATTERNS = [
    (re.compile(r"^Must be one of: (.*)\.$"), "Phải là một trong: {0}."),
    (re.compile(r"^Longer than maximum length (\d+)\.$"), "Dài quá {0} ký tự."),
    (re.compile(r"^Must be greater than or equal to (.*) and less than or equal to (.*)\.$"),
     "Phải từ {0} đến {1}."),
]


def vietnamese(messages):
    """The same nested structure of messages, each said in Vietnamese when it is known."""
    if isinstance(messages, dict):
        return {key: vietnamese(value) for key, value in messages.items()}
    if isinstance(messages, list):
        return [vietnamese(m) for m in messages]
    if isinstance(messages, str):
        if messages in EXACT:
            return EXACT[messages]
        for pattern, template in PATTERNS:
            found = pattern.match(messages)
            if found:
                return template.format(*found.groups())
    return messages


def field_errors(exc) -> dict:
    """webargs puts {location: {field: [messages]}} in exc.data["messages"]; the location is
    dropped (a field name is unique across query, JSON and form of one operation)."""
    messages = (getattr(exc, "data", None) or {}).get("messages") or {}
    merged: dict = {}
    for value in messages.values():
        if isinstance(value, dict):
            merged.update(value)
    return vietnamese(merged)


def refuse(exc) -> None:
    """A service's RuleViolation as the API's 422: {"errors": {field: [message]}}."""
    from flask_smorest import abort

    field = getattr(exc, "field", None) or "_schema"
    abort(422, message=str(exc), errors={field: [str(exc)]})
