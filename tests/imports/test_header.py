"""Header detection, two-row headers, column-number rows and the shared column specification."""
from __future__ import annotations

import pytest

from imports.header import build_layout, find_header_row, is_number_row
from imports.spec import BY_KEY, CONTRACT_FIELDS, EXPORT_ORDER, EXTRA_FIELDS, match_header


@pytest.mark.parametrize(
    "title, key",
    [
        ("STT", "stt"),
        ("Số\nTT", "stt"),
        ("TT", "stt"),
        ("Họ và tên", "full_name"),
        ("Họ tên", "full_name"),
        ("Họ, tên", "full_name"),
        ("Họ và tên\n(chữ in hoa)", "full_name"),
        ("HỌ VÀ TÊN", "full_name"),
        ("Ngày sinh", "dob"),
        ("Năm sinh", "dob"),
        ("Ngày, tháng,\nnăm sinh", "dob"),
        ("Giới tính", "gender"),
        ("Nam/Nữ", "gender"),
        ("Dân\ntộc", "ethnicity"),
        ("Chức vụ", "position"),
        ("Chức danh", "position"),
        ("Chức vụ, đơn vị công tác", "position"),
        ("Chức vụ, nơi công tác", "position"),
        ("Đơn vị", "unit"),
        ("Xã, thị trấn", "unit"),
        ("XÃ", "unit"),
        ("Xã/Phường/Thị trấn", "unit"),
        ("Đơn vị\n(xã, thị trấn)", "unit"),
        ("Huyện/Thành phố", "district"),
        ("Số CCCD", "cccd"),
        ("CCCD", "cccd"),
        ("Số căn cước", "cccd"),
        ("Số định danh cá nhân", "cccd"),
        ("Loại", "role"),
        ("Cấp", "level"),
        ("Ngày vào\nĐảng", "party_join_date"),
        ("Tôn giáo", "religion"),
        ("Trình độ học vấn", "education"),
        ("Học vấn", "education"),
        ("Chuyên môn", "professional"),
        ("Lý luận chính trị", "political_theory"),
        ("LLCT", "political_theory"),
        ("Điện thoại", "phone"),
        ("Số điện thoại", "phone"),
        ("SĐT", "phone"),
        ("Email", "email"),
        ("Ghi chú", "notes"),
        ("Số quyết định", "decision_no"),
        ("Nơi công tác", "workplace"),
        ("S.T.T", "stt"),
        ("Họ,tên", "full_name"),
        ("Số CMND/CCCD", "cccd"),
    ],
)
def test_header_aliases(title, key):
    spec = match_header(title)
    assert spec is not None and spec.key == key, title


@pytest.mark.parametrize(
    "title", ["Nơi sinh", "Ngày cấp CCCD", "Nơi cấp", "Cấp ủy", "Trình độ", "Mã", ""]
)
def test_trap_and_unknown_headers(title):
    assert match_header(title) is None


def test_export_labels_round_trip():
    """The export writes spec labels; the import must read every one back as the same field."""
    for key in EXPORT_ORDER:
        assert match_header(BY_KEY[key].label).key == key
    assert set(CONTRACT_FIELDS) | set(EXTRA_FIELDS) <= set(EXPORT_ORDER)


def test_header_is_the_first_row_with_a_name_and_two_more():
    rows = [
        ["DANH SÁCH TUYÊN TRUYỀN VIÊN"],
        ["- Họ và tên viết đầy đủ; Ngày sinh dd/mm/yyyy"],
        ["Họ và tên", "Ghi chú"],
        ["STT", "Họ và tên\n(chữ in hoa)", "Ngày, tháng,\nnăm sinh", "Dân\ntộc"],
    ]
    assert find_header_row(rows) == 3


def test_no_header_beyond_row_40():
    rows = [[""]] * 40 + [["STT", "Họ và tên", "Ngày sinh", "Giới tính"]]
    assert find_header_row(rows) is None
    assert find_header_row(rows[1:]) == 39


def test_two_row_header_birth_under_gender():
    rows = [
        ["STT", "Họ và tên", "Năm sinh", "", "Dân tộc", "Trình độ", "", "Số CCCD"],
        ["", "", "Nam", "Nữ", "", "Chuyên môn", "Lý luận chính trị", ""],
        ["1", "2", "3", "4", "5", "6", "7", "8"],
        [1, "A Thút", 1976, "", "Xơ Đăng", "", "", "062076120004"],
    ]
    merges = ((0, 2, 0, 3), (0, 5, 0, 6), (0, 0, 1, 0), (0, 1, 1, 1), (0, 4, 1, 4), (0, 7, 1, 7))
    layout = build_layout(rows, merges, 0)
    assert layout.header_rows == (1, 2) and layout.number_row == 3 and layout.first_data_row == 4
    assert (layout.dob_split["nam"].index, layout.dob_split["nữ"].index) == (2, 3)
    assert layout.title("dob") == "Năm sinh"
    assert layout.index("professional") == 5 and layout.index("political_theory") == 6
    assert layout.index("cccd") == 7 and "dob" not in layout.columns


def test_two_row_header_gender_marks_without_merges():
    """As exported to CSV: no merge information, the group cell is followed by an empty one."""
    rows = [
        ["Số TT", "Họ và tên", "Ngày sinh", "Giới tính", "", "Dân tộc"],
        ["", "", "", "Nam", "Nữ", ""],
        ["I", "XÃ ĐẮK KÔI", "", "", "", ""],
    ]
    layout = build_layout(rows, (), 0)
    assert layout.header_rows == (1, 2) and layout.number_row is None and layout.first_data_row == 3
    assert (layout.gender_marks["nam"].index, layout.gender_marks["nữ"].index) == (3, 4)
    assert layout.title("gender") == "Giới tính"


def test_a_data_row_is_not_a_second_header():
    rows = [["STT", "Họ và tên", "Ngày sinh", "Giới tính"], [1, "Nguyễn Văn An", "1980", "Nam"]]
    layout = build_layout(rows, (), 0)
    assert layout.header_rows == (1,) and layout.first_data_row == 2


@pytest.mark.parametrize(
    "row, expected",
    [
        (["1", "2", "3", "4"], True),
        ([1.0, 2.0, 3.0], True),
        (["(1)", "(2)", "(3)"], True),
        ([1, "", 3, 4], True),
        ([1, "Nguyễn Văn An", 1980], False),
        ([1], False),
        (["3", "2", "1"], False),
        (["(A)", "(B)", "(1)", "(2)", "(3)"], True),
        (["A", "B", "1", "2"], True),
        ([5, "", 1980, "", 62075120402], False),  # a person row without a name is not a number row
        (["1", "A", "2"], False),
    ],
)
def test_column_number_rows(row, expected):
    assert is_number_row(row) is expected


def test_stronger_unit_column_wins_and_the_other_becomes_workplace():
    rows = [["Họ và tên", "Ngày sinh", "Đơn vị công tác", "Xã, thị trấn", "Giới tính"]]
    layout = build_layout(rows, (), 0)
    assert layout.index("unit") == 3 and layout.index("workplace") == 2


def test_titles_keep_the_file_wording():
    rows = [["Số\nTT", "Họ và tên\n(chữ in hoa)", "Ngày, tháng,\nnăm sinh"]]
    layout = build_layout(rows, (), 0)
    assert layout.titles == ("Số TT", "Họ và tên (chữ in hoa)", "Ngày, tháng, năm sinh")
