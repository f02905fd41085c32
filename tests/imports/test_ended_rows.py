"""Rows of ended appointments, without a database: the end-date column's header, how its dates
are read, the bad_end_date reason and its rank, and the history helpers the plan relies on."""
from __future__ import annotations

import datetime as dt

import pytest

from imports import REASONS
from imports.header import build_layout, find_header_row
from imports.history import appointment_dates, ended_on, ends_before_start, note
from imports.normalise import parse_appointment_date, parse_dob
from imports.spec import match_header

from .builders import HEADER, person, xlsx_bytes

DATES = ["Ngày bắt đầu", "Ngày kết thúc", "Lý do kết thúc"]


def _rows(parse, *rows, header=HEADER + DATES):
    return parse(xlsx_bytes([header, *rows])).sheets[0].rows


def _ended(stt, end, start="", reason="", **kw):
    return person(stt, **kw) + [start, end, reason]


# --- header ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("title, key", [
    ("Ngày kết thúc", "end_date"), ("NGÀY KẾT THÚC", "end_date"), ("Kết thúc", "end_date"),
    ("Ngày thôi", "end_date"), ("Ngày thôi làm BCV", "end_date"),
    ("Ngày kết thúc\n(dd/mm/yyyy)", "end_date"), ("Thời gian kết thúc", "end_date"),
    ("Ngày bắt đầu", "start_date"), ("Bắt đầu", "start_date"),
    ("Lý do kết thúc", "end_reason"), ("Lí do thôi", "end_reason"),
])
def test_end_date_headers(title, key):
    spec = match_header(title)
    assert spec is not None and spec.key == key, title


@pytest.mark.parametrize("title, key", [
    ("Ngày vào Đảng", "party_join_date"), ("Ngày sinh", "dob"), ("Ngày, tháng, năm sinh", "dob"),
    ("Ngày cấp", None), ("Nhiệm kỳ", "term"), ("Ngày ký QĐ", "decision_date"),
    ("Ghi chú", "notes"),
    ("Số quyết định", "decision_no"), ("Thôi làm TTV", None),    # a column of x marks, not a date
])
def test_end_date_headers_take_no_other_column(title, key):
    spec = match_header(title)
    assert (spec.key if spec else None) == key, title


def test_appointment_dates_do_not_make_a_header():
    """They are not among the fields that find the header row."""
    assert find_header_row([["Họ và tên", "Ngày bắt đầu", "Ngày kết thúc"]]) is None
    assert find_header_row([["Họ và tên", "Ngày sinh", "Ngày kết thúc", "Giới tính"]]) == 0


def test_two_row_period_header():
    rows = [["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Thời gian", ""],
            ["", "", "", "", "Bắt đầu", "Kết thúc"],
            [1, "A Thút", "01/01/1976", "Nam", "01/01/2020", "31/12/2024"]]
    layout = build_layout(rows, ((0, 4, 0, 5),), find_header_row(rows))
    assert (layout.index("start_date"), layout.index("end_date")) == (4, 5)
    assert layout.first_data_row == 3


# --- dates ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("value, expected", [
    (dt.date(2024, 12, 31), "2024-12-31"), (dt.datetime(2024, 12, 31, 0, 0), "2024-12-31"),
    ("31/12/2024", "2024-12-31"), ("1/2/2024", "2024-02-01"), ("31-12-2024", "2024-12-31"),
    ("12/2024", "2024-12"), ("2024", "2024"), (2024, "2024"), ("2024-12-31", "2024-12-31"),
    ("", None), (None, None), ("  ", None),
    (dt.date(2031, 6, 30), "2031-06-30"),      # the future is read; history.py ignores it
    (dt.date(1995, 3, 1), "1995-03-01"),       # long before any birth-year limit would allow
])
def test_appointment_date_values(value, expected):
    assert parse_appointment_date(value) == (expected, None)


