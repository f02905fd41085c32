"""The rules of a bulk decision: the selection covers every page of the filter, all or
nothing, a stale preview is refused, scope and role are enforced on submit, a limit, and no
input makes a 500."""
from __future__ import annotations

import datetime as dt

from werkzeug.datastructures import MultiDict

from models import Appointment, Commendation, Level, Person, Role, UserRole, db
from registry.bulk import selection as bulk_selection
from registry.roster.query import RosterFilter, filtered_ids
from tests.bulk.helpers import COMMEND, count, decide, preview, selection, stamp_of

END = {"end_date": "30/11/2026", "end_reason": "het_nhiem_ky"}


def test_select_all_covers_every_page_of_the_filter(app, make, officer, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 3)
    people = [make.person(f"Y Trang {i:02}", "Xã Đắk La") for i in range(7)]
    make.person("Y Khác Vai", "Xã Đắk La", role=Role.BCV, level=Level.HUYEN)
    roster = officer.get("/roster", query_string={"role": "TTV"}).get_data(as_text=True)
    assert "Chọn tất cả 7 người theo bộ lọc" in roster
    assert roster.count('name="person_ids"') == 3  # one page of boxes
    assert 'name="f-role" value="TTV"' in roster
    form = officer.get("/bulk", query_string={"action": "khen-thuong", "all": "1",
                                              "f-role": "TTV"}).get_data(as_text=True)
    assert "Khen thưởng cho 7 người" in form
    assert decide(officer, "khen-thuong", selection(role="TTV"), **COMMEND).status_code == 302
    assert count(Commendation) == 7
    # The page the bar was on does not matter: the filter is run again, whole.
    sel = bulk_selection.Selection.from_values(
        MultiDict({"all": "1", "f-role": "TTV", "f-page": "2"}))
    assert [p.id for p in sel.people()] == filtered_ids(RosterFilter(role="TTV"))
    assert {p.id for p in people} == {p.id for p in sel.people()}


def test_one_invalid_person_stops_everyone(make, officer):
    fine = make.person("Y Hợp Lệ", "Xã Đắk La")
    late = make.person("Y Bắt Đầu Muộn", "Xã Đắk La", start=dt.date(2026, 12, 1))
    html = preview(officer, "ket-thuc", selection([fine, late]), **END).get_data(as_text=True)
    assert "1 người không thể áp dụng" in html and "bắt đầu sau ngày kết thúc" in html
    assert 'name="stamp"' not in html  # no confirmation offered
    assert "Bỏ 1 người không thể áp dụng và xem trước lại" in html
    # Forced anyway: refused, nothing saved.
    resp = officer.post("/bulk/apply", data={"action": "ket-thuc", "stamp": "x",
                                             **selection([fine, late]), **END})
    assert resp.status_code == 200
    db.session.expire_all()
    assert all(a.end_date is None for p in (fine, late) for a in p.appointments)
    # A rule only the service knows (year after the decision's year): refused at the preview.
    html = preview(officer, "khen-thuong", selection([fine]),
                   **(COMMEND | {"decision_date": "01/12/2025"})).get_data(as_text=True)
    assert "Năm khen thưởng không được sau năm của quyết định." in html
    assert 'name="stamp"' not in html and count(Commendation) == 0


def test_a_stale_preview_is_refused(make, officer):
    people = [make.person(f"Y Cũ {i}", "Xã Đắk La") for i in range(2)]
    page = preview(officer, "ket-thuc", selection([people[0]], role="TTV"), **END)
    stamp = stamp_of(page.get_data(as_text=True))
    people[0].phone = "0905000000"  # someone edits the person meanwhile
    db.session.commit()
    resp = officer.post("/bulk/apply", data={"action": "ket-thuc", "stamp": stamp,
                                             **selection([people[0]], role="TTV"), **END})
    html = resp.get_data(as_text=True)
    assert "Danh sách đã thay đổi từ khi xem trước" in html and 'name="stamp"' in html
    # A person joining the filter after the preview changes the selection too.
    page = preview(officer, "ket-thuc", selection(role="TTV"), **END)
    stamp = stamp_of(page.get_data(as_text=True))
    make.person("Y Mới Vào", "Xã Đắk La")
    resp = officer.post("/bulk/apply", data={"action": "ket-thuc", "stamp": stamp,
                                             **selection(role="TTV"), **END})
    assert "Danh sách đã thay đổi từ khi xem trước" in resp.get_data(as_text=True)
    assert count(Appointment, end_date=dt.date(2026, 11, 30)) == 0


def test_ids_out_of_scope_are_refused_and_viewers_see_nothing_to_tick(make, login, client):
    make.user("dakha", UserRole.OFFICER, "Huyện Đắk Hà")
    make.user("xem", UserRole.VIEWER, "Huyện Đắk Hà")
    mine = make.person("Y Của Mình", "Xã Đắk La")
    other = make.person("Y Huyện Khác", "Huyện Sa Thầy")
    login("dakha")
    for url in ("/bulk/preview", "/bulk/apply"):
        resp = client.post(url, data={"action": "khen-thuong", "stamp": "x",
                                      **selection([mine, other]), **COMMEND})
        assert resp.status_code == 404
    assert client.get("/bulk", query_string={"action": "khen-thuong",
                                             "person_ids": other.id}).status_code == 404
    assert count(Commendation) == 0
    login("xem")
    roster = client.get("/roster").get_data(as_text=True)
    assert "person_ids" not in roster and "Chọn tất cả" not in roster
    assert client.get("/bulk", query_string={"action": "khen-thuong", "all": "1"}
                      ).status_code == 403
    resp = client.post("/bulk/apply", data={"action": "khen-thuong", **selection([mine]),
                                            **COMMEND})
    assert resp.status_code == 403 and count(Commendation) == 0


def test_a_decision_has_a_limit_and_garbage_never_breaks(make, officer, monkeypatch):
    monkeypatch.setattr(bulk_selection, "MAX_PEOPLE", 2)
    people = [make.person(f"Y Giới Hạn {i}", "Xã Đắk La") for i in range(3)]
    resp = officer.get("/bulk", query_string={"action": "khen-thuong", "all": "1"},
                       follow_redirects=True)
    assert "tối đa 2 người mà lựa chọn có 3 người" in resp.get_data(as_text=True)
    resp = officer.get("/bulk", query_string={"action": "khen-thuong"}, follow_redirects=True)
    assert "Chưa chọn người nào" in resp.get_data(as_text=True)
    garbage = {"action": "khen-thuong", "person_ids": ["abc", "-1", "9" * 30, str(people[0].id)],
               "f-on": "99/99/9999", "f-unit": "-1", "f-page": "0", "f-year": "abc", "all": "2"}
    assert officer.get("/bulk", query_string=garbage).status_code == 200
    assert officer.get("/bulk", query_string={**garbage, "action": "xyz"}).status_code == 302
    for url in ("/bulk/preview", "/bulk/apply"):
        resp = officer.post(url, data={**garbage, "year": "nam", "decision_date": "32/13/2026",
                                       "form": "khong_co", "stamp": "<script>"})
        assert resp.status_code == 400
        resp = officer.post(url, data={**garbage, "action": "ket-thuc", "end_date": "31/02/2026",
                                       "role": "XYZ", "level": "'; drop"})
        assert resp.status_code == 400
    resp = officer.post("/bulk/apply", data={"action": "chuyen-don-vi", "unit_id": "0",
                                             "day": "x", "person_ids": str(people[0].id)})
    assert resp.status_code == 400
    assert count(Commendation) == 0
    db.session.expire_all()
    assert db.session.get(Person, people[0].id).version == 1
