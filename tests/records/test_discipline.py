"""Discipline: forms per system, default durations from the settings, "in force" from the dates,
removal from the list after a confirmation, eligibility before, during and after."""
import datetime as dt

import pytest
import sqlalchemy as sa

from models import (
    Appointment,
    AuditLog,
    Discipline,
    DisciplineSystem,
    EndReason,
    Level,
    Role,
    db,
)
from registry.eligibility.rules import evaluate
from registry.settings import service as settings

D = dt.date


@pytest.fixture
def person(make):
    return make.person("A Jar", "Xã Đắk La", political_theory="so_cap", party_member=True)


def _form(**over):
    data = {"system": "dang", "form": "khien_trach", "issuer": "Ủy ban Kiểm tra Huyện ủy",
            "decision_no": "15-QĐ/UBKTHU", "decision_date": "01/02/2025",
            "effective_from": "01/02/2025", "summary": "Vi phạm kỷ luật phát ngôn"}
    data.update(over)
    return data


def _one() -> Discipline:
    db.session.expire_all()
    return db.session.execute(sa.select(Discipline)).scalar_one()


def test_default_until_from_the_settings(officer, person):
    assert officer.post(f"/persons/{person.id}/disciplines/new", data=_form()).status_code == 302
    assert _one().effective_until == D(2026, 1, 31)  # khiển trách: 12 months by default
    entry = db.session.execute(
        sa.select(AuditLog).where(AuditLog.entity == "disciplines")
    ).scalar_one()
    assert entry.after["form"] == "khien_trach" and entry.actor == "dakha"


def test_default_duration_is_a_setting(officer, person, ctx):
    settings.save({"discipline_months": {"khien_trach": 6}})
    db.session.commit()
    officer.post(f"/persons/{person.id}/disciplines/new", data=_form())
    assert _one().effective_until == D(2025, 7, 31)


def test_expulsion_has_no_end_and_explicit_end_wins(officer, person):
    officer.post(f"/persons/{person.id}/disciplines/new", data=_form(form="khai_tru"))
    assert _one().effective_until is None
    officer.post(
        f"/disciplines/{_one().id}/edit", data=_form(form="canh_cao", effective_until="31/12/2025")
    )
    assert (_one().form, _one().effective_until) == ("canh_cao", D(2025, 12, 31))


@pytest.mark.parametrize(
    "over,message",
    [
        ({"form": "phe_binh"}, "Hình thức này không thuộc hệ thống kỷ luật đã chọn."),
        (
            {"system": "bcv_ttv", "form": "khai_tru"},
            "Hình thức này không thuộc hệ thống kỷ luật đã chọn.",
        ),
        ({"form": "giai_tan"}, "Giá trị được chọn không hợp lệ."),
        ({"form": ""}, "Vui lòng chọn hình thức."),
        ({"system": ""}, "Vui lòng chọn hệ thống kỷ luật."),
        (
            {"decision_date": "01/01/2999", "effective_from": "01/01/2999"},
            "Ngày này không được ở tương lai.",
        ),
        ({"effective_from": ""}, "Vui lòng nhập ngày có hiệu lực."),
        ({"effective_from": "15/01/2025"}, "Ngày có hiệu lực không được trước ngày quyết định."),
        ({"effective_until": "01/01/2025"}, "Ngày hết hiệu lực không được trước ngày bắt đầu."),
    ],
)
def test_validation_beside_the_field(officer, person, over, message):
    resp = officer.post(f"/persons/{person.id}/disciplines/new", data=_form(**over))
    assert resp.status_code == 200 and message in resp.get_data(as_text=True)
    assert db.session.execute(sa.select(sa.func.count(Discipline.id))).scalar() == 0


def test_removal_from_the_list_asks_then_ends_appointments(officer, make, person):
    data = _form(
        system="bcv_ttv",
        form="dua_ra_khoi_danh_sach",
        decision_date="01/03/2025",
        effective_from="10/03/2025",
    )
    resp = officer.post(f"/persons/{person.id}/disciplines/new", data=data)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "Xác nhận đưa ra khỏi danh sách" in html
    assert "kết thúc 1 bổ nhiệm" in html and "09/03/2025" in html
    assert db.session.execute(sa.select(sa.func.count(Discipline.id))).scalar() == 0
    appt = db.session.execute(sa.select(Appointment)).scalar_one()
    assert appt.end_date is None  # nothing happened before the confirmation
    resp = officer.post(f"/persons/{person.id}/disciplines/new", data={**data, "confirmed": "1"})
    assert resp.status_code == 302
    db.session.expire_all()
    appt = db.session.get(Appointment, appt.id)
    assert (appt.end_date, appt.end_reason) == (D(2025, 3, 9), EndReason.DUA_RA_KHOI_DS)
    assert _one().effective_until is None
    assert "Đưa ra khỏi danh sách" in officer.get(f"/persons/{person.id}").get_data(as_text=True)


