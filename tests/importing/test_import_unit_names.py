"""Unit names as offices write them, through the web import and the CLI against a real database
(issue 11, items 3 and 8): another unit's file is refused naming both units; a province file
listing BCV by workplace and communes with variant spellings imports, with the preview saying how
each unit was understood."""
from __future__ import annotations

import io
import json

import openpyxl
import sqlalchemy as sa

from models import ImportRow, Person, db
from tests.factories import latest_batch
from tests.paths import SAMPLES

ROWS = [  # (name, role, unit as written, unit understood)
    ("Nguyễn Văn Phòng", "BCV", "Phòng Văn hóa - Thông tin huyện Đắk Hà", "Huyện Đắk Hà"),
    ("Trần Thị Huyện", "BCV", "Huyện ủy Đắk Glei", "Huyện Đắk Glei"),
    ("Y Đal", "TTV", "Xã Ia Dal", "Xã Ia Đal"),
    ("A Rờ", "TTV", "Xã Rờ Kơi", "Xã Rơ Kơi"),
    ("Y Dom", "TTV", "Xã Ia Dom – huyện Ia H'Drai", "Xã Ia Dom"),
    ("A Long", "TTV", "Xã Đắk Long, huyện Đắk Glei", "Xã Đắk Long"),
]
AMBIGUOUS = ("Y Hai Nơi", "TTV", "Xã Dak Long")


def _province_file(path=None) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["DANH SÁCH BÁO CÁO VIÊN, TUYÊN TRUYỀN VIÊN"])
    ws.append(["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Loại", "Đơn vị"])
    for i, (name, role, unit, *_) in enumerate([*ROWS, AMBIGUOUS], 1):
        ws.append([i, name, f"0{i}/02/1980", "Nam", role, unit])
    buf = io.BytesIO()
    wb.save(path or buf)
    return buf.getvalue()


def _upload(client, data: bytes, name: str):
    resp = client.post("/imports/upload", data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")
    assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
    return latest_batch()


def test_another_units_file_is_refused_naming_both_units(officer):
    data = (SAMPLES / "S02_sathay_bcv_ttv_nhieu_sheet.xlsx").read_bytes()
    batch = _upload(officer, data, "S02.xlsx")
    assert batch.counts["new"] == 0 and batch.counts["invalid"] > 0
    bcv = db.session.execute(sa.select(ImportRow).where(
        ImportRow.batch_id == batch.id, ImportRow.sheet == 0)).scalars().all()
    assert bcv and all(r.status == "invalid" for r in bcv)
    html = officer.get(f"/imports/{batch.id}", query_string={"status": "invalid"}).get_data(
        as_text=True)
    assert "danh sách của Huyện Sa Thầy, không phải của Huyện Đắk Hà" in html


def test_province_file_with_agencies_and_spellings_imports(admin):
    batch = _upload(admin, _province_file(), "tinh.xlsx")
    assert batch.counts["new"] == len(ROWS) and batch.counts["invalid"] == 1
    html = admin.get(f"/imports/{batch.id}").get_data(as_text=True)
    assert "«Xã Ia Dal» hiểu là Xã Ia Đal" in html
    assert "Xã Đắk Long (Huyện Đắk Glei) và Xã Đắk Long (Huyện Đắk Hà)" in html
    assert admin.post(f"/imports/{batch.id}/confirm").status_code == 302
    db.session.expire_all()
    people = {p.full_name: p for p in db.session.execute(sa.select(Person)).scalars()}
    for name, _role, _written, unit in ROWS:
        assert people[name].unit.name == unit, name
    assert people["Trần Thị Huyện"].workplace == "Huyện ủy Đắk Glei"
    assert people["Y Đal"].workplace is None
    assert people["A Long"].unit.parent.name == "Huyện Đắk Glei"
    assert AMBIGUOUS[0] not in people


def test_cli_json_carries_the_note(app, ctx, tmp_path):
    path = tmp_path / "tinh.xlsx"
    _province_file(path)
    result = app.test_cli_runner().invoke(
        args=["import-roster", str(path), "--unit", "Tỉnh Kon Tum", "--json", "--dry-run"])
    rows = json.loads(result.stdout)["sheets"][0]["rows"]
    notes = {r["values"]["full_name"]: r["note"] for r in rows}
    assert notes["Y Đal"] == "«Xã Ia Dal» hiểu là Xã Ia Đal"
    assert notes["Trần Thị Huyện"] == "«Huyện ủy Đắk Glei» hiểu là Huyện Đắk Glei"
    assert notes["Y Dom"] is None  # written as the catalogue writes it, with a dash for the comma
