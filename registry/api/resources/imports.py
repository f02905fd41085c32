"""Imports through the API, the CLI's contract (`flask import-roster --json`): POST a file →
the preview (or 202 while a big file is read by the job worker), GET its state and preview,
POST …/confirm to write it once. The same checks, background rule and services as the web's
upload (registry.importing.views)."""
from __future__ import annotations

import sqlalchemy as sa
from flask import current_app, request, url_for
from flask_login import current_user
from flask_smorest import Blueprint, abort
from marshmallow import Schema, fields

from models import ImportBatch, ImportStatus, Unit, db
from registry.api.idempotency import describe, idempotent
from registry.api.schemas import ProblemSchema, UtcDateTime
from registry.core import access
from registry.core.rules import RuleViolation
from registry.importing import background, lifecycle
from registry.importing import confirm as confirming
from registry.importing import preview as previewing
from registry.importing.views import CONCURRENT_IMPORT, _read_or_queue, _upload_units

blp = Blueprint("api_imports", __name__, url_prefix="/imports",
                description="Nhập danh sách từ tệp Excel/CSV: xem trước, xác nhận, trạng thái")

NO_FILE = "Vui lòng chọn tệp cần nhập."
BAD_UNIT = "Đơn vị tải lên không hợp lệ hoặc nằm ngoài phạm vi được ghi của bạn."


class ImportUploadArgs(Schema):
    file = fields.Raw(metadata={"type": "string", "format": "binary",
                                "description": "Tệp danh sách (.xlsx, .xls, .csv); bắt buộc"})
    unit_id = fields.Integer(load_default=None,
                             metadata={"description": "Đơn vị tải lên; mặc định đơn vị của "
                                                      "tài khoản"})


class ImportConfirmArgs(Schema):
    all_or_nothing = fields.Boolean(load_default=False,
                                    metadata={"description": "Chỉ nhập khi mọi dòng hợp lệ"})


class ImportBatchSchema(Schema):
    id = fields.Integer(required=True)
    status = fields.String(required=True, metadata={"description": "previewed, committed, "
                                                    "undone, rejected, queued, discarded"})
    label = fields.String(required=True)
    file = fields.String(required=True)
    unit_id = fields.Integer(required=True)
    unit = fields.String(required=True)
    # Stored in UTC without an offset; said with it, as date-time requires.
    created_at = UtcDateTime(required=True)
    committed_at = UtcDateTime(allow_none=True)
    counts = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    progress = fields.Dict(required=True, metadata={"description": "Tiến độ đọc tệp lớn"})
    planned_writes = fields.Integer(required=True)
    preview = fields.Dict(allow_none=True, metadata={
        "description": "Như `flask import-roster --json`: file, error, encoding, sheets, counts"})


class ImportConfirmedSchema(Schema):
    inserted = fields.Integer(required=True)
    updated = fields.Integer(required=True)
    skipped = fields.Integer(required=True)
    requested = fields.Integer(required=True, metadata={"description": "Đề nghị chuyển công tác"})
    batch = fields.Nested(ImportBatchSchema, required=True)


def batch_json(batch: ImportBatch) -> dict:
    has_rows = "sheets" in (batch.meta or {}) and batch.status is not ImportStatus.QUEUED
    return {"id": batch.id, "status": batch.status.value, "label": batch.status.label,
            "file": batch.file_name, "unit_id": batch.unit_id, "unit": batch.unit.name,
            "created_at": batch.created_at, "committed_at": batch.committed_at,
            "counts": dict(batch.counts or {}), "progress": background.progress(batch),
            "planned_writes": lifecycle.planned_writes(batch),
            "preview": previewing.to_contract(db.session, batch) if has_rows else None}


def _purge_expired() -> None:
    """As the web's upload page: previews left unconfirmed past the setting's days go."""
    lifecycle.purge_expired(db.session)
    db.session.commit()


@blp.route("", methods=["POST"])
@idempotent
@blp.doc(parameters=[describe()])
@blp.arguments(ImportUploadArgs, location="form", content_type="multipart/form-data")
@blp.response(201, ImportBatchSchema, description="Đã đọc tệp: bản xem trước")
@blp.alt_response(202, schema=ImportBatchSchema, description="Tệp lớn: đang đọc nền (queued)")
@blp.alt_response(403, schema=ProblemSchema)
@blp.alt_response(422, schema=ProblemSchema)
def upload(args):
    """Tải tệp lên (multipart, trường `file`): tệp nhỏ được xem trước ngay; tệp lớn được đọc
    nền (202), hỏi lại trạng thái ở GET /imports/{id}."""
    access.require_writer()
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        abort(422, message=NO_FILE, errors={"file": [NO_FILE]})
    unit_id = args["unit_id"] or current_user.unit_id
    if unit_id not in {i for i, _name in _upload_units()}:
        abort(422, message=BAD_UNIT, errors={"unit_id": [BAD_UNIT]})
    unit = access.get_writable_or_404(Unit, unit_id)
    _purge_expired()
    data = upload.read(current_app.config["UPLOAD_MAX_BYTES"] + 1)
    big = background.is_big(len(data), current_app.config)
    try:
        batch = _read_or_queue(data, upload.filename, unit, big)
        db.session.commit()
    except RuleViolation as exc:
        db.session.rollback()
        abort(422, message=exc.message, errors={"file": [exc.message]})
    if big:  # committed: the job can find the batch and its file
        background.start(db.session, batch.id)
    location = url_for("api_imports.batch", batch_id=batch.id)
    return batch_json(batch), (202 if big else 201), {"Location": location}


def _seen(batch_id: int) -> ImportBatch:
    batch = access.get_scoped_or_404(ImportBatch, batch_id)
    if background.expire_stale(db.session, batch):
        db.session.commit()
    return batch


@blp.route("/<int:batch_id>")
@blp.response(200, ImportBatchSchema)
@blp.alt_response(404, schema=ProblemSchema)
def batch(batch_id):
    """Trạng thái, số dòng theo loại và bản xem trước của một lô nhập."""
    return batch_json(_seen(batch_id))


@blp.route("/<int:batch_id>/confirm", methods=["POST"])
@idempotent
@blp.doc(parameters=[describe()])
@blp.arguments(ImportConfirmArgs, required=False)
@blp.response(200, ImportConfirmedSchema)
@blp.alt_response(403, schema=ProblemSchema)
@blp.alt_response(404, schema=ProblemSchema)
@blp.alt_response(409, schema=ProblemSchema)
@blp.alt_response(422, schema=ProblemSchema)
def confirm(args, batch_id):
    """Xác nhận nhập lô đã xem trước (một lần; lần thứ hai bị từ chối như trên web)."""
    found = access.get_writable_or_404(ImportBatch, batch_id)
    try:
        result = confirming.commit_batch(db.session, found,
                                         all_or_nothing=bool(args.get("all_or_nothing")))
        db.session.commit()
    except confirming.CommitRefused as exc:
        db.session.commit() if exc.keep_writes else db.session.rollback()
        conflict = exc.keep_writes or exc.message == confirming.ALREADY_COMMITTED
        abort(409 if conflict else 422, message=exc.message)
    except sa.exc.IntegrityError:
        db.session.rollback()
        abort(409, message=CONCURRENT_IMPORT)
    db.session.refresh(found)
    return {"inserted": result.inserted, "updated": result.updated, "skipped": result.skipped,
            "requested": result.requested, "batch": batch_json(found)}
