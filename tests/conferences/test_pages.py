"""Conference pages: create with validation, points and their warnings, attendance ticked at once,
the commune's view of the province's conference, deletion rules, the missed list and its xlsx,
the person page, garbage query strings, and the course kind no longer offered."""
import datetime as dt
import io

import openpyxl
import pytest
import sqlalchemy as sa

from models import (
    AuditLog,
    Conference,
    ConferenceAttendance,
    ConferencePoint,
    CourseKind,
    Level,
    OrgLevel,
    Role,
    UserRole,
    db,
)
from tests.factories import count

D = dt.date
HRING, DAKLA = "Xã Đắk Hring", "Xã Đắk La"


def _form(make, **over):
    data = {"topic": "Hội nghị báo cáo viên tháng 11/2026", "date": "05/11/2026", "end_date": "",
            "unit_id": make.unit("Tỉnh Kon Tum").id, "level": "tinh", "form": "truc_tuyen",
            "presenter": "Đồng chí Trưởng ban", "hours": "4", "place": "Hội trường Tỉnh ủy"}
    data.update(over)
    return data


@pytest.mark.parametrize("field,value,message", [
    ("topic", "  ", "Vui lòng nhập chủ đề hội nghị."),
    ("date", "31/02/2026", "không hợp lệ"),
    ("end_date", "01/11/2026", "Ngày kết thúc không được trước ngày họp."),
    ("form", "xyz", "Giá trị được chọn không hợp lệ."),
    ("hours", "-1", "Phải là số nguyên từ 1 đến 200."),
])
def test_create_validation_nothing_saved(admin, make, field, value, message):
    resp = admin.post("/conferences/new", data=_form(make, **{field: value}))
    assert resp.status_code == 200 and message in resp.get_data(as_text=True)
    assert count(Conference) == 0 and count(ConferencePoint) == 0


def test_admin_records_a_conference_points_and_attendance(admin, make):
    bcv = make.person("A Báo Cáo", HRING, role=Role.BCV, level=Level.HUYEN)
    make.person("B Tuyên Truyền", HRING)
    resp = admin.post("/conferences/new", data=_form(make))
    conf = db.session.execute(sa.select(Conference)).scalar_one()
    assert resp.headers["Location"].endswith(f"/conferences/{conf.id}")
    assert [p.place for p in conf.points] == ["Hội trường Tỉnh ủy"]  # the organiser's point
    for unit in (HRING, DAKLA):
        resp = admin.post(f"/conferences/{conf.id}/points/new",
                          data={"unit_id": make.unit(unit).id, "place": f"Hội trường {unit}",
                                "participants": "35"}, follow_redirects=True)
        assert f"Đã thêm điểm cầu {unit}." in resp.get_data(as_text=True)
    again = admin.post(f"/conferences/{conf.id}/points/new",
                       data={"unit_id": make.unit(HRING).id, "place": "Khác"})
    assert "mỗi đơn vị chỉ một điểm cầu" in again.get_data(as_text=True)
    assert count(ConferencePoint) == 3
    point = db.session.execute(sa.select(ConferencePoint).join(ConferencePoint.unit)
                               .where(ConferencePoint.place == f"Hội trường {HRING}")).scalar_one()
    page = admin.get(f"/conference-points/{point.id}/attendance").get_data(as_text=True)
    assert "A Báo Cáo" in page and "B Tuyên Truyền" not in page
    resp = admin.post(f"/conference-points/{point.id}/attendance",
                      data={"person_ids": [str(bcv.id)]}, follow_redirects=True)
    assert "Đã ghi 1 báo cáo viên dự tại điểm cầu Xã Đắk Hring." in resp.get_data(as_text=True)
    listed = admin.get("/conferences").get_data(as_text=True)
    assert "Hội nghị báo cáo viên tháng 11/2026" in listed and "Đồng chí Trưởng ban" in listed
    assert '<td class="num">3</td>' in listed and '<td class="num">1</td>' in listed
    # Deleting is refused while someone attended; the attendance goes first, then the points.
    resp = admin.post(f"/conferences/{conf.id}/delete", follow_redirects=True)
    assert "Không thể xóa hội nghị đã ghi 1 người dự" in resp.get_data(as_text=True)
    refused = admin.post(f"/conference-points/{point.id}/delete", follow_redirects=True)
    assert "hãy bỏ họ khỏi danh sách" in refused.get_data(as_text=True)
    att = db.session.execute(sa.select(ConferenceAttendance)).scalar_one()
    admin.post(f"/conference-attendances/{att.id}/delete")
    admin.post(f"/conferences/{conf.id}/delete")
    assert count(Conference) == 0 and count(ConferencePoint) == 0


