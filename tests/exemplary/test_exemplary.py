"""Exemplary models: created with people in scope only, listed with filters and paging, exported
as xlsx (recorded), shown on the people's pages, and scoped like every unit's row."""
from __future__ import annotations

import io

import openpyxl
import pytest
import sqlalchemy as sa

from models import AuditLog, ExemplaryModel, UserRole, db
from registry.core.rules import RuleViolation
from registry.exemplary import service as svc
from tests.factories import count


@pytest.fixture
def people(make):
    return {"la": make.person("Y Hoa", "Xã Đắk La"),
            "hring": make.person("Nguyễn Văn An", "Xã Đắk Hring"),
            "sathay": make.person("Lê Văn Khác", "Huyện Sa Thầy")}


def _data(unit_id: int, *person_ids: int, **extra) -> dict:
    return {"name": "Mô hình “Loa thôn bản”", "unit_id": str(unit_id), "field": "Dân vận khéo",
            "year": "2025", "decision_no": "12-QĐ/HU", "decision_date": "15/06/2025",
            "recognised_by": "Ban Thường vụ Huyện ủy", "description": "Đọc tin trên loa.",
            "person_ids": [str(i) for i in person_ids], **extra}


def test_create_with_people_in_scope_only(make, people, officer, ctx):
    la, sathay = people["la"], people["sathay"]
    xa = make.unit("Xã Đắk La")
    form = officer.get("/exemplary/new").get_data(as_text=True)
    assert "Y Hoa" in form and "Lê Văn Khác" not in form  # only people the officer writes
    resp = officer.post("/exemplary/new", data=_data(xa.id, la.id, sathay.id))
    assert "Giá trị được chọn không hợp lệ" in resp.get_data(as_text=True)  # a forged id
    resp = officer.post("/exemplary/new", data=_data(xa.id, people["hring"].id))
    assert "không thuộc Xã Đắk La" in resp.get_data(as_text=True)  # outside the model's unit
    for bad, message in (({"year": "abc"}, "Phải là số nguyên"),
                         ({"year": "1900"}, "Năm công nhận phải từ 1945"),
                         ({"name": " "}, "Vui lòng nhập tên"),
                         ({"decision_date": "31/02/2025"}, "không hợp lệ")):
        html = officer.post("/exemplary/new", data=_data(xa.id, la.id, **bad)).get_data(
            as_text=True)
        assert message in html, bad
    assert count(ExemplaryModel) == 0
    resp = officer.post("/exemplary/new", data=_data(xa.id, la.id))
    assert resp.status_code == 302
    item = db.session.execute(sa.select(ExemplaryModel)).scalar_one()
    assert [p.full_name for p in item.persons] == ["Y Hoa"]
    page = officer.get(resp.location).get_data(as_text=True)
    assert f'href="/persons/{la.id}"' in page and "12-QĐ/HU, ngày 15/06/2025" in page
    person_page = officer.get(f"/persons/{la.id}").get_data(as_text=True)
    assert "Mô hình, điển hình" in person_page and "Loa thôn bản" in person_page
    with pytest.raises(RuleViolation):  # the service's own check, without the form
        svc.update_model(db.session.merge(item), {"year": 2025, "name": "X"}, item.unit,
                         [people["hring"].id])


