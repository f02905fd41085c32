"""BCV conferences (Hội nghị báo cáo viên): the list, a conference with its connection points
and who attended where, and each BCV's missed conferences of a year."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from models import (
    Conference,
    ConferenceAttendance,
    ConferencePoint,
    DeliveryForm,
    Person,
    Unit,
    db,
)
from registry.conferences import query, rules, xlsx
from registry.conferences import service as svc
from registry.conferences.forms import (
    LEVEL_OF_UNIT,
    ConferenceForm,
    NewConferenceForm,
    OrganiserPointForm,
    PointForm,
)
from registry.core import access
from registry.core.commit import commit_or_flash, commit_or_show
from registry.core.crud import (
    ConfirmForm,
    confirm_button,
    delete_button,
    form_page,
    form_unit,
    int_list,
    person_page,
)
from registry.core.downloads import record_download
from registry.core.params import page_arg
from registry.exports.download import send_xlsx
from registry.units.service import writable_unit_choices

bp = Blueprint("conferences", __name__)


@bp.app_context_processor
def _person_page_helpers():
    # The person page (templates/conferences/_person.html) asks for these by name.
    return {"conference_attendances": svc.person_attendances,
            "conference_missed": rules.missed_this_year}


@bp.route("/conferences")
def index():
    f = query.ConferenceFilter.from_args(request.args)
    page = query.page_of(f, page_arg(request.args))
    return render_template("conferences/index.html", f=f, page=page, forms=DeliveryForm,
                           totals=svc.totals([c.id for c in page.items]),
                           units=writable_unit_choices())


@bp.route("/conferences/new", methods=["GET", "POST"])
def create():
    access.require_writer()
    form = NewConferenceForm()
    form.unit_id.choices = writable_unit_choices()
    if not form.is_submitted():
        level = LEVEL_OF_UNIT.get(current_user.unit.kind)
        form.form.data, form.unit_id.data = DeliveryForm.TRUC_TUYEN.value, str(current_user.unit_id)
        form.level.data = level.value if level else None
    return form_page(form, lambda: svc.create_conference(
        form.conference_data(), form_unit(form), form.place.data), "Đã thêm hội nghị.",
        lambda c: url_for("conferences.detail", conference_id=c.id),
        "conferences/form.html", conference=None)


@bp.route("/conferences/<int:conference_id>")
def detail(conference_id: int):
    conf = access.get_scoped_or_404(Conference, conference_id)
    return render_template("conferences/detail.html", conf=conf,
                           points=svc.visible_points(conf), rows=svc.visible_attendances(conf),
                           total=svc.totals([conf.id])[conf.id],
                           manage=svc.may_manage_points(conf), may_edit_point=svc.may_edit_point)


@bp.route("/conferences/<int:conference_id>/edit", methods=["GET", "POST"])
def edit(conference_id: int):
    conf = access.get_writable_or_404(Conference, conference_id)
    form = ConferenceForm(obj=conf)
    form.unit_id.choices = writable_unit_choices()
    if not form.is_submitted():
        form.unit_id.data = str(conf.unit_id)
    return form_page(form, lambda: svc.update_conference(conf, form.conference_data(),
                                                         form_unit(form)),
                     "Đã lưu hội nghị.", url_for("conferences.detail", conference_id=conf.id),
                     "conferences/form.html", conference=conf)


@bp.route("/conferences/<int:conference_id>/delete", methods=["POST"])
def delete(conference_id: int):
    conf = access.get_writable_or_404(Conference, conference_id)
    return delete_button(lambda: svc.delete_conference(conf), f"Đã xóa hội nghị {conf.topic}.",
                         url_for("conferences.index"),
                         url_for("conferences.detail", conference_id=conf.id))


# Connection points ------------------------------------------------------------------------

def _point_units(conf: Conference) -> list[tuple[int, str]]:
    """The writable units a point of `conf` may be: the organiser's and those below it."""
    below = set(db.session.execute(sa.select(Unit.id).where(
        Unit.path.startswith(conf.unit.path))).scalars())
    return [(i, name) for i, name in writable_unit_choices() if i in below]


def _save_point(form, save, success, conf: Conference, point=None):
    if form.validate_on_submit() and commit_or_show(form, save, success,
                                                    conflict=svc.POINT_TAKEN):
        return redirect(url_for("conferences.detail", conference_id=conf.id))
    return render_template("conferences/point_form.html", form=form, conf=conf, point=point)


@bp.route("/conferences/<int:conference_id>/points/new", methods=["GET", "POST"])
def point_new(conference_id: int):
    conf = access.get_scoped_or_404(Conference, conference_id)
    if not svc.may_manage_points(conf):
        raise access.AccessDenied
    form = OrganiserPointForm()
    form.unit_id.choices = _point_units(conf)
    return _save_point(form, lambda: svc.add_point(conf, form_unit(form), form.point_data()),
                       lambda p: f"Đã thêm điểm cầu {p.unit.name}." + (
                           f" {svc.ONE_POINT}" if svc.too_many_points(conf) else ""), conf)


