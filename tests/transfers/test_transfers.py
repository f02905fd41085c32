"""Transfer requests decided: the province (or whoever sees both units) approves or rejects,
once, on a fresh page; the unit that asked sees the state of its request and nothing of the
person; anyone else gets nothing."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from flask import g
from flask.testing import FlaskClient

from models import (
    Appointment,
    AuditLog,
    EndReason,
    Person,
    TransferRequest,
    TransferStatus,
    UserRole,
    db,
)
from registry.core import access
from registry.core.rules import RuleViolation, StaleEdit
from registry.transfers import service
from tests.factories import PASSWORD
from tests.importing.test_import_scope import (
    FILE_NAME,
    SECRET_DOB,
    SECRET_NAME,
    SECRET_PHONE,
    SECRET_POSITION,
    _leaks,
    _row,
    _upload,
    _xlsx,
)

DAY = dt.date(2026, 1, 15)


@pytest.fixture
def person(make):
    return make.person(SECRET_NAME, "Huyện Kon Plông", cccd=make.cccd(), phone=SECRET_PHONE,
                       dob=SECRET_DOB, position=SECRET_POSITION, start=dt.date(2020, 1, 1))


class _Client(FlaskClient):
    """A test client that never borrows another's login: the tests' app context (the `make`
    fixture's) is shared by every request, and Flask-Login caches the user on its `g`."""

    def open(self, *args, **kwargs):
        g.pop("_login_user", None)
        return super().open(*args, **kwargs)


def _client(app, make, username: str, role: UserRole, unit: str):
    make.user(username, role, unit)
    client = _Client(app, app.response_class, use_cookies=True)
    resp = client.post("/login", data={"username": username, "password": PASSWORD})
    assert resp.status_code == 302
    return client


@pytest.fixture
def officer(app, make):
    return _client(app, make, "dakha", UserRole.OFFICER, "Huyện Đắk Hà")


@pytest.fixture
def req(officer, person) -> TransferRequest:
    """A pending request filed by the Đắk Hà officer's import (the `officer` client)."""
    batch = _upload(officer, _xlsx([_row(person.cccd)]))
    officer.post(f"/imports/{batch.id}/confirm")
    return db.session.execute(sa.select(TransferRequest)).scalar_one()


@pytest.fixture
def province(app, make):
    return _client(app, make, "tinh", UserRole.ADMIN, "Tỉnh Kon Tum")


def _approve(client, req, day="15/01/2026", version=None):
    return client.post(f"/transfers/{req.id}/approve", follow_redirects=True, data={
        "transfer_date": day, "version": req.version if version is None else version})


def _fresh(req) -> TransferRequest:
    db.session.expire_all()
    return db.session.get(TransferRequest, req.id)


def test_the_province_sees_both_sides_and_approves(province, req, person):
    page = province.get(f"/transfers/{req.id}").get_data(as_text=True)
    assert SECRET_NAME in page and FILE_NAME in page and "Huyện Kon Plông" in page
    assert "Xem và duyệt" in province.get("/transfers/").get_data(as_text=True)
    resp = _approve(province, req)
    assert "Đã duyệt đề nghị chuyển công tác." in resp.get_data(as_text=True)
    db.session.expire_all()
    moved = db.session.get(Person, person.id)
    history = sorted(moved.appointments, key=lambda a: a.start_date)
    assert [(a.unit.name, a.start_date, a.end_date) for a in history] == [
        ("Huyện Kon Plông", dt.date(2020, 1, 1), DAY - dt.timedelta(days=1)),
        ("Xã Đắk La", DAY, None)]
    assert history[0].end_reason is EndReason.CHUYEN_CONG_TAC
    assert (moved.full_name, moved.unit.name, moved.position) == (FILE_NAME, "Xã Đắk La",
                                                                  "Trưởng thôn")
    done = _fresh(req)
    assert (done.status, done.transfer_date, done.decided_by) == (
        TransferStatus.APPROVED, DAY, "tinh")
    audited = {e for (e,) in db.session.execute(sa.select(AuditLog.entity).where(
        AuditLog.actor == "tinh"))}
    assert {"persons", "appointments", "transfer_requests"} <= audited


def test_twice_is_refused_and_changes_nothing(province, req, person):
    _approve(province, req)
    count = db.session.execute(sa.select(sa.func.count(Appointment.id))).scalar()
    again = _approve(province, _fresh(req)).get_data(as_text=True)
    assert "đã được xử lý" in again
    resp = province.post(f"/transfers/{req.id}/reject", follow_redirects=True,
                         data={"reason": "muộn", "version": _fresh(req).version})
    assert "đã được xử lý" in resp.get_data(as_text=True)
    assert _fresh(req).status is TransferStatus.APPROVED
    assert db.session.execute(sa.select(sa.func.count(Appointment.id))).scalar() == count


def test_a_stale_page_is_refused(province, req, person):
    stale = req.version
    with access.scoped(None):  # someone else touched the request since the page was read
        fresh = _fresh(req)
        fresh.reason = "ghi chú"
        db.session.commit()
    resp = _approve(province, req, version=stale)
    assert "vừa được người khác cập nhật" in resp.get_data(as_text=True)
    assert _fresh(req).status is TransferStatus.PENDING
    assert db.session.get(Person, person.id).full_name == SECRET_NAME


def test_reject_with_a_reason_the_requester_sees(province, officer, req, person):
    resp = province.post(f"/transfers/{req.id}/reject", follow_redirects=True,
                         data={"reason": "  ", "version": req.version})
    assert "Vui lòng nhập lý do từ chối." in resp.get_data(as_text=True)
    assert _fresh(req).status is TransferStatus.PENDING
    province.post(f"/transfers/{req.id}/reject",
                  data={"reason": "Chưa có quyết định điều động", "version": req.version})
    assert _fresh(req).status is TransferStatus.REJECTED
    page = officer.get(f"/transfers/{req.id}").get_data(as_text=True)
    assert "Chưa có quyết định điều động" in page and "Từ chối" in page
    db.session.expire_all()
    assert db.session.get(Person, person.id).full_name == SECRET_NAME


def test_the_requester_sees_its_request_without_the_person(officer, req):
    listing = officer.get("/transfers/").get_data(as_text=True)
    page = officer.get(f"/transfers/{req.id}").get_data(as_text=True)
    for html in (listing, page):
        assert FILE_NAME in html and _leaks(html) == []
    assert "Chờ duyệt" in page and "Duyệt chuyển công tác" not in page


def test_the_requester_cannot_decide(officer, req, person):
    assert _approve(officer, req).status_code == 403
    resp = officer.post(f"/transfers/{req.id}/reject", data={"reason": "x", "version": 1})
    assert resp.status_code == 403
    assert _fresh(req).status is TransferStatus.PENDING
    db.session.expire_all()
    assert db.session.get(Person, person.id).unit.name == "Huyện Kon Plông"


@pytest.mark.parametrize("username, role, unit", [
    ("konplong", UserRole.OFFICER, "Huyện Kon Plông"),   # the person's side: not its request
    ("sathay", UserRole.OFFICER, "Huyện Sa Thầy"),
    ("xem", UserRole.VIEWER, "Huyện Đắk Hà"),
])
def test_others_get_nothing(app, make, req, username, role, unit):
    client = _client(app, make, username, role, unit)
    page = client.get(f"/transfers/{req.id}")
    if role is UserRole.VIEWER:  # of the unit that asked: reads the state, decides nothing
        assert page.status_code == 200 and _leaks(page.get_data(as_text=True)) == []
        assert _approve(client, req).status_code == 403
    else:
        assert page.status_code == 404 and _approve(client, req).status_code == 404
        assert FILE_NAME not in client.get("/transfers/").get_data(as_text=True)
    assert _fresh(req).status is TransferStatus.PENDING


def test_a_district_decides_between_its_communes(app, make):
    neighbour = make.person(SECRET_NAME, "Xã Đắk La", cccd=make.cccd(), start=dt.date(2020, 1, 1))
    commune = _client(app, make, "hring", UserRole.OFFICER, "Xã Đắk Hring")
    batch = _upload(commune, _xlsx([_row(neighbour.cccd, unit="Xã Đắk Hring")]))
    commune.post(f"/imports/{batch.id}/confirm")
    req = db.session.execute(sa.select(TransferRequest)).scalar_one()
    assert _approve(commune, req).status_code == 403
    district = _client(app, make, "dakha2", UserRole.OFFICER, "Huyện Đắk Hà")
    assert "Đã duyệt" in _approve(district, req).get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Person, neighbour.id).unit.name == "Xã Đắk Hring"


