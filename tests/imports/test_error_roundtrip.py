"""The error workbook round trip, for every sample: it keeps the file's title and header rows
(two-row merged headers, the Nam/Nữ birth columns, the column-number row), every cell of every
failing row and adds «Lỗi». Imported again unchanged it gives the same rows and reasons;
corrected as a user would, its rows import."""
from __future__ import annotations

import io
import json
from types import SimpleNamespace

import openpyxl
import pytest

from imports import error_workbook, parse_upload
from imports.spec import CONTRACT_FIELDS
from tests.imports.roundtrip import DELETE, fix, origins
from tests.paths import SAMPLES

SAMPLE_FILES = sorted(
    p.name for p in SAMPLES.iterdir() if p.name.startswith("S") and not p.name.endswith(".json")
)
S01 = "S01_dakha_ttv_trichngang.xlsx"
# What the fix of each reason changes (the district and level come with the unit).
CHANGED = {
    "bad_date": {"dob"},
    "missing_date": {"dob"},
    "missing_name": {"full_name"},
    "bad_gender": {"gender"},
    "bad_cccd": {"cccd"},
    "unknown_unit": {"unit", "district", "level"},
}


def _sample(name: str, catalogue):
    expected = json.loads((SAMPLES / f"{name}.expected.json").read_text("utf-8"))
    ctx = expected["upload_context"]
    uploader = (
        catalogue.province if ctx["scope"] == "province"
        else catalogue.district_named(ctx["district"])
    )
    data = (SAMPLES / name).read_bytes()
    return expected, data, uploader, parse_upload(data, name, catalogue, uploader)


def _stored(result) -> tuple[list[dict], dict[int, list]]:
    """The batch's sheet list and invalid rows, as registry.importing.preview stores them."""
    sheets = [{"sheet": sh.name, "columns": list(sh.titles)} for sh in result.sheets]
    rows = {
        i: [
            SimpleNamespace(row=r.row, data={"message": r.message, "column": r.column,
                                             "duplicate_of_row": r.duplicate_of_row,
                                             "cells": list(r.raw)})
            for r in sh.rows if r.reason
        ]
        for i, sh in enumerate(result.sheets)
    }
    return sheets, rows


def _error_workbook(result, data: bytes) -> bytes:
    return error_workbook.build(*_stored(result), data)


def _by_origin(again, book: bytes) -> list[dict[int, object]]:
    """Per sheet: row of the uploaded file -> the row read back from the error workbook."""
    wb = openpyxl.load_workbook(io.BytesIO(book))
    assert len(wb.worksheets) == len(again.sheets)
    out = []
    for ws, sheet in zip(wb.worksheets, again.sheets, strict=True):
        origin = origins(ws)
        out.append({origin[r.row]: SimpleNamespace(row=r, origin=origin) for r in sheet.rows})
    return out


@pytest.mark.parametrize("name", SAMPLE_FILES)
def test_the_unchanged_error_workbook_gives_the_same_rows_and_reasons(name, catalogue):
    expected, data, uploader, result = _sample(name, catalogue)
    book = _error_workbook(result, data)
    if expected["expected_error"] or not any(sh.invalid_count for sh in result.sheets):
        # S08/S09 are refused whole, S10/S11 have no failing row: nothing to hand back.
        assert openpyxl.load_workbook(io.BytesIO(book)).sheetnames == ["Không có lỗi"]
        return
    again = parse_upload(book, "loi.xlsx", catalogue, uploader)
    assert again.error is None and again.encoding == "unicode"
    failing = [sh for sh in result.sheets if sh.invalid_count]
    for sheet, back, exp in zip(failing, _by_origin(again, book), _failing(expected), strict=True):
        assert {r.row: r.reason for r in sheet.rows if r.reason} == {
            r["row"]: r["reason"] for r in exp["invalid_rows"]}
        repeated = {r.duplicate_of_row for r in sheet.rows if r.duplicate_of_row}
        original = {r.row: r for r in sheet.rows if r.reason or r.row in repeated}
        assert back.keys() == original.keys()
        for number, row in original.items():
            got = back[number].row
            assert (got.reason, back[number].origin.get(got.duplicate_of_row)) == (
                row.reason, row.duplicate_of_row), number
            assert got.values == row.values, number   # every cell came back as it was


