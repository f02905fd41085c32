"""What the record resources share: one page of a scoped query, the one commit of a write (a
service's refusal as 422, a concurrent change as 409), a PATCH merged onto the row so that the
service checks the whole record as the web's form would send it, and the rows a body names."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask_smorest import abort
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from models import Person, Unit, db
from registry.api import messages
from registry.core import access
from registry.core.rules import RuleViolation, StaleEdit


def refuse(field: str, message: str):
    """End the request with a 422 saying `message` about `field`."""
    abort(422, message=message, errors={field: [message]})


def page(stmt: sa.Select, args: dict) -> dict:
    """{"items", "meta"}: one page of `stmt` (already scoped by the session)."""
    per_page, number = args["per_page"], args["page"]
    total = db.session.execute(sa.select(sa.func.count()).select_from(
        stmt.order_by(None).subquery())).scalar_one()
    items = db.session.execute(stmt.limit(per_page).offset((number - 1) * per_page)) \
        .scalars().unique().all()
    return {"items": items, "meta": {"page": number, "per_page": per_page, "total": total,
                                     "pages": max(1, -(-total // per_page))}}


def save(action: Callable[[], Any]) -> Any:
    """Run one service call and commit; a refusal rolls back and answers 422 (or 409)."""
    try:
        value = action()
        db.session.commit()
    except RuleViolation as exc:
        db.session.rollback()
        messages.refuse(exc)
    except (StaleEdit, StaleDataError):
        db.session.rollback()
        abort(409, message=StaleEdit.message)
    except IntegrityError:  # a concurrent writer took the same unique key first
        db.session.rollback()
        abort(409)
    return value


def merged(row, fields: tuple[str, ...], patch: dict) -> dict:
    """The row's current values of `fields`, with what the PATCH sends on top."""
    return {**{name: getattr(row, name) for name in fields}, **patch}


def unit_of(unit_id: int | None, field: str = "unit_id") -> Unit:
    """The unit a body names, inside the actor's scope (else 422 on that field)."""
    unit = access.visible_unit(unit_id)
    if unit is None:
        refuse(field, "Không tìm thấy đơn vị trong phạm vi được xem.")
    return unit


def person_of(person_id: int, field: str = "person_id") -> Person:
    """The person a body names, when the actor may write to them (422 on that field when unseen,
    403 when only read)."""
    person = db.session.execute(sa.select(Person).where(Person.id == person_id)) \
        .scalar_one_or_none()
    if person is None:
        refuse(field, "Không tìm thấy người trong phạm vi được xem.")
    access.require_write(person.unit)
    return person


def problems(blp, *codes: int):
    """Document the JSON error answers (ProblemSchema) a view may give."""
    from registry.api.schemas import ProblemSchema

    def decorate(view):
        for code in codes:
            view = blp.alt_response(code, schema=ProblemSchema)(view)
        return view
    return decorate


def item_routes(blp, model, schema, patch_schema, arg: str, *, update: Callable,
                delete: Callable | None, what: str) -> None:
    """GET, PATCH and DELETE /<int:`arg`> of one kind of record: read in the actor's scope with
    its ETag; changed by `update(row, patch)` and deleted by `delete(row)` (a service call each)
    only by the row's writers, with If-Match; each in one commit, refusals as 422."""
    rule, name = f"/<int:{arg}>", arg.removesuffix("_id")

    def read(**ids):
        return access.get_scoped_or_404(model, ids[arg])

    def change(patch, **ids):
        row = access.get_writable_or_404(model, ids[arg])
        blp.check_etag(row, schema)
        return save(lambda: update(row, patch))

    def remove(**ids):
        row = access.get_writable_or_404(model, ids[arg])
        blp.check_etag(row, schema)
        save(lambda: delete(row))

    read.__doc__ = f"Đọc {what} (kèm ETag để sửa, xóa)."
    change.__doc__ = f"Sửa {what}: chỉ gửi các trường đổi (If-Match: ETag đã đọc)."
    remove.__doc__ = f"Xóa {what} (If-Match: ETag đã đọc)."
    blp.route(rule, endpoint=f"get_{name}")(blp.etag(blp.response(200, schema)(
        problems(blp, 401, 404)(read))))
    blp.route(rule, methods=["PATCH"], endpoint=f"update_{name}")(blp.etag(blp.arguments(
        patch_schema(partial=True))(blp.response(200, schema)(
            problems(blp, 401, 403, 404, 409, 422)(change)))))
    if delete is not None:
        blp.route(rule, methods=["DELETE"], endpoint=f"delete_{name}")(blp.etag(
            blp.response(204)(problems(blp, 401, 403, 404, 409, 422)(remove))))
