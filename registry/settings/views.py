"""The admin's settings page: training window, standards per role and level, discipline rules."""
from __future__ import annotations

from flask import Blueprint, url_for

from models import CourseKind
from registry import refdata
from registry.core import access
from registry.core.crud import form_page
from registry.settings import forms
from registry.settings import service as svc

bp = Blueprint("settings", __name__)


@bp.route("/settings", methods=["GET", "POST"])
def edit():
    access.require_admin()
    discipline_forms = refdata.personal_discipline_choices()
    form = forms.settings_form(refdata.choices("political_theory"), discipline_forms, svc.current(),
                               refdata.choices("professional"))
    windowed = [(c, n) for c, n in discipline_forms if c not in svc.FOREVER]
    return form_page(form, lambda: svc.save(form.values()), "Đã lưu thiết lập.",
                     url_for("settings.edit"), "settings/edit.html", rows=forms.rows(form),
                     kinds=CourseKind, windowed_forms=windowed)
