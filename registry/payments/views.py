"""Regimes: rates (admins), "Lập chi trả tháng M" for a unit, the payment sheet, single payments."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for

from models import Payment, PaymentKind, Person, Rate, Unit, db
from registry.core import access
from registry.core.commit import commit_or_flash
from registry.core.crud import ConfirmForm, PersonRecordPages, confirm_button, form_page, form_unit
from registry.core.dates import add_months, parse_month
from registry.core.downloads import record_download
from registry.core.params import month_arg
from registry.core.rules import RuleViolation
from registry.exports.agency import agency_for
from registry.exports.download import send_xlsx
from registry.payments import rates as rates_svc
from registry.payments import service as svc
from registry.payments import sheet_xlsx as sheet_book
from registry.payments.amount_words import amount_in_words
from registry.payments.forms import GenerateForm, PaidForm, PaymentEditForm, PaymentForm, RateForm
from registry.units.service import writable_unit_choices

bp = Blueprint("payments", __name__)
PAGES = PersonRecordPages(Payment, "payments/payment_form.html", "payment")


def _month_arg(source=None) -> dt.date:
    return month_arg(source or request.args) or dt.date.today().replace(day=1)


def _month_url(period: dt.date) -> str:
    return f"{period:%Y-%m}"


# Rates ---------------------------------------------------------------------------------------

@bp.route("/rates")
def rates():
    rows = db.session.execute(sa.select(Rate).order_by(
        Rate.kind, Rate.role, Rate.level, Rate.valid_from.desc())).scalars().all()
    return render_template("payments/rates.html", rows=rows, today=dt.date.today(),
                           confirm=ConfirmForm())


@bp.route("/rates/new", methods=["GET", "POST"])
def rate_new():
    access.require_admin()
    form = RateForm()
    return form_page(form, lambda: rates_svc.save_rate(None, form.rate_data()), "Đã thêm mức chi.",
                     url_for("payments.rates"), "payments/rate_form.html", rate=None)


@bp.route("/rates/<int:rate_id>/edit", methods=["GET", "POST"])
def rate_edit(rate_id: int):
    rate = access.get_scoped_or_404(Rate, rate_id)
    access.require_admin()
    form = RateForm(obj=rate)
    return form_page(form, lambda: rates_svc.save_rate(rate, form.rate_data()), "Đã lưu mức chi.",
                     url_for("payments.rates"), "payments/rate_form.html", rate=rate)


@bp.route("/rates/<int:rate_id>/delete", methods=["POST"])
def rate_delete(rate_id: int):
    rate = access.get_scoped_or_404(Rate, rate_id)
    access.require_admin()
    return confirm_button(lambda: rates_svc.delete_rate(rate), "Đã xóa mức chi.",
                          url_for("payments.rates"))


# The month of a unit ------------------------------------------------------------------------

@bp.route("/payments")
def index():
    """Pick a unit and a month; the sheet is the page of that unit and month."""
    unit_id, month = request.args.get("unit", ""), parse_month(request.args.get("month"))
    if unit_id.isdigit():
        unit = access.get_scoped_or_404(Unit, unit_id)
        return redirect(url_for("payments.sheet", unit_id=unit.id,
                                month=_month_url(month or dt.date.today().replace(day=1))))
    return render_template("payments/index.html", units=writable_unit_choices(),
                           month=dt.date.today().replace(day=1))


@bp.route("/units/<int:unit_id>/payments")
def sheet(unit_id: int):
    unit = access.get_scoped_or_404(Unit, unit_id)
    period = _month_arg()
    rows = svc.sheet(unit, period)
    total = sum(r.total for r in rows)
    kind_totals = {k: sum(r.amounts.get(k, 0) for r in rows) for k in PaymentKind}
    return render_template("payments/sheet.html", unit=unit, period=period, rows=rows, total=total,
                           words=amount_in_words(total), kinds=PaymentKind, kind_totals=kind_totals,
                           prev=_month_url(add_months(period, -1)),
                           next=_month_url(add_months(period, 1)), month=_month_url(period),
                           paid_form=PaidForm(), unpaid=sum(r.unpaid for r in rows),
                           agency=agency_for(unit), today=dt.date.today())


@bp.route("/units/<int:unit_id>/payments/sheet.xlsx")
def sheet_xlsx(unit_id: int):
    unit = access.get_scoped_or_404(Unit, unit_id)
    period = _month_arg()
    rows = svc.sheet(unit, period)
    file, name = sheet_book.build(unit, period, rows=rows), sheet_book.filename(unit, period)
    record_download("Bảng kê chi trả", {"unit": unit.id, "month": f"{period:%m/%Y}"}, len(rows),
                    name)
    return send_xlsx(file, name)


@bp.route("/units/<int:unit_id>/payments/generate", methods=["GET", "POST"])
def generate(unit_id: int):
    """GET shows what would be created or changed; POST applies that same plan."""
    unit = access.get_writable_or_404(Unit, unit_id)
    form = GenerateForm()
    period = _month_arg(request.form if request.method == "POST" else None)
    try:
        plan = svc.plan_month(unit, period)
    except RuleViolation as exc:
        flash(exc.message, "danger")
        return redirect(url_for("payments.sheet", unit_id=unit.id, month=_month_url(period)))
    if form.validate_on_submit():
        if form.token.data == plan.token:
            commit_or_flash(lambda: svc.apply_plan(plan), lambda counts: (
                f"Đã lập chi trả tháng {period:%m/%Y}: {counts[svc.NEW]} khoản mới, "
                f"{counts[svc.CHANGED]} khoản cập nhật chênh lệch, {counts[svc.SAME]} khoản "
                "không đổi."))
            return redirect(url_for("payments.sheet", unit_id=unit.id, month=_month_url(period)))
        flash("Dữ liệu đã thay đổi từ lúc xem trước (hoặc biểu mẫu không hợp lệ). "
              "Hãy xem lại bản xem trước dưới đây rồi xác nhận.", "warning")
    form.token.data = plan.token
    return render_template("payments/generate.html", unit=unit, period=period, plan=plan, form=form,
                           month=_month_url(period), labels=svc.STATUS_LABELS, status=svc)


@bp.route("/units/<int:unit_id>/payments/paid", methods=["POST"])
def mark_paid(unit_id: int):
    unit = access.get_writable_or_404(Unit, unit_id)
    period = _month_arg(request.form)
    form = PaidForm()
    if form.validate_on_submit():
        commit_or_flash(lambda: svc.mark_paid(unit, period, form.paid_date.data),
                        f"Đã ghi ngày chi {form.paid_date.data:%d/%m/%Y} cho các khoản chưa chi.")
    else:
        for errors in form.errors.values():
            flash(" ".join(errors), "danger")
    return redirect(url_for("payments.sheet", unit_id=unit.id, month=_month_url(period)))


# One payment ---------------------------------------------------------------------------------

@bp.route("/persons/<int:person_id>/payments/new", methods=["GET", "POST"])
def create(person_id: int):
    person = access.get_writable_or_404(Person, person_id)
    form = PaymentForm()
    form.unit_id.choices = writable_unit_choices()
    if not form.is_submitted():
        form.unit_id.data = str(person.unit_id)
        form.kind.data = PaymentKind.HO_TRO.value
    return PAGES.new(person, form, lambda: svc.add_payment(person, form.payment_data(),
                                                           form_unit(form)),
                     "Đã thêm khoản chi trả.")


@bp.route("/payments/<int:payment_id>/edit", methods=["GET", "POST"])
def edit(payment_id: int):
    payment = PAGES.load(payment_id)
    form = PaymentEditForm(obj=payment)
    return PAGES.edit(payment, form, lambda: svc.update_payment(payment, form.payment_data()),
                      "Đã lưu khoản chi trả.")


@bp.route("/payments/<int:payment_id>/delete", methods=["POST"])
def delete(payment_id: int):
    return PAGES.delete(payment_id, svc.delete_payment, "Đã xóa khoản chi trả.")
