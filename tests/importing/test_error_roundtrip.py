"""The error workbook through the web and the CLI: the upload keeps its file, the download copies
the file's own rows above the table, the corrected workbook imports, and `import-roster
--errors-xlsx` writes the workbook the web gives."""
from __future__ import annotations

import io

import openpyxl
import pytest

from models import ImportFile, ImportStatus, Person, db
from registry.importing.preview import iter_rows
from tests.factories import count, latest_batch
from tests.imports.roundtrip import DELETE, fix, origins
from tests.paths import SAMPLES

S01 = "S01_dakha_ttv_trichngang.xlsx"
S01_FIXES = {"Sheet1": {17: "28/02/1980", 20: "Xã Đắk Hring", 21: "Nguyễn Văn Mới",
                        24: DELETE, 25: "062073199783"}}


def _upload(client, data: bytes, name: str):
    return client.post("/imports/upload", data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def _reasons(batch) -> dict[int, str | None]:
    return {r.row: r.reason for r in iter_rows(db.session, batch)}


def test_the_upload_keeps_its_file_and_a_refused_file_is_not_kept(officer):
    data = (SAMPLES / S01).read_bytes()
    assert _upload(officer, data, S01).status_code == 302
    batch = latest_batch()
    assert bytes(db.session.get(ImportFile, batch.id).data) == data
    assert _upload(officer, (SAMPLES / "S08_khong_phai_excel.xlsx").read_bytes(), "x.xlsx")
    refused = latest_batch()
    assert refused.status is ImportStatus.REJECTED
    assert db.session.get(ImportFile, refused.id) is None


def test_the_downloaded_workbook_imports_again_unchanged_and_corrected(officer):
    _upload(officer, (SAMPLES / S01).read_bytes(), S01)
    batch = latest_batch()
    officer.post(f"/imports/{batch.id}/confirm")
    assert count(Person) == 13
    book = officer.get(f"/imports/{batch.id}/errors.xlsx").data
    ws = openpyxl.load_workbook(io.BytesIO(book)).worksheets[0]
    assert [ws.cell(6, c).value for c in (2, 3, 12)] == ["Họ và tên", "Năm sinh", "Lỗi"]
    assert [ws.cell(7, c).value for c in (3, 4)] == ["Nam", "Nữ"]

    assert _upload(officer, book, "loi.xlsx").status_code == 302
    again = latest_batch()
    origin = origins(ws)
    assert {origin[row]: reason for row, reason in _reasons(again).items()} == {
        11: None, 17: "bad_date", 20: "unknown_unit", 21: "missing_name",
        24: "duplicate_in_file", 25: "bad_cccd"}
    assert again.counts["unchanged"] == 1 and again.counts["invalid"] == 5

    assert _upload(officer, fix(book, S01_FIXES), "loi-da-sua.xlsx").status_code == 302
    fixed = latest_batch()
    assert fixed.counts["invalid"] == 0 and fixed.counts["new"] == 4
    officer.post(f"/imports/{fixed.id}/confirm")
    assert count(Person) == 17
    assert count(Person, full_name="Nguyễn Văn Mới") == 1


def _cells(data: bytes) -> list:
    """Everything a user sees of a workbook: values, merges, comments, fills, widths."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return [
        (
            ws.title,
            sorted(str(m) for m in ws.merged_cells.ranges),
            {k: d.width for k, d in ws.column_dimensions.items()},
            [
                (c.coordinate, c.value, c.comment.text if c.comment else None, c.fill.fgColor.rgb)
                for row in ws.iter_rows()
                for c in row
            ],
        )
        for ws in wb.worksheets
    ]


def test_the_cli_writes_the_workbook_the_web_gives(app, officer, tmp_path):
    out = tmp_path / "loi.xlsx"
    result = app.test_cli_runner().invoke(args=[
        "import-roster", str(SAMPLES / S01), "--unit", "Huyện Đắk Hà", "--dry-run",
        "--errors-xlsx", str(out)])
    assert result.exit_code == 0, result.output
    _upload(officer, (SAMPLES / S01).read_bytes(), S01)
    web = officer.get(f"/imports/{latest_batch().id}/errors.xlsx").data
    assert _cells(out.read_bytes()) == _cells(web)
    assert len(origins(openpyxl.load_workbook(out).worksheets[0])) == 6


@pytest.mark.parametrize(("name", "unit", "title"), [
    ("S06_tumorong_ttv_excel97.xls", "Huyện Tu Mơ Rông", "A3"),
    ("S07_ngochoi_ttv_csv_utf8_bom.csv", "Huyện Ngọc Hồi", "A2"),
])
def test_the_cli_rebuilds_the_top_rows_of_an_xls_or_csv_file(app, ctx, tmp_path, name, unit,
                                                             title):
    out = tmp_path / "loi.xlsx"
    result = app.test_cli_runner().invoke(args=[
        "import-roster", str(SAMPLES / name), "--unit", unit, "--dry-run", "--errors-xlsx",
        str(out)])
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(out).worksheets[0]
    assert ws[title].value == "DANH SÁCH TUYÊN TRUYỀN VIÊN NÒNG CỐT NĂM 2025"
    assert len(origins(ws)) == 2


def test_the_cli_writes_no_workbook_for_a_refused_file(app, ctx, tmp_path):
    out = tmp_path / "loi.xlsx"
    result = app.test_cli_runner().invoke(args=[
        "import-roster", str(SAMPLES / "S08_khong_phai_excel.xlsx"), "--unit", "Huyện Đắk Hà",
        "--errors-xlsx", str(out)])
    assert result.exit_code == 1 and not out.exists()


def test_the_cli_imports_nothing_when_the_workbook_cannot_be_written(app, ctx, tmp_path):
    out = tmp_path / "khong-co-thu-muc" / "loi.xlsx"
    result = app.test_cli_runner().invoke(args=[
        "import-roster", str(SAMPLES / S01), "--unit", "Huyện Đắk Hà", "--errors-xlsx", str(out)])
    assert result.exit_code == 1
    assert "Không ghi được tệp lỗi" in result.output and "chưa nhập gì" in result.output
    assert count(Person) == 0
