"""Person and appointment forms: validation in Vietnamese, nothing half-saved, optimistic locking,
audit entries."""
import datetime as dt

import pytest
import sqlalchemy as sa

from models import Appointment, AuditLog, DatePrecision, EndReason, Person, UserRole, db
from tests.factories import count


def _form(make, **over):
    data = {
        "full_name": "  KSOR   H'Blơ ",
        "dob": "05/03/1990",
        "gender": "Nữ",
        "ethnicity": "Gia Rai",
        "religion": "Không",
        "cccd": "062 190.120122",
        "unit_id": make.unit("Xã Đắk La").id,
        "party_member": "y",
        "party_join_date": "01/02/2015",
        "position": "Trưởng thôn",
        "political_theory": "so_cap",
        "phone": "+84 905 123 456",
        "email": "a@b.vn",
    }
    data.update(over)
    return data


def test_create_person(officer, make):
    resp = officer.post("/persons/new", data=_form(make))
    assert resp.status_code == 302
    p = db.session.execute(sa.select(Person)).scalar_one()
    assert (p.full_name, p.cccd, p.dob, p.dob_precision) == (
        "KSOR H'Blơ",
        "062190120122",
        dt.date(1990, 3, 5),
        DatePrecision.DAY,
    )
    assert p.search_key == "ksor h'blo" and p.party_member and p.phone == "+84 905 123 456"
    entry = db.session.execute(sa.select(AuditLog).where(AuditLog.entity == "persons")).scalar_one()
    assert entry.action == "create" and entry.after["full_name"] == "KSOR H'Blơ"
    assert entry.actor == "dakha"


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("full_name", "   ", "Vui lòng nhập họ và tên."),
        ("dob", "31/02/1980", "Ngày sinh «31/02/1980» không hợp lệ"),
        ("dob", "1850", "Năm sinh 1850 không hợp lý."),
        ("cccd", "06219012012", "Số CCCD phải gồm đúng 12 chữ số."),
        ("cccd", "06207O120783", "Số CCCD phải gồm đúng 12 chữ số."),
        ("email", "not-an-email", "Địa chỉ email không hợp lệ."),
        ("gender", "X", "Giá trị được chọn không hợp lệ."),
        ("ethnicity", "Klingon", "Giá trị được chọn không hợp lệ."),
        ("unit_id", "999999", "Giá trị được chọn không hợp lệ."),
        ("party_join_date", "01/01/2999", "Ngày này không được ở tương lai."),
        ("hometown", "Q" * 301, "Tối đa 300 ký tự."),
    ],
)
def test_bad_input_message_and_nothing_saved(officer, make, field, value, message):
    resp = officer.post("/persons/new", data=_form(make, **{field: value}))
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert message in html
    assert count(Person) == 0
    assert not db.session.execute(
        sa.select(AuditLog.id).where(AuditLog.entity == "persons")
    ).first()


def test_unit_outside_scope_refused(officer, make):
    resp = officer.post("/persons/new", data=_form(make, unit_id=make.unit("Huyện Sa Thầy").id))
    assert resp.status_code == 200 and "Giá trị được chọn không hợp lệ." in resp.get_data(
        as_text=True
    )
    assert count(Person) == 0


def test_duplicate_cccd_even_outside_scope(officer, make):
    make.person("Người Khác", "Huyện Sa Thầy", cccd="062190120122")
    resp = officer.post("/persons/new", data=_form(make))
    html = resp.get_data(as_text=True)
    assert "Số CCCD này đã có trong hồ sơ của một người khác." in html
    assert "Người Khác" not in html
    assert count(Person) == 1


def test_create_with_first_appointment(officer, make):
    resp = officer.post("/persons/new", data=_form(make, first_role="TTV", first_level="co_so"))
    assert "Vui lòng nhập ngày bắt đầu." in resp.get_data(as_text=True)
    assert count(Person) == 0
    resp = officer.post(
        "/persons/new",
        data=_form(make, first_role="TTV", first_level="co_so", first_start="01/03/2025"),
    )
    assert resp.status_code == 302
    appt = db.session.execute(sa.select(Appointment)).scalar_one()
    assert appt.unit.name == "Xã Đắk La" and appt.start_date == dt.date(2025, 3, 1)
    assert "KSOR H&#39;Blơ" in officer.get("/roster").get_data(as_text=True)


def test_partial_birth_dates(officer, make):
    officer.post("/persons/new", data=_form(make, dob="03/1990", cccd=""))
    officer.post("/persons/new", data=_form(make, dob="1975", cccd="", full_name="A Kha"))
    rows = {
        p.full_name: (p.dob, p.dob_precision)
        for p in db.session.execute(sa.select(Person)).scalars()
    }
    assert rows["KSOR H'Blơ"] == (dt.date(1990, 3, 1), DatePrecision.MONTH)
    assert rows["A Kha"] == (dt.date(1975, 1, 1), DatePrecision.YEAR)
    html = officer.get("/roster", query_string={"status": "all"}).get_data(as_text=True)
    assert "03/1990" in html and ">1975<" in html