@bp.route("/conference-points/<int:point_id>/edit", methods=["GET", "POST"])
def point_edit(point_id: int):
    point = access.get_scoped_or_404(ConferencePoint, point_id)
    if not svc.may_edit_point(point):
        raise access.AccessDenied
    conf = point.conference
    organiser = svc.may_manage_points(conf)
    form = (OrganiserPointForm if organiser else PointForm)(obj=point)
    if organiser:
        form.unit_id.choices = _point_units(conf)
        if not form.is_submitted():
            form.unit_id.data = str(point.unit_id)
    return _save_point(form, lambda: svc.update_point(
        point, form.point_data(), form_unit(form) if organiser else None),
        "Đã lưu điểm cầu.", conf, point)


@bp.route("/conference-points/<int:point_id>/delete", methods=["POST"])
def point_delete(point_id: int):
    point = access.get_scoped_or_404(ConferencePoint, point_id)
    return confirm_button(lambda: svc.delete_point(point),
                          f"Đã xóa điểm cầu {point.unit.name}.",
                          url_for("conferences.detail", conference_id=point.conference_id))


# Attendance ---------------------------------------------------------------------------------

@bp.route("/conference-points/<int:point_id>/attendance", methods=["GET", "POST"])
def attendance(point_id: int):
    """Tick the active BCV of the point's subtree who attended there; saved all at once."""
    point = access.get_scoped_or_404(ConferencePoint, point_id)
    access.require_writer()
    form = ConfirmForm()
    if form.validate_on_submit() and _record(point):
        return redirect(url_for("conferences.detail", conference_id=point.conference_id))
    candidates = [p for p in db.session.execute(rules.eligible_people(point)).scalars()
                  if access.unit_in_scope(p.unit)]
    return render_template("conferences/attendance.html", point=point, conf=point.conference,
                           form=form, candidates=candidates,
                           present=svc.recorded_people(point.conference))


def _record(point: ConferencePoint) -> bool:
    ids = int_list(request.form.getlist("person_ids"))
    people = db.session.execute(sa.select(Person).where(Person.id.in_(ids))).scalars().all()
    if not ids:
        flash("Chưa chọn báo cáo viên nào.", "warning")
        return False
    if len(people) != len(set(ids)):
        flash("Có người được chọn không thuộc phạm vi của bạn; chưa ghi ai.", "danger")
        return False
    return bool(commit_or_flash(
        lambda: svc.record_attendance(point, list(people)),
        lambda n: f"Đã ghi {n} báo cáo viên dự tại điểm cầu {point.unit.name}.",
        conflict="Có người vừa được ghi dự hội nghị này; chưa ghi ai, hãy tải lại trang."))


@bp.route("/conference-attendances/<int:conf_attendance_id>/delete", methods=["POST"])
def attendance_delete(conf_attendance_id: int):
    att = access.get_writable_or_404(ConferenceAttendance, conf_attendance_id)
    back = (person_page(att.person_id) if request.form.get("back") == "person"
            else url_for("conferences.detail", conference_id=att.conference_id))
    return confirm_button(lambda: svc.delete_attendance(att),
                          f"Đã bỏ {att.person.full_name} khỏi danh sách dự hội nghị.", back)


# Missed conferences -------------------------------------------------------------------------

def _missed_args() -> tuple[int, Unit | None, list[str]]:
    args, problems = request.args, []
    year = query.year_arg(args.get("year"))
    if args.get("year") and year is None:
        problems.append(f"Năm «{args['year'][:20]}» không hợp lệ; đang hiện năm nay.")
    unit = access.visible_unit(args.get("unit"))
    if args.get("unit") and unit is None:
        problems.append("Không tìm thấy đơn vị đã chọn trong phạm vi của bạn; "
                        "đang hiện mọi đơn vị.")
    return year or dt.date.today().year, unit, problems


@bp.route("/conferences/missed")
def missed():
    year, unit, problems = _missed_args()
    return render_template("conferences/missed.html", year=year, unit=unit, problems=problems,
                           rows=rules.yearly_tally(year, unit), units=writable_unit_choices())


@bp.route("/conferences/missed.xlsx")
def missed_export():
    year, unit, _problems = _missed_args()
    rows = rules.yearly_tally(year, unit)
    scope = unit.name if unit else "Toàn bộ đơn vị trong phạm vi quản lý"
    file, name = xlsx.build(rows, year, scope, current_user.unit), xlsx.filename(year)
    record_download("Báo cáo viên vắng hội nghị", request.args.to_dict(), len(rows), name)
    return send_xlsx(file, name)
