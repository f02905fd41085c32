"""Rates over time, "Lập chi trả tháng M" (preview, create, run twice, changed rates), the sheet."""
import datetime as dt

import pytest
import sqlalchemy as sa

from models import Level, Payment, PaymentKind, Rate, Role, UserRole, db
from registry.core import access
from registry.core.rules import RuleViolation
from registry.payments import rates
from registry.payments import service as svc
from tests.factories import count

D = dt.date
MONTHLY, SESSION, SUPPORT = PaymentKind.PHU_CAP_THANG, PaymentKind.THU_LAO_BUOI, PaymentKind.HO_TRO
MARCH = D(2025, 3, 1)


@pytest.fixture
def district(make):
    """Đắk Hà with two TTV and a BCV huyện, rates for both, three sessions in March 2025."""
    make.rate(Role.TTV, Level.CO_SO, MONTHLY, 300_000)
    make.rate(Role.BCV, Level.HUYEN, SESSION, 400_000, valid_to=D(2025, 3, 14))
    make.rate(Role.BCV, Level.HUYEN, SESSION, 500_000, valid_from=D(2025, 3, 15),
              basis="Kết luận 07-KL/HU")
    people = {
        "ttv1": make.person("Y Blô", "Xã Đắk La"),
        "ttv2": make.person("A Jar", "Xã Hà Mòn"),
        "bcv": make.person("A Thút", "Huyện Đắk Hà", role=Role.BCV, level=Level.HUYEN),
        "other": make.person("Lê Văn Bình", "Huyện Sa Thầy"),  # another district
    }
    for day in (D(2025, 3, 3), D(2025, 3, 14), D(2025, 3, 20)):
        make.activity(people["bcv"], day)
    make.activity(people["bcv"], D(2025, 4, 2))  # April: not in March
    return people


def _plan(make, unit="Huyện Đắk Hà", month=MARCH):
    return svc.plan_month(make.unit(unit), month)


def test_plan_from_rates_and_sessions(ctx, make, district):
    plan = _plan(make)
    lines = {(ln.appointment.person.full_name, ln.kind): ln for ln in plan.lines}
    assert set(lines) == {("Y Blô", MONTHLY), ("A Jar", MONTHLY), ("A Thút", SESSION)}
    session = lines[("A Thút", SESSION)]
    # Two sessions before the 15th at 400.000, one after at 500.000: each at its date's rate.
    assert (session.sessions, session.amount) == (3, 1_300_000)
    assert session.basis == "Nghị quyết 12/2024/NQ-HĐND; Kết luận 07-KL/HU"
    assert plan.total == 1_900_000 and all(ln.status == svc.NEW for ln in plan.lines)
    assert db.session.execute(sa.select(sa.func.count(Payment.id))).scalar() == 0  # preview only


def test_apply_twice_creates_nothing_new(ctx, make, district):
    counts = svc.apply_plan(_plan(make))
    db.session.commit()
    assert counts[svc.NEW] == 3
    again = _plan(make)
    assert [ln.status for ln in again.lines] == [svc.SAME] * 3
    assert svc.apply_plan(again)[svc.NEW] == 0
    db.session.commit()
    assert db.session.execute(sa.select(sa.func.count(Payment.id))).scalar() == 3


def test_changed_rate_shows_as_difference_not_duplicate(ctx, make, district):
    svc.apply_plan(_plan(make))
    db.session.commit()
    rate = db.session.execute(sa.select(Rate).where(Rate.kind == MONTHLY)).scalar_one()
    rate.amount = 350_000
    ttv1_payment = db.session.execute(sa.select(Payment).join(Payment.person).where(
        Payment.kind == MONTHLY).order_by(Payment.id)).scalars().first()
    ttv1_payment.paid_date = D(2025, 3, 28)  # one of the two was already paid
    db.session.commit()
    plan = _plan(make)
    changed = plan.by_status(svc.CHANGED) + plan.by_status(svc.PAID)
    assert sorted(ln.status for ln in changed) == [svc.CHANGED, svc.PAID]
    assert all(ln.difference == 50_000 and ln.existing.amount == 300_000 for ln in changed)
    svc.apply_plan(plan)
    db.session.commit()
    amounts = sorted(db.session.execute(sa.select(Payment.amount).where(
        Payment.kind == MONTHLY)).scalars())
    assert amounts == [300_000, 350_000]  # the paid one is left as it was
    assert db.session.execute(sa.select(sa.func.count(Payment.id))).scalar() == 3


