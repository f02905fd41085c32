"""parse_upload end to end on small built workbooks: placement rules, reasons, messages,
contract."""

from __future__ import annotations

import datetime as dt
import io
import os
import statistics
import subprocess
import sys
import time

import openpyxl

from imports import REASONS
from imports.spec import BY_KEY, EXPORT_ORDER
from tests.paths import ROOT, SAMPLES

from .builders import HEADER, person, xlsx_bytes


def _sheet(result):
    assert result.error is None, result.error
    return result.sheets[0]


def test_contract_dict_shape(parse):
    rows = [
        ["DANH SÁCH TUYÊN TRUYỀN VIÊN"],
        HEADER,
        person(1, cccd="062076120004"),
        person(2, "Lê Thị Hoa", dob="31/02/1980", gender="Nữ"),
    ]
    contract = parse(xlsx_bytes(rows), filename="ds.xlsx").to_contract_dict()
    assert set(contract) >= {"file", "error", "encoding", "sheets", "counts"}
    assert (
        contract["file"] == "ds.xlsx"
        and contract["error"] is None
        and contract["encoding"] == "unicode"
    )
    sheet = contract["sheets"][0]
    assert (sheet["sheet"], sheet["header_row"], sheet["first_data_row"]) == ("Sheet1", 2, 3)
    good, bad = sheet["rows"]
    assert good["status"] == "valid" and good["reason"] is None and good["changes"] == {}
    assert good["values"] == {
        "full_name": "Nguyễn Văn An",
        "dob": "1980-02-01",
        "gender": "Nam",
        "ethnicity": "Kinh",
        "unit": "Xã Đắk La",
        "district": "Huyện Đắk Hà",
        "role": "TTV",
        "level": "xã",
        "position": "Trưởng thôn",
        "cccd": "062076120004",
    }
    assert bad["status"] == "invalid" and bad["reason"] == "bad_date"
    assert bad["message"] == "Cột «Ngày sinh»: ngày 31/02/1980 không tồn tại."
    assert contract["counts"] == {"data_rows": 2, "valid_rows": 1, "invalid_rows": 1}


def test_file_error_contract(parse):
    contract = parse(b"%PDF-1.7").to_contract_dict()
    assert contract["error"]["code"] == "not_a_spreadsheet" and contract["error"]["message"]
    assert contract["sheets"] == [] and contract["counts"]["data_rows"] == 0


def test_reason_priority_and_the_cell_at_fault(parse):
    rows = [
        HEADER,
        person(1, name="", dob="", gender="x", unit="Xã Ia Băng", cccd="123"),  # everything wrong
        person(2, dob="", gender="x", unit="Xã Ia Băng", cccd="123"),
        person(3, dob="1925", gender="x", unit="Xã Ia Băng", cccd="123"),
        person(4, gender="x", unit="Xã Ia Băng", cccd="123"),
        person(5, unit="", cccd="123"),
        person(6, unit="Xã Ia Băng", cccd="123"),
        person(7, cccd="123"),
    ]
    sheet = _sheet(parse(xlsx_bytes(rows)))
    assert [r.reason for r in sheet.rows] == list(REASONS[:7])
    assert [r.column for r in sheet.rows] == [1, 2, 2, 3, 5, 5, 7]
    assert [r.field for r in sheet.rows] == [
        "full_name",
        "dob",
        "dob",
        "gender",
        "unit",
        "unit",
        "cccd",
    ]
    assert all(r.message.startswith("Cột «") for r in sheet.rows)
    assert sheet.rows[6].message == "Cột «Số CCCD»: «123» có 3 chữ số; số CCCD gồm đúng 12 chữ số."


def test_messages_use_the_column_title_from_the_file(parse):
    header = [
        "STT",
        "HỌ VÀ TÊN",
        "NGÀY, THÁNG, NĂM SINH",
        "GIỚI TÍNH",
        "DÂN TỘC",
        "XÃ, THỊ TRẤN",
        "CHỨC VỤ",
        "SỐ CCCD",
    ]
    sheet = _sheet(
        parse(
            xlsx_bytes(
                [header, person(1, dob="32/01/1986"), person(2, unit="Xã Ia Tơi")],
            ),
            uploader="Huyện Sa Thầy",
        )
    )
    assert sheet.rows[0].message == "Cột «NGÀY, THÁNG, NĂM SINH»: ngày 32/01/1986 không tồn tại."
    assert sheet.rows[1].message.startswith("Cột «XÃ, THỊ TRẤN»: «Xã Ia Tơi» thuộc Huyện Ia H'Drai")


