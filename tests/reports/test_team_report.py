"""The periodic report: counts per unit, the total, units without TTV, and the as-of date that
rebuilds the tree as it stood before a merger; on screen and as xlsx."""
from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from models import DatePrecision, Gender, Level, Role, UnitKind, UserRole, db
from registry.core.rules import RuleViolation
from registry.reports import team_report
from registry.units import service as unit_svc

D = dt.date
MERGER = D(2025, 7, 1)


@pytest.fixture
def merged(make):
    """Đắk Hà and Đắk Tô, with people since 2024, merged into a new district on 1/7/2025."""
    hring = make.person("Y Nữ", "Xã Đắk Hring", gender=Gender.NU, ethnicity="Xơ Đăng",
                        party_member=True, party_join_date=D(2010, 1, 1),
                        political_theory="so_cap", education="9/12", dob=D(1995, 5, 5),
                        dob_precision=DatePrecision.DAY)
    make.person("Nguyễn Văn Kinh", "Thị trấn Đắk Tô", ethnicity="Kinh", dob=D(1960, 1, 1),
                dob_precision=DatePrecision.YEAR, education="12/12")
    bcv = make.person("A Báo", "Huyện Đắk Tô", role=Role.BCV, level=Level.HUYEN,
                      party_member=True, party_join_date=D(2025, 1, 1),
                      political_theory="trung_cap")
    course = make.course("Huyện Đắk Hà", start=D(2024, 5, 10))
    make.attend(hring, course)
    make.commendation(hring, year=2024, decision_date=D(2024, 8, 1))
    make.discipline(bcv, "khien_trach", start=D(2024, 9, 1), until=D(2025, 8, 31))
    province = make.unit("Tỉnh Kon Tum")
    new = unit_svc.add_unit("Huyện Đắk Hà Tô", UnitKind.HUYEN, province, valid_from=MERGER)
    unit_svc.merge_units([make.unit("Huyện Đắk Hà"), make.unit("Huyện Đắk Tô")], new, MERGER)
    db.session.commit()
    make.user("admin", UserRole.ADMIN, "Tỉnh Kon Tum")
    make.user("dakha", UserRole.OFFICER, "Huyện Đắk Hà")
    return new


def _line(report, label):
    return next(line for line in report.lines if line.label == label)


def test_report_before_the_merger_lists_the_old_districts(ctx, make, merged):
    province = make.unit("Tỉnh Kon Tum")
    report = team_report.build(province.id, D(2024, 1, 1), D(2024, 12, 31), D(2024, 12, 31))
    labels = [line.label for line in report.lines]
    assert "Huyện Đắk Hà" in labels and "Huyện Đắk Tô" in labels
    assert "Huyện Đắk Hà Tô" not in labels
    assert labels[0] == "Tỉnh Kon Tum (cấp tỉnh)"
    ha, to = _line(report, "Huyện Đắk Hà"), _line(report, "Huyện Đắk Tô")
    assert (ha.count("people"), ha.count("ttv"), ha.count("bcv")) == (1, 1, 0)
    assert (to.count("people"), to.count("ttv"), to.count("bcv")) == (2, 1, 1)
    assert (ha.count("women"), ha.count("minority"), ha.count("party")) == (1, 1, 1)
    assert to.count("party") == 0  # A Báo joined in 2025: not yet on 31/12/2024
    assert (ha.count("llct:so_cap"), ha.count("edu:thcs"), ha.count("age:duoi30")) == (1, 1, 1)
    assert (to.count("llct:trung_cap"), to.count("llct:khac"), to.count("edu:thpt")) == (1, 1, 1)
    assert to.count("age:tu60") == 1 and to.count("age:none") == 1
    assert (ha.count("trained"), ha.count("commended"), to.count("disciplined")) == (1, 1, 1)
    total = report.total
    assert (total.count("people"), total.count("bcv"), total.count("ttv")) == (3, 1, 2)
    missing = dict(report.without_ttv)
    assert missing["Xã Đắk La"] == "Huyện Đắk Hà" and missing["Xã Tân Cảnh"] == "Huyện Đắk Tô"
    assert "Xã Đắk Hring" not in missing and "Thị trấn Đắk Tô" not in missing


