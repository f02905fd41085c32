"""Import views: upload, preview every row, confirm once, errors back as xlsx, history, undo."""
from __future__ import annotations

import io

import sqlalchemy as sa
from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user

from imports import error_workbook
from models import ImportBatch, ImportRow, Unit, db
from registry.core import access
from registry.core.audit import current_actor
from registry.core.commit import commit_or_flash, commit_or_show
from registry.core.crud import ConfirmForm, confirm_button
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
    rows = (
        db.session.execute(
            sa.select(ImportBatch).order_by(ImportBatch.created_at.desc()).limit(200)
        )
        .scalars()
        .all()
    )
    return render_template("imports/history.html", batches=rows)


@bp.route("/upload", methods=["GET", "POST"])
def upload():
    access.require_writer()
    form = UploadForm()
    form.unit_id.choices = writable_unit_choices()
    if not form.unit_id.data:  # an officer uploads for their own unit unless they choose
        form.unit_id.data = str(current_user.unit_id)
    if form.validate_on_submit():
        unit = access.get_writable_or_404(Unit, form.unit_id.data)
        data = form.file.data.read(current_app.config["UPLOAD_MAX_BYTES"] + 1)
        # A damaged file, a reader panic, an over-long value or a control character is the
        # pipeline's to report (as a rejected file or an invalid row), not an exception here.
        done = commit_or_show(form, lambda: previewing.build_preview(
            db.session,
            data,
            form.file.data.filename or "tep-tai-len",
            unit=unit,
            actor=current_actor(),
            max_bytes=current_app.config["UPLOAD_MAX_BYTES"],
        ), None)
        if done:
            return redirect(url_for("imports.preview", batch_id=done.value.id))
    return render_template("imports/upload.html", form=form)


@bp.route("/<int:batch_id>")
def preview(batch_id: int):
    batch = access.get_scoped_or_404(ImportBatch, batch_id)
    status = request.args.get("status", "")
    status = status if status in previewing.STATUSES else ""
    page = max(1, request.args.get("page", 1, type=int) or 1)
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
        earlier=previewing.earlier_uploads(db.session, batch),
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
        ),
        category="warning",
        conflict=CONCURRENT_IMPORT,
    )
    return redirect(url_for("imports.preview", batch_id=batch_id))


@bp.route("/<int:batch_id>/errors.xlsx")
def errors(batch_id: int):
    batch = access.get_scoped_or_404(ImportBatch, batch_id)
    by_sheet: dict[int, list[ImportRow]] = {}
    for r in previewing.iter_rows(db.session, batch, ("invalid",)):
        by_sheet.setdefault(r.sheet, []).append(r)
    data = error_workbook.build(batch.meta.get("sheets", []), by_sheet)
    name = f"loi-{batch.id}-{batch.file_name.rsplit('.', 1)[0]}.xlsx"
    return send_file(io.BytesIO(data), mimetype=XLSX, as_attachment=True, download_name=name)


@bp.route("/<int:batch_id>/undo", methods=["POST"])
def undo(batch_id: int):
    batch = access.get_writable_or_404(ImportBatch, batch_id)
    return confirm_button(
        lambda: confirming.undo_batch(db.session, batch),
        "Đã hoàn tác lô nhập: người được thêm đã bị xóa, thông tin cập nhật đã được khôi phục.",
        url_for("imports.preview", batch_id=batch_id),
    )


@bp.route("/template.xlsx")
def template():
    from imports import template as tpl
    from registry.importing.template_lists import template_lists

    data = tpl.build(template_lists(db.session))
    return send_file(
        io.BytesIO(data),
        mimetype=XLSX,
        as_attachment=True,
        download_name="mau-danh-sach-bcv-ttv.xlsx",
    )