def test_edit_delete_and_scoping(make, people, officer, login, ctx):
    mine = make.exemplary("Xã Đắk La", [people["la"]], name="Mô hình của Đắk La")
    theirs = make.exemplary("Huyện Sa Thầy", [people["sathay"]], name="Mô hình Sa Thầy")
    assert officer.get(f"/exemplary/{theirs.id}").status_code == 404
    assert officer.post(f"/exemplary/{theirs.id}/delete").status_code == 404
    form = officer.get(f"/exemplary/{mine.id}/edit").get_data(as_text=True)
    assert 'selected>Y Hoa (Xã Đắk La)' in form
    resp = officer.post(f"/exemplary/{mine.id}/edit",
                        data=_data(make.unit("Huyện Đắk Hà").id, people["la"].id,
                                   people["hring"].id, name="Mô hình mới"))
    assert resp.status_code == 302
    item = db.session.get(ExemplaryModel, mine.id)
    db.session.refresh(item)
    assert item.name == "Mô hình mới" and len(item.persons) == 2
    html = officer.get("/exemplary").get_data(as_text=True)
    assert "Mô hình mới" in html and "Mô hình Sa Thầy" not in html
    make.user("xem", UserRole.VIEWER, "Huyện Đắk Hà")
    officer.post("/logout")
    viewer = login("xem")
    assert viewer.get(f"/exemplary/{mine.id}").status_code == 200
    assert viewer.get(f"/exemplary/{mine.id}/edit").status_code == 403
    assert viewer.get("/exemplary/new").status_code == 403
    viewer.post("/logout")
    login("dakha")
    assert officer.post(f"/exemplary/{mine.id}/delete").status_code == 302
    assert count(ExemplaryModel) == 1  # Sa Thầy's stays


def test_list_filters_paging_and_xlsx(make, people, officer, app, ctx):
    la = people["la"]
    make.exemplary("Xã Đắk La", [la], name="Loa thôn bản", year=2024, field="Dân vận khéo")
    make.exemplary("Xã Đắk Hring", [people["hring"]], name="Chi bộ số", year=2025,
                   field="Tuyên truyền trực tuyến", description="Nhóm =Zalo chi bộ")
    make.exemplary("Huyện Sa Thầy", [people["sathay"]], name="Mô hình Sa Thầy", year=2025)
    html = officer.get("/exemplary?year=2025").get_data(as_text=True)
    assert "Chi bộ số" in html and "Loa thôn bản" not in html and "Sa Thầy" not in html
    html = officer.get("/exemplary?field=Dân vận khéo").get_data(as_text=True)
    assert "Loa thôn bản" in html and "Chi bộ số" not in html
    html = officer.get("/exemplary?q=zalo").get_data(as_text=True)
    assert "Chi bộ số" in html and "Loa thôn bản" not in html
    unit = make.unit("Xã Đắk La").id
    assert "Chi bộ số" not in officer.get(f"/exemplary?unit={unit}").get_data(as_text=True)
    for query in ("year=abc", "unit=-1", "unit=abc&year=99999", "q=%25_%5C", "field=x" * 50,
                  f"unit={make.unit('Huyện Sa Thầy').id}"):
        resp = officer.get(f"/exemplary?{query}")
        assert resp.status_code == 200 and "Sa Thầy</a>" not in resp.get_data(as_text=True)
    assert "không hợp lệ" in officer.get("/exemplary?year=abc").get_data(as_text=True)
    assert officer.get("/exemplary?page=0").status_code == 400
    app.config["PAGE_SIZE"] = 1
    try:
        html = officer.get("/exemplary?page=2").get_data(as_text=True)
        assert "Trang 2 / 2" in html and "Loa thôn bản" in html
    finally:
        app.config["PAGE_SIZE"] = 50
    resp = officer.get("/exemplary/export.xlsx?year=2025")
    ws = openpyxl.load_workbook(io.BytesIO(resp.data)).active
    rows = [tuple(r) for r in ws.iter_rows(values_only=True)]
    row = next(r for r in rows if r[1] == "Chi bộ số")
    assert row[2:6] == ("Tuyên truyền trực tuyến", 2025, "Xã Đắk Hring", "Nguyễn Văn An")
    assert row[8] == "Nhóm =Zalo chi bộ"  # text, never a formula
    assert any("DANH SÁCH MÔ HÌNH HAY" in str(r[0]) for r in rows)
    assert not any("Sa Thầy" in str(v) for r in rows for v in r)
    assert db.session.execute(sa.select(sa.func.count(AuditLog.id)).where(
        AuditLog.entity == "security", AuditLog.action == "export")).scalar() == 1
