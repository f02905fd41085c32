"""A blank roster template: the import's own columns, drop-down lists, and instructions."""
from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .spec import BY_KEY

COLUMNS = ("stt", "full_name", "dob", "gender", "ethnicity", "religion", "hometown", "role",
           "level", "district", "unit", "position", "cccd", "party_join_date", "education",
           "professional", "political_theory", "phone", "email", "start_date", "decision_no",
           "decision_date", "decision_body", "term", "notes")
# Lists offered without refusing other text: a decision body or a term may be one not seen yet.
SUGGESTED = frozenset({"decision_body", "term"})
ROWS = 500
INSTRUCTIONS = [
    "HƯỚNG DẪN ĐIỀN MẪU DANH SÁCH BÁO CÁO VIÊN, TUYÊN TRUYỀN VIÊN",
    "",
    "1. Điền mỗi người một dòng trong trang «Danh sách», bắt đầu từ dòng 2. Không đổi tên cột.",
    "2. Họ và tên: bắt buộc. Viết có dấu (Unicode), ví dụ: Y Blô, Ksor H'Blơ.",
    "3. Ngày sinh: bắt buộc, dạng dd/mm/yyyy (ví dụ 05/03/1990); nếu chỉ biết năm thì ghi năm "
    "(1990).",
    "4. Giới tính, Dân tộc, Vai trò (BCV/TTV), Cấp, Đơn vị, Lý luận chính trị: chọn trong danh "
    "sách thả xuống.",
    "5. Số CCCD: 12 chữ số, không bắt buộc. Nên định dạng ô là Văn bản để không mất số 0 ở đầu.",
    "6. Cấp: Xã cho tuyên truyền viên cấp xã; Huyện hoặc Tỉnh cho báo cáo viên.",
    "7. Người đã có trong sổ (cùng số CCCD) sẽ được cập nhật, không tạo trùng.",
    "8. Quê quán: ghi như trong lý lịch (ví dụ: Nghĩa Hành, Quảng Ngãi); không bắt buộc.",
    "9. Ngày bắt đầu: ngày được công nhận là BCV/TTV, dạng dd/mm/yyyy (hoặc mm/yyyy, yyyy); không "
    "được sau ngày nhập hay trước ngày sinh. Để trống thì nhiệm vụ tính từ ngày nhập.",
    "10. Số quyết định, Ngày quyết định (dd/mm/yyyy, đủ ngày tháng năm, không sau ngày nhập), Cơ "
    "quan quyết định (ví dụ: Ban Thường vụ Huyện ủy), Nhiệm kỳ (ví dụ: 2020-2025): của quyết định "
    "công nhận; không bắt buộc.",
    "   Các cột này chỉ ghi cho nhiệm vụ mới (người mới, hoặc chuyển đơn vị, đổi cấp); nhiệm vụ "
    "đang có không bị thay đổi.",
    "11. Sau khi tải lên, hệ thống hiển thị trước từng dòng: mới, cập nhật, không đổi hoặc lỗi "
    "(kèm lý do).",
    "   Chỉ khi bạn bấm «Xác nhận nhập» dữ liệu mới được ghi. Các dòng lỗi có thể tải về để sửa "
    "rồi tải lên lại.",
]


def build(lists: dict[str, list[str]]) -> bytes:
    """`lists`: gender, ethnicity, role, level, district, unit, political_theory -> choices (only
    these); decision_body, term -> suggestions (other text allowed)."""
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
        if values:  # no suggestions yet (no decision body recorded): a free column
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
            28 if key in ("full_name", "unit", "position", "hometown", "decision_body") else 15
        )
    # Text cells: a CCCD keeps its leading zero, and a date typed dd/mm/yyyy stays as typed
    # (an Excel set to another region would take 01/03 for January 3rd).
    for key in ("cccd", "start_date", "decision_date"):
        col = COLUMNS.index(key) + 1
        for row in range(2, ROWS + 2):
            ws.cell(row, col).number_format = "@"
    ws.freeze_panes = "C2"


def _validation(ws, key: str, source: str) -> None:
    if key not in COLUMNS:
        return
    letter = get_column_letter(COLUMNS.index(key) + 1)
    dv = DataValidation(
        type="list",
        formula1=source,
        allow_blank=True,
        showErrorMessage=key not in SUGGESTED,
        errorTitle="Giá trị không có trong danh sách",
        error="Vui lòng chọn một giá trị trong danh sách thả xuống.",
    )
    dv.add(f"{letter}2:{letter}{ROWS + 1}")
    ws.add_data_validation(dv)
