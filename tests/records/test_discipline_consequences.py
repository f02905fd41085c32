"""Khai trừ and cách chức (DOMAIN.md rules 3): khai trừ is for life and, while the person still
holds appointments, proposes the removal from the list, which ends nothing until confirmed;
cách chức reminds the officer to review the person's chức vụ."""
import datetime as dt
import re

import pytest
import sqlalchemy as sa

from models import Appointment, Discipline, EndReason, Level, Role, UserRole, db
from registry.core.rules import RuleViolation
from registry.eligibility.rules import evaluate
from registry.lists import qualification
from registry.lists.qualification import Criteria
from registry.records import service as records
from registry.settings import service as settings

D = dt.date


@pytest.fixture
def person(make):
    return make.person("A Jar", "Xã Đắk La", political_theory="so_cap", party_member=True,
                       position="Bí thư Chi bộ thôn 2")


def _form(**over):
    data = {"system": "dang", "form": "khai_tru", "issuer": "Ủy ban Kiểm tra Huyện ủy",
            "decision_no": "21-QĐ/UBKTHU", "decision_date": "01/02/2025",
            "effective_from": "01/02/2025", "summary": "Vi phạm nghiêm trọng"}
    return data | over


def _hidden_inputs(html: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html)
                + re.findall(r'<input id="confirmed" name="(confirmed)" type="hidden" '
                             r'value="([^"]*)"', html))


def _ended() -> list[tuple]:
    db.session.expire_all()
    return db.session.execute(sa.select(Appointment.end_date, Appointment.end_reason)).all()


def test_expulsion_proposes_removal_and_ends_nothing_until_confirmed(officer, make, person):
    make.person("A Hai", "Xã Đắk La")  # someone else's appointment stays untouched throughout
    resp = officer.post(f"/persons/{person.id}/disciplines/new", data=_form())
    expulsion = db.session.execute(sa.select(Discipline)).scalar_one()
    assert resp.status_code == 302
    assert resp.location.endswith(f"/disciplines/{expulsion.id}/propose-removal")
    assert _ended() == [(None, None), (None, None)]  # saved the khai trừ, ended nothing

    html = officer.get(resp.location).get_data(as_text=True)
    assert "Đã lưu kỷ luật." in html
    assert "Xác nhận đưa ra khỏi danh sách: A Jar" in html
    assert ("Đảng viên bị khai trừ không còn đủ tiêu chuẩn; đề nghị đưa ra khỏi danh sách"
            in html)
    assert "kết thúc 1 bổ nhiệm" in html and "31/01/2025" in html
    assert f'action="/persons/{person.id}/disciplines/new"' in html
    assert "Không, giữ nguyên bổ nhiệm" in html
    values = _hidden_inputs(html)
    assert values["system"] == "bcv_ttv" and values["form"] == "dua_ra_khoi_danh_sach"
    assert values["effective_from"] == "01/02/2025" and values["confirmed"] == "1"
    assert "21-QĐ/UBKTHU" in values["summary"]
    assert _ended() == [(None, None), (None, None)]  # looking at the proposal changes nothing

    resp = officer.post(f"/persons/{person.id}/disciplines/new", data=values)
    assert resp.status_code == 302 and resp.location.endswith(f"/persons/{person.id}")
    db.session.expire_all()
    mine = db.session.execute(sa.select(Appointment).where(
        Appointment.person_id == person.id)).scalar_one()
    assert (mine.end_date, mine.end_reason) == (D(2025, 1, 31), EndReason.DUA_RA_KHOI_DS)
    assert sorted(_ended(), key=str) == sorted(
        [(None, None), (D(2025, 1, 31), EndReason.DUA_RA_KHOI_DS)], key=str)
    forms = db.session.execute(sa.select(Discipline.form).order_by(Discipline.id)).scalars()
    assert list(forms) == ["khai_tru", "dua_ra_khoi_danh_sach"]
    # Nothing left to end: the proposal is not offered again.
    assert officer.get(f"/disciplines/{expulsion.id}/propose-removal").status_code == 302