def test_hometown_is_saved_shown_and_edited(officer, make):
    resp = officer.post("/persons/new", data=_form(make, hometown="  Nghĩa Hành,   Quảng Ngãi "))
    assert resp.status_code == 302
    person = db.session.execute(sa.select(Person)).scalar_one()
    assert person.hometown == "Nghĩa Hành, Quảng Ngãi"
    shown = {f"/persons/{person.id}": "<dt>Quê quán</dt><dd>Nghĩa Hành, Quảng Ngãi</dd>",
             f"/persons/{person.id}/edit": 'value="Nghĩa Hành, Quảng Ngãi"'}
    for url, text in shown.items():
        assert text in officer.get(url).get_data(as_text=True), url
    data = _form(make, hometown="", cccd="", version=person.version)
    assert officer.post(f"/persons/{person.id}/edit", data=data).status_code == 302
    db.session.expire_all()
    assert person.hometown is None
    page = officer.get(f"/persons/{person.id}").get_data(as_text=True)
    assert "<dt>Quê quán</dt><dd>—</dd>" in page


def test_post_without_form_data_keeps_the_birth_date(officer, make):
    """A post with no body at all (no browser sends one) leaves the record as it was."""
    officer.post("/persons/new", data=_form(make, dob="1975", cccd=""))
    person = db.session.execute(sa.select(Person)).scalar_one()
    resp = officer.post(f"/persons/{person.id}/edit", data={})
    assert resp.status_code in (200, 302)
    db.session.expire_all()
    assert (person.dob, person.dob_precision) == (dt.date(1975, 1, 1), DatePrecision.YEAR)


def test_optimistic_locking_second_save_refused(make, app, login):
    make.user("a1", UserRole.OFFICER, "Huyện Đắk Hà")
    make.user("a2", UserRole.OFFICER, "Huyện Đắk Hà")
    person = make.person("Y Hiền", "Xã Đắk La", position="Cũ")
    first, second = app.test_client(), app.test_client()
    for c, name in ((first, "a1"), (second, "a2")):
        assert (
            c.post("/login", data={"username": name, "password": "mat-khau-thu-nghiem"}).status_code
            == 302
        )
    base = {"full_name": "Y Hiền", "unit_id": person.unit_id, "version": person.version}
    assert (
        first.post(f"/persons/{person.id}/edit", data={**base, "position": "Mới A"}).status_code
        == 302
    )
    resp = second.post(f"/persons/{person.id}/edit", data={**base, "position": "Mới B"})
    assert resp.status_code == 200
    assert "vừa được người khác cập nhật" in resp.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Person, person.id).position == "Mới A"


def test_appointment_add_end_and_history(officer, make):
    person = make.person("A Jar", "Xã Đắk La")
    unit = make.unit("Huyện Đắk Hà")
    resp = officer.post(
        f"/persons/{person.id}/appointments/new",
        data={
            "role": "BCV",
            "level": "huyen",
            "unit_id": unit.id,
            "decision_no": "12-QĐ/HU",
            "decision_date": "01/02/2025",
            "start_date": "01/02/2025",
            "term": "2025-2030",
        },
    )
    assert resp.status_code == 302
    appt = db.session.execute(
        sa.select(Appointment).where(Appointment.decision_no == "12-QĐ/HU")
    ).scalar_one()
    resp = officer.post(
        f"/appointments/{appt.id}/end", data={"end_date": "01/01/2025", "end_reason": "mien_nhiem"}
    )
    assert "Ngày kết thúc không được trước ngày bắt đầu." in resp.get_data(as_text=True)
    resp = officer.post(f"/appointments/{appt.id}/end", data={"end_date": "01/06/2025"})
    assert "Vui lòng chọn lý do kết thúc." in resp.get_data(as_text=True)
    resp = officer.post(
        f"/appointments/{appt.id}/end", data={"end_date": "01/06/2025", "end_reason": "mien_nhiem"}
    )
    assert resp.status_code == 302
    db.session.expire_all()
    appt = db.session.get(Appointment, appt.id)
    assert appt.end_reason is EndReason.MIEN_NHIEM and appt.end_date == dt.date(2025, 6, 1)
    html = officer.get(f"/persons/{person.id}").get_data(as_text=True)
    assert "Miễn nhiệm" in html and "12-QĐ/HU" in html and "01/06/2025" in html
    audit = db.session.execute(
        sa.select(AuditLog).where(AuditLog.entity == "appointments", AuditLog.action == "update")
    ).scalar_one()
    assert audit.before == {"end_date": None, "end_reason": None}
    assert audit.after == {"end_date": "2025-06-01", "end_reason": "mien_nhiem"}


def test_appointment_missing_fields(officer, make):
    person = make.person("A Jar", "Xã Đắk La")
    html = officer.post(f"/persons/{person.id}/appointments/new", data={}).get_data(as_text=True)
    for msg in ("Vui lòng chọn vai trò.", "Vui lòng chọn cấp.", "Vui lòng nhập ngày bắt đầu."):
        assert msg in html


def test_delete_person(officer, make):
    person = make.person("A Jar", "Xã Đắk La")
    assert officer.post(f"/persons/{person.id}/delete").status_code == 302
    assert count(Person) == 0 and count(Appointment) == 0
    assert db.session.execute(
        sa.select(AuditLog).where(AuditLog.action == "delete", AuditLog.entity == "persons")
    ).scalar_one()


def test_names_are_escaped(officer, make):
    person = make.person("<script>alert(1)</script>", "Xã Đắk La")
    for url in ("/roster", f"/persons/{person.id}", f"/persons/{person.id}/edit"):
        html = officer.get(url).get_data(as_text=True)
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_unknown_ids_give_vietnamese_404(officer):
    for url in (
        "/persons/999999",
        "/persons/abc",
        "/appointments/999999/edit",
        "/units/999999",
        "/khong-co",
    ):
        resp = officer.get(url)
        assert resp.status_code == 404
        assert "Không tìm thấy" in resp.get_data(as_text=True)
