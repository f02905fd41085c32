"""How a service refuses a change: the errors every feature raises, and how a form shows them."""
from __future__ import annotations

from flask import flash


class RuleViolation(Exception):
    """A business rule refused the change; `field` names the form field at fault."""

    # Whether what was written before the refusal is committed rather than rolled back: the
    # user must see it next (an import re-planned against newer data).
    keep_writes = False

    def __init__(self, field: str | None, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


class StaleEdit(Exception):
    """Someone saved the record after this form was opened."""

    message = ("Hồ sơ này vừa được người khác cập nhật sau khi bạn mở biểu mẫu. "
               "Không có gì bị ghi đè: hãy tải lại trang, xem thay đổi mới rồi sửa lại.")


def field_error(form, exc: RuleViolation) -> None:
    """Show the refusal beside the field it names, or flashed when the form has no such field."""
    field = getattr(form, exc.field, None) if exc.field else None
    if field is not None:
        field.errors = list(field.errors) + [exc.message]
    else:
        flash(exc.message, "danger")
