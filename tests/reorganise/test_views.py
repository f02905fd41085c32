"""The reorganisation pages through the Flask test client: a registry where the reorganisation
has not been run (the legacy Kon Tum tree) gets a banner, a preview that writes nothing, a
confirm that runs it once, then the follow-up lists and their bulk forms."""
from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from models import Appointment, EndReason, Level, Person, Role, SuccessorReview, User, UserRole, db
from tests.factories import IMPORT_TABLES, PASSWORD, dump

BANNER = "Dữ liệu còn theo cây đơn vị trước ngày 01/7/2025"
# What a preview or a refused run may write: its job's row and the audit of it.
JOB_TABLES = {"audit_log", "reorganise_jobs"}


@pytest.fixture
def legacy(make):
    """Before the run: a TTV of Thị trấn Đắk Hà (→ Xã Đăk Hà), a BCV cấp huyện of Huyện Đắk Hà,
    an activity after 01-7-2025 still on the old commune, the district's account `dakha`."""
    ttv = make.person("Phạm Thị Thị Trấn", "Thị trấn Đắk Hà", start=dt.date(2023, 4, 1))
    make.activity(ttv, dt.date(2025, 9, 2))
    bcv = make.person("Trần Văn Huyện", "Huyện Đắk Hà", role=Role.BCV, level=Level.HUYEN,
                      start=dt.date(2021, 5, 1))
    bcv.appointments[0].decision_no = "45-QĐ/HU"
    db.session.commit()
    make.user("dakha", UserRole.OFFICER, "Huyện Đắk Hà")
    make.user("admin", UserRole.ADMIN, "Tỉnh Kon Tum")
    return {"ttv": ttv.id, "bcv": bcv.id}


def _text(resp) -> str:
    return re.sub(r"\s+", " ", resp.get_data(as_text=True))


def _confirm(client, day="01/07/2025"):
    return client.post("/reorganise/confirm", data={"day": day})


def _job_url(resp) -> str:
    """The job page a preview or confirm leads to (the job ran at once: JOBS_IMMEDIATE)."""
    assert resp.status_code == 302 and re.search(r"/reorganise/jobs/\d+$", resp.location), \
        resp.location
    return resp.location


def test_the_admin_sees_the_banner_previews_confirms_and_a_second_confirm_is_harmless(
        legacy, login):
    client = login("admin")
    assert BANNER in _text(client.get("/"))
    page = _text(client.get("/reorganise/"))
    assert "Xem trước" in page and BANNER in page
    before = dump(exclude=IMPORT_TABLES | JOB_TABLES)
    preview = _text(client.get(_job_url(client.post("/reorganise/preview",
                                                      data={"day": "01/07/2025"}))))
    # the preview wrote nothing but its job's row
    assert dump(exclude=IMPORT_TABLES | JOB_TABLES) == before
    for text in ("Phạm Thị Thị Trấn", "Thị trấn Đắk Hà", "Xã Đăk Hà", "Trần Văn Huyện",
                 "dakha", "Xác nhận sắp xếp", "BCV cấp huyện cần công nhận lại (1)"):
        assert text in preview, text
    result = _text(client.get(_job_url(_confirm(client))))
    assert "Đã sắp xếp lại dữ liệu theo cơ cấu đơn vị mới." in result
    assert "Phạm Thị Thị Trấn" in result and "Xã Đăk Hà" in result
    db.session.expire_all()
    ttv = db.session.get(Person, legacy["ttv"])
    assert ttv.unit.name == "Xã Đăk Hà"
    assert sorted((a.end_reason, a.unit_name_snapshot) for a in ttv.appointments
                  if a.end_date) == [(EndReason.SAP_XEP, "Thị trấn Đắk Hà")]
    home = _text(client.get("/"))
    assert BANNER not in home, home[home.index("banner"):][:400]
    again = client.post("/reorganise/confirm", data={"day": "01/07/2025"})
    assert again.location.endswith("/reorganise/")  # refused: nothing queued
    assert "đã sắp xếp trước đó" in _text(client.get(again.location))
    assert db.session.execute(sa.select(sa.func.count()).select_from(
        sa.table("reorganise_jobs"))).scalar() == 2
    assert db.session.execute(sa.select(sa.func.count()).select_from(
        sa.table("reorganisations"))).scalar() == 1