@pytest.mark.parametrize("value, phrase", [
    ("31/02/2024", "ngày 31/02/2024 không tồn tại"), ("13/2024", "tháng 13/2024 không tồn tại"),
    ("đang làm", "không đọc được «đang làm»"), ("x", "không đọc được «x»"),
    (dt.date(1900, 1, 1), "năm 1900 nằm ngoài khoảng 1945–2100"),
    ("1800", "năm 1800 nằm ngoài khoảng 1945–2100"), (45000, "số 45000 không phải năm"),
    (True, "không phải một ngày"),
])
def test_appointment_date_problems(value, phrase):
    got, problem = parse_appointment_date(value)
    assert got is None and phrase in problem, problem


def test_text_cells_of_csv_are_read_as_text():
    assert parse_appointment_date("2024", typed=False) == ("2024", None)


def test_birth_dates_keep_their_years_and_words():
    assert parse_dob("2015") == (None, "năm sinh 2015 nằm ngoài khoảng 1930–2010")
    assert parse_dob("31/12/2024")[1] == "năm sinh 2024 nằm ngoài khoảng 1930–2010"
    assert parse_dob(1976) == ("1976", None)


# --- rows: values, reason and rank ----------------------------------------------------------------
def test_end_date_column_is_read(parse):
    rows = _rows(
        parse,
        _ended(1, dt.date(2024, 12, 31), dt.date(2020, 1, 1), "Nghỉ hưu", cccd="062080000001"),
        _ended(2, "12/2024", cccd="062080000002"),
        _ended(3, "", cccd="062080000003"),
    )
    assert [r.reason for r in rows] == [None, None, None]
    assert {k: rows[0].values[k] for k in ("start_date", "end_date", "end_reason")} == {
        "start_date": "2020-01-01",
        "end_date": "2024-12-31",
        "end_reason": "Nghỉ hưu",
    }
    assert rows[1].values["end_date"] == "2024-12" and "start_date" not in rows[1].values
    assert "end_date" not in rows[2].values


def test_unreadable_end_date_is_bad_end_date(parse):
    bad = _rows(parse, _ended(1, "đã nghỉ", cccd="062080000001"))[0]
    assert bad.reason == "bad_end_date" and bad.field == "end_date" and bad.column == 9
    assert bad.message == (
        "Cột «Ngày kết thúc»: không đọc được «đã nghỉ» (ghi dạng dd/mm/yyyy, mm/yyyy hoặc yyyy)."
    )


def test_end_before_start_is_bad_end_date(parse):
    rows = _rows(
        parse,
        _ended(1, "01/01/2024", "05/05/2024", cccd="062080000001"),
        _ended(2, "2024", "05/05/2024", cccd="062080000002"),  # same year: fine
        _ended(3, "03/2024", "2024", cccd="062080000003"),
    )
    assert [r.reason for r in rows] == ["bad_end_date", None, None]
    assert rows[0].message == (
        "Cột «Ngày kết thúc»: ngày kết thúc 01/01/2024 trước ngày bắt đầu 05/05/2024."
    )


def test_an_unreadable_start_date_is_refused_with_or_without_an_end_date(parse):
    """Beside an end date it is the end date that cannot be checked (bad_end_date, as before);
    alone it is the new appointment's start (bad_start_date, tests/imports/test_decisions.py)."""
    rows = _rows(
        parse,
        _ended(1, "31/12/2024", "sai", cccd="062080000001"),
        _ended(2, "", "sai", cccd="062080000002"),
    )
    assert rows[0].reason == "bad_end_date" and rows[0].field == "start_date"
    assert rows[0].message.startswith("Cột «Ngày bắt đầu»: không đọc được «sai»")
    assert rows[1].reason == "bad_start_date" and rows[1].field == "start_date"


