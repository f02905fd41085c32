"""Views of registry.bulk (issue 15): the chosen action's form, its preview, its confirmation.
The selection comes with every request as form fields (registry.bulk.selection)."""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, flash, redirect, render_template, request

from registry.bulk import service
from registry.bulk.actions import ACTIONS, Action
from registry.bulk.selection import MAX_PEOPLE, Selection
from registry.core import access
from registry.core.commit import commit_or_show
from registry.core.rules import RuleViolation

bp = Blueprint("bulk", __name__)


class _Back(Exception):
    """The selection or the action cannot be used: back to the roster with a message."""

    def __init__(self, message: str, url: str):
        super().__init__(message)
        self.message, self.url = message, url


@bp.errorhandler(_Back)
def _back(exc: _Back):
    flash(exc.message, "warning")
    return redirect(exc.url)


def _load(values) -> tuple[Action, Selection, list]:
    """The action, the selection and its people (404 for an id out of scope, 403 for a
    viewer); what cannot be used sends back to the roster."""
    access.require_writer()
    selection = Selection.from_values(values)
    action = ACTIONS.get(values.get("action", ""))
    if action is None:
        raise _Back("Hãy chọn việc cần làm cho những người đã chọn.", selection.roster_url())
    try:
        people = selection.people()
    except RuleViolation as exc:
        raise _Back(exc.message, selection.roster_url()) from None
    return action, selection, people


def _form(action: Action):
    form = action.form()
    form.fill()
    return form


def _page(template: str, action: Action, selection: Selection, people: list, form, **extra):
    return render_template(template, action=action, selection=selection, people=people,
                           form=form, actions=ACTIONS, limit=MAX_PEOPLE, **extra)


@bp.route("/bulk", methods=["GET", "POST"])
def start():
    """The action's form (GET from the roster's bar; POST from the preview, to correct it)."""
    action, selection, people = _load(request.values)
    return _page("bulk/form.html", action, selection, people, _form(action))


@bp.route("/bulk/preview", methods=["POST"])
def preview():
    return _submitted(_preview)


def _submitted(then):
    """`then(action, selection, people, form)` once the form is valid; else the form again."""
    action, selection, people = _load(request.form)
    form = _form(action)
    if not form.validate_on_submit():
        return _page("bulk/form.html", action, selection, people, form), 400
    return then(action, selection, people, form)


def _preview(action: Action, selection: Selection, people: list, form):
    result = service.preview(action, people, form.values(), dt.date.today())
    posted = [(name, v) for name in action.fields for v in request.form.getlist(name)]
    return _page("bulk/preview.html", action, selection, people, form, result=result,
                 posted=posted, shown=_shown(form, action),
                 kept=[p.id for p, status, _ in result.lines if status != service.ERROR])


def _shown(form, action: Action) -> list[tuple[str, str]]:
    """The decision as the preview states it: each filled field's label and its value."""
    out = []
    for name in action.fields:
        field, data = form[name], form[name].data
        if data in (None, ""):
            continue
        if isinstance(data, dt.date):
            text = f"{data:%d/%m/%Y}"
        elif getattr(field, "choices", None):
            text = {str(k): v for k, v in field.choices}.get(str(data), str(data))
        else:
            text = str(data)
        out.append((field.label.text, text))
    return out


@bp.route("/bulk/apply", methods=["POST"])
def apply():
    return _submitted(_apply)


def _apply(action: Action, selection: Selection, people: list, form):
    done = commit_or_show(form, lambda: service.apply(
        action, people, form.values(), dt.date.today(), request.form.get("stamp", "")),
        lambda n: action.done.format(n=n))
    if done:
        return redirect(selection.roster_url())
    # Refused and rolled back: the preview again, made from the data as it is now.
    action, selection, people = _load(request.form)
    return _preview(action, selection, people, form)
