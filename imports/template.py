"""A blank roster template: the import's own columns, drop-down lists, and instructions."""
from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .spec import BY_KEY

COLUMNS = ("stt", "full_name", "dob", "gender", "ethnicity", "religion", "role", "level",
           "district", "unit", "position", "cccd", "party_join_date", "education", "professional",
           "political_theory", "phone", "email", "notes")
ROWS = 500
INSTRUCTIONS = [
    "HƯỚNG DẪN ĐIỀN MẪU DANH SÁCH BÁO CÁO VIÊN, TUYÊN TRUYỀN VIÊN",
    "",
    "1. Điền mỗi người một dòng trong trang «Danh sách», bắt đầu từ dòng 2. Không đổi tên cột.",
    "2. Họ và tên: bắt buộc. Viết có dấu (Unicode), ví dụ: Y Blô, Ksor H'Blơ.",
    "3. Ngày sinh: bắt buộc, dạng dd/mm/yyyy (ví dụ 05/03/1990); nếu chỉ biết năm thì ghi năm "
    "(1990).",
    "4. Giới tính, Dân tộc, Loại (BCV/TTV), Cấp, Đơn vị, Lý luận chính trị: chọn trong danh sách "
    "thả xuống.",
    "5. Số CCCD: 12 chữ số, không bắt buộc. Nên định dạng ô là Văn bản để không mất số 0 ở đầu.",
    "6. Cấp: Xã cho tuyên truyền viên cơ sở; Huyện hoặc Tỉnh cho báo cáo viên.",
    "7. Người đã có trong sổ (cùng số CCCD) sẽ được cập nhật, không tạo trùng.",
    "8. Sau khi tải lên, hệ thống hiển thị trước từng dòng: mới, cập nhật, không đổi hoặc lỗi "
    "(kèm lý do).",
    "   Chỉ khi bạn bấm «Xác nhận nhập» dữ liệu mới được ghi. Các dòng lỗi có thể tải về để sửa "
    "rồi tải lên lại.",
]


def build(lists: dict[str, list[str]]) -> bytes:
    """`lists`: gender, ethnicity, role, level, district, unit, political_theory -> choices."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Danh sách"
    _header(ws)
    catalogue = wb.create_sheet("Danh mục")
    catalogue.sheet_state = "hidden"
    for col, (key, values) in enumerate(lists.items(), start=1):
        catalogue.cell(1, col, key)
        for row, value in enumerate(values, start=2):
            catalogue.cell(row, col, value)
        letter = get_column_letter(col)
        _validation(ws, key, f"'Danh mục'!${letter}$2:${letter}${len(values) + 1}")
    guide = wb.create_sheet("Hướng dẫn")
    for row, line in enumerate(INSTRUCTIONS, start=1):
        guide.cell(row, 1, line).font = Font(bold=row == 1)
    guide.column_dimensions["A"].width = 120
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _header(ws) -> None:
    for col, key in enumerate(COLUMNS, start=1):
        cell = ws.cell(1, col, BY_KEY[key].label)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        ws.column_dimensions[get_column_letter(col)].width = (
            28 if key in ("full_name", "unit", "position") else 15
        )
    cccd = COLUMNS.index("cccd") + 1
    for row in range(2, ROWS + 2):
        ws.cell(row, cccd).number_format = "@"
    ws.freeze_panes = "C2"


def _validation(ws, key: str, source: str) -> None:
    if key not in COLUMNS:
        return
    letter = get_column_letter(COLUMNS.index(key) + 1)
    dv = DataValidation(
        type="list",
        formula1=source,
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Giá trị không có trong danh sách",
        error="Vui lòng chọn một giá trị trong danh sách thả xuống.",
    )
    dv.add(f"{letter}2:{letter}{ROWS + 1}")
    ws.add_data_validation(dv)
