"""Commendations and oral-propaganda sessions: validation beside the field, audit, the person's
page, the lists (scoped, filtered by period), counts per person."""
import datetime as dt

import pytest
import sqlalchemy as sa

from models import Activity, AuditLog, Commendation, Level, OrgLevel, Role, db
from tests.factories import count

D = dt.date


# Commendations -------------------------------------------------------------------------------

def _commendation(**over):
    data = {"form": "bang_khen", "issuer_level": "tinh", "issuer": "Chủ tịch UBND tỉnh",
            "decision_no": "1234/QĐ-UBND", "decision_date": "15/01/2025", "year": "2024",
            "reason": "Hoàn thành xuất sắc nhiệm vụ tuyên truyền miệng năm 2024"}
    data.update(over)
    return data


def test_commendation_recorded_audited_and_shown(officer, make):
    person = make.person("Y Blô", "Xã Đắk La")
    resp = officer.post(f"/persons/{person.id}/commendations/new", data=_commendation())
    assert resp.status_code == 302
    item = db.session.execute(sa.select(Commendation)).scalar_one()
    assert (item.year, item.issuer_level, item.decision_date) == (
        2024,
        OrgLevel.TINH,
        D(2025, 1, 15),
    )
    assert (
        db.session.execute(
            sa.select(AuditLog.action).where(AuditLog.entity == "commendations")
        ).scalar_one()
        == "create"
    )
    html = officer.get(f"/persons/{person.id}").get_data(as_text=True)
    assert "Bằng khen" in html and "1234/QĐ-UBND, 15/01/2025" in html
    assert "Y Blô" in officer.get("/commendations", query_string={"year": 2024}).get_data(
        as_text=True
    )
    assert "Y Blô" not in officer.get("/commendations", query_string={"year": 2023}).get_data(
        as_text=True
    )
    resp = officer.post(f"/commendations/{item.id}/edit", data=_commendation(form="giay_khen"))
    assert resp.status_code == 302
    db.session.expire_all()
    assert db.session.get(Commendation, item.id).form == "giay_khen"
    assert officer.post(f"/commendations/{item.id}/delete").status_code == 302
    assert count(Commendation) == 0


@pytest.mark.parametrize(
    "over,message",
    [
        ({"form": ""}, "Vui lòng chọn hình thức."),
        ({"form": "khien_trach"}, "Giá trị được chọn không hợp lệ."),
        ({"issuer": " "}, "Vui lòng nhập cơ quan khen thưởng."),
        ({"issuer_level": ""}, "Vui lòng chọn cấp khen."),
        ({"year": ""}, "Vui lòng nhập năm khen thưởng."),
        ({"year": "1900"}, "Năm khen thưởng phải từ 1945 đến"),
        ({"year": "hai"}, "Phải là số nguyên"),
        ({"decision_date": "01/01/2999"}, "Ngày này không được ở tương lai."),
        (
            {"year": "2025", "decision_date": "15/01/2024"},
            "Năm khen thưởng không được sau năm của quyết định.",
        ),
    ],
)
def test_commendation_validation(officer, make, over, message):
    person = make.person("Y Blô", "Xã Đắk La")
    resp = officer.post(f"/persons/{person.id}/commendations/new", data=_commendation(**over))
    assert resp.status_code == 200 and message in resp.get_data(as_text=True)
    assert count(Commendation) == 0


def test_commendations_outside_scope(officer, make):
    outsider = make.person("Người Sa Thầy", "Huyện Sa Thầy")
    item = make.commendation(outsider)
    assert officer.get(f"/commendations/{item.id}/edit").status_code == 404
    assert officer.post(f"/commendations/{item.id}/delete").status_code == 404
    assert "Người Sa Thầy" not in officer.get("/commendations").get_data(as_text=True)
    assert count(Commendation) == 1


# Sessions ------------------------------------------------------------------------------------


def _session(person, **over):
    data = {
        "date": "05/03/2025",
        "appointment_id": person.appointments[0].id,
        "topic": "Nghị quyết Đại hội Đảng bộ tỉnh",
        "unit_id": person.unit_id,
        "place": "Nhà văn hóa thôn 3",
        "form": "truc_tiep",
        "audience": "85",
    }
    data.update(over)
    return data


