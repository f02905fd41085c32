"""Qualification lists: saved criteria and the ready-made lists, evaluated by the eligibility
function, on screen with why each person is in or out, and as xlsx (trích ngang layout)."""
from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
import sqlalchemy as sa

from models import DatePrecision, Level, Role, SavedList, UserRole, db
from registry.core.dates import add_months
from registry.lists import qualification
from registry.lists import ready as ready_lists
from registry.lists.qualification import Criteria

TODAY = dt.date.today()


@pytest.fixture
def team(make):
    """Reporters and propagandists of Huyện Đắk Hà (and one of Sa Thầy), with their records."""
    recent = make.course("Huyện Đắk Hà", start=add_months(TODAY, -2))
    old = make.course("Huyện Đắk Hà", name="Tập huấn cũ", start=add_months(TODAY, -14))

    def bcv(name, llct="trung_cap", unit="Huyện Đắk Hà", **kw):
        p = make.person(name, unit, role=Role.BCV, level=Level.HUYEN, political_theory=llct,
                        party_member=True, dob=dt.date(1980, 6, 1),
                        dob_precision=DatePrecision.DAY, **kw)
        make.attend(p, recent)
        return p

    people = {"ok": bcv("Bùi Văn Đủ"), "llct": bcv("Cao Thị Thiếu", llct="so_cap"),
              "kl": bcv("Đinh Văn Kỷ"), "other": bcv("Người Sa Thầy", unit="Huyện Sa Thầy")}
    make.discipline(people["kl"], "khien_trach", start=add_months(TODAY, -1),
                    until=add_months(TODAY, 11), decision_no="12-QĐ/UBKT")
    people["never"] = make.person("Y Chưa", "Xã Đắk Hring", political_theory="so_cap",
                                  party_member=True, dob=dt.date(2001, 1, 1),
                                  dob_precision=DatePrecision.YEAR)
    people["trained"] = make.person("A Rồi", "Xã Đắk La", political_theory="so_cap",
                                    party_member=True)
    make.attend(people["trained"], recent)
    people["stale"] = make.person("Y Lâu", "Xã Đắk La", political_theory="so_cap",
                                  party_member=True)
    make.attend(people["stale"], old)
    make.user("dakha", UserRole.OFFICER, "Huyện Đắk Hà")
    make.user("xem", UserRole.VIEWER, "Huyện Đắk Hà")
    return people


def _names(entries) -> set[str]:
    return {e.person.full_name for e in entries}


def test_criteria_are_judged_by_the_eligibility_function(ctx, team):
    out = qualification.evaluate(Criteria(role=Role.BCV), "BCV")
    assert _names(out.members) == {"Bùi Văn Đủ", "Người Sa Thầy"}  # no scope: whole province
    why = {e.person.full_name: e.reasons for e in out.outsiders}
    assert why["Cao Thị Thiếu"] == ["Trình độ lý luận chính trị Sơ cấp thấp hơn mức tối thiểu "
                                    "Trung cấp."]
    assert "Đang trong thời hạn kỷ luật Khiển trách" in why["Đinh Văn Kỷ"][0]
    assert "12-QĐ/UBKT" in why["Đinh Văn Kỷ"][0]
    relaxed = qualification.evaluate(Criteria(role=Role.BCV, min_llct="so_cap",
                                              no_discipline=False), "BCV")
    assert {"Cao Thị Thiếu", "Đinh Văn Kỷ"} <= _names(relaxed.members)
    stricter = qualification.evaluate(Criteria(role=Role.BCV, min_llct="cao_cap"), "BCV")
    assert not stricter.members
    ttv = qualification.evaluate(Criteria(role=Role.TTV), "TTV")
    assert _names(ttv.members) == {"A Rồi"}
    untrained = {e.person.full_name: e.reasons for e in ttv.outsiders}
    assert "Chưa hoàn thành khóa bồi dưỡng" in untrained["Y Chưa"][0]
    no_training = qualification.evaluate(Criteria(role=Role.TTV, training_months=0), "TTV")
    assert _names(no_training.members) == {"A Rồi", "Y Chưa", "Y Lâu"}
    window = qualification.evaluate(Criteria(role=Role.TTV, training_months=18), "TTV")
    assert _names(window.members) == {"A Rồi", "Y Lâu"}


