"""Which rows are people: blank, STT-only, section, number and repeated-header rows are skipped;
the footer ends the table; vertical merges spread over the rows they cover."""
from __future__ import annotations

import pytest

from imports.header import build_layout
from imports.rows import data_rows, is_footer

from .builders import HEADER, person, xlsx_bytes

HEAD = [["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Xã"]]


def _numbers(rows, merges=()):
    table = HEAD + rows
    layout = build_layout(table, merges, 0)
    start = layout.first_data_row - 1
    return [
        (r.number, r.section)
        for r in data_rows(((i, row) for i, row in enumerate(table) if i >= start), layout, merges)
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Người lập biểu",
        "NGƯỜI LẬP BIỂU",
        "TM. BAN THƯỜNG VỤ",
        "T/M Ban Thường vụ",
        "KT. TRƯỞNG BAN",
        "Nơi nhận:",
        "Tổng cộng",
        "TỔNG CỘNG: 25",
        "Cộng: 12 người",
        "  Cộng : 3",
        "Kon Tum, ngày 10 tháng 3 năm 2025",
        "Đắk Hà, ngày   tháng   năm 2025",
        "Tổng số: 12 người",
        "Ghi chú: danh sách gồm 12 người",
    ],
)
def test_footer_markers(text):
    assert is_footer(["", text, ""], 1) or is_footer(["", "", text], 1)


@pytest.mark.parametrize(
    "row",
    [
        ["1", "Nguyễn Văn Tổng", "1980"],
        ["2", "Người có uy tín", "1980"],
        ["3", "A Nhân", "Công an xã"],
        ["4", "Trần Cộng", "1980"],
        ["5", "Lê Văn A", "Kết nạp ngày 5 tháng 3 năm 2010"],
    ],
)
def test_person_rows_are_not_footers(row):
    assert not is_footer(row, 1)


def test_date_line_counts_only_without_a_name():
    line = "Kon Tum, ngày 10 tháng 3 năm 2025"
    assert is_footer(["", "", line], 1)
    assert not is_footer(["7", "Lê Thị Hoa", line], 1)


def test_skipped_rows_and_footer():
    rows = [
        [1, "Nguyễn Văn An", "1980", "Nam", "Xã Đắk La"],
        ["", "", "", "", ""],  # blank
        [" ", "\u00a0", " ", "  ", "\n"],  # only spaces
        [2, "", "", "", ""],  # STT only
        ["1", "2", "3", "4", "5"],  # repeated column numbers
        ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Xã"],  # header repeated (page break copy)
        [3, "Lê Thị Hoa", "1985", "Nữ", "Hà Mòn"],
        ["", "Cộng: 2 người", "", "", ""],
        [4, "Sau chân trang", "1990", "Nam", "Hà Mòn"],
    ]
    assert [n for n, _ in _numbers(rows)] == [2, 8]


def test_section_rows_set_the_label():
    rows = [
        ["I", "THỊ TRẤN ĐẮK RVE", "", "", ""],
        [1, "A Nên", "1965", "Nam", ""],
        ["II.", "XÃ ĐĂK KÔI", "", "", ""],
        [2, "Y Khuyên", "1981", "Nữ", ""],
        ["", "III. XÃ TÂN LẬP", "", "", ""],
        [3, "A Quang", "1971", "Nam", ""],
        ["", "Xã Đắk Pne", "", "", ""],
        [4, "Y Thảo", "1972", "Nữ", ""],
    ]
    assert _numbers(rows) == [
        (3, "THỊ TRẤN ĐẮK RVE"),
        (5, "XÃ ĐĂK KÔI"),
        (7, "XÃ TÂN LẬP"),
        (9, "Xã Đắk Pne"),
    ]


def test_vertical_merges_spread_in_the_data_area_only():
    rows = [
        [1, "A", "1980", "Nam", "Xã Đắk La"],
        [2, "B", "1981", "Nữ", ""],
        [3, "C", "1982", "Nam", ""],
        [4, "D", "1983", "Nữ", "Hà Mòn"],
    ]
    table = HEAD + rows
    merges = ((1, 4, 3, 4),)  # E2:E4, 0-based
    layout = build_layout(table, merges, 0)
    out = list(data_rows(((i, list(r)) for i, r in enumerate(table) if i >= 1), layout, merges))
    assert [r.cells[4] for r in out] == ["Xã Đắk La", "Xã Đắk La", "Xã Đắk La", "Hà Mòn"]


def test_merged_unit_cells_in_a_workbook(parse):
    rows = [
        HEADER,
        person(1, unit="Xã Đắk La", cccd="062076120001"),
        person(2, "Lê Thị Hoa", unit=None),
        person(3, "Trần Văn Ba", unit="Phường Trần Phú"),
        person(4, "Đỗ Thị Tư", unit=None),
    ]
    result = parse(xlsx_bytes(rows, merges=["F2:F3", "F4:F5"]))
    sheet = result.sheets[0]
    assert [r.values["unit"] for r in sheet.rows] == [
        "Xã Đắk La",
        "Xã Đắk La",
        "Phường Trần Phú",
        "Phường Trần Phú",
    ]
    assert [r.reason for r in sheet.rows] == [None, None, "unknown_unit", "unknown_unit"]


def test_signature_names_below_the_footer_are_ignored(parse):
    rows = [
        ["DANH SÁCH TUYÊN TRUYỀN VIÊN"],
        HEADER,
        person(1),
        [None, None],
        [None, "Người lập biểu", None, None, None, "Đắk Hà, ngày 10 tháng 3 năm 2025"],
        [None, None, None, None, None, "TM. BAN THƯỜNG VỤ"],
        [None, "Phạm Thị Thu Trang"],
    ]
    result = parse(xlsx_bytes(rows))
    assert [r.row for r in result.sheets[0].rows] == [3]