def test_officers_get_403_on_the_admin_pages_and_no_banner(legacy, login):
    client = login("dakha")
    assert BANNER not in _text(client.get("/"))
    for method, url in (("GET", "/reorganise/"), ("POST", "/reorganise/preview"),
                        ("GET", "/reorganise/preview?day=01/07/2025"),
                        ("POST", "/reorganise/confirm"), ("GET", "/reorganise/result"),
                        ("GET", "/reorganise/jobs/1"),
                        ("GET", "/reorganise/rerecognition"), ("GET", "/reorganise/accounts"),
                        ("POST", "/reorganise/accounts/move")):
        assert client.open(url, method=method, data={"day": "01/07/2025"}).status_code == 403, url
    assert client.get("/reorganise/reviews").status_code == 200
    db.session.expire_all()
    assert db.session.get(Person, legacy["ttv"]).unit.name == "Thị trấn Đắk Hà"


@pytest.mark.parametrize("day, message", [
    ("31/02/2025", "không hợp lệ"),
    ("", "Vui lòng nhập ngày bắt đầu cơ cấu mới"),
    ("02/07/2025", "hãy chọn ngày đó"),
])
def test_a_bad_day_is_explained_and_changes_nothing(legacy, login, day, message):
    client = login("admin")
    before = dump(exclude=IMPORT_TABLES | JOB_TABLES)
    page = client.post("/reorganise/preview", data={"day": day}, follow_redirects=True)
    assert page.status_code == 200 and message in _text(page)
    resp = _confirm(client, day)
    assert resp.status_code == 302
    assert dump(exclude=IMPORT_TABLES | JOB_TABLES) == before


def test_a_confirm_without_its_csrf_token_is_refused(legacy, client, csrf_on):
    def token(html: str) -> str:
        return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)

    client.post("/login", data={"username": "admin", "password": PASSWORD,
                                "csrf_token": token(client.get("/login").get_data(True))})
    refused = client.post("/reorganise/confirm", data={"day": "01/07/2025"})
    assert refused.status_code == 400 and "Phiên làm việc của biểu mẫu" in _text(refused)
    index = client.get("/reorganise/").get_data(True)
    assert client.post("/reorganise/preview", data={"day": "01/07/2025"}).status_code == 400
    job = _job_url(client.post("/reorganise/preview", data={"day": "01/07/2025",
                                                            "csrf_token": token(index)}))
    preview = client.get(job).get_data(True)
    resp = client.post("/reorganise/confirm", data={"day": "01/07/2025",
                                                    "csrf_token": token(preview)})
    assert "Đã sắp xếp lại dữ liệu" in _text(client.get(_job_url(resp)))


def test_rerecognition_page_reappoints_the_ticked_bcv_under_one_decision(legacy, login):
    client = login("admin")
    _confirm(client)
    page = _text(client.get("/reorganise/rerecognition"))
    assert "Trần Văn Huyện" in page and "45-QĐ/HU" in page
    appt = db.session.execute(sa.select(Appointment).where(
        Appointment.person_id == legacy["bcv"])).scalars().one()
    form = {"appointment_ids": [appt.id], "action": "tinh", "decision_no": "15-QĐ/BTGDVTU",
            "decision_date": "10/01/2026", "decision_body": "Ban Thường vụ Tỉnh ủy Quảng Ngãi",
            "start_date": "01/02/2026", "term": "2025-2030"}
    bad = _text(client.post("/reorganise/rerecognition", data={**form, "start_date": "31/13/2026"}))
    assert "không hợp lệ" in bad and "chưa có gì được lưu" in bad
    bad = _text(client.post("/reorganise/rerecognition", data={**form, "action": "xa"}))
    assert "Vui lòng chọn xã, phường hoặc đặc khu." in bad
    resp = client.post("/reorganise/rerecognition", data=form)
    assert resp.status_code == 302
    db.session.expire_all()
    person = db.session.get(Person, legacy["bcv"])
    assert sorted((a.level, a.start_date, a.end_date) for a in person.appointments) == [
        (Level.HUYEN, dt.date(2021, 5, 1), dt.date(2026, 1, 31)),
        (Level.TINH, dt.date(2026, 2, 1), None)]
    assert person.unit.name == "Tỉnh Quảng Ngãi"
    assert "Trần Văn Huyện" not in _text(client.get("/reorganise/rerecognition"))
    assert client.post("/reorganise/rerecognition",
                       data={**form, "appointment_ids": [987654]}).status_code == 404


