"""What the record views share: run one service call, commit once, show errors beside fields."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash

from models import db
from registry.core import access
from registry.roster.persons import RuleViolation
from registry.roster.views import _field_error


class Done:
    """The outcome of `commit_or_show`: true when saved, with what the action returned."""

    def __init__(self, ok: bool, value: Any = None):
        self.ok, self.value = ok, value

    def __bool__(self) -> bool:
        return self.ok


def commit_or_show(form, action: Callable[[], Any], success: str | None) -> Done:
    """Run `action`; on a rule violation roll back and put its message beside the field."""
    try:
        value = action()
    except RuleViolation as exc:
        db.session.rollback()
        _field_error(form, exc)
        return Done(False)
    db.session.commit()
    if success:
        flash(success, "success")
    return Done(True, value)


def commit_or_flash(action: Callable[[], object], success: str) -> bool:
    """For buttons without a form to return to (delete): the refusal is flashed."""
    try:
        action()
    except RuleViolation as exc:
        db.session.rollback()
        flash(exc.message, "danger")
        return False
    db.session.commit()
    flash(success, "success")
    return True


def int_list(values) -> list[int]:
    """Ids from a form list, ignoring what cannot be an id."""
    ids = (access.parse_id(v) for v in values)
    return [i for i in ids if i is not None][:5000]
