"""/api/v1/disciplines: disciplinary measures of people, through the same service and list
filters as the web's pages (registry.records.service, registry.records.record_lists). As on the
web, a removal from the list («đưa ra khỏi danh sách») that would end appointments must be
confirmed: send "end_appointments": true."""
from __future__ import annotations

from flask_smorest import Blueprint

from models import Discipline, Person
from registry.api import idempotency
from registry.api.idempotency import idempotent
from registry.api.record_common import item_routes, merged, page, person_of, problems, refuse, save
from registry.api.record_schemas import (
    DisciplineArgs,
    DisciplineIn,
    DisciplinePage,
    DisciplinePatch,
    DisciplineSchema,
)
from registry.records import service as svc
from registry.records.record_lists import DisciplineFilter

blp = Blueprint("api_disciplines", __name__, url_prefix="/disciplines",
                description="Kỷ luật, xử lý báo cáo viên, tuyên truyền viên")


@blp.route("")
@blp.arguments(DisciplineArgs, location="query")
@blp.response(200, DisciplinePage)
@problems(blp, 401, 422)
def list_disciplines(args):
    """Kỷ luật trong phạm vi (mặc định: đang có hiệu lực hôm nay), mới nhất trước."""
    system = args.get("system")
    f = DisciplineFilter.from_args({"status": args["status"],
                                    "system": system.value if system else "",
                                    "expiring_within": str(args.get("expiring_within") or ""),
                                    "unit": str(args.get("unit") or "")})
    stmt = f.statement()
    if args.get("person"):
        stmt = stmt.where(Discipline.person_id == args["person"])
    return page(stmt, args)


def _confirmed(person: Person, data: dict) -> bool:
    """Whether the appointments a removal from the list would end may be ended (422 when some
    would be and the body did not confirm it)."""
    confirm = data.pop("end_appointments", False)
    ending = svc.removals(person, data)
    if ending and not confirm:
        message = (f"Đưa ra khỏi danh sách sẽ kết thúc {len(ending)} bổ nhiệm của "
                   f"{person.full_name} từ ngày {data['effective_from']:%d/%m/%Y}; gửi "
                   "\"end_appointments\": true để xác nhận.")
        refuse("end_appointments", message)
    return bool(ending)


@blp.route("", methods=["POST"])
@idempotent
@blp.doc(parameters=[idempotency.describe()])
@blp.arguments(DisciplineIn)
@blp.response(201, DisciplineSchema)
@problems(blp, 401, 403, 422)
def create_discipline(data):
    """Ghi một hình thức kỷ luật (hình thức: mã trong danh mục, thuộc hệ thống đã chọn)."""
    person = person_of(data.pop("person_id"))
    confirmed = _confirmed(person, data)
    return save(lambda: svc.add_discipline(person, data, end_appointments=confirmed))


def _update(item: Discipline, patch: dict) -> Discipline:
    data = merged(item, svc.DISCIPLINE_FIELDS, patch)
    confirmed = _confirmed(item.person, data)
    return svc.update_discipline(item, data, end_appointments=confirmed)


item_routes(blp, Discipline, DisciplineSchema, DisciplinePatch, "discipline_id",
            update=_update, delete=svc.delete_record, what="một hình thức kỷ luật")
