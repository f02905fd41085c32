"""Issue 15 §2: the payment sheet on screen as on paper (agency block, place and date, Ký nhận)
with formula totals in its xlsx; qualification lists' criteria with their values and the
second sheet's title; no download named with an internal id."""
from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl

from models import Level, PaymentKind, Role, UserRole, db
from registry.exports.agency import place_date
from registry.lists import qualification
from registry.lists import ready as ready_lists
from registry.lists.qualification import Criteria
from tests.factories import fill_route

D = dt.date
TODAY = dt.date.today()


def _sheet_data(make):
    make.rate(Role.TTV, Level.CO_SO, PaymentKind.PHU_CAP_THANG, 300_000)
    blo = make.person("Y Blô", "Xã Đắk La")
    thut = make.person("A Thút", "Huyện Đắk Hà", role=Role.BCV, level=Level.HUYEN)
    make.payment(blo, 300_000, D(2025, 3, 1), PaymentKind.PHU_CAP_THANG)
    make.payment(blo, 250_000, D(2025, 3, 1), PaymentKind.HO_TRO)
    make.payment(thut, 1_500_000, D(2025, 3, 1), PaymentKind.THU_LAO_BUOI, sessions=3)
    make.payment(make.person("Lê Sa Thầy", "Huyện Sa Thầy"), 999_000, D(2025, 3, 1))
    make.user("dakha", UserRole.OFFICER, "Huyện Đắk Hà")
    return make.unit("Huyện Đắk Hà")


def test_payment_sheet_screen_and_formula_totals(client, login, make):
    unit = _sheet_data(make)
    login("dakha")
    html = client.get(f"/units/{unit.id}/payments?month=2025-03").get_data(as_text=True)
    assert "ĐẢNG BỘ TỈNH KON TUM" in html and "HUYỆN ỦY ĐẮK HÀ" in html
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in html and place_date("Đắk Hà", TODAY) in html
    assert '<th class="sign">Ký nhận</th>' in html and "Lê Sa Thầy" not in html
    foot = html[html.index("<tfoot>"):html.index("</tfoot>")]
    assert "2.050.000" in foot  # 300.000 + 250.000 + 1.500.000: the rows' sum
    resp = client.get(f"/units/{unit.id}/payments/sheet.xlsx?month=2025-03")
    assert "filename=bang-ke-chi-tra-huyen-dak-ha-2025-03.xlsx" in \
        resp.headers["Content-Disposition"]
    formulas = openpyxl.load_workbook(io.BytesIO(resp.data)).worksheets[0]
    cached = openpyxl.load_workbook(io.BytesIO(resp.data), data_only=True).worksheets[0]
    total_row = next(r for r in range(10, formulas.max_row + 1)
                     if str(formulas.cell(r, 1).value).startswith("Tổng cộng"))
    people = range(10, total_row)
    for col in (5, 6, 8, 9, 10):  # monthly, support, sessions, fees, total (E F H I J)
        assert formulas.cell(total_row, col).value.startswith("=SUM("), col
        shown = sum(cached.cell(r, col).value or 0 for r in people)
        assert cached.cell(total_row, col).value == shown
    assert formulas.cell(total_row, 10).value == f"=SUM(J10:J{total_row - 1})"
    assert cached.cell(total_row, 10).value == 2_050_000
    assert formulas.cell(10, 10).value.startswith("=SUM(E10")  # a person's own total


def test_criteria_print_their_values_and_second_sheet_title(client, login, make):
    make.person("Bùi Văn Chưa", "Huyện Đắk Hà", role=Role.BCV, level=Level.HUYEN,
                political_theory="so_cap")
    make.user("dakha", UserRole.OFFICER, "Huyện Đắk Hà")
    bcv = qualification.evaluate(Criteria(role=Role.BCV), "Báo cáo viên đủ tiêu chuẩn")
    lines = {line.split(":")[0]: line for line in bcv.lines}
    assert "Trung cấp" in lines["Lý luận chính trị tối thiểu"]  # BCV cấp huyện's minimum
    assert "BCV cấp tỉnh: Cao cấp" in lines["Lý luận chính trị tối thiểu"]
    assert lines["Chuyên môn tối thiểu"] == "Chuyên môn tối thiểu: không yêu cầu (theo thiết lập)"
    assert lines["Đảng viên"] == "Đảng viên: bắt buộc (theo thiết lập)"
    assert re.fullmatch(r"Bồi dưỡng: trong \d+ tháng \(theo thiết lập\)", lines["Bồi dưỡng"])
    assert "khiển trách" in lines["Kỷ luật"]
    ttv = qualification.evaluate(Criteria(role=Role.TTV, level=Level.CO_SO), "TTV")
    assert "Lý luận chính trị tối thiểu: Sơ cấp (theo thiết lập)" in ttv.lines
    ready = [ready_lists.run(slug, None, TODAY) for slug in ready_lists.PRESETS]
    for line in [x for o in [bcv, ttv, *ready] for x in o.lines]:
        assert not re.search(r"(:|tối thiểu|liền|tính) theo thiết lập", line), line
    login("dakha")
    wb = openpyxl.load_workbook(io.BytesIO(
        client.get("/lists/ready/bcv-du-tieu-chuan/export.xlsx").data))
    out = wb["Chưa đủ tiêu chuẩn"]
    assert out["A5"].value == "DANH SÁCH BÁO CÁO VIÊN CHƯA ĐỦ TIÊU CHUẨN"
    assert "«Báo cáo viên đủ tiêu chuẩn»" in out["A6"].value
    assert "Bùi Văn Chưa" in [c.value for c in out["B"]]
    assert "BCV cấp huyện: Trung cấp" in wb.worksheets[0]["A6"].value


# A download's name: letters, and numbers only as a date, a month, a year or a period.
ALLOWED = re.compile(r"[a-z-]*(-(\d{4}-\d{2}-\d{2}|\d{4}-\d{2}|\d{8}|\d{4})|[a-z-])*\.xlsx")


def test_no_download_is_named_with_an_internal_id(client, login, make, app):
    person = make.person("Người Tải Về", "Huyện Đắk Hà", role=Role.BCV, level=Level.HUYEN)
    make.user("admin", UserRole.ADMIN, "Tỉnh Kon Tum")
    ids = make.route_ids(person)
    db.session.commit()
    login("admin")
    rules = [r for r in app.url_map.iter_rules()  # the web's downloads (the API: tests/api)
             if r.rule.endswith(".xlsx") and "GET" in r.methods
             and not r.rule.startswith("/api/")]
    assert len(rules) >= 15
    for rule in rules:
        resp = client.get(fill_route(rule, ids))
        assert resp.status_code == 200, rule.rule
        disposition = resp.headers["Content-Disposition"]
        name = re.search(r'filename="?([^";]+)', disposition).group(1)
        assert ALLOWED.fullmatch(name), (rule.rule, name)
