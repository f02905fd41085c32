"""Units written the way offices write them (issue 11, items 3 and 8): agencies as units, spelling
variants, a dash for the comma, the district after the comma, and a sheet titled for another
unit. Files are built the way a province's office sends them: one «Đơn vị» column, no district."""
from __future__ import annotations

import pytest

from imports.unit_match import find_unit
from tests.paths import SAMPLES

from .builders import xlsx_bytes

HEADER = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Loại", "Đơn vị"]
AGENCIES = {  # a BCV listed by workplace -> the unit the workplace belongs to
    "Phòng Văn hóa - Thông tin huyện Đắk Hà": "Huyện Đắk Hà",
    "Huyện ủy Đắk Glei": "Huyện Đắk Glei",
    "Huyện đoàn Kon Rẫy": "Huyện Kon Rẫy",
    "Ủy ban MTTQ Việt Nam huyện Sa Thầy": "Huyện Sa Thầy",
    "UBND thành phố Kon Tum": "Thành phố Kon Tum",
    "Thành ủy Kon Tum": "Thành phố Kon Tum",
    "Ban Tuyên giáo Tỉnh ủy": "Tỉnh Kon Tum",
}
SPELLINGS = {  # a TTV's commune as typed -> the catalogue's commune
    "Xã Ia Dal": "Xã Ia Đal",
    "Xã Rờ Kơi": "Xã Rơ Kơi",
    "xa Dak Hring, huyen Dak Ha": "Xã Đắk Hring",
}
DASHES = {  # the district after a dash (or a comma): no note, the name is written as it is
    "Xã Ia Dom – huyện Ia H'Drai": "Xã Ia Dom",
    "Xã Ia Tơi — huyện Ia H'Drai": "Xã Ia Tơi",
    "Xã Đắk Long - huyện Đắk Glei": ("Xã Đắk Long", "Huyện Đắk Glei"),
    "Xã Đắk Long, huyện Đắk Hà": ("Xã Đắk Long", "Huyện Đắk Hà"),
}


def _province_file(rows: list[tuple[str, str]], header: list[str] = HEADER) -> bytes:
    body = [[i, f"Người Thứ {chr(64 + i)}", "01/01/1980", "Nam", role, unit]
            for i, (role, unit) in enumerate(rows, 1)]
    return xlsx_bytes([["DANH SÁCH BÁO CÁO VIÊN, TUYÊN TRUYỀN VIÊN TỈNH KON TUM"], [], header,
                       *body])


def _parsed(parse, rows, uploader="province", **kw):
    result = parse(_province_file(rows, **kw), uploader=uploader, keep_raw=True)
    assert result.error is None
    return {row.raw[5]: row for row in result.sheets[0].rows}


def test_an_agency_names_its_unit_and_becomes_the_workplace(parse):
    rows = _parsed(parse, [("BCV", text) for text in AGENCIES])
    for text, unit in AGENCIES.items():
        row = rows[text]
        assert row.reason is None, (text, row.message)
        assert row.value("unit") == unit and row.value("workplace") == text
        assert row.note == f"«{text}» hiểu là {unit}"
    assert rows["Huyện ủy Đắk Glei"].value("level") == "huyện"
    assert rows["Ban Tuyên giáo Tỉnh ủy"].value("level") == "tỉnh"


def test_a_workplace_the_file_gives_is_kept(parse):
    header = [*HEADER, "Nơi công tác"]
    person = ["01/01/1980", "Nam", "BCV", "Huyện ủy Đắk Glei"]
    data = xlsx_bytes([header, [1, "Người A", *person, "Ban Dân vận"], [2, "Người B", *person]])
    first, second = parse(data, uploader="province").sheets[0].rows
    assert first.value("workplace") == "Ban Dân vận"
    assert second.value("workplace") == "Huyện ủy Đắk Glei"
    assert first.value("unit") == second.value("unit") == "Huyện Đắk Glei"


def test_a_spelling_variant_matching_one_unit_is_understood(parse):
    rows = _parsed(parse, [("TTV", text) for text in SPELLINGS])
    for text, unit in SPELLINGS.items():
        row = rows[text]
        assert row.reason is None, (text, row.message)
        assert row.value("unit") == unit and row.note == f"«{text}» hiểu là {unit}"
        assert row.value("workplace") is None  # a commune's name is no workplace


def test_a_spelling_variant_matching_two_units_names_both(parse):
    row = _parsed(parse, [("TTV", "Xã Dak Long")])["Xã Dak Long"]
    assert row.reason == "unknown_unit" and row.unit_id is None
    assert "Huyện Đắk Hà" in row.message and "Huyện Đắk Glei" in row.message


def test_a_dash_works_like_the_comma_and_the_district_settles_the_name(parse):
    rows = _parsed(parse, [("TTV", text) for text in DASHES])
    for text, expected in DASHES.items():
        unit, district = expected if isinstance(expected, tuple) else (expected, None)
        row = rows[text]
        assert row.reason is None and row.value("unit") == unit and row.note is None, text
        if district:
            assert row.value("district") == district


@pytest.mark.parametrize("text, unit, district", [
    ("Thị trấn Đắk Hà", "Thị trấn Đắk Hà", "Huyện Đắk Hà"),
    ("Xã Đắk Hà", "Xã Đắk Hà", "Huyện Tu Mơ Rông"),
    ("Thi tran Dak Ha", "Thị trấn Đắk Hà", "Huyện Đắk Hà"),
])
def test_the_kind_written_settles_a_name_of_two_districts(catalogue, text, unit, district):
    match = find_unit(catalogue, text, None)
    assert match.unit is not None and (match.unit.name, match.unit.district) == (unit, district)
    assert find_unit(catalogue, "Đắk Hà", None).problem == "ambiguous"  # no kind, no guess


