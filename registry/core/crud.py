"""The shape the record pages share: a form saved through one service call, then back to the
page it came from; delete buttons; the pages of a record kept on a person; the ids ticked in a
list."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, redirect, render_template, url_for
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


def delete_button(action: Callable[[], Any], success: str, gone: str, back: str):
    """The delete button on a row's own page: once deleted, go to `gone` (the page is no more);
    a refusal (flashed) or a token that does not hold goes back to the row's page, `back`."""
    if not ConfirmForm().validate_on_submit():
        flash("Yêu cầu xóa không hợp lệ; vui lòng thử lại.", "danger")
        return redirect(back)
    return redirect(gone if commit_or_flash(action, success) else back)


def person_page(person_id: int) -> str:
    """The person's page: where the records kept on a person are listed, and their pages lead."""
    return url_for("roster.detail", person_id=person_id)


class PersonRecordPages:
    """The add, edit and delete pages of one kind of record kept on a person (an appointment, an
    attendance, a session, a payment, a commendation; a discipline's delete): each loads the
    record only when the actor may write to it, saves through one service call and goes back to
    the person's page. The form template gets the person as `person` and the record as `name`
    (None when adding)."""

    def __init__(self, model: type, template: str, name: str = "item"):
        self.model, self.template, self.name = model, template, name

    def load(self, item_id: int):
        """The record, when the actor may write to it (404 or 403 otherwise)."""
        return access.get_writable_or_404(self.model, item_id)

    def new(self, person, form, save: Callable[[], Any], success: Success):
        """The page adding a record to `person` (loaded writable by the caller)."""
        return self._page(person, None, form, save, success)

    def edit(self, item, form, save: Callable[[], Any], success: Success):
        """The page editing `item` (from `load`)."""
        return self._page(item.person, item, form, save, success)

    def delete(self, item_id: int, action: Callable[[Any], Any], success: str):
        """The delete button: `action(record)` on a valid token, then back to the person."""
        item = self.load(item_id)
        return confirm_button(lambda: action(item), success, person_page(item.person_id))

    def _page(self, person, item, form, save, success):
        return form_page(form, save, success, person_page(person.id), self.template,
                         person=person, **{self.name: item})


def form_unit(form) -> Unit:
    """The unit a form names in `unit_id`, inside the actor's scope (404 otherwise)."""
    return access.get_scoped_or_404(Unit, form.unit_id.data)


def int_list(values) -> list[int]:
    """Ids from a form list, ignoring what cannot be an id."""
    ids = (access.parse_id(v) for v in values)
    return [i for i in ids if i is not None][:5000]
