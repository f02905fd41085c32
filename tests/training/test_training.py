"""Training: courses, ticking 30 attendees at once, results, scope of a provincial course,
no deletion while attended, the training history and the overdue list."""
import datetime as dt

import pytest
import sqlalchemy as sa

from models import Attendance, AuditLog, Course, TrainingResult, UserRole, db
from tests.factories import count

D = dt.date


def _course_form(make, **over):
    data = {"name": "Tập huấn TTV cơ sở năm 2025", "kind": "tap_huan", "level": "huyen",
            "unit_id": make.unit("Huyện Đắk Hà").id, "start_date": "10/03/2025",
            "end_date": "12/03/2025", "form": "truc_tiep", "hours": "16",
            "place": "Hội trường Huyện ủy"}
    data.update(over)
    return data


def test_create_course_and_audit(officer, make):
    resp = officer.post("/courses/new", data=_course_form(make))
    assert resp.status_code == 302
    course = db.session.execute(sa.select(Course)).scalar_one()
    assert (course.end_date, course.hours, course.unit.name) == (D(2025, 3, 12), 16, "Huyện Đắk Hà")
    entry = db.session.execute(sa.select(AuditLog).where(AuditLog.entity == "courses")).scalar_one()
    assert entry.action == "create" and entry.actor == "dakha"
    # One day: no end date needed.
    officer.post("/courses/new", data=_course_form(make, name="Hội nghị", end_date=""))
    one_day = db.session.execute(sa.select(Course).where(Course.name == "Hội nghị")).scalar_one()
    assert one_day.end_date == one_day.start_date


@pytest.mark.parametrize("field,value,message", [
    ("name", "  ", "Vui lòng nhập tên khóa học."),
    ("kind", "", "Vui lòng chọn loại."),
    ("kind", "xyz", "Giá trị được chọn không hợp lệ."),
    ("end_date", "09/03/2025", "Ngày kết thúc không được trước ngày bắt đầu."),
    ("start_date", "32/01/2025", "không hợp lệ; hãy nhập theo dạng dd/mm/yyyy"),
    ("hours", "-4", "Phải là số nguyên từ 1 đến 2.000."),
    ("hours", "abc", "Phải là số nguyên từ 1 đến 2.000."),
    ("unit_id", "", "Vui lòng chọn đơn vị."),
])
def test_course_validation_nothing_saved(officer, make, field, value, message):
    resp = officer.post("/courses/new", data=_course_form(make, **{field: value}))
    assert resp.status_code == 200 and message in resp.get_data(as_text=True)
    assert count(Course) == 0


def test_course_of_another_district_refused(officer, make):
    resp = officer.post(
        "/courses/new", data=_course_form(make, unit_id=make.unit("Huyện Sa Thầy").id)
    )
    assert "Giá trị được chọn không hợp lệ." in resp.get_data(as_text=True)
    assert count(Course) == 0


def test_tick_and_add_thirty_attendees(officer, make):
    people = [make.person(f"Người Số {i:02d}", "Xã Đắk La") for i in range(30)]
    make.person("Người Sa Thầy", "Huyện Sa Thầy")
    course = make.course("Huyện Đắk Hà")
    page = officer.get(
        f"/courses/{course.id}/attendees", query_string={"unit": make.unit("Xã Đắk La").id}
    ).get_data(as_text=True)
    assert page.count('name="person_ids"') == 30 and "Người Sa Thầy" not in page
    ticked = [p.id for p in people[:10]]
    resp = officer.post(f"/courses/{course.id}/attendees", data={"person_ids": ticked})
    assert resp.status_code == 302 and count(Attendance) == 10
    # The whole filter in one click; those already there are counted, not duplicated.
    resp = officer.post(
        f"/courses/{course.id}/attendees",
        data={
            "all_matching": "1",
            "unit": make.unit("Xã Đắk La").id,
            "status": "active",
            "result": "hoan_thanh",
        },
        follow_redirects=True,
    )
    assert "Đã thêm 20 người; 10 người đã có trong danh sách." in resp.get_data(as_text=True)
    assert count(Attendance) == 30
    assert count(Attendance, result=TrainingResult.HOAN_THANH) == 20
    assert (
        db.session.execute(
            sa.select(sa.func.count(AuditLog.id)).where(AuditLog.entity == "attendances")
        ).scalar()
        == 30
    )


