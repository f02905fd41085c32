"""Training views: courses, adding attendees in bulk, results, people lacking recent training."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from models import (
    Attendance,
    Course,
    CourseKind,
    DeliveryForm,
    Level,
    Person,
    Role,
    TrainingResult,
    db,
)
from registry import refdata
from registry.core import access
from registry.core.commit import commit_or_flash, commit_or_show
from registry.core.crud import (
    ConfirmForm,
    PersonRecordPages,
    confirm_button,
    form_page,
    form_unit,
    int_list,
    person_page,
)
from registry.core.downloads import record_download
from registry.eligibility import rules as eligibility
from registry.exports import listing
from registry.exports.download import send_xlsx
from registry.roster.query import STATUSES, RosterFilter, build_query, paginate
from registry.training import overdue_xlsx
from registry.training import service as svc
from registry.training.forms import (
    AttendanceForm,
    BulkAddForm,
    CourseForm,
    NewAttendanceForm,
    kind_choices,
)
from registry.units.service import writable_unit_choices

bp = Blueprint("training", __name__)
ATTENDANCES = PersonRecordPages(Attendance, "training/attendance_form.html", "att")


@bp.route("/courses")
def index():
    year = request.args.get("year", "")
    kind = CourseKind.parse(request.args.get("kind"))
    stmt = sa.select(Course).order_by(Course.start_date.desc(), Course.id.desc()).limit(500)
    if year.isdigit() and 1900 <= int(year) <= 2100:
        stmt = stmt.where(Course.start_date.between(dt.date(int(year), 1, 1),
                                                    dt.date(int(year), 12, 31)))
    if kind:
        stmt = stmt.where(Course.kind == kind)
    courses = db.session.execute(stmt).scalars().all()
    counts = dict(db.session.execute(
        sa.select(Attendance.course_id, sa.func.count(Attendance.id))
        .where(Attendance.course_id.in_([c.id for c in courses]))
        .group_by(Attendance.course_id)).all())
    return render_template("training/index.html", courses=courses, counts=counts, kinds=CourseKind,
                           year=year, kind=kind)


@bp.route("/courses/new", methods=["GET", "POST"])
def create():
    access.require_writer()  # a viewer never sees a form they cannot save
    form = CourseForm()
    form.unit_id.choices = writable_unit_choices()
    if not form.is_submitted():
        form.form.data, form.unit_id.data = DeliveryForm.TRUC_TIEP.value, str(current_user.unit_id)
    return form_page(form, lambda: svc.create_course(form.course_data(), form_unit(form)),
                     "Đã thêm khóa học.", lambda c: url_for("training.detail", course_id=c.id),
                     "training/form.html", course=None)


@bp.route("/courses/<int:course_id>")
def detail(course_id: int):
    course = access.get_scoped_or_404(Course, course_id)
    return render_template("training/detail.html", course=course,
                           rows=svc.visible_attendances(course), total=svc.attendance_count(course),
                           results=TrainingResult, confirm=ConfirmForm(), errors={})


@bp.route("/courses/<int:course_id>/edit", methods=["GET", "POST"])
def edit(course_id: int):
    course = access.get_writable_or_404(Course, course_id)
    form = CourseForm(obj=course)
    form.kind.choices = kind_choices(course.kind)
    form.unit_id.choices = writable_unit_choices()
    if not form.is_submitted():
        form.unit_id.data = str(course.unit_id)
    return form_page(form, lambda: svc.update_course(course, form.course_data(), form_unit(form)),
                     "Đã lưu khóa học.", url_for("training.detail", course_id=course.id),
                     "training/form.html", course=course)


@bp.route("/courses/<int:course_id>/delete", methods=["POST"])
def delete(course_id: int):
    course = access.get_writable_or_404(Course, course_id)
    if ConfirmForm().validate_on_submit() and commit_or_flash(
            lambda: svc.delete_course(course), f"Đã xóa khóa học {course.name}."):
        return redirect(url_for("training.index"))
    return redirect(url_for("training.detail", course_id=course.id))


@bp.route("/courses/<int:course_id>/attendees", methods=["GET", "POST"])
def add_attendees(course_id: int):
    """Tick and add: filter the roster, tick people (or take the whole filter), add them."""
    course = access.get_scoped_or_404(Course, course_id)
    access.require_writer()
    form = BulkAddForm()
    source = request.form if request.method == "POST" else request.args
    f = RosterFilter.from_args(source)
    if form.validate_on_submit():
        ids = _all_ids(f) if request.form.get("all_matching") else int_list(
            request.form.getlist("person_ids"))
        people = db.session.execute(sa.select(Person).where(Person.id.in_(ids))).scalars().all()
        if not people:
            flash("Chưa chọn người nào để thêm.", "warning")
        else:
            result = TrainingResult.parse(form.result.data)
            done = commit_or_show(form, lambda: svc.add_attendees(course, people, result), None)
            if done:
                added, present = done.value
                flash(f"Đã thêm {added} người" + (f"; {present} người đã có trong danh sách."
                                                   if present else "."), "success")
                return redirect(url_for("training.detail", course_id=course.id))
    page = paginate(build_query(f), f.page, current_app.config["PAGE_SIZE"] * 2)
    present = set(db.session.execute(sa.select(Attendance.person_id).where(
        Attendance.course_id == course.id)).scalars())
    return render_template("training/add_attendees.html", course=course, form=form, f=f,
                           page=page, present=present, statuses=STATUSES, roles=Role,
                           levels=Level, units=writable_unit_choices(),
                           llct=refdata.choices("political_theory"))


def _all_ids(f: RosterFilter) -> list[int]:
    return list(db.session.execute(build_query(f).with_only_columns(Person.id)).scalars())


@bp.route("/courses/<int:course_id>/results", methods=["POST"])
def results(course_id: int):
    """Results and certificate numbers of every listed attendee, saved at once."""
    course = access.get_scoped_or_404(Course, course_id)
    rows = svc.visible_attendances(course)
    errors, updates = _parse_results(rows)
    if errors:
        flash("Vui lòng sửa các lỗi được đánh dấu bên dưới; chưa có gì được lưu.", "danger")
        return render_template("training/detail.html", course=course, rows=rows,
                               total=svc.attendance_count(course), results=TrainingResult,
                               confirm=ConfirmForm(), errors=errors)
    return confirm_button(lambda: svc.set_results(course, updates), "Đã lưu kết quả.",
                          url_for("training.detail", course_id=course.id))


def _parse_results(rows: list[Attendance]) -> tuple[dict[int, str], dict[int, dict]]:
    errors, updates = {}, {}
    for att in rows:
        if f"result_{att.id}" not in request.form:
            continue
        raw = request.form.get(f"result_{att.id}", "")
        cert = (request.form.get(f"cert_{att.id}") or "").strip()
        if raw and TrainingResult.parse(raw) is None:
            errors[att.id] = "Kết quả không hợp lệ."
        elif len(cert) > 100:
            errors[att.id] = "Số giấy chứng nhận tối đa 100 ký tự."
        else:
            updates[att.id] = {"result": TrainingResult.parse(raw), "certificate_no": cert}
    return errors, updates


@bp.route("/persons/<int:person_id>/attendances/new", methods=["GET", "POST"])
def attendance_new(person_id: int):
    person = access.get_writable_or_404(Person, person_id)
    form = NewAttendanceForm()
    form.course_id.choices = svc.attendable_courses(person)
    return ATTENDANCES.new(person, form, lambda: _attend(person, form),
                           lambda course: f"Đã ghi {person.full_name} tham gia {course.name}.")


def _attend(person: Person, form: NewAttendanceForm) -> Course:
    course = access.get_scoped_or_404(Course, form.course_id.data)
    svc.add_attendees(course, [person])
    att = db.session.execute(sa.select(Attendance).where(
        Attendance.course_id == course.id, Attendance.person_id == person.id)).scalar_one()
    svc.update_attendance(att, form.attendance_data())
    return course


@bp.route("/attendances/<int:attendance_id>/edit", methods=["GET", "POST"])
def attendance_edit(attendance_id: int):
    att = ATTENDANCES.load(attendance_id)
    form = AttendanceForm(obj=att)
    return ATTENDANCES.edit(att, form, lambda: svc.update_attendance(att, form.attendance_data()),
                            "Đã lưu kết quả.")


@bp.route("/attendances/<int:attendance_id>/delete", methods=["POST"])
def attendance_delete(attendance_id: int):
    att = ATTENDANCES.load(attendance_id)
    back = (url_for("training.detail", course_id=att.course_id)
            if request.form.get("back") == "course" else person_page(att.person_id))
    return confirm_button(lambda: svc.delete_attendance(att),
                          f"Đã bỏ {att.person.full_name} khỏi danh sách tham gia.", back)


@bp.route("/training/overdue")
def overdue():
    """Active BCV/TTV without a completed training in the last N months (N from the settings)."""
    f, ids, rows = _overdue()
    return render_template("training/overdue.html", rows=rows, f=f, roles=Role, levels=Level,
                           units=writable_unit_choices(), total=len(ids),
                           months=eligibility.Rules.load().window_months,
                           export_url=url_for("training.overdue_export", **f.args()))


@bp.route("/training/overdue.xlsx")
def overdue_export():
    f, _ids, rows = _overdue()
    today, unit = dt.date.today(), access.visible_unit(f.unit)
    about = overdue_xlsx.described(f, unit, eligibility.Rules.load().window_months, today)
    file = overdue_xlsx.build(rows, about, current_user.unit, today)
    name = listing.filename("chua-boi-duong", today, unit)
    record_download("Danh sách chưa bồi dưỡng gần đây", request.args.to_dict(), len(rows), name)
    return send_xlsx(file, name)


def _overdue():
    """The page's filter (active people only), the ids it holds and the overdue among them."""
    f = RosterFilter.from_args(request.args)
    f.status = "active"
    ids = _all_ids(f)
    return f, ids, eligibility.training_overdue(ids)