def test_direct_conference_with_two_points_is_warned(admin, make):
    admin.post("/conferences/new", data=_form(make, form="truc_tiep"))
    conf = db.session.execute(sa.select(Conference)).scalar_one()
    resp = admin.post(f"/conferences/{conf.id}/points/new",
                      data={"unit_id": make.unit(HRING).id}, follow_redirects=True)
    assert "Hội nghị trực tiếp thường chỉ có một điểm cầu" in resp.get_data(as_text=True)


def test_forged_or_out_of_scope_attendance_saves_nothing(make, login):
    make.user("dakha", UserRole.OFFICER, "Huyện Đắk Hà")
    conf = make.conference("Huyện Đắk Hà", D(2026, 10, 15), level=OrgLevel.HUYEN)
    point = make.point(conf, "Huyện Đắk Hà")
    mine = make.person("A Của Huyện", HRING, role=Role.BCV, level=Level.HUYEN)
    theirs = make.person("B Huyện Khác", "Huyện Sa Thầy", role=Role.BCV, level=Level.HUYEN)
    client = login("dakha")
    resp = client.post(f"/conference-points/{point.id}/attendance",
                       data={"person_ids": [str(mine.id), str(theirs.id)]})
    assert "không thuộc phạm vi của bạn; chưa ghi ai" in resp.get_data(as_text=True)
    resp = client.post(f"/conference-points/{point.id}/attendance", data={})
    assert "Chưa chọn báo cáo viên nào." in resp.get_data(as_text=True)
    assert count(ConferenceAttendance) == 0


def test_commune_sees_province_conference_read_only_and_its_own_point(make, login):
    conf = make.conference("Tỉnh Kon Tum", D(2026, 10, 15), topic="Hội nghị tỉnh tháng 10")
    own = make.point(conf, HRING, participants=20)
    other = make.point(conf, DAKLA, place="Nhà văn hóa Đắk La")
    mine = make.person("A Ở Hring", HRING, role=Role.BCV, level=Level.HUYEN)
    theirs = make.person("B Ở Đắk La", DAKLA, role=Role.BCV, level=Level.HUYEN)
    make.attend_conference(mine, conf, own)
    their_att = make.attend_conference(theirs, conf, other)
    at_province = make.person("C Dự Ở Tỉnh", HRING, role=Role.BCV, level=Level.HUYEN)
    make.attend_conference(at_province, conf, make.point(conf, "Tỉnh Kon Tum"))
    make.user("hring", UserRole.OFFICER, HRING)
    client = login("hring")
    page = client.get(f"/conferences/{conf.id}").get_data(as_text=True)
    assert "Hội nghị tỉnh tháng 10" in page and "A Ở Hring" in page
    assert "B Ở Đắk La" not in page and "Nhà văn hóa Đắk La" not in page
    assert "Sửa hội nghị" not in page and "+ Thêm điểm cầu" not in page
    assert "1 trong phạm vi của bạn, tổng cộng 3" in page
    # The counts over every unit (registry/conferences/service.py totals, unscoped) name no one.
    listing = client.get("/conferences").get_data(as_text=True)
    assert "Hội nghị tỉnh tháng 10" in listing
    assert "B Ở Đắk La" not in listing and "Nhà văn hóa Đắk La" not in listing
    person = client.get(f"/persons/{at_province.id}").get_data(as_text=True)
    assert "Hội nghị tỉnh tháng 10" in person and "vắng 0" in person  # its point unseen: "—"
    assert client.get(f"/conferences/{conf.id}/edit").status_code == 403
    assert client.get(f"/conferences/{conf.id}/points/new").status_code == 403
    assert client.get(f"/conference-points/{other.id}/edit").status_code == 404
    assert client.post(f"/conference-attendances/{their_att.id}/delete").status_code == 404
    # Their own point: the place and participants, never its unit, and never deleting it.
    resp = client.post(f"/conference-points/{own.id}/edit",
                       data={"place": "Hội trường xã", "participants": "42",
                             "unit_id": make.unit(DAKLA).id})
    assert resp.status_code == 302
    db.session.refresh(own)
    assert (own.place, own.participants, own.unit.name) == ("Hội trường xã", 42, HRING)
    assert client.post(f"/conference-points/{own.id}/delete").status_code == 403
    assert count(ConferencePoint) == 3