def test_people_outside_scope_are_never_added(officer, make):
    outsider = make.person("Người Sa Thầy", "Huyện Sa Thầy")
    course = make.course("Huyện Đắk Hà")
    officer.post(f"/courses/{course.id}/attendees", data={"person_ids": [outsider.id]})
    assert count(Attendance) == 0


def test_results_saved_at_once_with_errors_beside_the_row(officer, make):
    course = make.course("Huyện Đắk Hà")
    a = make.attend(make.person("A Một", "Xã Đắk La"), course, None)
    b = make.attend(make.person("A Hai", "Xã Đắk La"), course, None)
    resp = officer.post(
        f"/courses/{course.id}/results",
        data={f"result_{a.id}": "gioi", f"cert_{a.id}": "GCN-01", f"result_{b.id}": "bogus"},
    )
    assert "Kết quả không hợp lệ." in resp.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Attendance, a.id).result is None  # nothing half-saved
    resp = officer.post(
        f"/courses/{course.id}/results",
        data={
            f"result_{a.id}": "gioi",
            f"cert_{a.id}": "GCN-01",
            f"result_{b.id}": "khong_hoan_thanh",
        },
    )
    assert resp.status_code == 302
    db.session.expire_all()
    assert db.session.get(Attendance, a.id).certificate_no == "GCN-01"
    assert db.session.get(Attendance, b.id).result is TrainingResult.KHONG_HOAN_THANH


def test_no_result_before_the_course_takes_place(officer, make):
    later = dt.date.today() + dt.timedelta(days=30)
    course = make.course("Huyện Đắk Hà", start=later)
    person = make.person("A Một", "Xã Đắk La")
    resp = officer.post(
        f"/courses/{course.id}/attendees", data={"person_ids": [person.id], "result": "hoan_thanh"}
    )
    assert "Khóa học chưa diễn ra nên chưa thể ghi kết quả." in resp.get_data(as_text=True)
    assert count(Attendance) == 0


def test_course_with_attendance_cannot_be_deleted(officer, make):
    course = make.course("Huyện Đắk Hà")
    # Someone the officer cannot see (moved to Sa Thầy) still holds the course.
    make.attend(make.person("Người Sa Thầy", "Huyện Sa Thầy"), course)
    resp = officer.post(f"/courses/{course.id}/delete", follow_redirects=True)
    assert "Không thể xóa khóa học đang có 1 người tham gia" in resp.get_data(as_text=True)
    assert count(Course) == 1
    db.session.execute(sa.delete(Attendance))
    db.session.commit()
    assert officer.post(f"/courses/{course.id}/delete").status_code == 302
    assert count(Course) == 0


def test_provincial_course_seen_from_a_district(officer, make):
    """A district officer sees a course the province organised, with only their own people;
    they may add and grade their people but not change the course."""
    course = make.course("Tỉnh Kon Tum", name="Bồi dưỡng BCV của tỉnh")
    make.attend(make.person("Người Sa Thầy", "Huyện Sa Thầy"), course)
    mine = make.person("Người Đắk Hà", "Xã Đắk La")
    html = officer.get(f"/courses/{course.id}").get_data(as_text=True)
    assert "Bồi dưỡng BCV của tỉnh" in html and "Người Sa Thầy" not in html
    assert "Sửa khóa học" not in html
    assert "Bồi dưỡng BCV của tỉnh" in officer.get("/courses").get_data(as_text=True)
    assert officer.get(f"/courses/{course.id}/edit").status_code == 403
    assert officer.post(f"/courses/{course.id}/delete").status_code == 403
    assert (
        officer.post(f"/courses/{course.id}/attendees", data={"person_ids": [mine.id]}).status_code
        == 302
    )
    html = officer.get(f"/courses/{course.id}").get_data(as_text=True)
    assert "Người Đắk Hà" in html and "trong phạm vi của bạn, tổng cộng 2" in html


