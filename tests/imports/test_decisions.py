"""The appointment's decision columns and «Quê quán», without a database: which headers name
them, how their values are read, and the rules their dates keep (bad_start_date,
bad_decision_date), each with a Vietnamese message naming the column as the file titles it."""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from imports import REASONS
from imports.header import build_layout, find_header_row
from imports.history import starts_too_early
from imports.spec import match_header

from .builders import HEADER, person, xlsx_bytes

TODAY = dt.date(2025, 6, 15)
DECISION = ["Ngày bắt đầu", "Số quyết định", "Ngày quyết định", "Cơ quan quyết định", "Nhiệm kỳ"]


def _rows(parse, *rows, header=HEADER + DECISION):
    return parse(xlsx_bytes([header, *rows]), today=TODAY).sheets[0].rows


def _with(stt, start="", no="", day="", body="", term="", **kw):
    return person(stt, **kw) + [start, no, day, body, term]


# --- headers --------------------------------------------------------------------------------------
@pytest.mark.parametrize("title, key", [
    ("Ngày bắt đầu", "start_date"), ("Từ ngày", "start_date"), ("Ngày công nhận", "start_date"),
    ("NGÀY CÔNG NHẬN", "start_date"), ("Ngày được công nhận\n(dd/mm/yyyy)", "start_date"),
    ("Số quyết định", "decision_no"), ("Số QĐ", "decision_no"), ("Số Q/Đ", "decision_no"),
    ("Số Q.Đ", "decision_no"),
    ("Quyết định công nhận", "decision_no"), ("Số, ngày quyết định", "decision_no"),
    ("Ngày quyết định", "decision_date"), ("Ngày QĐ", "decision_date"),
    ("Ngày ký QĐ", "decision_date"), ("Ngày ký quyết định", "decision_date"),
    ("Cơ quan quyết định", "decision_body"), ("Cơ quan ra quyết định", "decision_body"),
    ("Cấp quyết định", "decision_body"), ("Cơ quan ban hành QĐ", "decision_body"),
    ("Nhiệm kỳ", "term"), ("NHIỆM KỲ", "term"),
    ("Quê quán", "hometown"), ("Nguyên quán", "hometown"), ("QUÊ QUÁN", "hometown"),
    ("Đến ngày", "end_date"),
])
def test_decision_and_hometown_headers(title, key):
    spec = match_header(title)
    assert spec is not None and spec.key == key, title


@pytest.mark.parametrize("title, key", [
    ("Cơ quan công tác", "workplace"), ("Cơ quan", "workplace"), ("Cấp", "level"),
    ("Nơi sinh", None), ("Ngày cấp", None), ("Ngày sinh", "dob"),
    ("Ngày vào Đảng", "party_join_date"),
])
def test_the_new_headers_take_no_other_column(title, key):
    spec = match_header(title)
    assert (spec.key if spec else None) == key, title


def test_the_new_columns_do_not_make_a_header():
    assert find_header_row([["Họ và tên", "Quê quán", "Ngày bắt đầu", "Số QĐ"]]) is None


def test_decision_group_over_its_sub_headers():
    """"Quyết định công nhận" over "Số | Ngày | Cơ quan": "Cơ quan" alone would be the workplace."""
    rows = [["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Quyết định công nhận", "", ""],
            ["", "", "", "", "Số", "Ngày", "Cơ quan"],
            [1, "A Thút", "01/01/1976", "Nam", "12-QĐ/HU", "10/01/2021", "BTV Huyện ủy"]]
    layout = build_layout(rows, ((0, 4, 0, 6),), find_header_row(rows))
    assert [layout.index(k) for k in ("decision_no", "decision_date", "decision_body")] == [4, 5, 6]
    assert "workplace" not in layout.columns
    assert layout.title("decision_date") == "Quyết định công nhận (Ngày)"


