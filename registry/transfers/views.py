"""Transfer request views: the list, one request (both sides for whoever may decide it, the
state of its own request for the unit that asked), approve and reject."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import joinedload

from models import TransferRequest, TransferStatus, db
from registry.core import access
from registry.core.commit import commit_or_show
from registry.core.downloads import record_download
from registry.exports import listing
from registry.exports.download import send_xlsx
from registry.transfers import list_xlsx, service
from registry.transfers.forms import ApproveForm, RejectForm

bp = Blueprint("transfers", __name__, url_prefix="/transfers")


@bp.route("/")
def index():
    status = request.args.get("status", TransferStatus.PENDING.value)
    rows = _listed(status)
    deciders = set(service.decidable(db.session, rows))
    return render_template("transfers/index.html", rows=rows, status=status,
                           statuses=TransferStatus, deciders=deciders)


@bp.route("/export.xlsx")
def export():
    status = request.args.get("status", TransferStatus.PENDING.value)
    rows, today = _listed(status, limit=None), dt.date.today()
    file = list_xlsx.build(rows, TransferStatus.parse(status), current_user.unit, today)
    name = listing.filename("de-nghi-chuyen-cong-tac", today)
    record_download("Đề nghị chuyển công tác", {"status": status[:20]}, len(rows), name)
    return send_xlsx(file, name)


def _listed(status: str, limit: int | None = 500) -> list[TransferRequest]:
    """The requests of one status (any other value: all), newest first. Scoped by the receiving
    unit: each unit sees the requests filed into its subtree."""
    stmt = sa.select(TransferRequest).options(joinedload(TransferRequest.unit),
                                              joinedload(TransferRequest.requester),
                                              joinedload(TransferRequest.from_unit))
    if status in {s.value for s in TransferStatus}:
        stmt = stmt.where(TransferRequest.status == TransferStatus(status))
    stmt = stmt.order_by(TransferRequest.created_at.desc(), TransferRequest.id.desc())
    return list(db.session.execute(stmt.limit(limit)).scalars())


@bp.route("/<int:transfer_id>")
def detail(transfer_id: int):
    req = access.get_scoped_or_404(TransferRequest, transfer_id)
    return _page(req, ApproveForm(version=req.version), RejectForm(version=req.version))


@bp.route("/<int:transfer_id>/approve", methods=["POST"])
def approve(transfer_id: int):
    return _decide(transfer_id, ApproveForm(), lambda req, form: service.approve(
        db.session, req, form.transfer_date.data, expected_version=form.expected_version()),
        "Đã duyệt đề nghị chuyển công tác.")


@bp.route("/<int:transfer_id>/reject", methods=["POST"])
def reject(transfer_id: int):
    return _decide(transfer_id, RejectForm(), lambda req, form: service.reject(
        db.session, req, form.reason.data, expected_version=form.expected_version()),
        "Đã từ chối đề nghị chuyển công tác.")


def _decide(transfer_id: int, form, action, success: str):
    """Run one decision on a valid form and go back to the request; else show the page again
    with the refusal beside its field (the other form fresh)."""
    req = access.get_scoped_or_404(TransferRequest, transfer_id)
    if form.validate_on_submit() and commit_or_show(form, lambda: action(req, form), success):
        return redirect(url_for("transfers.detail", transfer_id=req.id))
    # The other form starts afresh (formdata=None: not filled from this POST).
    forms = {"approve": ApproveForm(formdata=None, version=req.version),
             "reject": RejectForm(formdata=None, version=req.version)}
    forms["approve" if isinstance(form, ApproveForm) else "reject"] = form
    return _page(req, forms["approve"], forms["reject"])


def _page(req: TransferRequest, approve_form: ApproveForm, reject_form: RejectForm):
    # The person and where they are now only for whoever may decide; the unit that asked
    # sees its own file's values and the state of its request.
    person = service.person_if_decider(db.session, req)
    return render_template("transfers/detail.html", req=req, person=person,
                           approve=approve_form, reject=reject_form,
                           shown=service.SHOWN_VALUES)
