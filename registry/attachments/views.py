"""Views of registry.attachments (issue 15): a person's portrait photo, and the scans and
certificates kept on a person or on one of their records."""
from __future__ import annotations

from flask import Blueprint, redirect, request, url_for
from flask_login import current_user
from sqlalchemy.orm import joinedload

from models import Attachment, AttachmentKind, Person
from registry.attachments import (
    cleanup,  # noqa: F401  (the deletion listener)
    records,
)
from registry.attachments import service as svc
from registry.attachments.forms import AttachmentForm, PhotoForm
from registry.core import access
from registry.core.crud import ConfirmForm, confirm_button, form_page, person_page
from registry.core.downloads import record_download
from registry.files import storage
from registry.files.storage import Accept, Upload, UploadRefused

bp = Blueprint("attachments", __name__)


@bp.app_template_global("person_attachments")
def person_attachments(person: Person) -> svc.PersonFiles:
    """The person's files for their page (read once there, and passed to its parts)."""
    return svc.person_files(person)


def _files_section(person_id: int) -> str:
    return person_page(person_id) + "#dinh-kem"


def _upload(form, accept: Accept) -> Upload:
    chosen = form.file.data
    if not getattr(chosen, "filename", None):
        raise UploadRefused("file", "Vui lòng chọn tệp cần tải lên.")
    return storage.read(chosen, accept)


@bp.route("/persons/<int:person_id>/attachments/new", methods=["GET", "POST"])
def create(person_id: int):
    person = access.get_writable_or_404(Person, person_id)
    form = AttachmentForm()
    labels = records.labels(person)
    form.record.choices = list(labels.items())
    if not form.is_submitted():
        wanted = request.args.get("record")
        form.record.data = wanted if wanted in labels else None
        form.kind.data = AttachmentKind.DECISION.value
    return form_page(form, lambda: _add(person, form), "Đã đính kèm tệp.",
                     _files_section(person.id), "attachments/form.html", person=person,
                     max_mb=storage.megabytes(svc.SCANS.limit()))


def _add(person: Person, form: AttachmentForm) -> Attachment:
    found = records.parse_key(form.record.data)
    record = access.get_scoped_or_404(*found) if found else None
    return svc.add_attachment(person, AttachmentKind(form.kind.data), _upload(form, svc.SCANS),
                              title=form.title.data, record=record,
                              actor=current_user.username)


@bp.route("/persons/<int:person_id>/photo", methods=["GET", "POST"])
def photo(person_id: int):
    person = access.get_writable_or_404(Person, person_id)
    form = PhotoForm()
    accept = svc.photo_accept()
    return form_page(form, lambda: svc.set_photo(person, _upload(form, accept),
                                                 actor=current_user.username),
                     "Đã lưu ảnh chân dung.", person_page(person.id), "attachments/photo.html",
                     person=person, current=svc.photo_of(person), confirm=ConfirmForm(),
                     max_mb=storage.megabytes(accept.limit()))


@bp.route("/attachments/<int:attachment_id>")
def download(attachment_id: int):
    att = access.get_scoped_or_404(Attachment, attachment_id, joinedload(Attachment.file))
    record_download("Tệp đính kèm hồ sơ", {"person": att.person_id, "attachment": att.id},
                    None, att.file.filename)
    return storage.send(att.file)


@bp.route("/attachments/<int:attachment_id>/view")
def view(attachment_id: int):
    """An image shown in the page (the portrait); a PDF goes through the download, recorded."""
    att = access.get_scoped_or_404(Attachment, attachment_id, joinedload(Attachment.file))
    if not att.file.content_type.startswith("image/"):
        return redirect(url_for("attachments.download", attachment_id=att.id))
    return storage.show_image(att.file)


@bp.route("/attachments/<int:attachment_id>/delete", methods=["POST"])
def delete(attachment_id: int):
    att = access.get_writable_or_404(Attachment, attachment_id, joinedload(Attachment.file))
    name = att.title or att.file.filename
    back = (person_page(att.person_id) if att.kind is AttachmentKind.PHOTO
            else _files_section(att.person_id))
    return confirm_button(lambda: svc.delete_attachment(att), f"Đã xóa tệp «{name}».", back)
