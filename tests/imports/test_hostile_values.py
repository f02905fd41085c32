"""Hostile input the pipeline itself turns into ordinary outcomes, so that no caller needs a guard:
a reader panic is a corrupt file, a value longer than its database column is one invalid row,
control characters never come out of normalisation."""
from __future__ import annotations

import pytest

from imports import REASONS, Limits, parse_upload, pipeline
from imports.errors import ImportFileError, reader_panicked
from imports.normalise import clean_text, extra_value, normalise_name, parse_cccd, parse_dob
from imports.sheetdata import Workbook
from imports.text import collapse_spaces
from imports.xls import open_xls
from tests.paths import SAMPLES

from .builders import (
    COLUMN_LIMITS,
    HEADER,
    person,
    raw_xlsx,
    reference_catalogue,
    xlsx_bytes,
    xml_row,
)

# S06 cut inside its sector table: calamine's Rust reader panics on it (found by tests/hostile).
PANICKING_XLS = (SAMPLES / "S06_tumorong_ttv_excel97.xls").read_bytes()[:8245]
PanicException = type("PanicException", (BaseException,), {"__module__": "pyo3_runtime"})


# --- 1. the reader's panic ------------------------------------------------------------------------
def test_a_reader_panic_on_a_damaged_xls_is_a_corrupt_file(parse):
    with pytest.raises(ImportFileError) as caught:
        open_xls(PANICKING_XLS, Limits())
    assert caught.value.error.code == "corrupt_file"
    result = parse(PANICKING_XLS, filename="hong.xls")
    assert result.error.code == "corrupt_file" and "bị hỏng" in result.error.message


def test_a_panic_while_rows_are_read_lazily_is_a_corrupt_file(parse, monkeypatch):
    """xlsx sheets are read from calamine during parsing, after open_workbook returned."""
    def load(index, want_caps):
        raise PanicException("index out of bounds")

    monkeypatch.setattr(
        pipeline, "open_workbook", lambda data, limits: Workbook("xlsx", ("DS",), load)
    )
    assert parse(b"PK\x03\x04 anything").error.code == "corrupt_file"


def test_only_the_panic_is_taken_for_a_damaged_file(parse, monkeypatch):
    def interrupted(data, limits):
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "open_workbook", interrupted)
    with pytest.raises(KeyboardInterrupt):
        parse(b"PK\x03\x04 anything")
    assert reader_panicked(PanicException()) and not reader_panicked(KeyboardInterrupt())
    assert not reader_panicked(type("PanicException", (Exception,), {})())


# --- 2. values longer than their database column --------------------------------------------------
# The catalogue carries the limits (registry.importing.db_catalogue reads them from the model
# columns: tests/importing/test_column_limits.py); here they are COLUMN_LIMITS.
def test_an_over_long_name_is_one_invalid_row_and_the_others_stay_valid(parse):
    limit = COLUMN_LIMITS["full_name"]
    long_name = "Nguyễn " + "A" * (limit - 7 + 1)
    rows = [
        HEADER,
        person(1, cccd="062076120001"),
        person(2, long_name, cccd="062076120002"),
        person(3, "Lê Thị Hoa", gender="Nữ", cccd="062076120003"),
        person(4, "Nguyễn " + "A" * (limit - 7), cccd="062076120004"),
    ]  # exactly the limit
    sheet = parse(xlsx_bytes(rows)).sheets[0]
    assert [(r.row, r.reason) for r in sheet.rows] == [
        (2, None),
        (3, "too_long"),
        (4, None),
        (5, None),
    ]
    bad = sheet.rows[1]
    assert bad.message == f"Cột «Họ và tên»: dài quá {limit} ký tự (có {limit + 1} ký tự)."
    assert (bad.field, bad.column) == ("full_name", 1)
    assert bad.raw[1] == long_name  # kept for the error workbook


def test_other_over_long_fields_name_their_column(parse):
    rows = [
        HEADER,
        person(1, position="x" * (COLUMN_LIMITS["position"] + 1)),
        person(2, "Lê Thị Hoa", ethnicity="y" * (COLUMN_LIMITS["ethnicity"] + 1)),
    ]
    messages = [r.message for r in parse(xlsx_bytes(rows)).sheets[0].rows]
    assert messages[0].startswith("Cột «Chức vụ»: dài quá 300 ký tự")
    assert messages[1].startswith("Cột «Dân tộc»: dài quá 60 ký tự")