# --- values ---------------------------------------------------------------------------------------
def test_values_are_read(parse):
    rows = _rows(
        parse,
        _with(1, dt.date(2021, 3, 1), "12-QĐ/HU", dt.date(2021, 2, 20), " Ban Thường vụ  Huyện ủy ",
              "2020-2025", cccd="062080000001"),
        _with(2, "1/3/2021", "", "20/02/2021", cccd="062080000002"),
        _with(3, "03/2021", cccd="062080000003"),
        _with(4, cccd="062080000004"),
    )
    assert [r.reason for r in rows] == [None] * 4
    assert {k: rows[0].values[k] for k in ("start_date", "decision_no", "decision_date",
                                           "decision_body", "term")} == {
        "start_date": "2021-03-01", "decision_no": "12-QĐ/HU", "decision_date": "2021-02-20",
        "decision_body": "Ban Thường vụ Huyện ủy", "term": "2020-2025"}
    assert (rows[1].values["start_date"], rows[1].values["decision_date"]) == (
        "2021-03-01", "2021-02-20")
    assert rows[2].values["start_date"] == "2021-03"  # a month keeps its precision
    assert not {"start_date", "decision_no", "decision_date"} & rows[3].values.keys()


def test_hometown_is_read_as_text(parse):
    header = HEADER[:5] + ["Quê quán"] + HEADER[5:]
    cells = person(1, cccd="062080000001")
    rows = _rows(parse, cells[:5] + ["  Nghĩa Hành,  Quảng Ngãi "] + cells[5:], header=header)
    assert rows[0].reason is None and rows[0].values["hometown"] == "Nghĩa Hành, Quảng Ngãi"


def test_a_file_without_the_columns_reads_nothing_more(parse):
    rows = _rows(parse, person(1, cccd="062080000001"), header=HEADER)
    assert rows[0].reason is None and len(rows[0].keys) == 10


# --- rules ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("start, message", [
    ("sai", "Cột «Ngày bắt đầu»: không đọc được «sai» (ghi dạng dd/mm/yyyy, mm/yyyy hoặc yyyy)."),
    ("31/02/2021", "Cột «Ngày bắt đầu»: ngày 31/02/2021 không tồn tại."),
    ("16/06/2025", "Cột «Ngày bắt đầu»: ngày bắt đầu 16/06/2025 sau ngày nhập 15/06/2025; chỉ nhập "
                   "nhiệm vụ đã bắt đầu."),
    ("2026", "Cột «Ngày bắt đầu»: ngày bắt đầu 2026 sau ngày nhập 15/06/2025; chỉ nhập nhiệm vụ "
             "đã bắt đầu."),
    ("01/01/1975", "Cột «Ngày bắt đầu»: ngày bắt đầu 01/01/1975 trước ngày sinh 01/02/1976."),
])
def test_bad_start_dates(parse, start, message):
    row = _rows(parse, _with(1, start, cccd="062080000001", dob="01/02/1976"))[0]
    assert (row.reason, row.field, row.column) == ("bad_start_date", "start_date", 8)
    assert row.message == message


@pytest.mark.parametrize("start", ["15/06/2025", "2025", "06/2025", "1976", "02/1976"])
def test_start_dates_that_are_fine(parse, start):
    """The import day itself, and a partial date that shares the birth's year or month."""
    assert _rows(parse, _with(1, start, cccd="062080000001", dob="01/02/1976"))[0].reason is None


def test_start_title_as_the_file_writes_it(parse):
    header = HEADER + ["Từ ngày"]
    row = _rows(parse, person(1, cccd="062080000001") + ["01/01/2030"], header=header)[0]
    assert row.reason == "bad_start_date" and row.message.startswith("Cột «Từ ngày»: ngày bắt đầu")


