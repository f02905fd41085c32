"""Files on a person or on one of their records (issue 15) through the API: list and upload under
/persons/{id}/attachments, read, download (recorded, as on the web) and delete under
/attachments/{id}. The same checks and service as the web's form (registry.attachments.views):
the type read from the content, the size limit, writes only to the person's unit's writers."""
from __future__ import annotations

import sqlalchemy as sa
from flask import request, url_for
from flask_login import current_user
from flask_smorest import Blueprint, abort
from marshmallow import Schema, fields, validate
from sqlalchemy.orm import joinedload

from models import Attachment, AttachmentKind, Person, db
from registry.api.idempotency import describe, idempotent
from registry.api.record_common import problems, save
from registry.api.schemas import UtcDateTime
from registry.attachments import (
    cleanup,  # noqa: F401  (the deletion listener: a file goes with its row)
    records,
)
from registry.attachments import service as svc
from registry.core import access
from registry.core.downloads import record_download
from registry.files import storage

blp = Blueprint("api_attachments", __name__, url_prefix="",
                description="Tệp đính kèm hồ sơ: bản chụp quyết định, giấy chứng nhận")

NO_FILE = "Vui lòng chọn tệp cần tải lên."
BAD_RECORD = "Hồ sơ, quyết định được chọn không thuộc người này."
SCAN_KINDS = [k.value for k in AttachmentKind if k is not AttachmentKind.PHOTO]
# What a download can be: the types registry.attachments accepts (by their content).
FILE_TYPES = ("application/pdf", "image/jpeg", "image/png")


class AttachmentUploadArgs(Schema):
    file = fields.Raw(metadata={"type": "string", "format": "binary",
                                "description": "Bản chụp, bản quét (JPEG, PNG hoặc PDF); "
                                               "bắt buộc"})
    kind = fields.String(required=True, validate=validate.OneOf(SCAN_KINDS), metadata={
        "description": "Loại tệp: quyet_dinh (bản chụp quyết định), chung_nhan (giấy chứng "
                       "nhận), khac (tài liệu khác)"})
    title = fields.String(load_default="", validate=validate.Length(max=200),
                          metadata={"description": "Tên, nội dung tệp"})
    record = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=80),
                           metadata={"description": "Hồ sơ của người này mà tệp thuộc về, "
                                                    "dạng «bảng:id» (ví dụ commendations:12); "
                                                    "để trống: hồ sơ chung"})


class AttachmentSchema(Schema):
    id = fields.Integer(required=True)
    person_id = fields.Integer(required=True)
    kind = fields.String(required=True)
    kind_label = fields.String(required=True)
    title = fields.String(allow_none=True)
    record_table = fields.String(allow_none=True)
    record_id = fields.Integer(allow_none=True)
    file_name = fields.String(required=True)
    size = fields.Integer(required=True, metadata={"description": "Số byte"})
    content_type = fields.String(required=True)
    created_by = fields.String(allow_none=True)
    created_at = UtcDateTime(required=True)
    download = fields.String(required=True, metadata={"description": "Đường dẫn tải tệp"})


def attachment_json(att: Attachment) -> dict:
    return {"id": att.id, "person_id": att.person_id, "kind": att.kind.value,
            "kind_label": att.kind.label, "title": att.title, "record_table": att.record_table,
            "record_id": att.record_id, "file_name": att.file.filename, "size": att.file.size,
            "content_type": att.file.content_type, "created_by": att.created_by,
            "created_at": att.created_at,
            "download": url_for("api_attachments.download", attachment_id=att.id)}


@blp.route("/persons/<int:person_id>/attachments")
@blp.response(200, AttachmentSchema(many=True))
@problems(blp, 401, 404)
def list_attachments(person_id):
    """Các tệp đính kèm của một người (cả ảnh chân dung), theo thứ tự tải lên."""
    person = access.get_scoped_or_404(Person, person_id)
    stmt = (sa.select(Attachment).where(Attachment.person_id == person.id)
            .options(joinedload(Attachment.file)).order_by(Attachment.id))
    return [attachment_json(att) for att in db.session.execute(stmt).scalars()]


@blp.route("/persons/<int:person_id>/attachments", methods=["POST"])
@idempotent
@blp.doc(parameters=[describe()])
@blp.arguments(AttachmentUploadArgs, location="form", content_type="multipart/form-data")
@blp.response(201, AttachmentSchema)
@problems(blp, 401, 403, 404, 422)
def upload(args, person_id):
    """Đính kèm một tệp (multipart, trường `file`): loại tệp được đọc từ nội dung, không từ
    tên; dung lượng tối đa như trên web."""
    person = access.get_writable_or_404(Person, person_id)
    record = None
    if args["record"]:
        found = records.parse_key(args["record"])
        key = access.parse_id(found[1]) if found else None  # an id PostgreSQL's INTEGER holds
        record = db.session.execute(sa.select(found[0]).where(found[0].id == key)) \
            .scalar_one_or_none() if key else None
        if record is None:
            abort(422, message=BAD_RECORD, errors={"record": [BAD_RECORD]})
    chosen = request.files.get("file")
    if chosen is None or not chosen.filename:
        abort(422, message=NO_FILE, errors={"file": [NO_FILE]})
    data = storage.read(chosen, svc.SCANS)
    att = save(lambda: svc.add_attachment(person, AttachmentKind(args["kind"]), data,
                                          title=args["title"], record=record,
                                          actor=current_user.username))
    location = url_for("api_attachments.attachment", attachment_id=att.id)
    return attachment_json(att), 201, {"Location": location}


@blp.route("/attachments/<int:attachment_id>")
@blp.etag
@blp.response(200, AttachmentSchema)
@problems(blp, 401, 404)
def attachment(attachment_id):
    """Thông tin một tệp đính kèm (kèm ETag để xóa)."""
    return attachment_json(access.get_scoped_or_404(Attachment, attachment_id,
                                                    joinedload(Attachment.file)))


@blp.route("/attachments/<int:attachment_id>", methods=["DELETE"])
@blp.etag
@blp.response(204)
@problems(blp, 401, 403, 404, 409, 422)
def delete(attachment_id):
    """Xóa một tệp đính kèm (If-Match: ETag đã đọc ở GET /attachments/{id})."""
    att = access.get_writable_or_404(Attachment, attachment_id, joinedload(Attachment.file))
    blp.check_etag(attachment_json(att), AttachmentSchema)
    save(lambda: svc.delete_attachment(att))


@blp.route("/attachments/<int:attachment_id>/file")
@blp.doc(responses={"200": {
    "description": "Nội dung tệp (tải về; ghi vào nhật ký như tải trên web)",
    "content": {t: {"schema": {"type": "string", "format": "binary"}} for t in FILE_TYPES}}})
@problems(blp, 401, 404)
def download(attachment_id):
    """Tải tệp đính kèm về; mỗi lần tải được ghi vào nhật ký («Tệp đính kèm hồ sơ»)."""
    att = access.get_scoped_or_404(Attachment, attachment_id, joinedload(Attachment.file))
    record_download("Tệp đính kèm hồ sơ", {"person": att.person_id, "attachment": att.id},
                    None, att.file.filename)
    return storage.send(att.file)
