"""/api/v1/courses: courses (bồi dưỡng, tập huấn…) and their attendees, through the same
service as the web's pages (registry.training.service). A course is visible to its unit's
subtree and to the units below it; only its own unit's writers change it."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask_smorest import Blueprint

from models import Course, CourseKind, Person, db
from registry.api import idempotency
from registry.api.idempotency import idempotent
from registry.api.record_common import item_routes, merged, page, problems, refuse, save, unit_of
from registry.api.record_schemas import (
    AttendancePage,
    AttendeesIn,
    AttendeesOut,
    CourseArgs,
    CourseIn,
    CoursePage,
    CoursePatch,
    CourseSchema,
    PageArgs,
)
from registry.core import access
from registry.training import service as svc

blp = Blueprint("api_courses", __name__, url_prefix="/courses",
                description="Khóa bồi dưỡng, tập huấn và người tham gia")

ERRORS = (401, 403, 404, 422)
CONFERENCE = "Hội nghị báo cáo viên được ghi ở trang Hội nghị, không phải khóa học."


def _kind_allowed(kind: CourseKind | None, current: CourseKind | None = None) -> None:
    """As the web's form: a new course is never a BCV conference (registry.conferences)."""
    if kind is CourseKind.HOI_NGHI_BCV and current is not CourseKind.HOI_NGHI_BCV:
        refuse("kind", CONFERENCE)


@blp.route("")
@blp.arguments(CourseArgs, location="query")
@blp.response(200, CoursePage)
@problems(blp, 401, 422)
def list_courses(args):
    """Các khóa học trong phạm vi (cả khóa của cấp trên mở cho đơn vị), mới nhất trước."""
    stmt = sa.select(Course).order_by(Course.start_date.desc(), Course.id.desc())
    if args.get("year"):
        year = args["year"]
        stmt = stmt.where(Course.start_date.between(dt.date(year, 1, 1), dt.date(year, 12, 31)))
    if args.get("kind"):
        stmt = stmt.where(Course.kind == args["kind"])
    if args.get("unit"):
        stmt = stmt.where(access.in_subtree(Course.unit_id, access.visible_unit(args["unit"])))
    return page(stmt, args)


@blp.route("", methods=["POST"])
@idempotent
@blp.doc(parameters=[idempotency.describe()])
@blp.arguments(CourseIn)
@blp.response(201, CourseSchema)
@problems(blp, *ERRORS)
def create_course(data):
    """Thêm khóa học (đơn vị tổ chức phải trong phạm vi được ghi)."""
    _kind_allowed(data["kind"])
    unit = unit_of(data.pop("unit_id"))
    return save(lambda: svc.create_course(data, unit))


def _update(course: Course, patch: dict) -> Course:
    _kind_allowed(patch.get("kind"), course.kind)
    data = merged(course, svc.COURSE_FIELDS + ("unit_id",), patch)
    unit = unit_of(data.pop("unit_id"))
    return svc.update_course(course, data, unit)


item_routes(blp, Course, CourseSchema, CoursePatch, "course_id", update=_update,
            delete=svc.delete_course, what="một khóa học (chỉ xóa được khi chưa có ai tham gia)")


@blp.route("/<int:course_id>/attendances")
@blp.arguments(PageArgs, location="query")
@blp.response(200, AttendancePage)
@problems(blp, 401, 404, 422)
def list_attendances(args, course_id: int):
    """Những người tham gia khóa học trong phạm vi được xem, theo thứ tự danh sách."""
    course = access.get_scoped_or_404(Course, course_id)
    rows = svc.visible_attendances(course)
    first = (args["page"] - 1) * args["per_page"]
    return {"items": rows[first:first + args["per_page"]],
            "meta": {"page": args["page"], "per_page": args["per_page"], "total": len(rows),
                     "pages": max(1, -(-len(rows) // args["per_page"]))}}


@blp.route("/<int:course_id>/attendances", methods=["POST"])
@idempotent
@blp.doc(parameters=[idempotency.describe()])
@blp.arguments(AttendeesIn)
@blp.response(201, AttendeesOut)
@problems(blp, *ERRORS)
def add_attendees(data, course_id: int):
    """Thêm nhiều người vào khóa học (người đã có thì bỏ qua); mỗi người phải ghi được."""
    course = access.get_scoped_or_404(Course, course_id)
    access.require_writer()
    ids = list(dict.fromkeys(data["person_ids"]))
    people = db.session.execute(sa.select(Person).where(Person.id.in_(ids))).scalars().all()
    missing = sorted(set(ids) - {p.id for p in people})
    if missing:
        shown = ", ".join(map(str, missing[:20]))
        refuse("person_ids", f"Không tìm thấy người có mã {shown} trong phạm vi được xem.")
    added, present = save(lambda: svc.add_attendees(course, people, data.get("result")))
    return {"added": added, "already_present": present}
