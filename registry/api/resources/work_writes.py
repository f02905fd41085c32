"""POST, PATCH and DELETE under /api/v1/work/…: yearly evaluations and exemplary models written
through the web's own forms (registry.api.form_input: same validators and messages) and services
(registry.evaluations.service, registry.exemplary.service), committed once per request. The reads
(and their ETags) are registry.api.resources.work; a PATCH or DELETE needs If-Match."""
from __future__ import annotations

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from models import Evaluation, EvaluationRating, ExemplaryModel
from registry.api import form_input, idempotency
from registry.api.idempotency import idempotent
from registry.api.record_common import person_of, problems
from registry.api.record_schemas import ident
from registry.api.resources.work import EvaluationOut, ExemplaryOut, _exemplary, _person, plain
from registry.core import access
from registry.core.crud import form_unit
from registry.evaluations import service as evaluations
from registry.evaluations.forms import EvaluationForm
from registry.exemplary import service as exemplary
from registry.exemplary.forms import ExemplaryForm
from registry.units.service import writable_unit_choices

blp = Blueprint("api_work_writes", __name__, url_prefix="/work",
                description="Ghi công tác của đội ngũ: đánh giá hằng năm, mô hình điển hình")

_RATINGS = [r.value for r in EvaluationRating]


class WorkEvaluationPatch(Schema):
    year = fields.Integer(required=True, metadata={"description": "Năm đánh giá"})
    rating = fields.String(required=True, validate=validate.OneOf(_RATINGS),
                           metadata={"description": "Xếp loại (mã)"})
    note = fields.String(allow_none=True, metadata={"description": "Ghi chú"})


class WorkEvaluationIn(WorkEvaluationPatch):
    person_id = ident(required=True)


class WorkExemplaryIn(Schema):
    name = fields.String(required=True, metadata={"description": "Tên mô hình, điển hình"})
    unit_id = ident(required=True)
    field = fields.String(allow_none=True, metadata={"description": "Lĩnh vực"})
    year = fields.Integer(required=True, metadata={"description": "Năm công nhận"})
    decision_no = fields.String(allow_none=True)
    decision_date = fields.Date(allow_none=True)
    recognised_by = fields.String(allow_none=True)
    description = fields.String(allow_none=True)
    person_ids = fields.List(ident(), metadata={"description": "Người thực hiện"})


class WorkExemplaryPatch(WorkExemplaryIn):
    pass


# --- evaluations ---------------------------------------------------------------------------

def _evaluation_out(item: Evaluation) -> dict:
    return plain(item, **_person(item))


def _evaluation_form(values: dict):
    return form_input.judged(EvaluationForm, values)


@blp.route("/evaluations", methods=["POST"])
@idempotent
@blp.doc(parameters=[idempotency.describe()])
@blp.arguments(WorkEvaluationIn)
@blp.response(201, EvaluationOut)
@problems(blp, 401, 403, 409, 422)
def create_evaluation(data):
    """Ghi đánh giá, xếp loại một năm cho một người (như trang của người đó)."""
    person = person_of(data.pop("person_id"))
    form = _evaluation_form(data)
    return _evaluation_out(form_input.save(
        lambda: evaluations.add_evaluation(person, form.evaluation_data())))


@blp.route("/evaluations/<int:evaluation_id>", methods=["PATCH"])
@blp.etag
@blp.arguments(WorkEvaluationPatch(partial=True))
@blp.response(200, EvaluationOut)
@problems(blp, 401, 403, 404, 409, 422)
def update_evaluation(data, evaluation_id: int):
    """Sửa đánh giá: chỉ gửi các trường đổi (If-Match: ETag đã đọc)."""
    item = access.get_writable_or_404(Evaluation, evaluation_id)
    blp.check_etag(_evaluation_out(item), EvaluationOut)
    form = _evaluation_form({"year": item.year, "rating": item.rating, "note": item.note,
                             **data})
    return _evaluation_out(form_input.save(
        lambda: evaluations.update_evaluation(item, form.evaluation_data())))


@blp.route("/evaluations/<int:evaluation_id>", methods=["DELETE"])
@blp.etag
@blp.response(204)
@problems(blp, 401, 403, 404, 409, 422)
def delete_evaluation(evaluation_id: int):
    """Xóa đánh giá (If-Match: ETag đã đọc)."""
    item = access.get_writable_or_404(Evaluation, evaluation_id)
    blp.check_etag(_evaluation_out(item), EvaluationOut)
    form_input.save(lambda: evaluations.delete_evaluation(item))


# --- exemplary models ----------------------------------------------------------------------

def _exemplary_form(values: dict):
    ids = values.pop("person_ids", None) or []

    def fill(form):
        form.unit_id.choices = writable_unit_choices()
        form.person_ids.choices = exemplary.person_choices()
        form.person_ids.data = [str(i) for i in ids]
    return form_input.judged(ExemplaryForm, values, fill=fill)


def _exemplary_values(item: ExemplaryModel, data: dict) -> dict:
    return {**{k: getattr(item, k) for k in exemplary.FIELDS}, "unit_id": item.unit_id,
            "person_ids": [p.id for p in item.persons], **data}


@blp.route("/exemplary", methods=["POST"])
@idempotent
@blp.doc(parameters=[idempotency.describe()])
@blp.arguments(WorkExemplaryIn)
@blp.response(201, ExemplaryOut)
@problems(blp, 401, 403, 409, 422)
def create_exemplary(data):
    """Thêm mô hình hay, điển hình tiên tiến (người thực hiện: trong đơn vị và phạm vi ghi)."""
    access.require_writer()
    form = _exemplary_form(dict(data))
    return _exemplary(form_input.save(lambda: exemplary.create_model(
        form.model_data(), form_unit(form), form.chosen_ids())))


@blp.route("/exemplary/<int:exemplary_id>", methods=["PATCH"])
@blp.etag
@blp.arguments(WorkExemplaryPatch(partial=True))
@blp.response(200, ExemplaryOut)
@problems(blp, 401, 403, 404, 409, 422)
def update_exemplary(data, exemplary_id: int):
    """Sửa mô hình: chỉ gửi các trường đổi (If-Match: ETag đã đọc)."""
    item = access.get_writable_or_404(ExemplaryModel, exemplary_id)
    blp.check_etag(_exemplary(item), ExemplaryOut)
    form = _exemplary_form(_exemplary_values(item, data))
    return _exemplary(form_input.save(lambda: exemplary.update_model(
        item, form.model_data(), form_unit(form), form.chosen_ids())))


@blp.route("/exemplary/<int:exemplary_id>", methods=["DELETE"])
@blp.etag
@blp.response(204)
@problems(blp, 401, 403, 404, 409, 422)
def delete_exemplary(exemplary_id: int):
    """Xóa mô hình (If-Match: ETag đã đọc)."""
    item = access.get_writable_or_404(ExemplaryModel, exemplary_id)
    blp.check_etag(_exemplary(item), ExemplaryOut)
    form_input.save(lambda: exemplary.delete_model(item))
