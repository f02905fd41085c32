"""The sơ kết / tổng kết page and xlsx, the tree as of the period's end, garbage input, and the
dashboard's activity figures."""
from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
import sqlalchemy as sa

from models import AuditLog, DeliveryForm, Level, Role, UserRole
from registry.core import access
from registry.reports import period
from tests.asof.conftest import reorganised  # noqa: F401  (a fixture)

D = dt.date


@pytest.fixture
def small(make, ctx):
    """Two sessions (one of last year), a conference of the province missed by one BCV."""
    ha = make.person("A Hà", "Huyện Đắk Hà", role=Role.BCV, level=Level.HUYEN,
                     start=D(2020, 1, 1))
    to = make.person("A Tô", "Huyện Đắk Tô", role=Role.BCV, level=Level.HUYEN,
                     start=D(2020, 1, 1))
    make.activity(ha, D(2026, 3, 5), audience=120)
    make.activity(to, D(2026, 4, 5), audience=30, form=DeliveryForm.TRUC_TUYEN)
    make.activity(to, D(2025, 4, 5), audience=70)
    conf = make.conference("Tỉnh Kon Tum", D(2026, 5, 10))
    make.attend_conference(ha, conf)
    doc = make.document("Tỉnh Kon Tum", issued_on=D(2026, 2, 1))
    make.distribute(doc, ha, sent_on=D(2026, 2, 2), received_on=D(2026, 2, 3))
    make.distribute(doc, to, sent_on=D(2026, 2, 2))
    make.user("admin", UserRole.ADMIN, "Tỉnh Kon Tum")
    make.user("dakha", UserRole.OFFICER, "Huyện Đắk Hà")
    return {"ha": ha, "to": to}


YEAR = {"from": "01/01/2026", "to": "31/12/2026"}


def test_page_and_tong_ket_xlsx_cell_by_cell(client, login, ctx, small):
    login("admin")
    html = client.get("/reports/period", query_string=YEAR).get_data(as_text=True)
    assert "BÁO CÁO TỔNG KẾT CÔNG TÁC TUYÊN TRUYỀN MIỆNG" in html and "NĂM 2026" in html
    assert "BAN TUYÊN GIÁO VÀ DÂN VẬN TỈNH ỦY" in html and "Huyện Đắk Tô" in html
    assert 'data-key="sessions"' in html and "6 tháng đầu năm 2026" in html  # quick choice
    resp = client.get("/reports/period.xlsx", query_string=YEAR)
    assert resp.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(resp.data))
    ws = book["Báo cáo"]
    assert ws["A1"].value == "ĐẢNG BỘ TỈNH KON TUM"
    assert ws["A2"].value == "BAN TUYÊN GIÁO VÀ DÂN VẬN TỈNH ỦY"
    assert ws["A5"].value == ("BÁO CÁO TỔNG KẾT CÔNG TÁC TUYÊN TRUYỀN MIỆNG VÀ ĐỘI NGŨ BÁO CÁO "
                              "VIÊN, TUYÊN TRUYỀN VIÊN NĂM 2026")
    assert ws["A6"].value.startswith("Tỉnh Kon Tum. Kỳ báo cáo từ ngày 01/01/2026 đến ngày "
                                     "31/12/2026; kỳ trước từ ngày 01/01/2025")
    assert [ws.cell(8, c).value for c in range(1, 5)] == ["Chỉ tiêu", "Kỳ này", "Kỳ trước",
                                                          "Tăng/giảm"]
    assert (ws["D9"].value, ws["E9"].value) == ("Số", "%")
    rows = {ws.cell(r, 1).value: r for r in range(10, ws.max_row + 1)}
    assert rows["I. Số lượng, chất lượng đội ngũ (tính đến ngày cuối kỳ)"] == 10
    sessions = rows["Buổi tuyên truyền"]
    assert [ws.cell(sessions, c).value for c in range(2, 6)] == [2, 1, 1, 100]
    audience = rows["Lượt người nghe"]
    assert [ws.cell(audience, c).value for c in range(2, 6)] == [150, 70, 80, pytest.approx(114.3)]
    assert [ws.cell(rows["Tỷ lệ báo cáo viên dự (%)"], c).value for c in range(2, 6)] \
        == [50, 0, 50, None]
    assert ws.cell(rows["Tỷ lệ đã nhận (%)"], 2).value == 50
    notes = " ".join(str(c.value) for r in ws.iter_rows(min_row=sessions) for c in r if c.value)
    assert "NGƯỜI LẬP BIỂU" in notes and "TRƯỞNG BAN" in notes
    units = book["Theo đơn vị"]
    top = {c.value: c.column for c in units[9] if c.value}
    by_unit = {units.cell(r, 2).value: r for r in range(10, units.max_row + 1)}
    assert units.cell(by_unit["Huyện Đắk Tô"], top["Buổi tuyên truyền"]).value == 1
    assert units.cell(by_unit["Tổng cộng"], top["Lượt người nghe"]).value == 150
    assert units.cell(by_unit["Huyện Đắk Hà"], top["Lượt báo cáo viên vắng"]).value == 0
    assert units.cell(by_unit["Huyện Đắk Tô"], top["Lượt báo cáo viên vắng"]).value == 1
    event = ctx.execute(sa.select(AuditLog).where(AuditLog.action == "export")
                        .order_by(AuditLog.id.desc())).scalars().first()
    assert event.after["file"] == "bao-cao-tong-ket-20260101-20261231.xlsx"


