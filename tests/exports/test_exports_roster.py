"""The roster export: exactly the rows on screen, both layouts cell by cell, safe text cells,
the command line, bad input in Vietnamese, and the agency wording."""
from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pytest

from models import DatePrecision, Gender, Level, Role, UserRole
from registry.exports.agency import agency_for, place_date
from registry.exports.full import COLUMNS

D = dt.date


@pytest.fixture
def roster(make):
    """An officer of Huyện Đắk Hà, four people of the district and one of Sa Thầy."""
    make.user("dakha", UserRole.OFFICER, "Huyện Đắk Hà")
    people = {
        "an": make.person("Nguyễn Văn An", "Xã Đắk Hring", dob=D(1980, 3, 5),
                          dob_precision=DatePrecision.DAY, cccd="062080000001",
                          phone="+84 912 345 678", position="=SUM(A1:A9)", notes="-ghi chú",
                          ethnicity="Kinh", party_member=True, party_join_date=D(2005, 6, 1),
                          political_theory="so_cap", education="12/12"),
        "blo": make.person("Y Blô", "Xã Đắk La", dob=D(1990, 3, 1), gender=Gender.NU,
                           dob_precision=DatePrecision.MONTH, cccd="062190000002",
                           ethnicity="Xơ Đăng", email="@blo"),
        "thut": make.person("A Thút", "Huyện Đắk Hà", role=Role.BCV, level=Level.HUYEN,
                            dob=D(1976, 1, 1), dob_precision=DatePrecision.YEAR,
                            cccd="062076000003", ethnicity="Xơ Đăng"),
        "ended": make.person("Lê Thị Cũ", "Xã Đắk Hring", end=D(2024, 12, 31),
                             dob=D(1970, 1, 1), dob_precision=DatePrecision.YEAR),
        "other": make.person("Người Sa Thầy", "Huyện Sa Thầy", dob=D(1985, 1, 1),
                             dob_precision=DatePrecision.YEAR),
    }
    return people


def _book(resp) -> openpyxl.Workbook:
    assert resp.status_code == 200, resp.get_data(as_text=True)[:300]
    assert resp.mimetype.endswith("spreadsheetml.sheet")
    assert "attachment" in resp.headers["Content-Disposition"]
    return openpyxl.load_workbook(io.BytesIO(resp.data))


def _header_index(ws, row: int = 1) -> dict[str, int]:
    return {c.value: c.column for c in ws[row] if c.value}


def _print_setup_fits_width(ws) -> None:
    assert ws.page_setup.orientation == "landscape"
    assert str(ws.page_setup.paperSize) == "9"  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert ws.page_setup.fitToWidth in (None, 1)  # 1 is the default, left out of the file
    assert ws.page_setup.fitToHeight == 0          # as many pages down as needed


def test_complete_layout_cell_by_cell(client, login, roster):
    login("dakha")
    wb = _book(client.get("/roster/export.xlsx?layout=full"))
    ws = wb["Danh sách"]
    col = _header_index(ws)
    assert [c.value for c in ws[1]] == [label for _key, label in COLUMNS]
    assert all(c.font.bold and c.alignment.wrap_text for c in ws[1])
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")
    _print_setup_fits_width(ws)
    rows = {ws.cell(r, col["Họ và tên"]).value: r for r in range(2, ws.max_row + 1)}
    assert set(rows) == {"Nguyễn Văn An", "Y Blô", "A Thút"}  # active, in scope
    an, blo, thut = rows["Nguyễn Văn An"], rows["Y Blô"], rows["A Thút"]
    dob = ws.cell(an, col["Ngày sinh"])
    assert dob.value == dt.datetime(1980, 3, 5) and dob.number_format == "dd/mm/yyyy"
    assert ws.cell(blo, col["Ngày sinh"]).value == "03/1990"   # month precision, as text
    assert ws.cell(thut, col["Ngày sinh"]).value == "1976"     # year precision, as text
    joined = ws.cell(an, col["Ngày vào Đảng"])
    assert joined.value == dt.datetime(2005, 6, 1) and joined.number_format == "dd/mm/yyyy"
    assert ws.cell(an, col["Số CCCD"]).value == "062080000001"
    for header, text in (("Điện thoại", "+84 912 345 678"), ("Chức vụ", "=SUM(A1:A9)"),
                         ("Ghi chú", "-ghi chú")):
        cell = ws.cell(an, col[header])
        assert (cell.value, cell.data_type) == (text, "s"), header  # a string, never a formula
        assert cell.quotePrefix, header
    assert ws.cell(blo, col["Email"]).value == "@blo"
    assert (ws.cell(an, col["Vai trò"]).value, ws.cell(an, col["Cấp"]).value) == ("TTV", "Xã")
    assert (ws.cell(thut, col["Vai trò"]).value,
            ws.cell(thut, col["Cấp"]).value) == ("BCV", "Huyện")
    assert ws.cell(an, col["Huyện/Thành phố"]).value == "Huyện Đắk Hà"
    assert ws.cell(an, col["Đơn vị"]).value == "Xã Đắk Hring"
    assert ws.cell(an, col["Lý luận chính trị"]).value == "Sơ cấp"
    assert ws.cell(an, col["Ngày bắt đầu"]).value == dt.datetime(2024, 1, 1)
    assert ws.cell(an, col["Đảng viên"]).value == "x"
    width = ws.column_dimensions[openpyxl.utils.get_column_letter(col["Họ và tên"])].width
    assert width >= len("Nguyễn Văn An")


