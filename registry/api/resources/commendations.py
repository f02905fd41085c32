"""/api/v1/commendations: khen thưởng of people, through the same service and list filters as
the web's pages (registry.records.service, registry.records.record_lists)."""
from __future__ import annotations

from flask_smorest import Blueprint

from models import Commendation
from registry.api import idempotency
from registry.api.idempotency import idempotent
from registry.api.record_common import item_routes, merged, page, person_of, problems, save
from registry.api.record_schemas import (
    CommendationArgs,
    CommendationIn,
    CommendationPage,
    CommendationPatch,
    CommendationSchema,
)
from registry.records import service as svc
from registry.records.record_lists import CommendationFilter

blp = Blueprint("api_commendations", __name__, url_prefix="/commendations",
                description="Khen thưởng")


@blp.route("")
@blp.arguments(CommendationArgs, location="query")
@blp.response(200, CommendationPage)
@problems(blp, 401, 422)
def list_commendations(args):
    """Khen thưởng trong phạm vi, năm mới nhất trước (lọc như trang Khen thưởng)."""
    f = CommendationFilter.from_args({"year": str(args.get("year") or ""),
                                      "form": args.get("form") or "",
                                      "unit": str(args.get("unit") or "")})
    stmt = f.statement()
    if args.get("person"):
        stmt = stmt.where(Commendation.person_id == args["person"])
    return page(stmt, args)


@blp.route("", methods=["POST"])
@idempotent
@blp.doc(parameters=[idempotency.describe()])
@blp.arguments(CommendationIn)
@blp.response(201, CommendationSchema)
@problems(blp, 401, 403, 422)
def create_commendation(data):
    """Thêm khen thưởng cho một người (hình thức: mã trong danh mục)."""
    person = person_of(data.pop("person_id"))
    return save(lambda: svc.add_commendation(person, data))


item_routes(blp, Commendation, CommendationSchema, CommendationPatch, "commendation_id",
            update=lambda row, patch: svc.update_commendation(
                row, merged(row, svc.COMMENDATION_FIELDS, patch)),
            delete=svc.delete_record, what="một khen thưởng")