def _failing(expected: dict) -> list[dict]:
    return [sh for sh in expected["sheets"] if sh["invalid_rows"]]


def _fixes(result, expected: dict) -> dict[str, dict[int, object]]:
    """What a user types: a real date, a name, a valid CCCD, a unit of the district; one of
    two gender marks cleared; a duplicate row deleted."""
    out = {}
    for sheet, exp in zip([sh for sh in result.sheets if sh.invalid_count], _failing(expected),
                          strict=True):
        unit = exp["expected_rows"][0]["unit"]
        values = {
            "bad_date": "28/02/1980", "missing_date": "01/01/1980",
            "missing_name": "Nguyễn Văn Mới", "bad_gender": None, "unknown_unit": unit,
            "duplicate_in_file": DELETE,
        }
        out[sheet.name or "Danh sách"] = {
            r.row: f"06209900{r.row:04d}" if r.reason == "bad_cccd" else values[r.reason]
            for r in sheet.rows if r.reason
        }
    return out


@pytest.mark.parametrize("name", [n for n in SAMPLE_FILES if n[:3] not in ("S08", "S09")])
def test_the_corrected_error_workbook_imports(name, catalogue):
    expected, data, uploader, result = _sample(name, catalogue)
    if not any(sh.invalid_count for sh in result.sheets):
        return  # S10, S11: every row imports already
    book = fix(_error_workbook(result, data), _fixes(result, expected))
    again = parse_upload(book, "loi-da-sua.xlsx", catalogue, uploader)
    assert again.error is None
    assert [(r.row, r.reason) for sh in again.sheets for r in sh.rows if r.reason] == []
    for sheet, back in zip([sh for sh in result.sheets if sh.invalid_count],
                           _by_origin(again, book), strict=True):
        kept = {r.row: r for r in sheet.rows if r.reason != "duplicate_in_file"}
        # The corrected rows, and the rows their duplicates repeated, are there: nothing else.
        assert back.keys() == kept.keys() & (
            {r.row for r in sheet.rows if r.reason} | {r.duplicate_of_row for r in sheet.rows})
        for number, found in back.items():
            row = kept[number]
            same = set(CONTRACT_FIELDS) - CHANGED.get(row.reason, set())
            assert {k: found.row.values[k] for k in same} == {k: row.values[k] for k in same}


def test_s01_keeps_the_title_the_two_row_header_and_the_number_row_cell_by_cell(catalogue):
    _, data, _, result = _sample(S01, catalogue)
    ws = openpyxl.load_workbook(io.BytesIO(_error_workbook(result, data))).worksheets[0]
    original = openpyxl.load_workbook(SAMPLES / S01, data_only=True).worksheets[0]
    for row in range(1, 9):   # titles, header rows 6-7, number row 8: as in the file
        assert [ws.cell(row, c).value for c in range(1, 12)] == [
            original.cell(row, c).value for c in range(1, 12)], row
    assert [c.value for c in ws[6]][:4] == ["STT", "Họ và tên", "Năm sinh", None]
    assert [ws.cell(7, c).value for c in (3, 4, 9, 10)] == [
        "Nam", "Nữ", "Chuyên môn", "Lý luận chính trị"]
    assert [ws.cell(8, c).value for c in range(1, 13)] == [str(n) for n in range(1, 12)] + [None]
    merges = {str(m) for m in ws.merged_cells.ranges}
    assert {str(m) for m in original.merged_cells.ranges if m.max_row <= 8} | {"L6:L7"} == merges
    assert ws["L6"].value == "Lỗi" and ws["L6"].font.b
    for letter, dim in original.column_dimensions.items():
        assert ws.column_dimensions[letter].width == dim.width, letter
    assert ws["C6"].font.b and ws["C6"].border.left.style == "thin"
    assert ws.freeze_panes == "A9"