def test_so_ket_for_half_a_year_and_the_officer_scope(client, login, small):
    login("dakha")
    html = client.get("/reports/period?from=01/01/2026&to=30/06/2026").get_data(as_text=True)
    assert "BÁO CÁO SƠ KẾT" in html and "6 THÁNG ĐẦU NĂM 2026" in html
    assert "Huyện Đắk Tô" not in html and "Huyện Đắk Hà (cấp huyện)" in html
    resp = client.get("/reports/period.xlsx?from=01/01/2026&to=30/06/2026")
    ws = openpyxl.load_workbook(io.BytesIO(resp.data))["Báo cáo"]
    assert ws["A5"].value.startswith("BÁO CÁO SƠ KẾT")
    rows = {ws.cell(r, 1).value: r for r in range(10, ws.max_row + 1)}
    assert ws.cell(rows["Buổi tuyên truyền"], 2).value == 1  # Đắk Tô's session is not theirs


@pytest.mark.parametrize("query", [
    "from=abc&to=31/02/2026&unit=-1", "from=31/12/2026&to=01/01/2026", "unit=abc&page=0",
    "from=01/01/1900&to=01/01/2026", "to=99/99/9999&year=abc", "unit=999999",
])
def test_garbage_input_gets_a_message_not_a_500(client, login, small, query):
    login("admin")
    resp = client.get(f"/reports/period?{query}")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert 'class="flash flash-danger"' in html
    assert client.get(f"/reports/period.xlsx?{query}").status_code == 400


def test_a_report_of_2025_h1_uses_the_old_tree(ctx, make, reorganised):  # noqa: F811
    province = reorganised["province"]
    with access.scoped(access.scope_for_unit(province)):
        old = period.build(province, D(2025, 1, 1), D(2025, 6, 30))
        new = period.build(province, D(2025, 7, 1), D(2025, 12, 31))
    labels = [r.label for r in old.current.rows]
    assert old.current.unit_name != province.name  # the old province stood for it then
    assert any("Huyện Đắk Hà" == label for label in labels)
    assert old.current.total["people"] >= 2
    new_labels = [r.label for r in new.current.rows]
    assert "Xã Đăk Mar" in new_labels and "Huyện Đắk Hà" not in new_labels
    # the H2 report compares with H1 under the unit standing for the province then
    assert new.previous is not None and new.previous.unit_name == old.current.unit_name
    # the reorganisation ended one appointment and began one for each of the two people
    assert new.current.total["added"] == 2 and old.current.total["removed:sap_xep_bo_may"] == 2


def test_dashboard_shows_the_activity_figures(client, login, small):
    login("admin")
    html = client.get("/?on=30/12/2026").get_data(as_text=True)
    assert "Hoạt động năm 2026" in html and "/reports/period" in html
    assert "lượt người nghe (120 trực tiếp, 30 trực tuyến)" in html
    assert "2 lượt gửi, 50% đã nhận" in html and "báo cáo viên dự 50%" in html
    login("dakha")
    html = client.get("/?on=30/12/2026").get_data(as_text=True)
    assert "báo cáo viên dự 100%" in html and "1 lượt gửi, 100% đã nhận" in html
    assert "lượt người nghe (120 trực tiếp, 0 trực tuyến)" in html
