"""Each of the six bulk actions creates or ends the right rows, through the preview and the
confirmation, with an audit entry per person."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from models import (
    Appointment,
    Attendance,
    AuditLog,
    Commendation,
    Discipline,
    EndReason,
    Level,
    Role,
    db,
)
from tests.bulk.helpers import COMMEND, count, decide, preview, selection
from tests.terms.helpers import with_term


def _appointments(person) -> list[Appointment]:
    db.session.expire_all()
    return sorted(person.appointments, key=lambda a: a.id)


def test_a_commendation_for_everyone_selected_once(make, officer):
    people = [make.person(f"Y Khen {i}", "Xã Đắk La") for i in range(3)]
    page = preview(officer, "khen-thuong", selection(people), **COMMEND).get_data(as_text=True)
    assert "Xem trước: Khen thưởng" in page and page.count("Sẽ ghi") == 3
    assert "Giấy khen" in page and "123-QĐ/HU" in page
    assert count(Commendation) == 0  # the preview saved nothing

    resp = decide(officer, "khen-thuong", selection(people), **COMMEND)
    assert resp.status_code == 302
    assert count(Commendation, decision_no="123-QĐ/HU", year=2026) == 3
    audited = db.session.execute(sa.select(AuditLog.entity_id).where(
        AuditLog.entity == "commendations")).scalars().all()
    assert len(set(audited)) == 3  # one entry per person's new row

    # The same decision again: everyone skipped, nothing to confirm, nothing doubled.
    again = preview(officer, "khen-thuong", selection(people), **COMMEND).get_data(as_text=True)
    assert again.count("Bỏ qua") >= 3 and 'name="stamp"' not in again
    assert count(Commendation) == 3


def test_a_discipline_takes_the_default_duration_and_refuses_per_person_forms(make, officer):
    people = [make.person(f"Y Kỷ Luật {i}", "Xã Đắk La") for i in range(2)]
    fields = {"system": "dang", "form": "khien_trach", "decision_no": "7-QĐ/UBKT",
              "decision_date": "01/12/2026", "effective_from": "01/12/2026"}
    page = preview(officer, "ky-luat", selection(people), **fields).get_data(as_text=True)
    assert "hiệu lực từ 01/12/2026 đến hết" in page
    assert decide(officer, "ky-luat", selection(people), **fields).status_code == 302
    rows = db.session.execute(sa.select(Discipline)).scalars().all()
    assert len(rows) == 2 and all(r.effective_until is not None for r in rows)

    for form, system in (("dua_ra_khoi_danh_sach", "bcv_ttv"), ("khai_tru", "dang")):
        resp = preview(officer, "ky-luat", selection(people),
                       **(fields | {"form": form, "system": system}))
        assert resp.status_code == 400
        assert "hãy ghi từ trang hồ sơ của từng người" in resp.get_data(as_text=True)
    # A form of another system: the service's own rule, seen at the preview.
    page = preview(officer, "ky-luat", selection(people),
                   **(fields | {"form": "phe_binh", "decision_no": "8"})).get_data(as_text=True)
    assert "không thuộc hệ thống kỷ luật đã chọn" in page and 'name="stamp"' not in page
    assert count(Discipline) == 2


def test_end_of_term_ends_the_chosen_role_with_its_decision(make, officer):
    both = make.person("Y Hai Vai", "Huyện Đắk Hà", role=Role.BCV, level=Level.HUYEN)
    db.session.add(Appointment(person=both, role=Role.TTV, level=Level.CO_SO,
                               unit=make.unit("Xã Đắk La"), unit_name_snapshot="Xã Đắk La",
                               start_date=dt.date(2024, 1, 1)))
    db.session.commit()
    bcv_only = make.person("Y Chỉ BCV", "Huyện Đắk Hà", role=Role.BCV, level=Level.HUYEN)
    fields = {"role": "TTV", "end_date": "30/11/2026", "end_reason": "het_nhiem_ky",
              "end_decision_no": "15-QĐ/BTGDVHU", "end_decision_date": "28/11/2026"}
    page = preview(officer, "ket-thuc", selection([both, bcv_only]), **fields)
    html = page.get_data(as_text=True)
    assert "Không có bổ nhiệm đang hiệu lực phù hợp vai trò, cấp đã chọn" in html
    assert decide(officer, "ket-thuc", selection([both, bcv_only]), **fields).status_code == 302
    ended = [a for a in _appointments(both) if a.end_date]
    assert [(a.role, a.end_date, a.end_reason, a.end_decision_no, a.end_decision_date)
            for a in ended] == [(Role.TTV, dt.date(2026, 11, 30), EndReason.HET_NHIEM_KY,
                                 "15-QĐ/BTGDVHU", dt.date(2026, 11, 28))]
    assert all(a.end_date is None for a in _appointments(bcv_only))


def test_reappointment_renews_past_terms_and_reopens_ended_ones(make, officer):
    past = with_term(make, "Y Quá Hạn", "Xã Đắk La")
    ended = with_term(make, "Y Đã Hết", "Xã Đắk Hring")
    ended.appointments[0].end_date = dt.date(2026, 6, 30)
    ended.appointments[0].end_reason = EndReason.HET_NHIEM_KY
    current = with_term(make, "Y Còn Hạn", "Xã Đắk La", "2025-2030")
    db.session.commit()
    fields = {"decision_no": "20-QĐ/HU", "decision_date": "01/12/2026",
              "decision_body": "Ban Thường vụ Huyện ủy", "term": "2025-2030",
              "start_date": "01/12/2026"}
    html = preview(officer, "bo-nhiem-lai", selection([past, ended, current]),
                   **fields).get_data(as_text=True)
    assert "Đang có bổ nhiệm còn nhiệm kỳ" in html and html.count("Sẽ ghi") == 2
    resp = decide(officer, "bo-nhiem-lai", selection([past, ended, current]), **fields)
    assert resp.status_code == 302
    for person, unit in ((past, "Xã Đắk La"), (ended, "Xã Đắk Hring")):
        old, new = _appointments(person)
        assert old.end_date <= dt.date(2026, 11, 30)
        assert (new.role, new.level, new.unit_name_snapshot, new.term, new.start_date,
                new.decision_no, new.end_date) == (Role.TTV, Level.CO_SO, unit, "2025-2030",
                                                   dt.date(2026, 12, 1), "20-QĐ/HU", None)
    assert len(_appointments(current)) == 1


def test_adding_to_a_course_skips_those_already_there(make, officer):
    course = make.course("Huyện Đắk Hà", start=dt.date(2026, 10, 1))
    make.course("Tỉnh Kon Tum", name="Khóa của tỉnh")
    people = [make.person(f"Y Học {i}", "Xã Đắk La") for i in range(3)]
    make.attend(people[0], course)
    form = officer.get("/bulk", query_string={"action": "khoa-boi-duong", "all": "1"})
    assert "Khóa của tỉnh" not in form.get_data(as_text=True)  # visible, not writable
    html = preview(officer, "khoa-boi-duong", selection(people),
                   course_id=str(course.id)).get_data(as_text=True)
    assert "Đã có trong khóa này" in html
    assert decide(officer, "khoa-boi-duong", selection(people),
                  course_id=str(course.id)).status_code == 302
    assert count(Attendance, course_id=course.id) == 3


def test_a_change_of_unit_ends_and_restarts_the_appointments(make, officer):
    people = [make.person(f"Y Chuyển {i}", "Xã Đắk La") for i in range(2)]
    there = make.person("Y Ở Sẵn", "Xã Đắk Hring")
    target = make.unit("Xã Đắk Hring")
    fields = {"unit_id": str(target.id), "day": "01/12/2026"}
    html = preview(officer, "chuyen-don-vi", selection([*people, there]),
                   **fields).get_data(as_text=True)
    assert "Đã thuộc đơn vị này" in html
    assert decide(officer, "chuyen-don-vi", selection([*people, there]),
                  **fields).status_code == 302
    for person in people:
        old, new = _appointments(person)
        assert (old.end_date, old.end_reason) == (dt.date(2026, 11, 30),
                                                  EndReason.CHUYEN_CONG_TAC)
        assert (new.unit_id, new.start_date, new.end_date) == (target.id, dt.date(2026, 12, 1),
                                                               None)
        assert person.unit_id == target.id
    # A unit of another district is not offered: refused as a forged choice.
    other = make.unit("Huyện Sa Thầy")
    resp = preview(officer, "chuyen-don-vi", selection(people), unit_id=str(other.id),
                   day="02/12/2026")
    assert resp.status_code == 400