def test_duplicates_within_a_sheet(parse):
    rows = [
        HEADER,
        person(1, "KSOR THỊ HẠNH", cccd="062167121440"),
        person(2, "Bùi Văn Vinh", dob="06/04/1978"),
        person(3, "Bùi Văn Vinh", dob="02/11/1994"),  # same name, another person
        person(4, "Ksor Thị Hạnh", dob="06/02/1967", cccd="062 167 121 440"),
        person(5, "bùi văn vinh", dob="6/4/1978"),  # no CCCD: name+dob+unit
        person(6, "Lê Văn Lỗi", dob="", cccd="062099000001"),  # invalid rows are not a "first"
        person(7, "Lê Văn Lỗi", cccd="062099000001"),
    ]
    sheet = _sheet(parse(xlsx_bytes(rows)))
    got = [(r.row, r.reason, r.duplicate_of_row) for r in sheet.rows]
    assert got == [
        (2, None, None),
        (3, None, None),
        (4, None, None),
        (5, "duplicate_in_file", 2),
        (6, "duplicate_in_file", 3),
        (7, "missing_date", None),
        (8, None, None),
    ]
    assert sheet.rows[3].message == "Trùng với dòng 2 (cùng số CCCD 062167121440)."


def test_duplicates_are_per_sheet(parse):
    rows = [HEADER, person(1, cccd="062076120004")]
    data = xlsx_bytes(rows, title="TTV xã A", extra_sheets={"TTV xã B": rows})
    result = parse(data)
    assert [s.valid_count for s in result.sheets] == [1, 1]


def test_province_upload_placement(parse):
    header = [
        "STT",
        "Loại",
        "Cấp",
        "Huyện/Thành phố",
        "Xã/Phường/Thị trấn",
        "Họ và tên",
        "Giới tính",
        "Ngày sinh",
    ]
    rows = [
        header,
        [1, "BCV", "Tỉnh", None, None, "A Tiêu", "Nam", "1980"],
        [2, "BCV", "Huyện", "Huyện Đắk Hà", None, "B", "Nam", "1980"],
        [3, "TTV", "Xã", "Huyện Đắk Glei", "Xã Đắk Long", "C", "Nữ", "1980"],
        [4, "TTV", "Xã", None, "Xã Đắk Long", "D", "Nữ", "1980"],  # two districts have one
        [5, "TTV", "Xã", None, "Xã Văn Xuôi", "E", "Nữ", "1980"],  # unique in the province
        [6, "TTV", "Xã", "Huyện Ia Băng", "Xã Ia Dom", "F", "Nữ", "1980"],
        [7, "TTV", "Xã", "Huyện Sa Thầy", "Xã Văn Xuôi", "G", "Nữ", "1980"],
        [8, "Tuyên truyền viên", None, "Thành phố Kon Tum", "P. Duy Tân", "H", "Nam", "1980"],
    ]
    sheet = _sheet(parse(xlsx_bytes(rows, title="DS"), uploader="province"))
    assert sheet.role == "mixed"
    placed = [
        (r.values["role"], r.values["level"], r.values["unit"], r.values["district"], r.reason)
        for r in sheet.rows
    ]
    assert placed == [
        ("BCV", "tỉnh", "Tỉnh Kon Tum", None, None),
        ("BCV", "huyện", "Huyện Đắk Hà", "Huyện Đắk Hà", None),
        ("TTV", "xã", "Xã Đắk Long", "Huyện Đắk Glei", None),
        ("TTV", "xã", "Xã Đắk Long", None, "unknown_unit"),
        ("TTV", "xã", "Xã Văn Xuôi", "Huyện Tu Mơ Rông", None),
        ("TTV", "xã", "Xã Ia Dom", None, "unknown_unit"),
        ("TTV", "xã", "Xã Văn Xuôi", "Huyện Sa Thầy", "unknown_unit"),
        ("TTV", "xã", "Phường Duy Tân", "Thành phố Kon Tum", None),
    ]
    assert "nhiều huyện" in sheet.rows[3].message and sheet.rows[5].field == "district"