def test_without_an_appointment_date_column_nothing_more_is_read(parse):
    """A lone "Lý do kết thúc" needs an end date: the row costs no more than without it."""
    cells = person(1, cccd="062080000001")
    rows = _rows(
        parse,
        cells[:7] + ["Nghỉ hưu"] + cells[7:],
        header=HEADER[:7] + ["Lý do kết thúc"] + HEADER[7:],
    )
    assert rows[0].reason is None and len(rows[0].keys) == 10


def test_bad_end_date_ranks_after_every_other_reason(parse):
    long = "A" * 500
    rows = _rows(
        parse,
        _ended(1, "sai", dob=""),  # missing_date
        _ended(2, "sai", unit="Xã Không Có"),  # unknown_unit
        _ended(3, "sai", cccd="062080000001", position=long),  # too_long
        _ended(4, "sai", cccd="062080000002"),  # bad_end_date
        _ended(5, "sai", "Lê Thị Hoa", cccd="062080000002"),
    )  # duplicate
    got = [(r.reason, r.duplicate_of_row) for r in rows]
    assert got == [
        ("missing_date", None),
        ("unknown_unit", None),
        ("too_long", None),
        ("bad_end_date", None),
        ("duplicate_in_file", 5),
    ]
    assert REASONS[-5:-2] == ("duplicate_in_file", "too_long", "bad_end_date")


# --- history --------------------------------------------------------------------------------------
DAY = dt.date(2025, 6, 15)


@pytest.mark.parametrize(
    "values, expected",
    [
        ({"end_date": "2025-06-15"}, dt.date(2025, 6, 15)),  # ends on the import day
        ({"end_date": "2025-06-14"}, dt.date(2025, 6, 14)),
        ({"end_date": "2025-06-16"}, None),  # later: a current row
        ({"end_date": "2025"}, dt.date(2025, 1, 1)),  # a year is its first day
        ({"end_date": "2025-06"}, dt.date(2025, 6, 1)),
        (
            {"end_date": "2025", "start_date": "2025-03-10"},
            dt.date(2025, 3, 10),
        ),  # not before start
        ({"end_date": "2025", "start_date": "2025-07-01"}, None),
        ({}, None),
        ({"end_date": None}, None),
    ],
)
def test_ended_on(values, expected):
    assert ended_on(values, DAY) == expected


def test_appointment_dates():
    assert appointment_dates({"end_date": "2024-12-31", "start_date": "2020-01"}, DAY) == (
        dt.date(2020, 1, 1),
        dt.date(2024, 12, 31),
    )
    assert appointment_dates({"end_date": "2024-12-31"}, DAY) == (dt.date(2024, 12, 31),) * 2
    # a later end date is not the registry's: a current appointment, from its start date
    assert appointment_dates({"end_date": "2031-01-01", "start_date": "2020-01-01"}, DAY) == (
        dt.date(2020, 1, 1),
        None,
    )
    assert appointment_dates({}, DAY) == (DAY, None)
    # a current row starts on its own start date when it gives one
    assert appointment_dates({"start_date": "2021-03"}, DAY) == (dt.date(2021, 3, 1), None)


@pytest.mark.parametrize(
    "start, end, before",
    [
        ("2024-05-05", "2024-01-01", True),
        ("2024-05-05", "2024", False),
        ("2024", "2023-12-31", True),
        ("2024-05", "2024-05-01", False),
        (None, "2024", False),
        ("2024", None, False),
    ],
)
def test_ends_before_start(start, end, before):
    assert ends_before_start(start, end) is before


def test_notes_say_what_a_history_row_does():
    assert note("2024-12-31", existing=False) == (
        "Dòng lịch sử: nhiệm vụ đã kết thúc ngày 31/12/2024; thêm người này với nhiệm vụ đã kết "
        "thúc (không tính là đang hoạt động)."
    )
    assert note("2024", existing=True).endswith(
        "kết thúc năm 2024; không thay đổi nhiệm vụ hiện có."
    )
    assert "tháng 12/2024; chỉ cập nhật thông tin cá nhân" in note(
        "2024-12", existing=True, changed=True
    )
