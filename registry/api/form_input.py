"""A JSON body judged by the web's own form: the same validators, choices and messages as the
page that saves the same thing (never a second copy of a rule), then the same service call,
committed once. The form's refusals come back as the API's 422, field by field."""
from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Mapping
from typing import Any

from flask_smorest import abort
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.datastructures import MultiDict

from models import db
from registry.core.rules import RuleViolation, StaleEdit

INVALID = "Một số trường không hợp lệ."


def as_formdata(values: Mapping[str, Any]) -> MultiDict:
    """What a browser would post for `values`: dates as text (the date fields read ISO too),
    enums as their codes, a checked box as "y", an unchecked one or a None as absent."""
    data = MultiDict()
    for key, value in values.items():
        if value is None or value is False:
            continue
        if value is True:
            value = "y"
        elif isinstance(value, enum.Enum):
            value = value.value
        elif isinstance(value, dt.date):
            value = value.isoformat()
        data.add(key, str(value))
    return data


def judged(form_cls: type, values: Mapping[str, Any], *, obj=None,
           fill: Callable[[Any], None] | None = None, names: Mapping[str, str] | None = None):
    """The web form `form_cls` filled from `values` and validated; a refusal is a 422 whose
    errors name the API's fields (`names`: form field → API field, when they differ)."""
    form = form_cls(formdata=as_formdata(values), obj=obj, meta={"csrf": False})
    if fill is not None:
        fill(form)
    if not form.validate():
        names = names or {}
        refuse(INVALID, {names.get(k, k): v for k, v in form.errors.items()})
    return form


def refuse(message: str, errors: dict) -> None:
    """The API's 422 with `errors` {field: [message]}: given both as flask-smorest's `errors`
    and as webargs' `messages`, which the app's 422 handler reads."""
    abort(422, message=message, errors=errors, messages={"json": errors})


def save(action: Callable[[], Any], *, names: Mapping[str, str] | None = None) -> Any:
    """Run one service call and commit, as the web's commit point does; a rule's refusal is a
    422 naming its field, a concurrent save a 409."""
    try:
        value = action()
        db.session.commit()
    except RuleViolation as exc:
        db.session.commit() if exc.keep_writes else db.session.rollback()
        field = exc.field or "_schema"
        refuse(exc.message, {(names or {}).get(field, field): [exc.message]})
    except (StaleEdit, StaleDataError):
        db.session.rollback()
        abort(409, message=StaleEdit.message)
    except IntegrityError:  # a unique key (CCCD) taken by a concurrent save
        db.session.rollback()
        abort(409, message="Dữ liệu vừa được người khác thay đổi; hãy tải lại rồi thử lại.")
    return value