def test_a_dash_inside_an_agency_name_is_no_district(catalogue):
    match = find_unit(catalogue, "Phòng Văn hóa - Thông tin huyện Đắk Hà", None,
                      communes_only=False)
    assert match.unit is not None and match.unit.name == "Huyện Đắk Hà" and match.agency


@pytest.mark.parametrize("text", ["Thị trấn Măng Đen", "Xã Đắk Lô Lô", "Trường THCS Lê Lợi"])
def test_a_unit_missing_from_the_catalogue_stays_unknown(parse, text):
    row = _parsed(parse, [("TTV", text)])[text]
    assert row.reason == "unknown_unit" and row.note is None


def test_a_commune_level_row_needs_a_commune(parse):
    row = _parsed(parse, [("TTV", "UBND thành phố Kon Tum")])["UBND thành phố Kon Tum"]
    assert row.reason == "unknown_unit"
    assert "Thành phố Kon Tum" in row.message and "xã, phường, thị trấn" in row.message


def test_a_district_upload_takes_only_its_own_units(parse):
    rows = _parsed(parse, [("TTV", "Xã Ia Dal"), ("TTV", "Xã Đắk Long, huyện Đắk Glei"),
                           ("BCV", "Huyện ủy Sa Thầy"), ("TTV", "Đảng ủy xã Dak La"),
                           ("BCV", "Phòng Văn hóa - Thông tin huyện Đắk Hà")],
                   uploader="Huyện Đắk Hà")
    for text, elsewhere in (("Xã Ia Dal", "Huyện Ia H'Drai"),
                            ("Xã Đắk Long, huyện Đắk Glei", "Huyện Đắk Glei"),
                            ("Huyện ủy Sa Thầy", "Huyện Sa Thầy")):
        assert rows[text].reason == "unknown_unit", text
        assert elsewhere in rows[text].message and "Huyện Đắk Hà" in rows[text].message
    own = rows["Đảng ủy xã Dak La"]
    assert (own.reason, own.value("unit"), own.value("workplace")) == (
        None, "Xã Đắk La", "Đảng ủy xã Dak La")
    office = rows["Phòng Văn hóa - Thông tin huyện Đắk Hà"]
    assert (office.reason, office.value("unit"), office.value("level")) == (
        None, "Huyện Đắk Hà", "huyện")


def _titled(parse, title: list[str], uploader: str, *, unit_column: bool = False):
    """The one row of a BCV sheet under these title lines."""
    header = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", *(["Đơn vị"] if unit_column else [])]
    row = [1, "Người A", "01/01/1980", "Nam", *(["Xã Đắk La"] if unit_column else [])]
    data = xlsx_bytes([[line] for line in title] + [[], header, row], title="BCV")
    return parse(data, uploader=uploader).sheets[0].rows[0]


def test_another_units_sample_file_is_refused_naming_both_units(parse):
    data = (SAMPLES / "S02_sathay_bcv_ttv_nhieu_sheet.xlsx").read_bytes()
    bcv = parse(data, uploader="Huyện Đắk Hà").sheets[0]
    assert bcv.name == "BCV" and bcv.rows and bcv.valid_count == 0
    for row in bcv.rows:
        assert row.reason == "unknown_unit" and row.unit_id is None
        assert "Huyện Sa Thầy" in row.message and "Huyện Đắk Hà" in row.message
    for uploader in ("Huyện Sa Thầy", "province"):
        own = parse(data, uploader=uploader).sheets[0]   # (one row has a 9-digit CMND)
        assert [row.reason for row in own.rows if row.reason] == ["bad_cccd"], uploader


@pytest.mark.parametrize("title, uploader", [
    (["HUYỆN ỦY ĐẮK HÀ", "DANH SÁCH BÁO CÁO VIÊN"], "Huyện Đắk Hà"),        # its own
    (["ĐẢNG BỘ TỈNH KON TUM", "BAN TUYÊN GIÁO TỈNH ỦY"], "Huyện Đắk Hà"),   # the unit above
    (["ĐẢNG ỦY XÃ ĐẮK LA", "DANH SÁCH CẤP HUYỆN"], "Huyện Đắk Hà"),         # a unit inside
    (["TỈNH ỦY KON TUM", "HUYỆN ỦY ĐẮK HÀ", "Kèm theo công văn của Huyện ủy Sa Thầy"],
     "Huyện Đắk Hà"),                                                        # its own, named
    (["KON TUM", "DANH SÁCH BÁO CÁO VIÊN"], "Huyện Đắk Hà"),   # a bare name may be a place
    (["DANH SÁCH BÁO CÁO VIÊN XÃ ĐẮK LONG"], "Huyện Đắk Hà"),  # one of the two is its own
    (["HUYỆN ỦY SA THẦY"], "province"),
])
def test_a_title_of_the_uploaders_scope_stays_fine(parse, title, uploader):
    assert _titled(parse, title, uploader).reason is None


@pytest.mark.parametrize("title, uploader, other", [
    (["ĐẢNG BỘ TỈNH KON TUM", "HUYỆN ỦY KON RẪY"], "Huyện Đắk Hà", "Huyện Kon Rẫy"),
    (["DANH SÁCH BÁO CÁO VIÊN XÃ ĐẮK LONG"], "Huyện Sa Thầy", "Xã Đắk Long"),  # both elsewhere
])
def test_a_title_naming_another_unit_refuses_the_sheet(parse, title, uploader, other):
    row = _titled(parse, title, uploader)
    assert row.reason == "unknown_unit" and other in row.message and uploader in row.message


def test_a_unit_column_decides_over_the_title(parse):
    assert _titled(parse, ["HUYỆN ỦY SA THẦY"], "Huyện Đắk Hà", unit_column=True).reason is None
