"""Discipline views: record, confirm a removal from the list (asked for, or proposed after a
khai trừ), and the list of measures in force."""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup

from models import Discipline, DisciplineSystem, Person, db
from registry import refdata
from registry.core import access
from registry.core.commit import commit_or_show
from registry.core.crud import PersonRecordPages, person_page
from registry.core.downloads import record_download
from registry.exports import listing
from registry.exports.download import send_xlsx
from registry.records import lists_xlsx
from registry.records import service as svc
from registry.records.forms import DisciplineForm
from registry.records.record_lists import SHOWN, DisciplineFilter
from registry.settings import service as settings_svc
from registry.units.service import writable_unit_choices

bp = Blueprint("disciplines", __name__)
PAGES = PersonRecordPages(Discipline, "records/discipline_form.html")


def _form(item: Discipline | None = None) -> DisciplineForm:
    form = DisciplineForm(obj=item)
    form.form.choices = refdata.personal_discipline_choices()
    if item is not None and not form.is_submitted():
        form.system.data = item.system.value
    # The forms grouped by system (<optgroup>); static/js/discipline-form.js shows only the
    # chosen system's group. The flat choices above still validate.
    names = refdata.names("discipline_form")
    form.form.groups = [(system.value, system.label, [(c, names.get(c, c)) for c in codes])
                        for system, codes in svc.FORMS_BY_SYSTEM.items()]
    form.form.group = form.system.data
    return form


def _render(form, person, item):
    return render_template(PAGES.template, form=form, person=person, item=item,
                           forms_by_system=svc.FORMS_BY_SYSTEM,
                           names=refdata.names("discipline_form"),
                           months={k: v for k, v in settings_svc.get("discipline_months").items()
                                   if k not in settings_svc.FOREVER})


def _save(form: DisciplineForm, person: Person, item: Discipline | None):
    """Save, or first ask to confirm when a removal from the list would end appointments."""
    data = form.record_data()
    ending = svc.removals(person, data)
    if ending and form.confirmed.data != "1":
        form.confirmed.data = "1"
        return _confirm(form, person, ending, data["effective_from"], request.form)
    confirmed = bool(ending)

    def action():
        if item is None:
            return svc.add_discipline(person, data, end_appointments=confirmed)
        return svc.update_discipline(item, data, end_appointments=confirmed)

    message = "Đã lưu kỷ luật." + (f" Đã kết thúc {len(ending)} bổ nhiệm với lý do «Đưa ra khỏi "
                                   "danh sách»." if confirmed else "")
    done = commit_or_show(form, action, message)
    if done:
        return redirect(_after_save(done.value))
    form.confirmed.data = ""
    return _render(form, person, item)


def _confirm(form, person: Person, ending, start: dt.date, values, **extra):
    return render_template("records/discipline_confirm.html", form=form, person=person,
                           ending=ending, start=start, last_day=start - dt.timedelta(days=1),
                           values=values, **extra)


def _after_save(item: Discipline) -> str:
    """Where a saved measure leads: khai trừ to the proposed removal from the list while the
    person still holds appointments, cách chức to the person's page with a reminder."""
    if svc.expulsion_removals(item):
        return url_for("disciplines.propose_removal", discipline_id=item.id)
    if item.form == svc.DISMISSAL:
        flash(Markup("Kỷ luật cách chức: đề nghị xem lại chức vụ của {name} (hiện ghi: "
                     "«{position}») và cập nhật hồ sơ nếu chức vụ đã thay đổi. "
                     "<a href=\"{url}\">Sửa hồ sơ</a>").format(
            name=item.person.full_name, position=item.person.position or "chưa ghi",
            url=url_for("roster.edit", person_id=item.person_id)), "warning")
    return person_page(item.person_id)


@bp.route("/disciplines/<int:discipline_id>/propose-removal")
def propose_removal(discipline_id: int):
    """After a khai trừ: the removal from the list, prefilled, saved only on confirmation."""
    item = PAGES.load(discipline_id)
    ending = svc.expulsion_removals(item)
    if not ending:
        return redirect(person_page(item.person_id))
    data = svc.removal_after_expulsion(item)
    form = _form()
    form.confirmed.data = "1"
    values = {"system": data["system"].value, "form": data["form"],
              "effective_from": f"{data['effective_from']:%d/%m/%Y}", "summary": data["summary"]}
    return _confirm(form, item.person, ending, data["effective_from"], values,
                    expulsion=item, action=url_for("disciplines.create", person_id=item.person_id))


@bp.route("/disciplines")
def index():
    f = DisciplineFilter.from_args(request.args)
    items = db.session.execute(f.statement().limit(SHOWN)).scalars().all()
    return render_template("records/disciplines.html", items=items,
                           names=refdata.names("discipline_form"), status=f.status,
                           system=f.system, systems=DisciplineSystem, today=f.today, f=f,
                           units=writable_unit_choices(), problems=f.problems,
                           export_url=url_for("disciplines.export", **f.args()))


@bp.route("/disciplines.xlsx")
def export():
    f = DisciplineFilter.from_args(request.args)
    items = db.session.execute(f.statement()).scalars().all()
    file = lists_xlsx.disciplines(items, f, current_user.unit, f.today)
    name = listing.filename("ky-luat", f.today, f.unit_row)
    record_download("Danh sách kỷ luật", request.args.to_dict(), len(items), name)
    return send_xlsx(file, name)


@bp.route("/persons/<int:person_id>/disciplines/new", methods=["GET", "POST"])
def create(person_id: int):
    person = access.get_writable_or_404(Person, person_id)
    form = _form()
    if form.validate_on_submit():
        return _save(form, person, None)
    return _render(form, person, None)


@bp.route("/disciplines/<int:discipline_id>/edit", methods=["GET", "POST"])
def edit(discipline_id: int):
    item = PAGES.load(discipline_id)
    form = _form(item)
    if form.validate_on_submit():
        return _save(form, item.person, item)
    return _render(form, item.person, item)


@bp.route("/disciplines/<int:discipline_id>/delete", methods=["POST"])
def delete(discipline_id: int):
    return PAGES.delete(discipline_id, svc.delete_record, "Đã xóa kỷ luật.")
