"""The payment sheet (bảng kê chi trả) as xlsx, cell by cell."""
from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from models import Level, PaymentKind, Role, UserRole, db
from registry.payments import service as svc

D = dt.date


@pytest.fixture
def march(make):
    """Đắk Hà's March 2025: two TTV with the monthly allowance, a BCV with three sessions."""
    make.rate(Role.TTV, Level.CO_SO, PaymentKind.PHU_CAP_THANG, 300_000)
    make.rate(Role.BCV, Level.HUYEN, PaymentKind.THU_LAO_BUOI, 500_000)
    blo = make.person("Y Blô", "Xã Đắk La")
    make.person("=Tên lạ", "Xã Hà Mòn")
    bcv = make.person("A Thút", "Huyện Đắk Hà", role=Role.BCV, level=Level.HUYEN)
    make.person("Lê Văn Bình", "Huyện Sa Thầy")
    for day in (D(2025, 3, 3), D(2025, 3, 14), D(2025, 3, 20)):
        make.activity(bcv, day)
    unit = make.unit("Huyện Đắk Hà")
    svc.apply_plan(svc.plan_month(unit, D(2025, 3, 1)))
    make.payment(blo, 250_000, D(2025, 3, 1), PaymentKind.HO_TRO)
    db.session.commit()
    make.user("dakha", UserRole.OFFICER, "Huyện Đắk Hà")
    return unit


def test_payment_sheet_xlsx(client, login, march):
    login("dakha")
    resp = client.get(f"/units/{march.id}/payments/sheet.xlsx?month=2025-03")
    assert resp.status_code == 200 and resp.mimetype.endswith("spreadsheetml.sheet")
    ws = openpyxl.load_workbook(io.BytesIO(resp.data)).worksheets[0]
    assert ws["A1"].value == "ĐẢNG BỘ TỈNH KON TUM" and ws["A2"].value == "HUYỆN ỦY ĐẮK HÀ"
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in [c.value for c in ws[1]]
    assert ws["A5"].value == ("BẢNG KÊ CHI TRẢ CHẾ ĐỘ BÁO CÁO VIÊN, TUYÊN TRUYỀN VIÊN "
                              "THÁNG 03/2025")
    assert ws["A6"].value == "Đơn vị: Huyện Đắk Hà"
    head = {c.value: c.column for c in ws[8] if c.value}
    sub = {c.value: c.column for c in ws[9] if c.value}
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"STT", "Họ và tên", "Chức danh", "Phụ cấp hằng tháng (đồng)", "Hỗ trợ (đồng)",
            "Thù lao báo cáo", "Tổng cộng (đồng)", "Ký nhận"} <= set(head)
    assert {"Mức/buổi (đồng)", "Số buổi", "Thành tiền (đồng)"} == set(sub)
    fee = head["Thù lao báo cáo"]
    assert f"{_col(fee)}8:{_col(fee + 2)}8" in merged and "A8:A9" in merged
    rows = {ws.cell(r, 2).value: r for r in range(10, ws.max_row + 1) if ws.cell(r, 2).value}
    assert set(rows) >= {"Y Blô", "A Thút", "=Tên lạ"} and "Lê Văn Bình" not in rows
    assert ws.cell(rows["=Tên lạ"], 2).data_type == "s"
    thut, blo = rows["A Thút"], rows["Y Blô"]
    assert ws.cell(thut, head["Chức danh"]).value == "BCV cấp huyện"
    assert ws.cell(thut, sub["Mức/buổi (đồng)"]).value == 500_000
    assert ws.cell(thut, sub["Số buổi"]).value == 3
    assert ws.cell(thut, sub["Thành tiền (đồng)"]).value == 1_500_000
    assert ws.cell(blo, head["Phụ cấp hằng tháng (đồng)"]).value == 300_000
    assert ws.cell(blo, head["Hỗ trợ (đồng)"]).value == 250_000
    total_cell = ws.cell(blo, head["Tổng cộng (đồng)"])
    assert total_cell.value.startswith("=SUM(") and total_cell.number_format == "#,##0"
    total_row = next(r for r in range(10, ws.max_row + 1)
                     if str(ws.cell(r, 1).value).startswith("Tổng cộng"))
    assert ws.cell(total_row, head["Tổng cộng (đồng)"]).value.startswith("=SUM(")
    cached = openpyxl.load_workbook(io.BytesIO(resp.data), data_only=True).worksheets[0]
    assert cached.cell(blo, head["Tổng cộng (đồng)"]).value == 550_000
    assert cached.cell(total_row, head["Tổng cộng (đồng)"]).value == 2_350_000
    words = ws.cell(total_row + 1, 1).value
    assert words == ("Tổng số tiền (viết bằng chữ): Hai triệu ba trăm năm mươi nghìn đồng.")
    signatures = [c.value for c in ws[total_row + 3] if c.value]
    assert signatures == ["NGƯỜI LẬP BIỂU", "KẾ TOÁN", "THỦ TRƯỞNG ĐƠN VỊ"]
    assert ws.page_setup.orientation == "landscape" and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.freeze_panes == "A10"


def test_payment_sheet_bad_month_and_scope(client, login, march, make):
    login("dakha")
    resp = client.get(f"/units/{march.id}/payments/sheet.xlsx?month=13/2025")
    assert resp.status_code == 400 and "Tháng «13/2025» không hợp lệ" in resp.get_data(as_text=True)
    other = make.unit("Huyện Sa Thầy")
    assert client.get(f"/units/{other.id}/payments/sheet.xlsx?month=2025-03").status_code == 404
    empty = client.get(f"/units/{march.id}/payments/sheet.xlsx?month=2024-01")
    ws = openpyxl.load_workbook(io.BytesIO(empty.data)).worksheets[0]
    assert "Không đồng" in " ".join(str(c.value) for r in ws.iter_rows() for c in r if c.value)


def _col(index: int) -> str:
    return openpyxl.utils.get_column_letter(index)