def test_export_holds_every_row_of_every_page(app, client, login, roster):
    login("dakha")
    app.config["PAGE_SIZE"] = 2
    try:
        for query in ({"status": "all"}, {"role": "TTV"}, {"q": "bl"}, {"status": "ended"}):
            names, page = [], 1
            while True:
                html = client.get("/roster", query_string={**query, "page": page}).get_data(
                    as_text=True)
                names += re.findall(r'<td><a href="/persons/\d+">([^<]+)</a></td>', html)
                if f"Trang {page} /" not in html or f"Trang {page} / {page}" in html:
                    break
                page += 1
            ws = _book(client.get("/roster/export.xlsx", query_string=query))["Danh sách"]
            exported = [ws.cell(r, 2).value for r in range(2, ws.max_row + 1)]
            assert exported == names, query
    finally:
        app.config["PAGE_SIZE"] = 50
    assert "Người Sa Thầy" not in names


def test_trich_ngang_layout_cell_by_cell(client, login, roster):
    login("dakha")
    wb = _book(client.get("/roster/export.xlsx?layout=trich-ngang&status=active"))
    assert wb.sheetnames == ["BCV", "TTV"]
    ws = wb["TTV"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert ws["A1"].value == "ĐẢNG BỘ TỈNH KON TUM" and ws["A2"].value == "HUYỆN ỦY ĐẮK HÀ"
    assert ws["A2"].font.bold
    right = [c for c in ws[1] if c.value == "ĐẢNG CỘNG SẢN VIỆT NAM"]
    assert right and right[0].column > 8
    date_line = ws.cell(3, right[0].column).value
    assert re.fullmatch(r"Đắk Hà, ngày \d\d tháng \d{1,2} năm \d{4}", date_line)
    assert ws.cell(3, right[0].column).font.italic
    assert ws["A5"].value == "DANH SÁCH TRÍCH NGANG ĐỘI NGŨ TUYÊN TRUYỀN VIÊN NÒNG CỐT"
    header = 8  # rows 8-9, after the title, subtitle and a blank row
    top = {c.value: c.column_letter for c in ws[header] if c.value}
    assert {"STT", "Họ và tên", "Năm sinh", "Dân tộc", "Chức vụ", "Đơn vị", "Trình độ",
            "Số CCCD"} <= set(top)
    assert "Huyện/Thành phố" not in top  # a district's own list: no district column
    nam = top["Năm sinh"]
    nu = openpyxl.utils.get_column_letter(openpyxl.utils.column_index_from_string(nam) + 1)
    assert f"{nam}{header}:{nu}{header}" in merged
    assert (ws[f"{nam}{header + 1}"].value, ws[f"{nu}{header + 1}"].value) == ("Nam", "Nữ")
    assert f"A{header}:A{header + 1}" in merged and f"B{header}:B{header + 1}" in merged
    titles = [c for row in (ws[header], ws[header + 1]) for c in row if c.value]
    assert len(titles) == 17 and all(c.font.bold and c.alignment.wrap_text for c in titles)
    assert ws.freeze_panes == f"A{header + 2}" and ws.auto_filter.ref.startswith(f"A{header + 1}:")
    assert ws.print_title_rows == f"${header}:${header + 1}"
    _print_setup_fits_width(ws)
    body = [[c.value for c in row] for row in ws.iter_rows(min_row=header + 2)]
    assert body[0][:2] == ["A", "HUYỆN ĐẮK HÀ"]
    assert body[1][:2] == ["I", "Xã Đắk Hring"] and body[3][:2] == ["II", "Xã Đắk La"]
    an, blo = body[2], body[4]
    nam_i = openpyxl.utils.column_index_from_string(nam) - 1
    assert an[0] == 1 and an[1] == "Nguyễn Văn An" and an[nam_i] == 1980 and an[nam_i + 1] is None
    assert blo[0] == 2 and blo[nam_i] is None and blo[nam_i + 1] == 1990  # under "Nữ"
    cells = {c.value: c for row in ws.iter_rows(min_row=header + 2) for c in row if c.value}
    assert cells["+84 912 345 678"].data_type == "s" and cells["=SUM(A1:A9)"].data_type == "s"
    assert cells[dt.datetime(2005, 6, 1)].number_format == "dd/mm/yyyy"
    texts = [v for row in body for v in row if isinstance(v, str)]
    assert "Tổng số: 2 người." in texts
    assert "NGƯỜI LẬP BIỂU" in texts and "T/M BAN THƯỜNG VỤ" in texts
    bcv = wb["BCV"]
    assert bcv["A5"].value == "DANH SÁCH TRÍCH NGANG ĐỘI NGŨ BÁO CÁO VIÊN"
    assert [c.value for c in bcv[header + 2]][:2] == ["A", "HUYỆN ĐẮK HÀ"]
    assert bcv.cell(header + 3, 2).value == "A Thút"


def test_province_trich_ngang_has_the_district_column(client, make, login, roster):
    make.user("admin", UserRole.ADMIN, "Tỉnh Kon Tum")
    login("admin")
    ws = _book(client.get("/roster/export.xlsx?layout=trich-ngang&role=TTV"))["TTV"]
    assert ws["A2"].value == "BAN TUYÊN GIÁO VÀ DÂN VẬN TỈNH ỦY"
    assert any(c.value and c.value.startswith("Kon Tum, ngày ") for c in ws[3])
    assert "Huyện/Thành phố" in [c.value for c in ws[8]]
    names = [c.value for c in ws["B"] if c.value]
    assert "Người Sa Thầy" in names and "HUYỆN SA THẦY" in names


def test_cli_export_roster(app, tmp_path, roster):
    runner = app.test_cli_runner()
    out = tmp_path / "ds.xlsx"
    result = runner.invoke(args=["export-roster", str(out), "--unit", "Huyện Đắk Hà",
                                 "--layout", "trich-ngang", "--role", "TTV",
                                 "--active-on", "2025-06-01"])
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["TTV"]
    names = {c.value for c in wb["TTV"]["B"]}
    # Active on 1 June 2025: the ended one is not; the other district is out of scope.
    assert {"Nguyễn Văn An", "Y Blô"} <= names and "Lê Thị Cũ" not in names
    assert "Người Sa Thầy" not in names and "A Thút" not in names
    old = runner.invoke(args=["export-roster", str(out), "--unit", "Huyện Đắk Hà",
                              "--active-on", "2024-06-01"])
    assert old.exit_code == 0
    full = openpyxl.load_workbook(out)["Danh sách"]
    assert "Lê Thị Cũ" in {c.value for c in full["B"]}
    bad = runner.invoke(args=["export-roster", str(out), "--unit", "Huyện Đắk Hà",
                              "--active-on", "31-02-2025"])
    assert bad.exit_code != 0 and "không hợp lệ" in bad.output
    unknown = runner.invoke(args=["export-roster", str(out), "--unit", "Huyện Không Có"])
    assert unknown.exit_code != 0 and "Không tìm thấy đơn vị" in unknown.output


def test_bad_input_is_explained_in_vietnamese(client, login, roster):
    login("dakha")
    resp = client.get("/roster/export.xlsx?layout=pdf")
    assert resp.status_code == 400 and "Mẫu xuất không hợp lệ" in resp.get_data(as_text=True)
    resp = client.get("/roster/export.xlsx?on=32/13/2025")
    assert resp.status_code == 400 and "«32/13/2025» không hợp lệ" in resp.get_data(as_text=True)
    page = client.get("/roster?on=32/13/2025").get_data(as_text=True)
    assert "«32/13/2025» không hợp lệ" in page  # the list still shows, as of today


def test_large_export_streams_from_its_temporary_file(app, client, login, roster):
    login("dakha")
    app.config["EXPORT_IN_MEMORY_MAX"] = 0
    try:
        resp = client.get("/roster/export.xlsx")
        assert resp.is_streamed
        data = resp.get_data()
        resp.close()
    finally:
        app.config.pop("EXPORT_IN_MEMORY_MAX")
    assert openpyxl.load_workbook(io.BytesIO(data))["Danh sách"].max_row == 4


def test_agency_wording(ctx, make):
    province = agency_for(make.unit("Tỉnh Kon Tum"))
    assert (province.upper, province.body, province.place, province.signer) == (
        "ĐẢNG BỘ TỈNH KON TUM", "BAN TUYÊN GIÁO VÀ DÂN VẬN TỈNH ỦY", "Kon Tum", "TRƯỞNG BAN")
    assert agency_for(make.unit("Huyện Đắk Hà")).body == "HUYỆN ỦY ĐẮK HÀ"
    city = agency_for(make.unit("Thành phố Kon Tum"))
    assert (city.body, city.place) == ("THÀNH ỦY KON TUM", "Kon Tum")
    commune = agency_for(make.unit("Xã Đắk Hring"))
    assert (commune.upper, commune.body) == ("ĐẢNG BỘ HUYỆN ĐẮK HÀ", "ĐẢNG ỦY XÃ ĐẮK HRING")
    assert place_date("Kon Tum", D(2026, 11, 26)) == "Kon Tum, ngày 26 tháng 11 năm 2026"
    assert place_date("Đắk Hà", D(2026, 2, 5)) == "Đắk Hà, ngày 05 tháng 02 năm 2026"