def test_the_service_refuses_without_http(ctx, make, person):
    req = TransferRequest(unit_id=make.unit("Xã Đắk La").id, from_unit_id=person.unit_id,
                          person_id=person.id, requested_by="t", role=person.appointments[0].role,
                          level=person.appointments[0].level, status=TransferStatus.PENDING,
                          values={"full_name": FILE_NAME, "cccd": person.cccd, "unit": "Xã Đắk La",
                                  "role": "TTV", "level": "xã"})
    ctx.add(req)
    ctx.commit()
    with access.scoped(access.scope_for_unit(make.unit("Huyện Đắk Hà"))):
        with pytest.raises(access.AccessDenied):
            service.approve(ctx, req, DAY, expected_version=req.version)
    ctx.rollback()
    with access.scoped(None):
        with pytest.raises(StaleEdit):
            service.reject(ctx, req, "lý do", expected_version=req.version + 1)
        with pytest.raises(RuleViolation, match="sau 01/01/2020"):
            service.approve(ctx, req, dt.date(2019, 6, 1), expected_version=req.version)
        service.reject(ctx, req, "lý do", expected_version=req.version)
        ctx.commit()
        with pytest.raises(RuleViolation, match="đã được xử lý"):
            service.approve(ctx, req, DAY, expected_version=req.version)


def test_the_deciders_day_wins_over_the_files_start_and_the_decision_comes_along(
        province, req, person):
    req.values = {**req.values, "start_date": "2025-03-01", "decision_no": "12-QĐ/HU",
                  "decision_date": "2025-02-20"}
    db.session.commit()
    _approve(province, _fresh(req))
    db.session.expire_all()
    new = next(a for a in db.session.get(Person, person.id).appointments if a.end_date is None)
    assert (new.start_date, new.decision_no, new.decision_date) == (
        DAY, "12-QĐ/HU", dt.date(2025, 2, 20))
    page = province.get(f"/transfers/{req.id}").get_data(as_text=True)
    assert "12-QĐ/HU" in page and "Số quyết định" in page
