"""/api/v1/activities: oral-propaganda sessions (buổi báo cáo) of people, through the same
service and list filters as the web's pages (registry.records.service, activity_query). One row
is one presenter's session; a shared session's rows share `session_key`."""
from __future__ import annotations

import sqlalchemy as sa
from flask_smorest import Blueprint

from models import Activity, Person, db
from registry.api import idempotency
from registry.api.idempotency import idempotent
from registry.api.record_common import item_routes, merged, page, person_of, problems, save, unit_of
from registry.api.record_schemas import (
    ActivityArgs,
    ActivityIn,
    ActivityPage,
    ActivityPatch,
    ActivitySchema,
)
from registry.core import access
from registry.records import activity_query as query
from registry.records import service as svc
from registry.records.activity_query import ActivityFilter

blp = Blueprint("api_activities", __name__, url_prefix="/activities",
                description="Hoạt động tuyên truyền miệng (buổi báo cáo)")

FIELDS = svc.ACTIVITY_FIELDS + ("appointment_id", "unit_id")


@blp.route("")
@blp.arguments(ActivityArgs, location="query")
@blp.response(200, ActivityPage)
@problems(blp, 401, 422)
def list_activities(args):
    """Các buổi báo cáo trong phạm vi, mới nhất trước (lọc như trang Hoạt động)."""
    person = None
    if args.get("person"):
        person = db.session.execute(sa.select(Person).where(Person.id == args["person"])) \
            .scalar_one_or_none()
    f = ActivityFilter(start=args.get("start"), end=args.get("end"), form=args.get("form"),
                       topic=" ".join((args.get("topic") or "").split()), person=person)
    stmt = query.build(f)
    # A unit or person the actor may not see reads as an empty one, as on the web's lists.
    if args.get("unit"):
        stmt = stmt.where(access.in_subtree(Activity.unit_id, access.visible_unit(args["unit"])))
    if args.get("person") and person is None:
        stmt = stmt.where(sa.false())
    return page(stmt.options(*query.row_options()), args)


@blp.route("", methods=["POST"])
@idempotent
@blp.doc(parameters=[idempotency.describe()])
@blp.arguments(ActivityIn)
@blp.response(201, ActivitySchema)
@problems(blp, 401, 403, 422)
def create_activity(data):
    """Ghi một buổi báo cáo của một người (appointment_id: tư cách tính thù lao)."""
    person = person_of(data.pop("person_id"))
    unit = unit_of(data.pop("unit_id"))
    return save(lambda: svc.add_activity(person, data, unit))


def _update(item: Activity, patch: dict) -> Activity:
    data = merged(item, FIELDS, patch)
    unit = unit_of(data.pop("unit_id"))
    return svc.update_activity(item, data, unit)


item_routes(blp, Activity, ActivitySchema, ActivityPatch, "activity_id", update=_update,
            delete=svc.delete_record,
            what="buổi báo cáo của một người (những người cùng buổi giữ nguyên)")
