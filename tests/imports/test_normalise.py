"""Pure value converters: names, dates, gender, CCCD, role/level, extra fields."""
from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from imports.normalise import (
    MISSING,
    extra_value,
    looks_like_formula,
    normalise_name,
    parse_cccd,
    parse_dob,
    parse_gender,
    parse_level,
    parse_role,
    title_case,
)


# --- names ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("raw, expected", [
    ("KSOR H'BLƠ", "Ksor H'Blơ"),
    ("rơ châm h'blơ", "Rơ Châm H'Blơ"),
    ("NGUYỄN VĂN AN", "Nguyễn Văn An"),
    ("A THÚT", "A Thút"),
    ("DƯƠNG\u00a0THỊ THƯ", "Dương Thị Thư"),          # NBSP
    ("  Bùi  Văn\tVinh \n", "Bùi Văn Vinh"),          # spaces, tab, line break
    ("Y  Nhung", "Y Nhung"),
    ("Đinh Thị Hơ Ry", "Đinh Thị Hơ Ry"),             # mixed case is kept
    ("McDONALD Văn A", "McDONALD Văn A"),
    ("SIU H’NƠ", "Siu H’Nơ"),                          # typographic apostrophe
])
def test_name_rules(raw, expected):
    assert normalise_name(raw) == expected


def test_name_nfd_and_composite_unicode_become_nfc():
    nfd = unicodedata.normalize("NFD", "Hoàng Ngọc Hiếu")
    assert normalise_name(nfd) == "Hoàng Ngọc Hiếu"
    composite = "Nguye\u0303n"  # base letter + combining tilde (ễ without the circumflex part here)
    assert normalise_name(composite) == unicodedata.normalize("NFC", composite)
    assert normalise_name(unicodedata.normalize("NFD", "NGÔ ĐỨC TÂM")) == "Ngô Đức Tâm"


def test_empty_names():
    assert normalise_name("") is None
    assert normalise_name("   \u00a0 ") is None
    assert normalise_name(None) is None


@pytest.mark.parametrize(
    "text", ['=HYPERLINK("http://x","y")', "+84912", "@SUM(A1)", "<script>alert(1)</script>"]
)
def test_injection_looking_names_are_kept_verbatim(text):
    assert looks_like_formula(text)
    assert normalise_name(text) == text


def test_title_case_letter_after_apostrophe():
    assert title_case("h'hen nie") == "H'Hen Nie"


# --- dates ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "raw, expected",
    [
        (dt.date(1992, 2, 1), "1992-02-01"),
        (dt.datetime(1992, 2, 1, 0, 0), "1992-02-01"),
        (1976.0, "1976"),
        (1976, "1976"),
        ("1976", "1976"),
        (" 1976 ", "1976"),
        ("05/03/1990", "1990-03-05"),
        ("5/3/1990", "1990-03-05"),
        ("4-2-1979", "1979-02-04"),
        ("07.08.1965", "1965-08-07"),
        ("09/2000", "2000-09"),
        ("8/1967", "1967-08"),
        ("29/02/1980", "1980-02-29"),  # leap year
        ("29/02/2000", "2000-02-29"),  # divisible by 400
        ("1930", "1930"),
        ("31/12/2010", "2010-12-31"),
    ],
)
def test_accepted_dates_and_precision(raw, expected):
    assert parse_dob(raw) == (expected, None)


@pytest.mark.parametrize(
    "raw",
    [
        "31/02/1980",
        "29/02/1981",
        "29/02/1900",
        "30/02/1979",
        "32/01/1986",
        "15/13/1990",
        "00/01/1990",
        "13/2000",
        "0/1990",
        "1929",
        "2011",
        "01/01/1925",
        "abc",
        "12/03/80",
        "12/03-1980",
        "Năm 1980",
        dt.date(1925, 5, 1),
        dt.date(2015, 1, 1),
        32874.0,
        1929,
        2011.0,
        1980.5,
    ],
)
def test_bad_dates(raw):
    value, problem = parse_dob(raw)
    assert value is None and problem and problem != MISSING


def test_bad_date_messages_say_why():
    assert parse_dob("31/02/1980")[1] == "ngày 31/02/1980 không tồn tại"
    assert "1925" in parse_dob("1925")[1] and "1930" in parse_dob("1925")[1]


def test_missing_dates():
    for raw in ("", None, "  ", "\u00a0"):
        assert parse_dob(raw) == (None, MISSING)


def test_numbers_in_csv_are_text_rules():
    assert parse_dob("1976", typed=False) == ("1976", None)


# --- gender, role, level --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Nam", "Nam"),
        ("nam", "Nam"),
        (" NAM ", "Nam"),
        ("Nữ", "Nữ"),
        ("NỮ", "Nữ"),
        ("nữ", "Nữ"),
        ("Nu", "Nữ"),
    ],
)
def test_gender_values(raw, expected):
    assert parse_gender(raw) == (expected, None)


def test_gender_problems():
    assert parse_gender("") == (None, MISSING)
    value, problem = parse_gender("x")
    assert value is None and "Nam hoặc Nữ" in problem


def test_role_and_level():
    assert parse_role("BCV") == parse_role("Báo cáo viên") == "BCV"
    assert parse_role("ttv") == parse_role("Tuyên truyền viên nòng cốt") == "TTV"
    assert parse_role("") is None
    assert parse_level("Tỉnh") == "tỉnh"
    assert parse_level("Huyện") == parse_level("Thành phố") == "huyện"
    assert parse_level("Xã") == parse_level("phường") == parse_level("Thị trấn") == "xã"
    assert parse_level("khác") is None


# --- CCCD -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "raw, expected",
    [
        ("062076120004", "062076120004"),
        ("062 168 120 840", "062168120840"),
        ("062.176.121.560", "062176121560"),
        ("062\u00a0176\u00a0121\u00a0560", "062176121560"),
        (62075120402.0, "062075120402"),  # numeric cell: Excel dropped the leading zero
        (40070121354, "040070121354"),
        (6207512040.0, "006207512040"),  # 10 digits
        (162075120402.0, "162075120402"),
        ("", None),
        (None, None),
    ],
)
def test_cccd_accepted(raw, expected):
    assert parse_cccd(raw) == (expected, None)


@pytest.mark.parametrize(
    "raw",
    [
        "230987654",
        "06230312168",
        "06207O120783",
        "0620761200041",
        "062-076-120-004",
        230987654.0,
        1234567890123.0,
        6.2e10 + 0.5,
        "６２０７６１２０００４",
    ],
)
def test_cccd_rejected(raw):
    value, problem = parse_cccd(raw)
    assert value is None and problem


def test_cccd_csv_values_are_text():
    assert parse_cccd("40189124534", typed=False)[0] is None  # 11 digits as text
    assert parse_cccd("230987654")[1].startswith("«230987654» là số CMND")


# --- extra fields ---------------------------------------------------------------------------------
def test_extra_values_are_lenient():
    assert extra_value("text", "  Đại học\u00a0Luật ") == "Đại học Luật"
    assert extra_value("date_text", dt.datetime(2013, 11, 9)) == "2013-11-09"
    assert extra_value("date_text", "12/2010") == "12/2010"
    assert extra_value("phone", 912345678.0) == "0912345678"
    assert extra_value("text", "") is None
    assert extra_value("text", '=HYPERLINK("a")') == '=HYPERLINK("a")'
