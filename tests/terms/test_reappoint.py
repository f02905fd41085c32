"""Bulk re-appointment for the new term under one decision: each old appointment ends the day
before the start "hết nhiệm kỳ" and the same role, level and unit open again; any refusal
(nothing selected, an early start, a stale selection, cấp huyện after 01-7-2025, outside the
scope, a viewer) changes nothing."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from models import Appointment, AuditLog, EndReason, Level, Role, UserRole, db
from registry.core import access
from registry.core.rules import RuleViolation
from registry.terms import service
from tests.terms.helpers import TODAY, with_term

DECISION = service.Decision(decision_no="45-QĐ/ĐU", decision_date=dt.date(2025, 12, 20),
                            decision_body="Ban Thường vụ Đảng ủy xã Đăk Hà", term="2025-2030",
                            start_date=dt.date(2026, 1, 1))
FORM = {"decision_no": "45-QĐ/ĐU", "decision_date": "20/12/2025",
        "decision_body": "Ban Thường vụ Đảng ủy xã Đăk Hà", "term": "2025 – 2030",
        "start_date": "01/01/2026"}


def _snapshot() -> list[tuple]:
    db.session.expire_all()
    return db.session.execute(sa.select(
        Appointment.id, Appointment.person_id, Appointment.end_date, Appointment.end_reason,
        Appointment.term, Appointment.decision_no).order_by(Appointment.id)).all()


def _scope(make):
    return access.scoped(access.scope_for_unit(make.unit("Huyện Đắk Hà")))


def _run(make, people, decision=DECISION):
    rows = [a for p in people for a in p.appointments]
    with _scope(make):
        started = service.reappoint(rows, decision, TODAY)
        db.session.commit()
    return started


def _refused(make, people, match: str) -> None:
    """reappoint() refuses with `match` and the database is as it was."""
    before = _snapshot()
    with pytest.raises(RuleViolation, match=match):
        _run(make, people)
    db.session.rollback()
    assert _snapshot() == before


def test_each_appointment_ends_and_opens_again_for_the_new_term(make):
    a = with_term(make, "Y Một", "Xã Đắk La")
    b = with_term(make, "A Hai", "Huyện Đắk Hà", role=Role.BCV, level=Level.TINH)
    started = _run(make, [a, b])
    assert len(started) == 2
    for person, role, level in ((a, Role.TTV, Level.CO_SO), (b, Role.BCV, Level.TINH)):
        db.session.refresh(person)
        old, new = sorted(person.appointments, key=lambda x: x.start_date)
        assert (old.end_date, old.end_reason) == (dt.date(2025, 12, 31), EndReason.HET_NHIEM_KY)
        assert (new.role, new.level, new.unit_id, new.start_date, new.end_date) == (
            role, level, old.unit_id, dt.date(2026, 1, 1), None)
        assert (new.decision_no, new.decision_date, new.decision_body) == (
            "45-QĐ/ĐU", dt.date(2025, 12, 20), "Ban Thường vụ Đảng ủy xã Đăk Hà")
        assert (new.term, new.term_start, new.term_end) == ("2025-2030", 2025, 2030)
        assert old.term == "2020-2025"   # the old decision's term stays as written


def test_nothing_selected_is_refused(make):
    with _scope(make), pytest.raises(RuleViolation, match="Chưa chọn bổ nhiệm nào"):
        service.reappoint([], DECISION, TODAY)


def test_a_start_not_after_an_old_start_is_refused_and_nothing_changes(make):
    a = with_term(make, "Y Một", "Xã Đắk La")
    b = with_term(make, "A Sớm", "Xã Đắk La", start=dt.date(2026, 2, 1))
    _refused(make, [a, b], r"phải sau ngày bắt đầu.*A Sớm \(từ 01/02/2026\)")


@pytest.mark.parametrize(("end", "match"), [
    # ended meanwhile (the form is stale)
    (dt.date(2026, 6, 30), "A Nghỉ không còn ở danh sách hết nhiệm kỳ"),
    # an end already decided is not overwritten by this decision
    (dt.date(2027, 3, 31), r"A Nghỉ \(đến 31/03/2027\) đã có ngày kết thúc"),
])
def test_an_ended_or_ending_appointment_refuses_the_whole_batch(make, end, match):
    a = with_term(make, "Y Một", "Xã Đắk La")
    b = with_term(make, "A Nghỉ", "Xã Đắk La")
    b.appointments[0].end_date, b.appointments[0].end_reason = end, EndReason.NGHI_HUU
    db.session.commit()
    _refused(make, [a, b], match)


def test_cap_huyen_is_not_reappointed_at_cap_huyen_from_july_2025(make):
    a = with_term(make, "Y Một", "Xã Đắk La")
    b = with_term(make, "A Huyện", "Huyện Đắk Hà", role=Role.BCV, level=Level.HUYEN)
    _refused(make, [a, b], "không còn cấp huyện.*A Huyện.*Cần công nhận lại")


def test_cap_huyen_before_july_2025_may_be_reappointed(make):
    b = with_term(make, "A Huyện", "Huyện Đắk Hà", "2015-2020", role=Role.BCV,
                  level=Level.HUYEN, start=dt.date(2016, 1, 1))
    early = service.Decision("9-QĐ/HU", dt.date(2021, 1, 10), "Ban Thường vụ Huyện ủy Đắk Hà",
                             "2020-2025", dt.date(2021, 1, 10))
    [new] = _run(make, [b], early)
    assert (new.level, new.term_end) == (Level.HUYEN, 2025)


def test_a_term_without_years_is_refused(make):
    a = with_term(make, "Y Một", "Xã Đắk La")
    bad = service.Decision(**{**DECISION.__dict__, "term": "khóa mới"})
    with pytest.raises(RuleViolation, match="Nhiệm kỳ «khóa mới» không đúng dạng"):
        _run(make, [a], bad)


def test_an_appointment_outside_the_scope_is_denied(make):
    other = with_term(make, "A Sa Thầy", "Huyện Sa Thầy")
    rows = list(other.appointments)   # loaded unscoped, as a forged id list would not be
    assert rows[0].person.unit.name == "Huyện Sa Thầy"
    with _scope(make), pytest.raises(access.AccessDenied):
        service.reappoint(rows, DECISION, TODAY)


# --- through the page ---------------------------------------------------------------------
def test_the_page_reappoints_the_ticked_rows(make, officer):
    a = with_term(make, "Y Một", "Xã Đắk La")
    b = with_term(make, "A Hai", "Xã Đắk La")
    resp = officer.post("/terms/ended", data={**FORM, "appointment_ids": [a.appointments[0].id]})
    assert resp.status_code == 302
    page = officer.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Đã bổ nhiệm lại 1 người cho nhiệm kỳ 2025 – 2030." in page
    assert "A Hai" in page and "Y Một" not in page.split("bổ nhiệm hết nhiệm kỳ")[1]
    db.session.expire_all()
    assert len(a.appointments) == 2 and len(b.appointments) == 1
    assert db.session.execute(sa.select(sa.func.count()).select_from(AuditLog)).scalar() > 0


def test_all_in_the_filter_takes_only_the_filter(make, officer):
    a = with_term(make, "Y Một", "Xã Đắk La")
    b = with_term(make, "A Bcv", "Huyện Đắk Hà", role=Role.BCV, level=Level.TINH)
    other = with_term(make, "A Sa Thầy", "Huyện Sa Thầy")
    resp = officer.post("/terms/ended", data={**FORM, "role": "TTV", "all_matching": "1"})
    assert resp.status_code == 302
    db.session.expire_all()
    assert [len(p.appointments) for p in (a, b, other)] == [2, 1, 1]


def test_the_page_shows_each_refusal_and_saves_nothing(make, officer):
    a = with_term(make, "Y Một", "Xã Đắk La")
    before = _snapshot()
    nothing = officer.post("/terms/ended", data=FORM).get_data(as_text=True)
    assert "Chưa chọn bổ nhiệm nào để bổ nhiệm lại." in nothing
    ids = {"appointment_ids": [a.appointments[0].id]}
    bad_term = officer.post("/terms/ended", data={**FORM, **ids, "term": "2030-2025"})
    assert "Nhiệm kỳ «2030-2025» không đúng dạng; ghi như 2020-2025." in bad_term.get_data(
        as_text=True)
    early = officer.post("/terms/ended", data={**FORM, **ids, "start_date": "01/01/2020"})
    assert "phải sau ngày bắt đầu của bổ nhiệm cũ" in early.get_data(as_text=True)
    blank = officer.post("/terms/ended", data={**ids, "term": ""}).get_data(as_text=True)
    assert "Vui lòng nhập số quyết định." in blank and "Vui lòng nhập nhiệm kỳ." in blank
    assert _snapshot() == before


def test_the_form_offers_the_new_term_by_default(make, officer):
    with_term(make, "Y Một", "Xã Đắk La")
    assert 'value="2025-2030"' in officer.get("/terms/ended").get_data(as_text=True)


def test_an_id_outside_the_scope_is_a_404_and_nothing_changes(make, officer):
    a = with_term(make, "Y Một", "Xã Đắk La")
    other = with_term(make, "A Sa Thầy", "Huyện Sa Thầy")
    before = _snapshot()
    ids = [a.appointments[0].id, other.appointments[0].id]
    assert officer.post("/terms/ended", data={**FORM, "appointment_ids": ids}).status_code == 404
    assert officer.post("/terms/ended",
                        data={**FORM, "appointment_ids": ["999999"]}).status_code == 404
    assert _snapshot() == before


def test_a_viewer_is_refused(make, login, client):
    a = with_term(make, "Y Một", "Xã Đắk La")
    make.user("xem", UserRole.VIEWER, "Huyện Đắk Hà")
    login("xem")
    before = _snapshot()
    resp = client.post("/terms/ended", data={**FORM, "appointment_ids": [a.appointments[0].id]})
    assert resp.status_code == 403
    assert _snapshot() == before


def test_a_stale_form_names_who_changed(make, officer):
    a = with_term(make, "Y Một", "Xã Đắk La")
    b = with_term(make, "A Vừa Nghỉ", "Xã Đắk La")
    b.appointments[0].end_date = dt.date.today() - dt.timedelta(days=1)
    b.appointments[0].end_reason = EndReason.NGHI_HUU
    db.session.commit()
    before = _snapshot()
    ids = {"appointment_ids": [a.appointments[0].id, b.appointments[0].id]}
    html = officer.post("/terms/ended", data={**FORM, **ids}).get_data(as_text=True)
    assert "A Vừa Nghỉ không còn ở danh sách hết nhiệm kỳ" in html
    assert "Chưa có gì được lưu" in html
    assert _snapshot() == before