def test_age_range_party_and_date(ctx, team):
    young = qualification.evaluate(Criteria(role=Role.TTV, training_months=0, age_max=30), "")
    assert _names(young.members) == {"Y Chưa"}
    reasons = {e.person.full_name: e.reasons for e in young.outsiders}
    assert reasons["A Rồi"] == ["Chưa có ngày sinh để tính tuổi."]
    team["trained"].party_member = False
    db.session.commit()
    party = qualification.evaluate(Criteria(role=Role.TTV), "")
    assert "A Rồi" not in _names(party.members)
    assert "A Rồi" in _names(qualification.evaluate(Criteria(role=Role.TTV, party_required=False),
                                                     "").members)
    before = qualification.evaluate(Criteria(role=Role.TTV, active_on=dt.date(2023, 6, 1)), "")
    assert before.entries == []  # nobody was appointed yet


def test_ready_made_lists(ctx, team, make):
    unit = make.unit("Huyện Đắk Hà")
    bcv = ready_lists.run("bcv-du-tieu-chuan", unit.id, TODAY)
    assert _names(bcv.members) == {"Bùi Văn Đủ"}
    training = ready_lists.run("ttv-chua-boi-duong", unit.id, TODAY)
    notes = {e.person.full_name: e.note for e in training.members}
    assert set(notes) == {"Y Chưa", "Y Lâu"}
    assert notes["Y Chưa"] == "Chưa hoàn thành khóa bồi dưỡng, tập huấn nào."
    assert notes["Y Lâu"].startswith("Lần bồi dưỡng gần nhất kết thúc ngày")
    assert _names(training.outsiders) == {"A Rồi"}
    disciplined = ready_lists.run("dang-ky-luat", unit.id, TODAY)
    assert _names(disciplined.members) == {"Đinh Văn Kỷ"}
    units = ready_lists.run("don-vi-chua-co-ttv", unit.id, TODAY)
    names = {r.unit.name for r in units.rows}
    assert "Xã Đắk Hring" not in names and "Xã Đắk La" not in names and "Xã Hà Mòn" in names
    assert all(r.unit.path.startswith(unit.path) for r in units.rows)


def test_preset_page_and_file_stay_in_scope(client, login, team):
    login("dakha")
    html = client.get("/lists/ready/bcv-du-tieu-chuan").get_data(as_text=True)
    assert "Bùi Văn Đủ" in html and "Người Sa Thầy" not in html
    assert "thấp hơn mức tối thiểu Trung cấp" in html  # why out, on screen
    wb = openpyxl.load_workbook(io.BytesIO(
        client.get("/lists/ready/bcv-du-tieu-chuan/export.xlsx").data))
    assert wb.sheetnames == ["BCV", "Chưa đủ tiêu chuẩn"]
    ws = wb["BCV"]
    assert ws["A5"].value == "BÁO CÁO VIÊN ĐỦ TIÊU CHUẨN"
    assert ws["A1"].value == "ĐẢNG BỘ TỈNH KON TUM"
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=10)]
    person = next(r for r in rows if r[1] == "Bùi Văn Đủ")
    assert person[2] == 1980 and "đủ tiêu chuẩn" in person[-1]
    out = wb["Chưa đủ tiêu chuẩn"]
    text = " ".join(str(c.value) for r in out.iter_rows() for c in r if c.value)
    assert "Cao Thị Thiếu" in text and "thấp hơn mức tối thiểu" in text
    assert "Người Sa Thầy" not in text
    training = openpyxl.load_workbook(io.BytesIO(
        client.get("/lists/ready/ttv-chua-boi-duong/export.xlsx").data))
    assert "TTV" in training.sheetnames
    units = openpyxl.load_workbook(io.BytesIO(
        client.get("/lists/ready/don-vi-chua-co-ttv/export.xlsx").data))["Đơn vị"]
    assert "Xã Hà Mòn" in [c.value for c in units["B"]]