def test_province_upload_of_its_own_reporters(parse):
    rows = [
        ["DANH SÁCH BÁO CÁO VIÊN TỈNH ỦY"],
        ["STT", "Họ và tên", "Ngày sinh", "Giới tính"],
        [1, "A", "1980", "Nam"],
    ]
    row = _sheet(parse(xlsx_bytes(rows), uploader="province")).rows[0]
    assert (row.values["unit"], row.values["level"], row.values["district"], row.reason) == (
        "Tỉnh Kon Tum",
        "tỉnh",
        None,
        None,
    )


def test_district_upload_placement(parse):
    bcv = [
        ["DANH SÁCH BÁO CÁO VIÊN CẤP HUYỆN"],
        ["TT", "Họ, tên", "Ngày sinh", "Nam/Nữ"],
        ["I", "LÃNH ĐẠO HUYỆN ỦY"],
        [1, "Võ Thanh Sơn", "1965", "Nam"],
    ]
    row = _sheet(parse(xlsx_bytes(bcv, title="Sheet1"), uploader="Huyện Sa Thầy")).rows[0]
    assert (
        row.values["role"],
        row.values["level"],
        row.values["unit"],
        row.values["district"],
    ) == ("BCV", "huyện", "Huyện Sa Thầy", "Huyện Sa Thầy")
    ttv = [
        ["DANH SÁCH TUYÊN TRUYỀN VIÊN NÒNG CỐT"],
        ["TT", "Họ, tên", "Ngày sinh", "Nam/Nữ"],
        [1, "A Giang", "1992", "Nam"],
    ]
    row = _sheet(parse(xlsx_bytes(ttv), uploader="Huyện Sa Thầy")).rows[0]
    assert row.reason == "missing_unit" and row.column is None
    assert row.message == "Chưa ghi đơn vị (xã, phường, thị trấn)."
    province_row = [
        ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Cấp"],
        [1, "A", "1980", "Nam", "Tỉnh"],
    ]
    assert _sheet(parse(xlsx_bytes(province_row))).rows[0].reason == "unknown_unit"


def test_commune_upload_defaults_to_its_own_commune(catalogue):
    from imports import parse_upload

    commune = catalogue.find_unit("Xã Đắk La", "Huyện Đắk Hà").unit
    rows = [
        ["DANH SÁCH TUYÊN TRUYỀN VIÊN"],
        ["STT", "Họ và tên", "Năm sinh", "Giới tính"],
        [1, "A Thút", 1976, "Nam"],
    ]
    row = parse_upload(xlsx_bytes(rows), "x.xlsx", catalogue, commune).sheets[0].rows[0]
    assert row.reason is None and row.values["unit"] == "Xã Đắk La" and row.unit_id == commune.id


def test_role_from_sheet_name_then_title(parse):
    rows = [HEADER, person(1)]
    assert _sheet(parse(xlsx_bytes(rows, title="DS BCV"))).role == "BCV"
    titled = [["DANH SÁCH BÁO CÁO VIÊN"], HEADER, person(1, unit=None)]
    sheet = _sheet(parse(xlsx_bytes(titled)))
    assert sheet.role == "BCV" and sheet.rows[0].values["unit"] == "Huyện Đắk Hà"


def test_sections_name_the_unit_when_there_is_no_unit_column(parse):
    rows = [
        [
            "Số\nTT",
            "Họ và tên\n(chữ in hoa)",
            "Ngày sinh",
            "Giới tính",
            None,
            "Nơi sinh",
            "Ngày vào\nĐảng",
        ],
        [None, None, None, "Nam", "Nữ"],
        ["I", "THỊ TRẤN ĐẮK RVE"],
        [1, "NGÔ THANH VIỆT", "28/04/1989", "x", None, "Kon Tum", dt.date(2013, 11, 9)],
        ["II", "XÃ ĐĂK KÔI"],
        [2, "Y KHUYÊN", None, None, "x", "Kon Tum", dt.date(2005, 2, 1)],
        [3, "Y THOA", "1984", "x", "x"],
        ["III", "XÃ ĐẮK TÔ"],  # not in Kon Rẫy
        [4, "A QUANG", "1971", "x", None],
    ]
    sheet = _sheet(parse(xlsx_bytes(rows, title="TTV", merges=["D1:E1"]), uploader="Huyện Kon Rẫy"))
    first = sheet.rows[0]
    assert (
        first.values["full_name"],
        first.values["unit"],
        first.values["gender"],
        first.values["dob"],
    ) == ("Ngô Thanh Việt", "Thị trấn Đắk Rve", "Nam", "1989-04-28")
    assert first.values["party_join_date"] == "2013-11-09"
    assert [r.reason for r in sheet.rows] == [None, "missing_date", "bad_gender", "unknown_unit"]
    assert sheet.rows[3].message.startswith("«XÃ ĐẮK TÔ»")


