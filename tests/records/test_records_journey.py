"""The issue's "done when", as one officer's morning: a course with 30 attendees, a month of
payments for the district with its sheet, a commendation, a discipline, and eligibility that
changes when the discipline comes into force and again when it expires."""
import datetime as dt
import re

import sqlalchemy as sa

from models import Attendance, Level, PaymentKind, Role, UserRole, db
from registry.eligibility.rules import evaluate

D = dt.date


def test_an_officers_morning(make, login):
    make.user("dakha", UserRole.OFFICER, "Huyện Đắk Hà")
    make.rate(Role.TTV, Level.CO_SO, PaymentKind.PHU_CAP_THANG, 200_000)
    make.rate(Role.BCV, Level.HUYEN, PaymentKind.THU_LAO_BUOI, 600_000)
    ttv = [make.person(f"Tuyên Truyền {i:02d}", "Xã Hà Mòn", political_theory="so_cap",
                       party_member=True) for i in range(30)]
    bcv = make.person("Báo Cáo Viên", "Huyện Đắk Hà", role=Role.BCV, level=Level.HUYEN)
    client = login("dakha")
    unit = make.unit("Huyện Đắk Hà").id

    # 1. A course and its 30 attendees: create, filter on the commune, add the whole filter.
    client.post("/courses/new", data={
        "name": "Tập huấn TTV xã Hà Mòn", "kind": "tap_huan", "level": "huyen", "unit_id": unit,
        "start_date": "03/03/2025", "end_date": "04/03/2025", "form": "truc_tiep"})
    course_id = int(re.search(r"/courses/(\d+)", client.get("/courses").get_data(as_text=True))[1])
    client.post(f"/courses/{course_id}/attendees", data={
        "all_matching": "1", "unit": make.unit("Xã Hà Mòn").id, "role": "TTV", "status": "active",
        "result": "hoan_thanh"})
    assert db.session.execute(sa.select(sa.func.count(Attendance.id))).scalar() == 30

    # 2. Sessions, then the month's payments for the district and its sheet.
    for day in ("05/03/2025", "19/03/2025"):
        client.post(f"/persons/{bcv.id}/activities/new", data={
            "date": day, "appointment_id": bcv.appointments[0].id, "topic": "Chỉ thị 30-CT/TW",
            "unit_id": make.unit("Xã Hà Mòn").id, "form": "truc_tiep", "audience": "60"})
    preview = client.get(f"/units/{unit}/payments/generate?month=2025-03").get_data(as_text=True)
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', preview)[1]
    sheet = client.post(
        f"/units/{unit}/payments/generate",
        data={"month": "2025-03", "token": token},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Tổng cộng (31 người)" in sheet and "7.200.000" in sheet
    assert "Bảy triệu hai trăm nghìn đồng" in sheet  # 30 × 200.000 + 2 × 600.000

    # 3. A commendation and a discipline for one TTV.
    person = ttv[0]
    assert (
        client.post(
            f"/persons/{person.id}/commendations/new",
            data={
                "form": "giay_khen",
                "issuer_level": "huyen",
                "issuer": "Huyện ủy Đắk Hà",
                "year": "2024",
                "decision_no": "88-QĐ/HU",
                "decision_date": "10/01/2025",
            },
        ).status_code
        == 302
    )
    assert (
        client.post(
            f"/persons/{person.id}/disciplines/new",
            data={
                "system": "dang",
                "form": "khien_trach",
                "decision_no": "7-QĐ/UBKT",
                "decision_date": "01/04/2025",
                "effective_from": "01/04/2025",
                "effective_until": "30/09/2025",
            },
        ).status_code
        == 302
    )
    page = client.get(f"/persons/{person.id}").get_data(as_text=True)
    assert "88-QĐ/HU" in page and "7-QĐ/UBKT" in page and "Tập huấn TTV xã Hà Mòn" in page

    # 4. Eligibility: before, on the first and last day in force, the day after it expires.
    db.session.expire_all()
    assert evaluate(person, Role.TTV, Level.CO_SO, D(2025, 3, 31)).ok
    assert not evaluate(person, Role.TTV, Level.CO_SO, D(2025, 4, 1)).ok
    assert not evaluate(person, Role.TTV, Level.CO_SO, D(2025, 9, 30)).ok
    assert evaluate(person, Role.TTV, Level.CO_SO, D(2025, 10, 1)).ok
