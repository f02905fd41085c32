"""The views' one commit point: run one service call, commit once, show what refused it."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from models import db
from registry.core.rules import RuleViolation, StaleEdit, field_error

# What to flash once saved: a fixed text, or one made from what the action returned.
Success = str | Callable[[Any], str] | None


class Done:
    """The outcome of a commit helper: true when saved, with what the action returned."""

    def __init__(self, ok: bool, value: Any = None):
        self.ok, self.value = ok, value

    def __bool__(self) -> bool:
        return self.ok


def commit_or_show(form, action: Callable[[], Any], success: Success, *,
                   conflict: str | None = None) -> Done:
    """Run `action` and commit; a refusal rolls back and shows beside the field it names
    (`conflict`: as in `commit_or_flash`, flashed)."""
    return _commit(action, success, lambda exc: field_error(form, exc), conflict)


def commit_or_flash(action: Callable[[], Any], success: Success, *, category: str = "danger",
                    conflict: str | None = None) -> Done:
    """For buttons without a form to return to (delete): a refusal is flashed as `category`.

    :param conflict: shown when the database refuses the write because a concurrent writer
        took a unique key first; without it, that refusal is an error.
    """
    return _commit(action, success, lambda exc: flash(exc.message, category), conflict)


def _commit(action: Callable[[], Any], success: Success,
            refused: Callable[[RuleViolation], None], conflict: str | None = None) -> Done:
    try:
        value = action()
        db.session.commit()
    except RuleViolation as exc:
        db.session.commit() if exc.keep_writes else db.session.rollback()
        refused(exc)
        return Done(False)
    except (StaleEdit, StaleDataError):
        # A versioned row changed since the form was read: found by the service, or by the
        # UPDATE at commit when the other save came in between.
        db.session.rollback()
        flash(StaleEdit.message, "danger")
        return Done(False)
    except IntegrityError:
        if conflict is None:
            raise
        db.session.rollback()
        flash(conflict, "danger")
        return Done(False)
    if success:
        flash(success(value) if callable(success) else success, "success")
    return Done(True, value)