def test_too_long_is_the_last_reason(parse):
    """After the reasons of the import contract, duplicate_in_file included."""
    long = "A" * 500
    rows = [
        HEADER,
        person(1, long, dob=""),  # missing_date wins
        person(2, cccd="062076120001", position=long),  # too_long, still a "first"
        person(3, "Lê Thị Hoa", cccd="062076120001", position=long),
    ]  # duplicate wins
    sheet = parse(xlsx_bytes(rows)).sheets[0]
    got = [(r.reason, r.duplicate_of_row) for r in sheet.rows]
    assert got == [("missing_date", None), ("too_long", None), ("duplicate_in_file", 3)]
    assert REASONS[-5:-3] == (
        "duplicate_in_file",
        "too_long",
    )  # the appointment's dates later: test_ended_rows.py, test_decisions.py


def test_the_name_limit_counts_its_case_folded_search_keys(parse):
    limit = COLUMN_LIMITS["full_name"]
    rows = [HEADER, person(1, "A" + "ß" * (limit // 2))]  # ß folds to ss: name_folded is longer
    bad = parse(xlsx_bytes(rows)).sheets[0].rows[0]
    assert bad.reason == "too_long" and f"(có {limit + 1} ký tự)" in bad.message


def test_the_catalogue_carries_the_limits_and_none_means_any_length():
    data = xlsx_bytes([HEADER, person(1, "Nguyễn Văn An")])

    def reason(lengths: dict[str, int]) -> str | None:
        catalogue = reference_catalogue(lengths)
        uploader = catalogue.district_named("Huyện Đắk Hà")
        return parse_upload(data, "x.xlsx", catalogue, uploader).sheets[0].rows[0].reason

    assert reason({"full_name": 5}) == "too_long"
    assert reason({}) is None


# --- 3. control characters ------------------------------------------------------------------------
def test_control_characters_are_dropped_from_names():
    assert normalise_name("Nguyễn\x00 Văn\x1f An") == "Nguyễn Văn An"
    assert normalise_name("Y\x1fBlô") == "YBlô"  # dropped, not read as a space
    assert normalise_name("NGUYỄN\x00 VĂN\x07 AN\ufffe\uffff") == "Nguyễn Văn An"
    assert normalise_name("\x00\x1f") is None
    assert normalise_name("=A\x00B") == "=AB"  # verbatim text loses them too
    assert normalise_name("Bùi\tVăn\r\nVinh") == "Bùi Văn Vinh"  # tab and line breaks stay spaces


@pytest.mark.parametrize(
    "convert",
    [
        clean_text,
        collapse_spaces,
        lambda v: extra_value("text", v),
        lambda v: extra_value("text", "=" + v),
    ],
)
def test_control_characters_are_dropped_from_every_text_value(convert):
    out = convert("Trưởng\x00 thôn\x0b\x0c\x1b\ufffe\uffff")
    assert not any(ch in out for ch in "\x00\x0b\x0c\x1b\ufffe\uffff"), repr(out)


def test_dates_and_cccd_are_read_without_control_characters():
    assert parse_dob("3\x00/01/1980") == ("1980-01-03", None)
    assert parse_cccd("0620761\x0020004") == ("062076120004", None)
    assert "\x00" not in parse_cccd("12\x00x")[1]


def test_parsed_rows_carry_no_control_characters(parse):
    """_x0000_ is how a worksheet writes a NUL; the reader hands it over as one."""
    rows = [
        HEADER,
        person(1, name="Nguyễn_x0000_ Văn_x001F_ An", position="Trưởng_x000B_ thôn", cccd=""),
        person(2, name="=A_x0000_B", cccd=""),
    ]
    body = "".join(xml_row(i + 1, r) for i, r in enumerate(rows))
    sheet = parse(raw_xlsx(body)).sheets[0]
    assert [r.reason for r in sheet.rows] == [None, None]
    assert [r.value("full_name") for r in sheet.rows] == ["Nguyễn Văn An", "=AB"]
    assert sheet.rows[0].value("position") == "Trưởng thôn"