def test_sibling_course_hidden_unless_own_people_attended(officer, make):
    course = make.course("Huyện Sa Thầy", name="Tập huấn của Sa Thầy")
    assert officer.get(f"/courses/{course.id}").status_code == 404
    assert "Tập huấn của Sa Thầy" not in officer.get("/courses").get_data(as_text=True)
    guest = make.person("Khách Đắk Hà", "Xã Đắk La")
    make.attend(guest, course)
    assert officer.get(f"/courses/{course.id}").status_code == 200
    assert officer.get(f"/courses/{course.id}/edit").status_code == 403
    assert "Tập huấn của Sa Thầy" in officer.get(f"/persons/{guest.id}").get_data(as_text=True)


def test_commune_user_sees_district_course_not_district_people(make, login):
    make.user("xa", UserRole.OFFICER, "Xã Đắk Hring")
    course = make.course("Huyện Đắk Hà", name="Tập huấn huyện")
    make.attend(make.person("BCV Huyện", "Huyện Đắk Hà"), course)
    client = login("xa")
    html = client.get(f"/courses/{course.id}").get_data(as_text=True)
    assert "Tập huấn huyện" in html and "BCV Huyện" not in html


def test_viewer_reads_but_cannot_add(make, login):
    make.user("xem", UserRole.VIEWER, "Huyện Đắk Hà")
    course = make.course("Huyện Đắk Hà")
    person = make.person("A Một", "Xã Đắk La")
    client = login("xem")
    assert client.get(f"/courses/{course.id}").status_code == 200
    assert (
        client.post(f"/courses/{course.id}/attendees", data={"person_ids": [person.id]}).status_code
        == 403
    )
    assert count(Attendance) == 0


def test_history_on_person_page_and_single_attendance(officer, make):
    person = make.person("Y Blô", "Xã Đắk La")
    course = make.course("Huyện Đắk Hà", name="Tập huấn kỹ năng")
    resp = officer.post(
        f"/persons/{person.id}/attendances/new",
        data={"course_id": course.id, "result": "xuat_sac", "certificate_no": "TH-7"},
    )
    assert resp.status_code == 302
    html = officer.get(f"/persons/{person.id}").get_data(as_text=True)
    assert "Tập huấn kỹ năng" in html and "Xuất sắc" in html and "TH-7" in html
    att = db.session.execute(sa.select(Attendance)).scalar_one()
    officer.post(f"/attendances/{att.id}/edit", data={"result": "kha", "certificate_no": "TH-8"})
    db.session.expire_all()
    assert db.session.get(Attendance, att.id).result is TrainingResult.KHA
    assert officer.post(f"/attendances/{att.id}/delete").status_code == 302
    assert count(Attendance) == 0


def test_overdue_flag_and_list(officer, make, app):
    fresh = make.person("Mới Học", "Xã Đắk La")
    stale = make.person("Lâu Rồi", "Xã Đắk La")
    never = make.person("Chưa Học", "Xã Đắk La")
    make.person("Ngoài Huyện", "Huyện Sa Thầy")
    today = dt.date.today()
    make.attend(fresh, make.course("Huyện Đắk Hà", name="Gần", start=today - dt.timedelta(days=40)))
    make.attend(stale, make.course("Huyện Đắk Hà", name="Xa", start=today - dt.timedelta(days=500)))
    html = officer.get("/training/overdue").get_data(as_text=True)
    assert "Lâu Rồi" in html and "Chưa Học" in html and "Mới Học" not in html
    assert "Ngoài Huyện" not in html and "<strong>2</strong> trong 3" in html
    assert "Chưa bồi dưỡng trong 12 tháng" in officer.get(f"/persons/{never.id}").get_data(
        as_text=True
    )
    assert "Chưa bồi dưỡng trong" not in officer.get(f"/persons/{fresh.id}").get_data(as_text=True)
