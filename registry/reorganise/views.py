"""The reorganisation pages: status, preview and confirm (admins), and the follow-up lists:
divided communes' successors (officers of the people too), BCV cấp huyện to re-recognise and
accounts of abolished units (admins). The preview and the run go through the job worker
(registry/reorganise/jobs.py); their page reads the job's row, never a process's memory."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from models import (
    Appointment,
    ReorganiseJob,
    SuccessorReview,
    Unit,
    UnitKind,
    User,
    UserRole,
    db,
)
from registry.core import access
from registry.core.commit import commit_or_flash, commit_or_show
from registry.core.downloads import record_download
from registry.core.rules import RuleViolation
from registry.exports import listing
from registry.exports.download import send_xlsx
from registry.reorganise import followup, review_xlsx, service
from registry.reorganise import jobs as reorganise_jobs
from registry.reorganise.forms import DayForm, RerecognitionForm, SelectionForm

bp = Blueprint("reorganise", __name__, url_prefix="/reorganise")


@bp.app_context_processor
def _banner():
    def reorganise_banner():
        """The status when an admin's registry still needs the run; computed once a request."""
        if not (current_user.is_authenticated and current_user.role is UserRole.ADMIN):
            return None
        if "reorganise_status" not in g:
            g.reorganise_status = service.status()
        return g.reorganise_status if g.reorganise_status.needs_run else None
    return {"reorganise_banner": reorganise_banner}


@bp.teardown_app_request
def _forget_banner(_exc):
    # g outlives a request when the app context does (a test's, a CLI's): never reuse it.
    g.pop("reorganise_status", None)


@bp.route("/")
def index():
    access.require_admin()
    return render_template("reorganise/index.html", status=service.status(), form=DayForm(),
                           reviews=len(followup.pending_reviews()),
                           rerecognise=len(followup.rerecognition_list()),
                           accounts=len(followup.orphan_accounts()))


@bp.route("/preview", methods=["GET", "POST"])
def preview():
    """POST queues a dry run; a GET (an old link, a reload) only leads back to the form."""
    access.require_admin()
    if request.method == "GET":
        return redirect(url_for("reorganise.index"))
    form = DayForm()
    if not form.validate_on_submit():
        return render_template("reorganise/index.html", status=service.status(), form=form,
                               reviews=None, rerecognise=None, accounts=None)
    return _queued(lambda: reorganise_jobs.request_preview(form.day.data, current_user))


@bp.route("/confirm", methods=["POST"])
def confirm():
    access.require_admin()
    form = DayForm()
    if not form.validate_on_submit():
        flash("Ngày bắt đầu cơ cấu mới không hợp lệ; hãy xem trước lại.", "danger")
        return redirect(url_for("reorganise.index"))
    return _queued(lambda: reorganise_jobs.request_run(form.day.data, current_user))


def _queued(request_job):
    try:
        job = request_job()
    except RuleViolation as exc:
        flash(exc.message, "warning")
        return redirect(url_for("reorganise.index"))
    return redirect(url_for("reorganise.job", job_id=job.id))


@bp.route("/jobs/<job_id>")
def job(job_id):
    """A preview or run's page: refreshes itself while the worker is at it, then shows the
    preview (with the confirm form) or the result from the stored summary."""
    access.require_admin()
    row = db.session.get(ReorganiseJob, access.parse_id(job_id) or 0)
    if row is None:
        abort(404)
    if reorganise_jobs.expire_stale(db.session, row):
        db.session.commit()
    form = DayForm(formdata=None, day=row.day)
    if row.state == reorganise_jobs.DONE and row.dry_run:
        return render_template("reorganise/preview.html", summary=row.summary, form=form)
    if row.state == reorganise_jobs.DONE:
        run = {"day": row.day, "province": row.summary.get("province"), "actor": row.actor,
               "created_at": row.finished_at}
        return render_template("reorganise/run.html", run=run, summary=row.summary, job=row)
    return render_template("reorganise/job.html", job=row, form=form)


@bp.route("/result")
def result():
    """What the latest run changed (a re-run that changes nothing leaves no row)."""
    access.require_admin()
    last = service.status().last_run
    if last is None:
        flash("Chưa có lần sắp xếp nào.", "info")
        return redirect(url_for("reorganise.index"))
    return render_template("reorganise/run.html", run=last, summary=last.summary)


