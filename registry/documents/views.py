"""Views of registry.documents (issue 14): the documents, their files, sending, receipt
and the coverage report."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from models import Distribution, Document, DocumentKind, Level, Person, Role, SavedList, Unit, db
from registry.core import access
from registry.core.commit import commit_or_flash, commit_or_show
from registry.core.crud import ConfirmForm, delete_button, form_page, form_unit, int_list
from registry.core.dates import parse_day
from registry.core.downloads import record_download
from registry.core.errors import render_error
from registry.core.params import page_arg
from registry.documents import coverage, sending
from registry.documents import service as svc
from registry.documents import xlsx as export
from registry.documents.forms import DocumentForm, ReceiptForm, SendForm, UploadForm
from registry.documents.listing import DocumentFilter, document_page, page_of
from registry.exports.download import send_xlsx
from registry.files import storage
from registry.units.service import writable_unit_choices

bp = Blueprint("documents", __name__)


@bp.app_template_global("person_documents")
def person_documents(person: Person) -> list[Distribution]:
    """The documents sent to a person (the person page's part, templates/documents)."""
    return sending.person_distributions(person)


@bp.route("/documents")
def index():
    f = DocumentFilter.from_args(request.args)
    page, counts = document_page(f, page_arg(request.args), current_app.config["PAGE_SIZE"])
    return render_template("documents/index.html", f=f, page=page, counts=counts,
                           kinds=DocumentKind, units=writable_unit_choices()), \
        400 if f.problems else 200


@bp.route("/documents/new", methods=["GET", "POST"])
def create():
    access.require_writer()  # a viewer never sees a form they cannot save
    form = DocumentForm()
    form.unit_id.choices = writable_unit_choices()
    if not form.is_submitted():
        form.unit_id.data, form.issued_on.data = str(current_user.unit_id), dt.date.today()
    return form_page(form, lambda: svc.create_document(form.document_data(), form_unit(form)),
                     "Đã thêm tài liệu.", lambda d: url_for("documents.detail", document_id=d.id),
                     "documents/form.html", doc=None)


@bp.route("/documents/<int:document_id>")
def detail(document_id: int):
    doc = access.get_scoped_or_404(Document, document_id)
    status = request.args.get("status", "")
    status = status if status in sending.STATUSES else ""
    page = page_of(sending.distributions_stmt(doc, status), page_arg(request.args),
                   current_app.config["PAGE_SIZE"])
    return render_template("documents/detail.html", doc=doc, page=page, status=status,
                           statuses=sending.STATUSES, counts=sending.counts(doc),
                           args=lambda **kw: {"status": status or None, **kw},
                           upload=UploadForm(), receipt=ReceiptForm(received_on=dt.date.today()),
                           confirm=ConfirmForm(), max_mb=storage.max_bytes() // 1024 // 1024)


@bp.route("/documents/<int:document_id>/edit", methods=["GET", "POST"])
def edit(document_id: int):
    doc = access.get_writable_or_404(Document, document_id)
    form = DocumentForm(obj=doc)
    form.unit_id.choices = writable_unit_choices()
    if not form.is_submitted():
        form.unit_id.data = str(doc.unit_id)
    return form_page(form, lambda: svc.update_document(doc, form.document_data(), form_unit(form)),
                     "Đã lưu tài liệu.", url_for("documents.detail", document_id=doc.id),
                     "documents/form.html", doc=doc)


@bp.route("/documents/<int:document_id>/files", methods=["POST"])
def upload(document_id: int):
    doc = access.get_writable_or_404(Document, document_id)
    form = UploadForm()
    if form.validate_on_submit():
        uploads = [storage.read(f) for f in request.files.getlist("files") if f.filename]
        commit_or_flash(lambda: svc.add_files(doc, uploads),
                        lambda stored: f"Đã tải lên {len(stored)} tệp.")
    else:
        flash("Yêu cầu tải lên không hợp lệ; vui lòng tải lại trang rồi thử lại.", "danger")
    return redirect(url_for("documents.detail", document_id=doc.id))


@bp.route("/documents/<int:document_id>/files/<int:file_id>")
def download(document_id: int, file_id: int):
    doc = access.get_scoped_or_404(Document, document_id)
    stored = svc.find_file(doc, file_id)
    record_download("Tệp của tài liệu", {"document": doc.id, "file": stored.id}, None,
                    stored.filename)
    return storage.send(stored)


@bp.route("/documents/<int:document_id>/files/<int:file_id>/delete", methods=["POST"])
def delete_file(document_id: int, file_id: int):
    doc = access.get_writable_or_404(Document, document_id)
    stored = svc.find_file(doc, file_id)
    if ConfirmForm().validate_on_submit():
        commit_or_flash(lambda: svc.remove_file(doc, stored), f"Đã xóa tệp «{stored.filename}».")
    return redirect(url_for("documents.detail", document_id=doc.id))


# After the file routes: the scoping matrix runs deletes in this order, files first.
@bp.route("/documents/<int:document_id>/delete", methods=["POST"])
def delete(document_id: int):
    doc = access.get_writable_or_404(Document, document_id)
    return delete_button(lambda: svc.delete_document(doc), f"Đã xóa tài liệu «{doc.title}».",
                         url_for("documents.index"),
                         url_for("documents.detail", document_id=doc.id))


@dataclass
class Preview:
    choice: sending.Choice
    found: sending.Recipients
    first: list[Person]


@bp.route("/documents/<int:document_id>/send", methods=["GET", "POST"])
def send(document_id: int):
    """Criteria, then a preview (how many, the first names), then the confirmation."""
    doc = access.get_scoped_or_404(Document, document_id)
    access.require_writer()
    form = SendForm()
    form.unit_id.choices = writable_unit_choices()
    form.list_id.choices = _saved_lists()
    if not form.is_submitted():
        form.role.data = Role.BCV.value
    preview = None
    if form.validate_on_submit():
        choice = _choice(form)
        if request.form.get("action") == "confirm" and commit_or_show(
                form, lambda: sending.send(doc, choice, current_user.username), _sent_message):
            return redirect(url_for("documents.detail", document_id=doc.id))
        found = sending.recipients(doc, choice)
        preview = Preview(choice, found, sending.people(found.new_ids[:sending.PREVIEW_NAMES]))
    return render_template("documents/send.html", doc=doc, form=form, preview=preview)


def _sent_message(result: tuple[int, int]) -> str:
    sent, skipped = result
    skip = f"; bỏ qua {skipped} người đã được gửi trước đó" if skipped else ""
    return f"Đã gửi tài liệu cho {sent} người{skip}."


def _saved_lists() -> list[tuple[int, str]]:
    rows = db.session.execute(sa.select(SavedList.id, SavedList.name).order_by(SavedList.name))
    return [(i, name) for i, name in rows]


def _choice(form: SendForm) -> sending.Choice:
    unit = access.get_scoped_or_404(Unit, form.unit_id.data) if form.unit_id.data else None
    saved = access.get_scoped_or_404(SavedList, form.list_id.data) if form.list_id.data else None
    return sending.Choice(Role.parse(form.role.data), Level.parse(form.level.data), unit, saved)


@bp.route("/documents/<int:document_id>/receipts", methods=["POST"])
def receipts(document_id: int):
    """Receipt (or its undoing) for the ticked rows, or for every row the filter shows."""
    doc = access.get_scoped_or_404(Document, document_id)
    access.require_writer()
    status = request.form.get("status", "")
    status = status if status in sending.STATUSES else ""
    back = url_for("documents.detail", document_id=doc.id, status=status or None)
    form = ReceiptForm()
    if not form.validate_on_submit():
        _refused(form)
        return redirect(back)
    rows = sending.chosen(doc, int_list(request.form.getlist("distribution_ids")), status,
                          request.form.get("everyone") == "1")
    if request.form.get("action") == "undo":
        commit_or_flash(lambda: sending.undo_received(rows),
                        lambda n: f"Đã bỏ ghi nhận đã nhận của {n} người.")
    else:
        day = form.received_on.data or dt.date.today()
        commit_or_flash(lambda: sending.mark_received(rows, day),
                        lambda n: f"Đã ghi nhận {n} người đã nhận tài liệu.")
    return redirect(back)


def _refused(form: ReceiptForm) -> None:
    """A receipt form that did not hold (a bad date, an expired token), flashed."""
    flash(" ".join(e for errs in form.errors.values() for e in errs)
          or "Yêu cầu không hợp lệ; vui lòng tải lại trang rồi thử lại.", "danger")


@bp.route("/distributions/<int:distribution_id>/receive", methods=["POST"])
def receive(distribution_id: int):
    return _one_receipt(distribution_id, undo=False)


@bp.route("/distributions/<int:distribution_id>/undo", methods=["POST"])
def undo(distribution_id: int):
    return _one_receipt(distribution_id, undo=True)


def _one_receipt(distribution_id: int, *, undo: bool):
    dist = access.get_writable_or_404(Distribution, distribution_id)
    back = url_for("documents.detail", document_id=dist.document_id)
    form = ReceiptForm()
    if not form.validate_on_submit():
        _refused(form)
    elif undo:
        commit_or_flash(lambda: sending.undo_received([dist]),
                        f"Đã bỏ ghi nhận đã nhận của {dist.person.full_name}.")
    else:
        day = form.received_on.data or dt.date.today()
        commit_or_flash(lambda: sending.mark_received([dist], day),
                        f"Đã ghi nhận {dist.person.full_name} đã nhận tài liệu.")
    return redirect(back)


# Coverage ---------------------------------------------------------------------------------


def _coverage_params() -> tuple[dict, list[str]]:
    """Period (from, to), kind and unit from the query string, with what was wrong."""
    problems: list[str] = []
    today = dt.date.today()
    dates = {}
    # Twelve months back by default: the last year's supply, whatever the month.
    for name, label, default in (("from", "Từ ngày", dt.date(today.year - 1, today.month, 1)),
                                 ("to", "Đến ngày", today)):
        text = (request.args.get(name) or "").strip()
        dates[name] = parse_day(text) if text else default
        if dates[name] is None:
            problems.append(f"{label} «{text[:40]}» không hợp lệ; hãy nhập theo dạng dd/mm/yyyy.")
            dates[name] = default
    if dates["from"] > dates["to"]:
        problems.append("Từ ngày phải trước đến ngày.")
        dates["from"] = dates["to"]
    unit_arg = (request.args.get("unit") or "").strip()
    unit = access.visible_unit(unit_arg) if unit_arg else current_user.unit
    if unit is None or not access.unit_in_scope(unit):
        problems.append("Đơn vị đã chọn không tồn tại hoặc nằm ngoài phạm vi của bạn.")
        unit = current_user.unit
    return {"unit": unit, "start": dates["from"], "end": dates["to"],
            "kind": DocumentKind.parse(request.args.get("kind"))}, problems


@bp.route("/documents/coverage", endpoint="coverage")
def coverage_report():
    params, problems = _coverage_params()
    report = coverage.build(params["unit"], params["start"], params["end"], params["kind"])
    return render_template("documents/coverage.html", report=report, problems=problems,
                           kinds=DocumentKind, units=writable_unit_choices(),
                           args=request.args), 400 if problems else 200


@bp.route("/documents/coverage.xlsx", endpoint="coverage_xlsx")
def coverage_export():
    params, problems = _coverage_params()
    if problems:
        return render_error(400, " ".join(problems))
    report = coverage.build(params["unit"], params["start"], params["end"], params["kind"])
    file, name = export.build(report, current_user.unit), export.filename(report)
    record_download("Kết quả cung cấp thông tin", request.args.to_dict(),
                    len(report.by_document), name)
    return send_xlsx(file, name)