def test_declining_the_proposal_keeps_the_appointments(officer, person):
    resp = officer.post(f"/persons/{person.id}/disciplines/new", data=_form())
    officer.get(resp.location)
    html = officer.get(f"/persons/{person.id}").get_data(as_text=True)
    assert _ended() == [(None, None)]
    assert "Chưa đủ tiêu chuẩn" in html and "Khai trừ" in html


def test_no_proposal_without_current_appointments(officer, make):
    gone = make.person("A Ba", "Xã Đắk La", start=D(2020, 1, 1), end=D(2024, 12, 31))
    resp = officer.post(f"/persons/{gone.id}/disciplines/new", data=_form())
    assert resp.location.endswith(f"/persons/{gone.id}")
    resp = officer.post(f"/persons/{gone.id}/disciplines/new",
                        data=_form(form="khien_trach", decision_no="2"))
    assert resp.location.endswith(f"/persons/{gone.id}")


def test_expulsion_is_for_life(officer, ctx, person):
    resp = officer.post(f"/persons/{person.id}/disciplines/new",
                        data=_form(effective_until="31/12/2026"))
    assert resp.status_code == 200
    assert "Khai trừ có hiệu lực vĩnh viễn: để trống ngày hết hiệu lực." in resp.get_data(
        as_text=True)
    assert db.session.execute(sa.select(Discipline.id)).first() is None
    with pytest.raises(RuleViolation, match="vĩnh viễn"):
        settings.save({"discipline_months": {"khai_tru": 24}})
    db.session.rollback()
    assert records.default_until("khai_tru", D(2025, 1, 1)) is None


def test_expulsion_disqualifies_even_where_a_list_skips_discipline(ctx, make, person):
    make.attend(person, make.course("Huyện Đắk Hà", start=D(2025, 3, 10)))
    on = D(2025, 6, 1)
    lenient = Criteria(role=Role.TTV, active_on=on, no_discipline=False)
    make.discipline(person, "canh_cao", start=D(2025, 5, 1), until=D(2026, 4, 30))
    assert [e.person.id for e in qualification.evaluate(lenient, "").members] == [person.id]
    make.discipline(person, "khai_tru", start=D(2025, 5, 15))
    out = qualification.evaluate(lenient, "")
    assert not out.members
    assert "Khai trừ (Đảng) từ ngày 15/05/2025 không thời hạn" in out.outsiders[0].reasons[0]
    settings.save({"discipline_threshold": "khai_tru"})
    assert not evaluate(person, Role.TTV, Level.CO_SO, D(2060, 1, 1)).ok


def test_dismissal_warns_to_review_the_position(officer, make, person):
    resp = officer.post(f"/persons/{person.id}/disciplines/new",
                        data=_form(form="cach_chuc"), follow_redirects=True)
    html = resp.get_data(as_text=True)
    assert resp.request.path == f"/persons/{person.id}"
    assert ("Kỷ luật cách chức: đề nghị xem lại chức vụ của A Jar (hiện ghi: «Bí thư Chi bộ "
            "thôn 2»)") in html
    assert f'<a href="/persons/{person.id}/edit">Sửa hồ sơ</a>' in html
    assert _ended() == [(None, None)]  # a warning only
    state = officer.post(f"/persons/{person.id}/disciplines/new", follow_redirects=True,
                         data=_form(system="chinh_quyen", form="canh_cao", decision_no="3"))
    assert "xem lại chức vụ" not in state.get_data(as_text=True)


def test_consequences_stay_in_scope(officer, make, login, client):
    outsider = make.person("Người Sa Thầy", "Huyện Sa Thầy")
    foreign = make.discipline(outsider, "khai_tru", start=D(2025, 2, 1))
    assert officer.get(f"/disciplines/{foreign.id}/propose-removal").status_code == 404
    assert officer.post(f"/persons/{outsider.id}/disciplines/new",
                        data=_form(form="cach_chuc")).status_code == 404
    local = make.person("A Năm", "Xã Đắk La")
    mine = make.discipline(local, "khai_tru", start=D(2025, 2, 1))
    client.post("/logout")
    make.user("xem", UserRole.VIEWER, "Huyện Đắk Hà")
    viewer = login("xem")
    assert viewer.get(f"/disciplines/{mine.id}/propose-removal").status_code == 403
    assert _ended() == [(None, None), (None, None)]