def test_complete_export_layout_round_trips_extra_fields(parse):
    header = [BY_KEY[key].label for key in EXPORT_ORDER]
    values = {
        "stt": 1,
        "full_name": "Nguyễn Thị Hoa",
        "dob": "05/03/1990",
        "gender": "Nữ",
        "ethnicity": "Kinh",
        "religion": "Công giáo",
        "hometown": "Nghĩa Hành, Quảng Ngãi",
        "role": "TTV",
        "level": "Xã",
        "district": "Huyện Đắk Hà",
        "unit": "Xã Đắk La",
        "position": "Bí thư Chi bộ thôn 2",
        "cccd": "062190120122",
        "party_join_date": "12/2010",
        "education": "12/12",
        "professional": "Đại học Luật",
        "political_theory": "Trung cấp",
        "phone": "0912345678",
        "email": "hoa@example.vn",
        "workplace": "UBND xã Đắk La",
        "decision_no": "QĐ 15/QĐ-HU",
        "decision_date": "10/01/2021",
        "decision_body": "Ban Thường vụ Huyện ủy Đắk Hà",
        "term": "2020-2025",
        "notes": "Bổ sung",
    }
    rows = [header, [values[key] for key in EXPORT_ORDER]]
    row = _sheet(parse(xlsx_bytes(rows))).rows[0]
    assert row.reason is None and row.values["dob"] == "1990-03-05"
    for key in (
        "religion",
        "education",
        "professional",
        "political_theory",
        "phone",
        "email",
        "workplace",
        "decision_no",
        "notes",
        "party_join_date",
        "hometown",
        "decision_body",
        "term",
    ):
        assert row.values[key] == values[key], key
    assert row.values["decision_date"] == "2021-01-10"


def test_party_join_date_is_never_the_birth_date(parse):
    rows = [
        ["STT", "Họ và tên", "Ngày vào Đảng", "Giới tính", "Xã"],
        [1, "A", dt.date(2010, 3, 3), "Nam", "Xã Đắk La"],
    ]
    row = _sheet(parse(xlsx_bytes(rows))).rows[0]
    assert row.reason == "missing_date" and row.values["party_join_date"] == "2010-03-03"


def test_injection_text_stays_text(parse):
    rows = [
        HEADER,
        person(1, name='=HYPERLINK("http://x","y")'),
        person(2, name="+84 912"),
        person(3, name="@cmd"),
        person(4, name="<script>alert(1)</script>", position="=1+1"),
    ]
    sheet = _sheet(parse(xlsx_bytes(rows, text_cells=["B2", "G5"])))
    assert [r.values["full_name"] for r in sheet.rows] == [
        '=HYPERLINK("http://x","y")',
        "+84 912",
        "@cmd",
        "<script>alert(1)</script>",
    ]
    assert sheet.rows[3].values["position"] == "=1+1"


def test_raw_cells_kept_for_invalid_rows(parse):
    data = xlsx_bytes([HEADER, person(1), person(2, name="")])
    sheet = _sheet(parse(data))
    assert sheet.rows[0].raw == () and sheet.rows[1].raw[0] == 2
    assert _sheet(parse(data, keep_raw=True)).rows[0].raw[1] == "Nguyễn Văn An"


def test_sheet_columns_describe_the_layout(parse):
    rows = [
        ["STT", "Họ và tên", "Năm sinh", None, "Xã"],
        [None, None, "Nam", "Nữ", None],
        [1, "A Thút", 1976, None, "Đắk La"],
    ]
    sheet = _sheet(parse(xlsx_bytes(rows, merges=["C1:D1", "A1:A2", "B1:B2", "E1:E2"])))
    assert [(c.field, c.index, c.title) for c in sheet.columns] == [
        ("stt", 0, "STT"),
        ("full_name", 1, "Họ và tên"),
        ("dob_male", 2, "Năm sinh"),
        ("dob_female", 3, "Năm sinh"),
        ("unit", 4, "Xã"),
    ]
    assert sheet.titles == ("STT", "Họ và tên", "Nam", "Nữ", "Xã")
    row = sheet.rows[0]
    assert (row.value("dob"), row.value("gender"), row.value("phone")) == ("1976", "Nam", None)