@bp.route("/reviews", methods=["GET", "POST"])
def reviews():
    form = SelectionForm()
    if form.validate_on_submit():
        rows = _selected(SuccessorReview, form.selected(request.form, "review_ids"))
        if rows and commit_or_flash(
                _decision(rows, keep_default=request.form.get("action") == "default"),
                f"Đã xác nhận đơn vị kế thừa cho {len(rows)} người."):
            return redirect(url_for("reorganise.reviews"))
    return render_template("reorganise/reviews.html", form=form,
                           rows=followup.pending_reviews(), choices=followup.choices)


@bp.route("/reviews.xlsx")
def reviews_export():
    rows = followup.pending_reviews()
    return _send("Xã bị chia tách chờ xác nhận", "xa-chia-tach-cho-xac-nhan", rows,
                 review_xlsx.reviews)


def _send(what: str, stem: str, rows: list, build):
    """One follow-up list as xlsx: built, recorded, sent (named by the day, never an id)."""
    today = dt.date.today()
    name = listing.filename(stem, today)
    file = build(rows, current_user.unit, today)
    record_download(what, {}, len(rows), name)
    return send_xlsx(file, name)


def _decision(rows: list[SuccessorReview], *, keep_default: bool):
    """What the reviews form asks: the run's picks kept, or each row's chosen successor (read
    before anything is written, so that a forged unit id changes nothing)."""
    if keep_default:
        return lambda: followup.confirm_defaults(rows)
    picks = {r.id: _pick(r) for r in rows}
    return lambda: [followup.decide_review(r, picks[r.id]) for r in rows]


def _pick(review: SuccessorReview) -> Unit:
    """The successor chosen on the review's row (404 for an id that is no unit)."""
    key = access.parse_id(request.form.get(f"successor_{review.id}"))
    unit = db.session.get(Unit, key) if key is not None else None
    if unit is None:
        abort(404)
    return unit


@bp.route("/rerecognition", methods=["GET", "POST"])
def rerecognition():
    access.require_admin()
    form = RerecognitionForm()
    today = dt.date.today()
    form.unit_id.choices = _communes(today)
    if form.validate_on_submit():
        rows = _selected(Appointment, form.selected(request.form, "appointment_ids"))
        if rows and commit_or_show(form, lambda: _rerecognise(form, rows), lambda n: (
                f"Đã xử lý {n} BCV cấp huyện theo quyết định {form.decision_no.data}.")):
            return redirect(url_for("reorganise.rerecognition"))
    return render_template("reorganise/rerecognition.html", form=form,
                           rows=followup.rerecognition_list(today))


@bp.route("/rerecognition.xlsx")
def rerecognition_export():
    access.require_admin()
    return _send("BCV cấp huyện cần công nhận lại", "bcv-cap-huyen-can-cong-nhan-lai",
                 followup.rerecognition_list(), review_xlsx.rerecognition)


def _rerecognise(form: RerecognitionForm, rows: list[Appointment]) -> int:
    decision = form.decision()
    if form.action.data == "end":
        return followup.end_huyen(rows, decision)
    unit = db.session.get(Unit, int(form.unit_id.data)) if form.action.data == "xa" else None
    return len(followup.reappoint(rows, decision, unit))


def _communes(day: dt.date) -> list[tuple[str, str]]:
    units = db.session.execute(access.visible_units().where(
        Unit.kind == UnitKind.XA, Unit.valid_to.is_(None),
        sa.or_(Unit.valid_from.is_(None), Unit.valid_from <= day))).scalars()
    return sorted(((str(u.id), u.name) for u in units), key=lambda c: c[1])


def _selected(model, ids: list[int]) -> list:
    """The ticked rows; none ticked is said, an unknown or unseen id is a 404."""
    if not ids:
        flash("Chưa chọn dòng nào.", "warning")
        return []
    rows = followup.load_selected(model, ids)
    if rows is None:
        abort(404)
    return rows


@bp.route("/accounts")
def accounts():
    return render_template("reorganise/accounts.html", rows=followup.orphan_accounts(),
                           form=SelectionForm())


@bp.route("/accounts.xlsx")
def accounts_export():
    access.require_admin()
    return _send("Tài khoản của đơn vị đã hết hiệu lực", "tai-khoan-don-vi-het-hieu-luc",
                 followup.orphan_accounts(), review_xlsx.accounts)


@bp.route("/accounts/move", methods=["POST"])
def move_account():
    access.require_admin()
    user = access.get_scoped_or_404(User, request.form.get("user_id"))
    unit = access.get_scoped_or_404(Unit, request.form.get("unit_id"))
    if SelectionForm().validate_on_submit():
        commit_or_flash(lambda: followup.move_account(user, unit),
                        f"Đã chuyển tài khoản {user.username} về {unit.name}.")
    return redirect(url_for("reorganise.accounts"))