def test_other_forms_need_no_confirmation(officer, person):
    resp = officer.post(
        f"/persons/{person.id}/disciplines/new",
        data=_form(system="bcv_ttv", form="tam_dung_hoat_dong"),
    )
    assert resp.status_code == 302
    assert db.session.execute(sa.select(Appointment.end_date)).scalar_one() is None


def test_in_force_is_computed_at_query_time(officer, make, person):
    today = dt.date.today()
    make.discipline(
        person,
        "khien_trach",
        start=today - dt.timedelta(days=10),
        until=today + dt.timedelta(days=10),
    )
    other = make.person("A Hai", "Xã Đắk La")
    make.discipline(
        other, "canh_cao", start=today - dt.timedelta(days=400), until=today - dt.timedelta(days=1)
    )
    html = officer.get("/disciplines").get_data(as_text=True)
    assert "A Jar" in html and "A Hai" not in html
    assert "A Hai" in officer.get("/disciplines", query_string={"status": "all"}).get_data(
        as_text=True
    )
    assert "đang hiệu lực" not in officer.get(f"/persons/{other.id}").get_data(as_text=True)
    assert not hasattr(Discipline, "in_force")  # no stored flag to go stale


def test_eligibility_changes_when_discipline_starts_and_expires(officer, make, person):
    make.attend(person, make.course("Huyện Đắk Hà", start=D(2025, 1, 10)))
    officer.post(
        f"/persons/{person.id}/disciplines/new",
        data=_form(
            decision_date="01/04/2025", effective_from="01/04/2025", effective_until="30/09/2025"
        ),
    )
    db.session.expire_all()
    assert evaluate(person, Role.TTV, Level.CO_SO, D(2025, 3, 31)).ok
    during = evaluate(person, Role.TTV, Level.CO_SO, D(2025, 4, 1))
    assert during.reasons == [
        "Đang trong thời hạn kỷ luật Khiển trách (Đảng) từ ngày 01/04/2025 "
        "đến ngày 30/09/2025, quyết định số 15-QĐ/UBKTHU."
    ]
    assert evaluate(person, Role.TTV, Level.CO_SO, D(2025, 10, 1)).ok


def test_person_page_shows_the_verdict_of_today(officer, make, person):
    today = dt.date.today()
    make.attend(person, make.course("Huyện Đắk Hà", start=today - dt.timedelta(days=30)))
    assert "✔ Đủ tiêu chuẩn Tuyên truyền viên cấp xã" in officer.get(
        f"/persons/{person.id}"
    ).get_data(as_text=True)
    d = make.discipline(person, "canh_cao", start=today, until=today + dt.timedelta(days=90))
    html = officer.get(f"/persons/{person.id}").get_data(as_text=True)
    assert "✘ Chưa đủ tiêu chuẩn" in html and "Đang trong thời hạn kỷ luật Cảnh cáo" in html
    d.effective_until = today - dt.timedelta(days=1)
    d.effective_from = today - dt.timedelta(days=90)
    db.session.commit()
    assert "✔ Đủ tiêu chuẩn" in officer.get(f"/persons/{person.id}").get_data(as_text=True)


def test_delete_and_scope(officer, make, person):
    d = make.discipline(person, "phe_binh", system=DisciplineSystem.BCV_TTV)
    outsider = make.person("Người Sa Thầy", "Huyện Sa Thầy")
    foreign = make.discipline(outsider, "khien_trach")
    assert officer.get(f"/disciplines/{foreign.id}/edit").status_code == 404
    assert officer.post(f"/persons/{outsider.id}/disciplines/new", data=_form()).status_code == 404
    assert "Người Sa Thầy" not in officer.get("/disciplines?status=all").get_data(as_text=True)
    assert officer.post(f"/disciplines/{d.id}/delete").status_code == 302
    assert db.session.execute(sa.select(sa.func.count(Discipline.id))).scalar() == 1