def test_saved_list_create_show_edit_export_delete(client, login, team, make):
    login("dakha")
    la = make.unit("Xã Đắk La")
    resp = client.post("/lists/new", data={
        "name": "TTV Đắk La đủ chuẩn", "role": "TTV", "subtree_unit_id": str(la.id),
        "training_months": "18", "no_discipline": "y", "age_min": "18", "age_max": "60"})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
    saved = db.session.execute(sa.select(SavedList)).scalar_one()
    assert (saved.role, saved.training_months, saved.unit.name) == (Role.TTV, 18, "Huyện Đắk Hà")
    html = client.get(f"/lists/{saved.id}").get_data(as_text=True)
    assert "TTV Đắk La đủ chuẩn" in html and "Y Chưa" not in html  # another commune
    assert "Chưa có ngày sinh để tính tuổi." in html  # A Rồi, Y Lâu: why out
    resp = client.post(f"/lists/{saved.id}/edit", data={
        "name": "TTV Đắk La", "role": "TTV", "subtree_unit_id": str(la.id),
        "training_months": "18", "no_discipline": "y"})
    assert resp.status_code == 302
    html = client.get(f"/lists/{saved.id}").get_data(as_text=True)
    assert "A Rồi" in html and "Đạt mọi tiêu chí" in html
    wb = openpyxl.load_workbook(io.BytesIO(client.get(f"/lists/{saved.id}/export.xlsx").data))
    assert wb["TTV"]["A5"].value == "TTV ĐẮK LA"
    assert {"A Rồi", "Y Lâu"} <= {c.value for c in wb["TTV"]["B"]}
    assert client.post(f"/lists/{saved.id}/delete").status_code == 302
    assert db.session.execute(sa.select(sa.func.count(SavedList.id))).scalar() == 0


def test_list_form_and_bad_input_messages(client, login, team):
    login("dakha")
    html = client.post("/lists/new", data={"name": " ", "age_min": "60", "age_max": "30",
                                           "active_on": "31/02/2025"}).get_data(as_text=True)
    assert "Vui lòng đặt tên cho danh sách." in html
    assert "«Tuổi đến» phải không nhỏ hơn «Tuổi từ»." in html
    assert "Ngày «31/02/2025» không hợp lệ" in html
    resp = client.get("/lists/ready/khong-co")
    assert resp.status_code == 404 and "Không có danh sách có sẵn" in resp.get_data(as_text=True)
    resp = client.get("/lists/ready/dang-ky-luat?on=99/99/2025")
    assert resp.status_code == 400 and "«99/99/2025» không hợp lệ" in resp.get_data(as_text=True)
    resp = client.get("/lists/ready/dang-ky-luat/export.xlsx?unit=999999")
    assert resp.status_code == 400 and "ngoài phạm vi" in resp.get_data(as_text=True)
    assert client.get("/lists/ready/dang-ky-luat?on=01/06/2024").status_code == 200


def test_viewer_reads_but_cannot_save(client, login, team, make):
    saved = make.saved_list("Huyện Đắk Hà", "BCV huyện", role=Role.BCV)
    login("xem")
    assert client.get(f"/lists/{saved.id}").status_code == 200
    assert client.get(f"/lists/{saved.id}/export.xlsx").status_code == 200
    assert client.get("/lists/new").status_code == 403
    assert client.post(f"/lists/{saved.id}/delete").status_code == 403
    assert client.post(f"/lists/{saved.id}/edit", data={"name": "X"}).status_code == 403