def test_header_only_sheets(parse):
    data = xlsx_bytes([HEADER], title="Mẫu", extra_sheets={"TTV": [HEADER, person(1)]})
    result = parse(data)
    assert [s.name for s in result.sheets] == ["TTV"] and result.ignored_sheets == ("Mẫu",)
    assert (
        parse(xlsx_bytes([["DANH SÁCH"], HEADER, [None] * 8, ["", "Người lập biểu"]])).error.code
        == "no_data_rows"
    )
    assert parse(xlsx_bytes([["Chỉ có ghi chú"]])).error.code == "no_header"
    assert parse(xlsx_bytes([])).error.code == "empty_workbook"


def test_numeric_cccd_and_general_year_cells(parse):
    rows = [HEADER, person(1, dob=1976, cccd=62075120402), person(2, dob=1929, cccd=230987654)]
    sheet = _sheet(parse(xlsx_bytes(rows)))
    assert (sheet.rows[0].values["dob"], sheet.rows[0].values["cccd"]) == ("1976", "062075120402")
    assert sheet.rows[1].reason == "bad_date"


def _median(fn, runs=3):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def test_parse_is_faster_than_a_bare_openpyxl_read(parse):
    """The 5,000-row sample: the whole parse must cost less than openpyxl merely reading it."""
    data = (SAMPLES / "S10_tinh_kontum_5000_dong.xlsx").read_bytes()

    def bare():
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        for ws in wb.worksheets:
            for _ in ws.iter_rows(values_only=True):
                pass
        wb.close()

    ours = _median(lambda: parse(data, uploader="province"))
    assert ours < _median(bare)


def test_far_stray_cell_does_not_allocate_a_huge_grid():
    """Run in a fresh interpreter and look at its peak memory (a dense grid would need ~800 MB)."""
    script = (
        "import resource, sys\n"
        "from imports import Catalogue, parse_upload\n"
        "from tests.imports.builders import raw_xlsx, xml_row\n"
        "from tests.paths import REFDATA\n"
        "cat = Catalogue.from_json(REFDATA / 'kontum_units.json', REFDATA / 'ethnicities.json')\n"
        "rows = [['STT', 'Họ và tên', 'Ngày sinh', 'Giới tính', 'Xã'],\n"
        "        ['1', 'A', '1980', 'Nam', 'Xã Đắk La']]\n"
        "body = ''.join(xml_row(i + 1, r) for i, r in enumerate(rows))\n"
        'body += \'<row r="1000000"><c r="Z1000000" t="inlineStr"><is><t>x</t></is></c></row>\'\n'
        "result = parse_upload(raw_xlsx(body), 'x.xlsx', cat, cat.district_named('Huyện Đắk Hà'))\n"
        "assert result.error is None and len(result.sheets[0].rows) == 1\n"
        # VmHWM, not ru_maxrss: ru_maxrss carries over the forking parent's peak (pytest's own).
        "status = open('/proc/self/status').read().splitlines()\n"
        "print(next(int(l.split()[1]) for l in status if l.startswith('VmHWM')) // 1024)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert int(out.stdout.strip()) < 250, out.stdout


def test_a_column_nobody_reads_right_of_the_read_ones_is_never_taken_for_a_missing_field(parse):
    """Fields the file lacks (here district, role, level) must read as empty, whatever the
    unread columns after the last read one hold."""
    rows = [
        HEADER + ["Nơi sinh", "Quê quán"],
        person(1) + ["Hà Nội", "Nghệ An"],
        person(2, name="Y Thút", cccd="062080000123") + ["Kon Tum"],
    ]
    sheet = _sheet(parse(xlsx_bytes(rows)))
    assert [r.reason for r in sheet.rows] == [None, None]
    assert {r.values["unit"] for r in sheet.rows} == {"Xã Đắk La"}
    assert {r.values["role"] for r in sheet.rows} == {"TTV"}
