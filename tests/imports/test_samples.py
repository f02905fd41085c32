"""Every sample file against its X.expected.json, field by field."""
from __future__ import annotations

import json

import pytest

from imports import parse_upload
from tests.paths import SAMPLES

SAMPLE_FILES = sorted(
    p.name
    for p in SAMPLES.iterdir()
    if p.name.startswith("S") and not p.name.endswith(".json") and not p.name.endswith(".py")
)
# Spelt out, not imported from imports.spec: the samples hold the contract independently of the
# code under test.
CONTRACT = (
    "full_name",
    "dob",
    "gender",
    "ethnicity",
    "unit",
    "district",
    "role",
    "level",
    "position",
    "cccd",
)


def test_all_twelve_samples_are_present():
    assert len(SAMPLE_FILES) == 12


def _uploader(catalogue, context: dict):
    if context["scope"] == "province":
        return catalogue.province
    return catalogue.district_named(context["district"])


@pytest.mark.parametrize("name", SAMPLE_FILES)
def test_sample(name, catalogue):
    expected = json.loads((SAMPLES / f"{name}.expected.json").read_text("utf-8"))
    result = parse_upload(
        (SAMPLES / name).read_bytes(),
        name,
        catalogue,
        _uploader(catalogue, expected["upload_context"]),
    )

    assert (result.error.code if result.error else None) == expected["expected_error"]
    if result.error:
        assert result.error.message  # a Vietnamese sentence for the user
    assert result.encoding == expected["text_encoding"]
    assert list(result.ignored_sheets) == expected["ignored_sheets"]
    assert len(result.sheets) == len(expected["sheets"])
    for sheet, exp in zip(result.sheets, expected["sheets"], strict=True):
        assert sheet.name == exp["sheet"]
        assert sheet.role == exp["role"]
        assert sheet.header_row == exp["header_row"]
        assert list(sheet.header_rows) == exp["header_rows"]
        assert sheet.column_number_row == exp["column_number_row"]
        assert sheet.first_data_row == exp["first_data_row"]
        assert len(sheet.rows) == exp["data_rows"]
        assert sheet.valid_count == exp["valid_rows"]
        invalid = [(r.row, r.reason, r.duplicate_of_row) for r in sheet.rows if r.reason]
        assert invalid == [
            (r["row"], r["reason"], r.get("duplicate_of_row")) for r in exp["invalid_rows"]
        ]
        assert all(r.message and r.field for r in sheet.rows if r.reason)
        by_row = {r.row: r for r in sheet.rows}
        for record in exp["expected_rows"]:
            row = by_row[record["row"]]
            assert row.reason is None, (record["row"], row.message)
            for key in CONTRACT:
                assert row.values[key] == record[key], (record["row"], key)
    totals = expected["totals"]
    assert result.counts == {
        "data_rows": totals["data_rows"],
        "valid_rows": totals["valid_rows"],
        "invalid_rows": totals["invalid_rows"],
    }
