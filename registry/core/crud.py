"""The shape the record pages share: a form saved through one service call, then back to the
page it came from; a delete button; the ids ticked in a list."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import redirect, render_template
from flask_wtf import FlaskForm

from models import Unit
from registry.core import access
from registry.core.commit import Success, commit_or_flash, commit_or_show


class ConfirmForm(FlaskForm):
    """An empty form: only its CSRF token matters (delete buttons, logout)."""


def form_page(form, save: Callable[[], Any], success: Success,
              back: str | Callable[[Any], str], template: str, **context):
    """Save a valid submission through `save` and go to `back` (a URL, or one made from what
    `save` returned: the new row's page); else show the form again, with the refusal beside
    its field. `context` is what the template needs beyond the form."""
    if form.validate_on_submit() and (done := commit_or_show(form, save, success)):
        return redirect(back(done.value) if callable(back) else back)
    return render_template(template, form=form, **context)


def confirm_button(action: Callable[[], Any], success: str, back: str):
    """A button posting only its token (delete, undo): run `action` when the token is valid (a
    refusal is flashed), then go to `back` either way."""
    if ConfirmForm().validate_on_submit():
        commit_or_flash(action, success)
    return redirect(back)


def form_unit(form) -> Unit:
    """The unit a form names in `unit_id`, inside the actor's scope (404 otherwise)."""
    return access.get_scoped_or_404(Unit, form.unit_id.data)


def int_list(values) -> list[int]:
    """Ids from a form list, ignoring what cannot be an id."""
    ids = (access.parse_id(v) for v in values)
    return [i for i in ids if i is not None][:5000]
