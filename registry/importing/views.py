"""Import views: upload, preview every row, confirm once, errors back as xlsx, history, undo."""
from __future__ import annotations

import io

import sqlalchemy as sa
from flask import (
    Blueprint,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user
from sqlalchemy.orm import selectinload

from models import ImportBatch, ImportRow, ImportStatus, Unit, db
from registry.core import access
from registry.core.audit import current_actor
from registry.core.commit import commit_or_flash, commit_or_show
from registry.core.crud import ConfirmForm, confirm_button
from registry.core.downloads import record_download
from registry.core.params import page_arg
from registry.exports.listing import slug
from registry.importing import background, lifecycle
from registry.importing import confirm as confirming
from registry.importing import preview as previewing
from registry.importing.forms import ConfirmImportForm, UploadForm
from registry.units.service import writable_unit_choices

bp = Blueprint("imports", __name__, url_prefix="/imports")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PER_PAGE = 100
# Two imports of the same people at once: the unique CCCD stops the second (web and CLI say this).
CONCURRENT_IMPORT = (
    "Một số người trong tệp vừa được nhập bởi một lô khác (trùng số CCCD). Không có "
    "gì được ghi; hãy tải tệp lên lại để xem trước theo dữ liệu mới."
)


@bp.route("/")
def history():
    _purge_expired()
    # ?status=previewed: the previews waiting for confirmation (the dashboard's to-do links it).
    status = ImportStatus.parse(request.args.get("status"))
    stmt = sa.select(ImportBatch).options(
        selectinload(ImportBatch.user), selectinload(ImportBatch.unit))
    if status is not None:
        stmt = stmt.where(ImportBatch.status == status)
    rows = db.session.execute(
        stmt.order_by(ImportBatch.created_at.desc()).limit(200)).scalars().all()
    return render_template("imports/history.html", batches=rows, status=status,
                           waiting=ImportStatus.PREVIEWED)


def _purge_expired() -> None:
    """Previews left unconfirmed past the setting's days go, on the pages that list or make
    them (and by `flask purge-imports` from cron)."""
    commit_or_flash(lambda: lifecycle.purge_expired(db.session), None)


@bp.route("/upload", methods=["GET", "POST"])
def upload():
    access.require_writer()
    _purge_expired()
    form = UploadForm()
    form.unit_id.choices = _upload_units()
    if not form.unit_id.data:  # an officer uploads for their own unit unless they choose
        form.unit_id.data = str(current_user.unit_id)
    if form.validate_on_submit():
        unit = access.get_writable_or_404(Unit, form.unit_id.data)
        data = form.file.data.read(current_app.config["UPLOAD_MAX_BYTES"] + 1)
        name = form.file.data.filename or "tep-tai-len"
        big = background.is_big(len(data), current_app.config)
        # A damaged file, a reader panic, an over-long value or a control character is the
        # pipeline's to report (as a rejected file or an invalid row), not an exception here.
        done = commit_or_show(form, lambda: _read_or_queue(data, name, unit, big), None)
        if done:
            if big:  # committed: the job can find the batch and its file
                background.start(db.session, done.value.id)
            return redirect(url_for("imports.preview", batch_id=done.value.id))
    return render_template("imports/upload.html", form=form)


def _upload_units() -> list[tuple[int, str]]:
    """The units an upload may be for: those the actor may write today, and the account's own
    unit even when it has ended: a former district's officer uploads its former communes' lists
    (read in that district's former tree) until the account is moved."""
    choices = writable_unit_choices()
    own = current_user.unit
    if own is not None and own.valid_to is not None and all(i != own.id for i, _ in choices):
        choices = [(own.id, f"{own.name} (cũ)"), *choices]
    return choices


def _read_or_queue(data: bytes, name: str, unit: Unit, big: bool) -> ImportBatch:
    """A small file is read now; a big one is stored for the background job to read."""
    if big:
        return background.queue_upload(db.session, data, name, unit=unit, actor=current_actor())
    return previewing.build_preview(db.session, data, name, unit=unit, actor=current_actor(),
                                    max_bytes=current_app.config["UPLOAD_MAX_BYTES"])


@bp.route("/<int:batch_id>/progress")
def progress(batch_id: int):
    """How far the background reading of a batch is (polled by the batch page)."""
    return jsonify(background.progress(_seen_batch(batch_id)))


def _seen_batch(batch_id: int) -> ImportBatch:
    """The batch if the actor may see it; one left queued too long is rejected on the way."""
    batch = access.get_scoped_or_404(ImportBatch, batch_id)
    if background.expire_stale(db.session, batch):
        db.session.commit()
    return batch


@bp.route("/<int:batch_id>")
def preview(batch_id: int):
    batch = _seen_batch(batch_id)
    status = request.args.get("status", "")
    status = status if status in previewing.STATUSES else ""
    page = page_arg(request.args)
    stmt = sa.select(ImportRow).where(ImportRow.batch_id == batch.id)
    if status:
        stmt = stmt.where(ImportRow.status == status)
    total = db.session.execute(sa.select(sa.func.count()).select_from(stmt.subquery())).scalar()
    rows = (
        db.session.execute(
            stmt.order_by(ImportRow.seq).limit(PER_PAGE).offset((page - 1) * PER_PAGE)
        )
        .scalars()
        .all()
    )
    return render_template(
        "imports/preview.html",
        batch=batch,
        rows=rows,
        status=status,
        page=page,
        pages=max(1, -(-total // PER_PAGE)),
        total=total,
        confirm=ConfirmImportForm(),
        undo=ConfirmForm(),
        writes=lifecycle.planned_writes(batch),
        expires=lifecycle.expires_at(batch),
        earlier=previewing.earlier_uploads(db.session, batch),
        start_note=previewing.start_note(batch),
    )


@bp.route("/<int:batch_id>/confirm", methods=["POST"])
def confirm(batch_id: int):
    batch = access.get_writable_or_404(ImportBatch, batch_id)
    form = ConfirmImportForm()
    if not form.validate_on_submit():
        flash("Yêu cầu xác nhận không hợp lệ; vui lòng thử lại.", "danger")
        return redirect(url_for("imports.preview", batch_id=batch.id))
    commit_or_flash(
        lambda: confirming.commit_batch(db.session, batch, all_or_nothing=form.all_or_nothing.data),
        lambda result: (
            f"Đã nhập: {result.inserted} người mới, {result.updated} người được cập nhật; "
            f"bỏ qua {result.skipped} dòng lỗi."
            + (f" Đã gửi {result.requested} đề nghị chuyển công tác, chờ cấp quản lý cả hai "
               "đơn vị duyệt." if result.requested else "")
        ),
        category="warning",
        conflict=CONCURRENT_IMPORT,
    )
    return redirect(url_for("imports.preview", batch_id=batch_id))


@bp.route("/<int:batch_id>/discard", methods=["POST"])
def discard(batch_id: int):
    done = "Đã hủy bản xem trước; các dòng đã đọc và tệp tải lên đã được xóa."
    return _batch_button(batch_id, lifecycle.discard_batch, done)


def _batch_button(batch_id: int, action, success: str):
    """A button of the batch page posting only its token (discard, undo): `action(session,
    batch)` on a batch the actor may write, then back to the batch page."""
    batch = access.get_writable_or_404(ImportBatch, batch_id)
    return confirm_button(
        lambda: action(db.session, batch), success, url_for("imports.preview", batch_id=batch_id)
    )


@bp.route("/<int:batch_id>/errors.xlsx")
def errors(batch_id: int):
    batch = access.get_scoped_or_404(ImportBatch, batch_id)
    data = previewing.errors_xlsx(db.session, batch)
    # Named by the uploaded file and the day, never the batch's id.
    name = f"loi-{slug(batch.file_name.rsplit('.', 1)[0])[:60]}-{batch.created_at:%Y-%m-%d}.xlsx"
    record_download("Các dòng lỗi của lô nhập", {"batch": batch.id},
                    batch.counts.get("invalid", 0), name)
    return send_file(io.BytesIO(data), mimetype=XLSX, as_attachment=True, download_name=name)


@bp.route("/<int:batch_id>/undo", methods=["POST"])
def undo(batch_id: int):
    done = "Đã hoàn tác lô nhập: người được thêm đã bị xóa, thông tin cập nhật đã được khôi phục."
    return _batch_button(batch_id, confirming.undo_batch, done)


@bp.route("/template.xlsx")
def template():
    from imports import template as tpl
    from registry.importing.template_lists import template_lists

    data = tpl.build(template_lists(db.session))
    record_download("Mẫu nhập danh sách", {}, 0, "mau-danh-sach-bcv-ttv.xlsx")
    return send_file(
        io.BytesIO(data),
        mimetype=XLSX,
        as_attachment=True,
        download_name="mau-danh-sach-bcv-ttv.xlsx",
    )