def test_rate_valid_on_the_month_and_appointment_dates(ctx, make):
    make.rate(Role.TTV, Level.CO_SO, MONTHLY, 200_000, valid_to=D(2025, 2, 28))
    make.rate(Role.TTV, Level.CO_SO, MONTHLY, 250_000, valid_from=D(2025, 3, 1))
    make.rate(Role.TTV, Level.CO_SO, SUPPORT, 100_000, valid_from=D(2025, 3, 20))
    make.person("Y Mới", "Xã Đắk La", start=D(2025, 3, 25))  # starts late in March
    make.person("Y Cũ", "Xã Đắk La", start=D(2020, 1, 1), end=D(2025, 2, 10))  # gone by March
    feb = {(ln.appointment.person.full_name, ln.kind): ln.amount
           for ln in _plan(make, month=D(2025, 2, 1)).lines}
    mar = {(ln.appointment.person.full_name, ln.kind): ln.amount
           for ln in _plan(make, month=D(2025, 3, 1)).lines}
    assert feb == {("Y Cũ", MONTHLY): 200_000}
    assert mar == {("Y Mới", MONTHLY): 250_000, ("Y Mới", SUPPORT): 100_000}


def test_sessions_without_a_rate_are_reported(ctx, make):
    bcv = make.person("A Thút", "Huyện Đắk Hà", role=Role.BCV, level=Level.HUYEN)
    make.activity(bcv, D(2025, 3, 3))
    plan = _plan(make)
    assert plan.lines == [] and plan.no_rate[0][1:] == (SESSION, 1)