def test_session_recorded_and_listed(officer, make):
    person = make.person("A Thút", "Huyện Đắk Hà", role=Role.BCV, level=Level.HUYEN)
    resp = officer.post(f"/persons/{person.id}/activities/new", data=_session(person))
    assert resp.status_code == 302
    act = db.session.execute(sa.select(Activity)).scalar_one()
    assert (act.audience, act.appointment_id, act.date) == (
        85,
        person.appointments[0].id,
        D(2025, 3, 5),
    )
    html = officer.get(f"/persons/{person.id}").get_data(as_text=True)
    assert "Hoạt động tuyên truyền miệng (1 buổi)" in html and "Nghị quyết Đại hội" in html
    assert db.session.execute(sa.select(AuditLog.id).where(AuditLog.entity == "activities")).first()


@pytest.mark.parametrize(
    "over,message",
    [
        ({"date": ""}, "Vui lòng nhập ngày báo cáo."),
        ({"date": "01/01/2999"}, "Ngày này không được ở tương lai."),
        ({"topic": ""}, "Vui lòng nhập chủ đề."),
        ({"audience": "0"}, "Phải là số nguyên từ 1 đến 1.000.000."),
        ({"date": "01/01/2023"}, "Bổ nhiệm đã chọn không còn hiệu lực vào ngày này."),
        ({"form": ""}, "Vui lòng chọn hình thức."),
    ],
)
def test_session_validation(officer, make, over, message):
    person = make.person("A Thút", "Xã Đắk La")  # appointed from 01/01/2024
    resp = officer.post(f"/persons/{person.id}/activities/new", data=_session(person, **over))
    assert resp.status_code == 200 and message in resp.get_data(as_text=True)
    assert count(Activity) == 0


def test_session_cannot_use_someone_elses_appointment(officer, make):
    person = make.person("A Thút", "Xã Đắk La")
    other = make.person("A Jar", "Xã Đắk La")
    resp = officer.post(
        f"/persons/{person.id}/activities/new",
        data=_session(person, appointment_id=other.appointments[0].id),
    )
    assert "Giá trị được chọn không hợp lệ." in resp.get_data(as_text=True)
    assert count(Activity) == 0


def test_lists_per_unit_and_person_filtered_by_period(officer, make):
    a = make.person("A Thút", "Xã Đắk La")
    b = make.person("Y Blô", "Xã Hà Mòn")
    far = make.person("Lê Văn Bình", "Huyện Sa Thầy")
    for day in (D(2025, 1, 10), D(2025, 2, 10), D(2025, 3, 10)):
        make.activity(a, day)
    make.activity(b, D(2025, 2, 20))
    make.activity(far, D(2025, 2, 20), topic="Chủ đề Sa Thầy")
    html = officer.get(
        "/activities", query_string={"from": "01/02/2025", "to": "28/02/2025"}
    ).get_data(as_text=True)
    assert "Số buổi theo người (2 buổi)" in html and "Lê Văn Bình" not in html
    html = officer.get("/activities", query_string={"unit": make.unit("Xã Đắk La").id}).get_data(
        as_text=True
    )
    assert "Số buổi theo người (3 buổi)" in html and "Y Blô" not in html
    html = officer.get("/activities", query_string={"person": b.id}).get_data(as_text=True)
    assert "(1 buổi)" in html
    html = officer.get("/activities", query_string={"person": far.id}).get_data(as_text=True)
    assert "Chủ đề Sa Thầy" not in html  # someone outside the scope is not a filter that leaks
    assert officer.get("/activities", query_string={"from": "bad", "unit": "x"}).status_code == 200


def test_session_edit_delete_and_scope(officer, make):
    person = make.person("A Thút", "Xã Đắk La")
    act = make.activity(person)
    resp = officer.post(f"/activities/{act.id}/edit", data=_session(person, topic="Chủ đề mới"))
    assert resp.status_code == 302
    db.session.expire_all()
    assert db.session.get(Activity, act.id).topic == "Chủ đề mới"
    foreign = make.activity(make.person("Người Sa Thầy", "Huyện Sa Thầy"))
    assert officer.get(f"/activities/{foreign.id}/edit").status_code == 404
    assert officer.post(f"/activities/{act.id}/delete").status_code == 302
    assert count(Activity) == 1