def test_accounts_of_abolished_units_move_in_one_click(legacy, login):
    client = login("admin")
    _confirm(client)
    page = _text(client.get("/reorganise/accounts"))
    assert "dakha" in page and "Chuyển về Tỉnh Quảng Ngãi" in page
    dakha = db.session.execute(sa.select(User).where(User.username == "dakha")).scalar_one()
    root = db.session.execute(sa.text(
        "SELECT id FROM units WHERE name = 'Tỉnh Quảng Ngãi' AND valid_to IS NULL")).scalar()
    assert client.post("/reorganise/accounts/move",
                       data={"user_id": 987654, "unit_id": root}).status_code == 404
    resp = client.post("/reorganise/accounts/move", data={"user_id": dakha.id, "unit_id": root},
                       follow_redirects=True)
    assert "Đã chuyển tài khoản dakha về Tỉnh Quảng Ngãi." in _text(resp)
    db.session.expire_all()
    assert db.session.get(User, dakha.id).unit_id == root
    again = client.post("/reorganise/accounts/move", data={"user_id": dakha.id, "unit_id": root},
                        follow_redirects=True)
    assert "đã thuộc đơn vị còn hiệu lực" in _text(again)


@pytest.fixture
def divided(world2025, make):
    """Today's tree with old Xã Trà Bùi (divided: Xã Cà Đam by default, or Xã Tây Trà Bồng)
    still holding a TTV, and the officers of both successors."""
    old = db.session.execute(sa.text(
        "SELECT id FROM units WHERE gso_code = '21142' AND valid_to IS NOT NULL")).scalar()
    from models import Unit

    person = make.person("Hồ Thị Chia Tách", db.session.get(Unit, old), start=dt.date(2022, 1, 1))
    make.user("qt", UserRole.ADMIN, "Tỉnh Quảng Ngãi")
    make.user("cadam", UserRole.OFFICER, "Xã Cà Đam")
    make.user("taytra", UserRole.OFFICER, "Xã Tây Trà Bồng")
    return person.id


def test_the_other_successor_is_the_admins_pick_not_the_officers(divided, login, client):
    login("qt")
    _confirm(client)
    client.post("/logout")
    login("taytra")
    assert "Hồ Thị Chia Tách" not in _text(client.get("/reorganise/reviews"))
    client.post("/logout")
    login("cadam")
    page = _text(client.get("/reorganise/reviews"))
    assert "Hồ Thị Chia Tách" in page and "Xã Cà Đam (mặc định)" in page
    review = db.session.execute(sa.select(SuccessorReview)).scalar_one()
    taytra = db.session.execute(sa.text(
        "SELECT id FROM units WHERE name = 'Xã Tây Trà Bồng'")).scalar()
    elsewhere = db.session.execute(sa.text(
        "SELECT id FROM units WHERE name = 'Xã Đăk Hà'")).scalar()
    refused = client.post("/reorganise/reviews", data={
        "review_ids": [review.id], f"successor_{review.id}": elsewhere, "action": "chosen"},
        follow_redirects=True)
    assert "không phải đơn vị kế thừa" in _text(refused)
    assert client.post("/reorganise/reviews", data={
        "review_ids": [987654], "action": "default"}).status_code == 404
    pick = {"review_ids": [review.id], f"successor_{review.id}": taytra, "action": "chosen"}
    refused = client.post("/reorganise/reviews", data=pick, follow_redirects=True)
    assert "nằm ngoài đơn vị của bạn" in _text(refused)
    db.session.expire_all()
    assert db.session.get(Person, divided).unit.name == "Xã Cà Đam"
    client.post("/logout")
    login("qt")
    assert client.post("/reorganise/reviews", data=pick).status_code == 302
    db.session.expire_all()
    person = db.session.get(Person, divided)
    assert person.unit.name == "Xã Tây Trà Bồng"
    assert "Hồ Thị Chia Tách" not in _text(client.get("/reorganise/reviews"))