def test_scope_and_future_month(ctx, make, district):
    with access.scoped(access.scope_for_unit(make.unit("Xã Đắk La"))):
        plan = svc.plan_month(make.unit("Xã Đắk La"), D(2025, 3, 1))
        assert [ln.appointment.person.full_name for ln in plan.lines] == ["Y Blô"]
        with pytest.raises(access.AccessDenied):
            svc.plan_month(make.unit("Huyện Đắk Hà"), D(2025, 3, 1))
    next_month = (dt.date.today().replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    with pytest.raises(RuleViolation, match="tháng chưa đến"):
        _plan(make, month=next_month)


def test_sheet_rows_and_mark_paid(ctx, make, district):
    svc.apply_plan(_plan(make))
    make.payment(district["ttv1"], 150_000, kind=SUPPORT, note="Hỗ trợ tài liệu")
    db.session.commit()
    rows = svc.sheet(make.unit("Huyện Đắk Hà"), D(2025, 3, 1))
    assert [r.person.full_name for r in rows] == ["Y Blô", "A Jar", "A Thút"]
    assert rows[0].amounts == {MONTHLY: 300_000, SUPPORT: 150_000} and rows[0].total == 450_000
    assert rows[2].sessions == 3 and rows[2].roles == ["BCV cấp huyện"]
    assert sum(r.total for r in rows) == 2_050_000
    assert svc.mark_paid(make.unit("Huyện Đắk Hà"), D(2025, 3, 1), D(2025, 4, 5)) == 4
    assert svc.mark_paid(make.unit("Huyện Đắk Hà"), D(2025, 3, 1), D(2025, 4, 6)) == 0


def test_rates_cannot_overlap_and_only_admins_set_them(ctx, make):
    data = {"role": Role.TTV, "level": Level.CO_SO, "kind": MONTHLY, "amount": 300_000,
            "valid_from": D(2025, 1, 1), "valid_to": None}
    rates.save_rate(None, data)
    with pytest.raises(RuleViolation, match="Trùng thời gian với mức 300.000 đ"):
        rates.save_rate(None, {**data, "valid_from": D(2025, 6, 1)})
    with pytest.raises(RuleViolation, match="số nguyên dương"):
        rates.save_rate(None, {**data, "amount": 0, "valid_from": D(2030, 1, 1)})
    with access.scoped(access.scope_for_unit(make.unit("Huyện Đắk Hà"))):
        with pytest.raises(access.AccessDenied):
            rates.save_rate(None, {**data, "valid_from": D(2030, 1, 1)})


def test_used_rate_and_paid_payment_cannot_be_deleted(ctx, make, district):
    svc.apply_plan(_plan(make))
    db.session.commit()
    rate = db.session.execute(sa.select(Rate).where(Rate.kind == MONTHLY)).scalar_one()
    with pytest.raises(RuleViolation, match="đã dùng cho 2 khoản"):
        rates.delete_rate(rate)
    payment = db.session.execute(sa.select(Payment)).scalars().first()
    payment.paid_date = D(2025, 4, 1)
    with pytest.raises(RuleViolation, match="đã chi"):
        svc.delete_payment(payment)


# Through the pages ---------------------------------------------------------------------------

def _token(html: str) -> str:
    import re
    return re.search(r'name="token" type="hidden" value="([^"]+)"', html).group(1)


def test_generate_preview_confirm_and_sheet(officer, make, district):
    unit = make.unit("Huyện Đắk Hà").id
    html = officer.get(f"/units/{unit}/payments/generate?month=2025-03").get_data(as_text=True)
    assert "Xác nhận: tạo 3 khoản mới" in html and "1.900.000" in html
    assert count(Payment) == 0  # the preview writes nothing
    resp = officer.post(f"/units/{unit}/payments/generate",
                        data={"month": "2025-03", "token": _token(html)}, follow_redirects=True)
    body = resp.get_data(as_text=True)
    assert "Đã lập chi trả tháng 03/2025: 3 khoản mới" in body
    assert "BẢNG KÊ CHI TRẢ" in body and "Tháng 03/2025" in body
    assert "Một triệu chín trăm nghìn đồng" in body and "Ký nhận" in body
    assert "Lê Văn Bình" not in body and count(Payment) == 3
    again = officer.get(f"/units/{unit}/payments/generate?month=2025-03").get_data(as_text=True)
    assert "Không có gì mới để lập." in again
    officer.post(f"/units/{unit}/payments/generate",
                 data={"month": "2025-03", "token": _token(again)})
    assert count(Payment) == 3


def test_confirm_refused_when_data_changed_since_preview(officer, make, district):
    unit = make.unit("Huyện Đắk Hà").id
    html = officer.get(f"/units/{unit}/payments/generate?month=2025-03").get_data(as_text=True)
    make.activity(district["bcv"], D(2025, 3, 25))
    resp = officer.post(
        f"/units/{unit}/payments/generate", data={"month": "2025-03", "token": _token(html)}
    )
    assert "Dữ liệu đã thay đổi từ lúc xem trước" in resp.get_data(as_text=True)
    assert count(Payment) == 0


def test_sheet_and_generation_are_scoped(make, login, district):
    make.user("xa", UserRole.OFFICER, "Xã Đắk La")
    make.user("xem", UserRole.VIEWER, "Huyện Đắk Hà")
    district_id, commune_id = make.unit("Huyện Đắk Hà").id, make.unit("Xã Đắk La").id
    client = login("xa")
    assert client.get(f"/units/{district_id}/payments").status_code == 404
    assert client.get(f"/units/{district_id}/payments/generate").status_code == 404
    assert client.get(f"/units/{commune_id}/payments/generate?month=2025-03").status_code == 200
    client.post("/logout")
    viewer = login("xem")
    assert viewer.get(f"/units/{district_id}/payments?month=2025-03").status_code == 200
    assert viewer.get(f"/units/{district_id}/payments/generate").status_code == 403
    assert count(Payment) == 0


def test_payments_index_goes_to_the_sheet(officer, make):
    unit = make.unit("Huyện Đắk Hà").id
    resp = officer.get("/payments", query_string={"unit": unit, "month": "03/2025"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith(
        f"/units/{unit}/payments?month=2025-03"
    )
    assert (
        officer.get("/payments", query_string={"unit": make.unit("Huyện Sa Thầy").id}).status_code
        == 404
    )


def test_manual_payment_amounts_in_dong(officer, make):
    person = make.person("Y Blô", "Xã Đắk La")
    base = {
        "kind": "ho_tro",
        "period": "03/2025",
        "unit_id": person.unit_id,
        "basis": "Hỗ trợ tài liệu",
    }
    for amount, message in (
        ("1,5", "Số tiền phải là số nguyên đồng"),
        ("0", "Số tiền phải lớn hơn 0."),
        ("-200", "Số tiền phải là số nguyên đồng"),
        ("", "Vui lòng nhập số tiền."),
    ):
        resp = officer.post(f"/persons/{person.id}/payments/new", data={**base, "amount": amount})
        assert message in resp.get_data(as_text=True), amount
    resp = officer.post(
        f"/persons/{person.id}/payments/new", data={**base, "period": "13/2025", "amount": "100000"}
    )
    assert "Tháng «13/2025» không hợp lệ" in resp.get_data(as_text=True)
    assert count(Payment) == 0
    resp = officer.post(
        f"/persons/{person.id}/payments/new", data={**base, "amount": "1.200.000 đ"}
    )
    assert resp.status_code == 302
    payment = db.session.execute(sa.select(Payment)).scalar_one()
    assert (payment.amount, payment.period, payment.generated) == (1_200_000, D(2025, 3, 1), False)
    html = officer.get(f"/persons/{person.id}").get_data(as_text=True)
    assert "1.200.000 đ" in html and "03/2025" in html


def test_mark_paid_then_no_delete_and_person_kept(officer, make, district):
    svc.apply_plan(_plan(make))
    db.session.commit()
    unit = make.unit("Huyện Đắk Hà").id
    resp = officer.post(
        f"/units/{unit}/payments/paid",
        data={"month": "2025-03", "paid_date": "01/01/2999"},
        follow_redirects=True,
    )
    assert "Ngày này không được ở tương lai." in resp.get_data(as_text=True)
    officer.post(
        f"/units/{unit}/payments/paid", data={"month": "2025-03", "paid_date": "05/04/2025"}
    )
    assert (
        db.session.execute(
            sa.select(sa.func.count(Payment.id)).where(Payment.paid_date == D(2025, 4, 5))
        ).scalar()
        == 3
    )
    payment = db.session.execute(sa.select(Payment)).scalars().first()
    html = officer.post(f"/payments/{payment.id}/delete", follow_redirects=True).get_data(
        as_text=True
    )
    assert "đã chi nên không xóa được" in html and count(Payment) == 3
    person = district["ttv1"]
    html = officer.post(f"/persons/{person.id}/delete", follow_redirects=True).get_data(
        as_text=True
    )
    assert "Không thể xóa hồ sơ đã có khoản chi trả đã chi" in html


def test_rates_admin_only_with_messages(make, login):
    make.user("dakha", UserRole.OFFICER, "Huyện Đắk Hà")
    make.user("admin", UserRole.ADMIN, "Tỉnh Kon Tum")
    officer = login("dakha")
    assert "Mức chi chế độ" in officer.get("/rates").get_data(as_text=True)
    assert officer.get("/rates/new").status_code == 403
    officer.post("/logout")
    admin = login("admin")
    data = {
        "role": "TTV",
        "level": "co_so",
        "kind": "phu_cap_thang",
        "amount": "300.000",
        "valid_from": "01/01/2025",
        "basis": "Nghị quyết 08/2024/NQ-HĐND",
    }
    assert admin.post("/rates/new", data=data).status_code == 302
    resp = admin.post("/rates/new", data={**data, "valid_from": "01/06/2025"})
    assert "Trùng thời gian với mức 300.000 đ" in resp.get_data(as_text=True)
    resp = admin.post(
        "/rates/new", data={**data, "valid_from": "01/06/2025", "valid_to": "01/01/2025"}
    )
    assert "Ngày hết hiệu lực không được trước ngày bắt đầu." in resp.get_data(as_text=True)
    rate = db.session.execute(sa.select(Rate)).scalar_one()
    assert (
        admin.post(f"/rates/{rate.id}/edit", data={**data, "valid_to": "31/05/2025"}).status_code
        == 302
    )
    assert (
        admin.post(
            "/rates/new", data={**data, "valid_from": "01/06/2025", "amount": "350.000"}
        ).status_code
        == 302
    )
    assert db.session.execute(sa.select(sa.func.count(Rate.id))).scalar() == 2


def test_merger_mid_month_pays_the_allowance_once(ctx, make):
    """Units merged on the 15th: the TTV's appointment restarts in the successor, yet March
    holds one allowance and one line of sessions, and a second run changes nothing."""
    from models import EndReason
    from registry.roster.persons import transfer

    make.rate(Role.TTV, Level.CO_SO, MONTHLY, 300_000)
    make.rate(Role.TTV, Level.CO_SO, SESSION, 100_000)
    person = make.person("Y Blô", "Xã Đắk La")
    make.activity(person, D(2025, 3, 3))
    new = transfer(person, make.unit("Xã Hà Mòn"), D(2025, 3, 15), EndReason.SAP_XEP)[0]
    db.session.commit()
    make.activity(person, D(2025, 3, 20), appointment=new)
    plan = _plan(make)
    assert sorted((ln.kind.value, ln.amount, ln.sessions) for ln in plan.lines) == [
        ("phu_cap_thang", 300_000, None),
        ("thu_lao_buoi", 200_000, 2),
    ]
    assert all(ln.appointment.id == new.id for ln in plan.lines)
    svc.apply_plan(plan)
    db.session.commit()
    assert [ln.status for ln in _plan(make).lines] == [svc.SAME, svc.SAME]
    # A run for the old commune alone finds the same rows instead of paying again.
    commune = svc.plan_month(make.unit("Xã Đắk La"), D(2025, 3, 1))
    assert [ln.status for ln in commune.lines] == [svc.ELSEWHERE, svc.ELSEWHERE]
    svc.apply_plan(commune)
    db.session.commit()
    assert sorted(db.session.execute(sa.select(Payment.amount)).scalars()) == [200_000, 300_000]