def test_report_after_the_merger_shows_the_successor(ctx, make, merged):
    province = make.unit("Tỉnh Kon Tum")
    today = dt.date.today()
    report = team_report.build(province.id, D(2025, 1, 1), today, today)
    labels = [line.label for line in report.lines]
    assert "Huyện Đắk Hà Tô" in labels and "Huyện Đắk Hà" not in labels
    new = _line(report, "Huyện Đắk Hà Tô")
    assert (new.count("people"), new.count("bcv"), new.count("ttv")) == (3, 1, 2)
    assert new.count("party") == 2 and new.count("trained") == 0 and new.count("disciplined") == 0
    with pytest.raises(RuleViolation, match="chưa có hoặc đã hết hiệu lực"):
        team_report.build(merged.id, D(2024, 1, 1), D(2024, 12, 31), D(2024, 12, 31))
    with pytest.raises(RuleViolation, match="không được trước"):
        team_report.build(province.id, D(2024, 12, 31), D(2024, 1, 1), D(2024, 12, 31))


def test_report_page_and_xlsx(client, login, make, merged):
    login("admin")
    query = {"start": "01/01/2024", "end": "31/12/2024"}
    html = client.get("/reports/team", query_string=query).get_data(as_text=True)
    assert "Huyện Đắk Tô" in html and "Tổng cộng" in html and "Xã Tân Cảnh" in html
    resp = client.get("/reports/team.xlsx", query_string=query)
    assert resp.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(resp.data))["Báo cáo"]
    assert ws["A1"].value == "ĐẢNG BỘ TỈNH KON TUM"
    assert ws["A2"].value == "BAN TUYÊN GIÁO VÀ DÂN VẬN TỈNH ỦY"
    assert ws["A5"].value == ("BÁO CÁO SỐ LƯỢNG, CHẤT LƯỢNG ĐỘI NGŨ BÁO CÁO VIÊN, "
                              "TUYÊN TRUYỀN VIÊN")
    assert "số lượng tính đến ngày 31/12/2024" in ws["A6"].value
    top = {c.value: c.column for c in ws[8] if c.value}
    merged_ranges = {str(r) for r in ws.merged_cells.ranges}
    llct = top["Lý luận chính trị"]
    assert any(r.startswith(f"{openpyxl.utils.get_column_letter(llct)}8:") and r.endswith("8")
               for r in merged_ranges)
    assert [c.value for c in ws[9] if c.value][:2] == ["Chưa qua đào tạo", "Sơ cấp"]
    rows = {ws.cell(r, 2).value: r for r in range(10, ws.max_row + 1)}
    assert ws.cell(rows["Huyện Đắk Tô"], top["Tổng số"]).value == 2
    assert ws.cell(rows["Tổng cộng"], top["Tổng số"]).value == 3
    assert ws.cell(rows["Tổng cộng"], 2).font.bold
    notes = " ".join(str(c.value) for r in ws.iter_rows(min_row=rows["Tổng cộng"]) for c in r
                     if c.value)
    assert "Đơn vị cấp xã chưa có tuyên truyền viên" in notes
    assert "Xã Tân Cảnh (Huyện Đắk Tô)" in notes
    assert "NGƯỜI LẬP BIỂU" in notes and "TRƯỞNG BAN" in notes
    assert ws.freeze_panes == "A10" and ws.page_setup.orientation == "landscape"


def test_report_bad_input(client, login, make, merged):
    login("admin")
    html = client.get("/reports/team?start=31/02/2024").get_data(as_text=True)
    assert "Ngày bắt đầu kỳ «31/02/2024» không hợp lệ" in html
    html = client.get("/reports/team?unit=999999").get_data(as_text=True)
    assert "ngoài phạm vi" in html
    html = client.get("/reports/team", query_string={"unit": merged.id, "as_of": "01/01/2024"})
    assert "chưa có hoặc đã hết hiệu lực" in html.get_data(as_text=True)
    resp = client.get("/reports/team.xlsx?end=abc")
    assert resp.status_code == 400 and "không hợp lệ" in resp.get_data(as_text=True)


def test_district_officer_reports_on_their_scope(client, login, make):
    make.user("dakha", UserRole.OFFICER, "Huyện Đắk Hà")
    make.person("Y Hà", "Xã Đắk La")
    make.person("Người Sa Thầy", "Huyện Sa Thầy")
    login("dakha")
    html = client.get("/reports/team").get_data(as_text=True)
    assert "Xã Đắk La" in html and "Huyện Sa Thầy" not in html
    sathay = make.unit("Huyện Sa Thầy")
    html = client.get(f"/reports/team?unit={sathay.id}").get_data(as_text=True)
    assert "ngoài phạm vi" in html and "Người Sa Thầy" not in html