@pytest.mark.parametrize("day, message", [
    ("hôm qua", "Cột «Ngày quyết định»: không đọc được «hôm qua» (ghi dạng dd/mm/yyyy, mm/yyyy "
                "hoặc yyyy)."),
    ("2021", "Cột «Ngày quyết định»: «2021» chưa đủ ngày, tháng, năm (ghi dạng dd/mm/yyyy)."),
    ("03/2021", "Cột «Ngày quyết định»: «03/2021» chưa đủ ngày, tháng, năm (ghi dạng "
                "dd/mm/yyyy)."),
    ("20/06/2025", "Cột «Ngày quyết định»: ngày quyết định 20/06/2025 sau ngày nhập 15/06/2025."),
])
def test_bad_decision_dates(parse, day, message):
    row = _rows(parse, _with(1, "01/03/2021", day=day, cccd="062080000001"))[0]
    assert (row.reason, row.field, row.column) == ("bad_decision_date", "decision_date", 10)
    assert row.message == message


def test_a_decision_after_the_start_is_accepted(parse):
    """A decision may recognise someone from an earlier day (công nhận từ ngày …)."""
    row = _rows(parse, _with(1, "01/03/2021", day="15/03/2021", cccd="062080000001"))[0]
    assert row.reason is None


def test_reasons_rank_after_the_others(parse):
    long = "A" * 500
    rows = _rows(
        parse,
        _with(1, "sai", dob=""),  # missing_date
        _with(2, "sai", cccd="062080000001", position=long),  # too_long
        _with(3, "sai", day="sai", cccd="062080000002"),  # bad_start_date before the decision's
        _with(4, "01/01/2020", day="sai", cccd="062080000003"),
        _with(5, "sai", "Lê Thị Hoa", cccd="062080000003"),  # duplicate
    )
    assert [(r.reason, r.duplicate_of_row) for r in rows] == [
        ("missing_date", None), ("too_long", None), ("bad_start_date", None),
        ("bad_decision_date", None), ("duplicate_in_file", 5)]
    assert REASONS[-4:] == ("too_long", "bad_end_date", "bad_start_date", "bad_decision_date")


def test_too_long_decision_text(parse):
    row = _rows(parse, _with(1, body="B" * 201, cccd="062080000001"))[0]
    assert row.reason == "too_long" and row.message.startswith("Cột «Cơ quan quyết định»: dài quá")


def test_csv_text_is_read_as_dates(parse):
    data = ("Họ và tên;Ngày sinh;Giới tính;Xã;Từ ngày;Ngày QĐ\r\n"
            "Y Blô;1988;Nữ;Xã Đắk La;01/03/2021;20/02/2021\r\n").encode()
    row = parse(data, filename="ds.csv", today=TODAY).sheets[0].rows[0]
    assert row.reason is None
    assert (row.values["start_date"], row.values["decision_date"]) == ("2021-03-01", "2021-02-20")


# --- a move's start -------------------------------------------------------------------------------
def _appt(role: str, start: dt.date):
    return SimpleNamespace(role=SimpleNamespace(value=role), start_date=start)


def test_a_move_starts_after_the_current_appointment():
    current = [_appt("TTV", dt.date(2024, 1, 1)), _appt("BCV", dt.date(2025, 1, 1))]
    assert starts_too_early({"role": "TTV", "start_date": "2024-01-02"}, current) is None
    assert starts_too_early({"role": "TTV"}, current) is None  # no start: the import day
    assert starts_too_early({"role": "TTV", "start_date": "2024"}, current) == (
        "Cột «Ngày bắt đầu»: nhiệm vụ mới bắt đầu năm 2024, không sau ngày bắt đầu nhiệm vụ hiện "
        "tại (01/01/2024); nhiệm vụ hiện tại kết thúc vào ngày trước ngày bắt đầu nhiệm vụ mới, "
        "nên ngày bắt đầu phải sau ngày đó."
    )
    assert starts_too_early({"role": "BCV", "start_date": "2024-06-01"}, current) is not None
    assert starts_too_early({"role": "BCV", "start_date": "2024-06-01"}, current[:1]) is None
