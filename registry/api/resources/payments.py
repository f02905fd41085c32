"""/api/v1/payments: payments of people (phụ cấp, thù lao, hỗ trợ), through the same service as
the web's pages (registry.payments.service). A payment already paid (with a paid date) is never
deleted, only corrected; rows made by «Lập chi trả tháng» are made on the web."""
from __future__ import annotations

import sqlalchemy as sa
from flask_smorest import Blueprint

from models import Payment, Person
from registry.api import idempotency
from registry.api.idempotency import idempotent
from registry.api.record_common import item_routes, merged, page, person_of, problems, save, unit_of
from registry.api.record_schemas import (
    PaymentArgs,
    PaymentIn,
    PaymentPage,
    PaymentPatch,
    PaymentSchema,
)
from registry.core import access
from registry.payments import service as svc

blp = Blueprint("api_payments", __name__, url_prefix="/payments",
                description="Chi trả chế độ (phụ cấp, thù lao, hỗ trợ)")

EDITABLE = ("amount", "sessions", "basis", "paid_date", "note")


@blp.route("")
@blp.arguments(PaymentArgs, location="query")
@blp.response(200, PaymentPage)
@problems(blp, 401, 422)
def list_payments(args):
    """Các khoản chi trả trong phạm vi, theo tháng mới nhất rồi theo danh sách."""
    stmt = (sa.select(Payment).join(Payment.person)
            .order_by(Payment.period.desc(), Person.sort_key, Person.id, Payment.kind,
                      Payment.id))
    if args.get("month"):
        stmt = stmt.where(Payment.period == args["month"])
    if args.get("unit"):
        stmt = stmt.where(access.in_subtree(Payment.unit_id, access.visible_unit(args["unit"])))
    if args.get("person"):
        stmt = stmt.where(Payment.person_id == args["person"])
    if args.get("kind"):
        stmt = stmt.where(Payment.kind == args["kind"])
    if "paid" in args:
        stmt = stmt.where(Payment.paid_date.is_not(None) if args["paid"]
                          else Payment.paid_date.is_(None))
    return page(stmt, args)


@blp.route("", methods=["POST"])
@idempotent
@blp.doc(parameters=[idempotency.describe()])
@blp.arguments(PaymentIn)
@blp.response(201, PaymentSchema)
@problems(blp, 401, 403, 404, 422)
def create_payment(data):
    """Thêm một khoản chi trả nhập tay (đơn vị chi trả mặc định là đơn vị của người)."""
    person = person_of(data.pop("person_id"))
    unit = unit_of(data.pop("unit_id", None) or person.unit_id)
    return save(lambda: svc.add_payment(person, data, unit))


item_routes(blp, Payment, PaymentSchema, PaymentPatch, "payment_id",
            update=lambda row, patch: svc.update_payment(row, merged(row, EDITABLE, patch)),
            delete=svc.delete_payment, what="một khoản chi trả (khoản đã chi không xóa được)")