def test_missed_list_xlsx_and_person_page(admin, make):
    make.conference("Tỉnh Kon Tum", D(2026, 3, 10))
    april = make.conference("Tỉnh Kon Tum", D(2026, 4, 10), topic="Tháng 4")
    came = make.person("A Đi Đủ", HRING, role=Role.BCV, level=Level.HUYEN, start=D(2026, 4, 1))
    absent = make.person("B Vắng Hai", DAKLA, role=Role.BCV, level=Level.HUYEN)
    make.attend_conference(came, make.conference("Tỉnh Kon Tum", D(2026, 4, 20), topic="X"))
    make.attend_conference(came, april)
    page = admin.get("/conferences/missed?year=2026").get_data(as_text=True)
    assert page.index("B Vắng Hai") < page.index("A Đi Đủ")
    resp = admin.get("/conferences/missed.xlsx?year=2026")
    ws = openpyxl.load_workbook(io.BytesIO(resp.data)).active
    rows = [r for r in ws.iter_rows(values_only=True) if r[1] in ("A Đi Đủ", "B Vắng Hai")]
    assert rows == [(1, "B Vắng Hai", DAKLA, 3, 0, 3), (2, "A Đi Đủ", HRING, 2, 2, 0)]
    assert ws["A1"].value.startswith("ĐẢNG BỘ") and "NĂM 2026" in ws["A5"].value
    log = db.session.execute(sa.select(AuditLog).where(AuditLog.entity == "security")
                             .order_by(AuditLog.id.desc())).scalars().first()
    assert (log.action, log.after["file"]) == ("export", "bcv-vang-hoi-nghi-2026.xlsx")
    person = admin.get(f"/persons/{absent.id}").get_data(as_text=True)
    assert "Hội nghị báo cáo viên (0)" in person and "vắng 3" in person


def test_garbage_query_strings(admin, make):
    make.conference("Tỉnh Kon Tum")
    resp = admin.get("/conferences?year=abc&from=99/99/9999&unit=-1&form=zz")
    body = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "Năm «abc» không hợp lệ" in body
    assert "Hội nghị báo cáo viên tháng 10" in body
    assert admin.get("/conferences?page=0").status_code == 400
    assert admin.get("/conferences?page=99").status_code == 200
    for url in ("/conferences/missed?year=99999&unit=abc", "/conferences/missed.xlsx?year=-1"):
        assert admin.get(url).status_code == 200, url


def test_new_courses_no_longer_take_the_conference_kind(admin, make):
    page = admin.get("/courses/new").get_data(as_text=True)
    assert 'value="hoi_nghi_bcv"' not in page
    old = make.course("Tỉnh Kon Tum", name="Hội nghị cũ", kind=CourseKind.HOI_NGHI_BCV)
    assert 'value="hoi_nghi_bcv" selected' in admin.get(
        f"/courses/{old.id}/edit").get_data(as_text=True)