def test_s01_hands_back_every_cell_of_every_failing_row(catalogue):
    _, data, _, result = _sample(S01, catalogue)
    ws = openpyxl.load_workbook(io.BytesIO(_error_workbook(result, data))).worksheets[0]
    original = openpyxl.load_workbook(SAMPLES / S01, data_only=True).worksheets[0]
    assert origins(ws) == {9: 11, 10: 17, 11: 20, 12: 21, 13: 24, 14: 25}
    for line, origin in origins(ws).items():
        for col in range(1, 12):
            want = original.cell(origin, col).value
            assert ws.cell(line, col).value == want, (origin, col)
    duplicate = [c.value for c in ws[13]]
    assert duplicate[1] and duplicate[10] == "062092120114"   # once handed back empty
    assert duplicate[11] == "Dòng 24: Trùng với dòng 11 (cùng số CCCD 062092120114)."
    assert ws["K13"].comment is not None and ws["K13"].fill.fgColor.rgb.endswith("FFC7CE")
    kept = ws[9]
    assert kept[11].value.startswith("Dòng 11: không lỗi; dòng 24 trùng")
    assert all(c.comment is None for c in kept)
    assert ws["D10"].value == "31/02/1980" and ws["D10"].comment.text.endswith("không tồn tại.")


def test_a_legacy_encoded_file_comes_back_in_unicode_without_its_legacy_fonts(catalogue):
    _, data, _, result = _sample("S03_konplong_ttv_tcvn3.xlsx", catalogue)
    ws = openpyxl.load_workbook(io.BytesIO(_error_workbook(result, data))).worksheets[0]
    assert ws["A1"].value == "HUYỆN ỦY KON PLÔNG"     # an all-caps font's lowercase codes
    assert [c.value for c in ws[5]][:3] == ["TT", "Họ và tên", "Năm sinh"]
    fonts = {c.font.name for row in ws.iter_rows() for c in row if c.value is not None}
    assert not any(str(f).startswith((".Vn", "VNI")) for f in fonts), fonts


def test_a_sheet_without_a_unit_column_gets_its_section_rows_back(catalogue):
    _, data, _, result = _sample("S12_konray_ttv_theo_xa.xlsx", catalogue)
    ws = openpyxl.load_workbook(io.BytesIO(_error_workbook(result, data))).worksheets[0]
    assert [c.value for c in ws[9]][:2] == ["I", "XÃ ĐẮK TỜ RE"]
    assert origins(ws) == {10: 23, 11: 24}


def test_an_error_workbook_fixed_twice_keeps_one_errors_column(catalogue, district):
    _, data, uploader, result = _sample(S01, catalogue)
    first = _error_workbook(result, data)
    again = parse_upload(first, "loi.xlsx", catalogue, uploader)
    second = error_workbook.build(*_stored(again), first)
    ws = openpyxl.load_workbook(io.BytesIO(second)).worksheets[0]
    assert [c.value for c in ws[6]].count("Lỗi") == 1 and ws["L6"].value == "Lỗi"
    assert ws["L10"].value.startswith("Dòng 10: ")   # the row in the file uploaded last


def test_without_the_file_the_stored_cells_come_under_one_header_row(catalogue):
    _, _, _, result = _sample(S01, catalogue)
    ws = openpyxl.load_workbook(io.BytesIO(error_workbook.build(*_stored(result)))).worksheets[0]
    assert ws["A1"].value == "STT" and ws["L1"].value == "Lỗi"
    assert ws.max_row == 6 and ws["B5"].value   # the duplicate keeps its cells here too
