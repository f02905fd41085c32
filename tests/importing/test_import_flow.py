"""The import flow against a real database: CLI contract, cross-file identity, web preview,
confirm once, error workbook, template, history, undo."""
from __future__ import annotations

import datetime as dt
import io
import json

import openpyxl
import pytest
import sqlalchemy as sa

from models import EndReason, ImportBatch, Person, db
from tests.factories import count, latest_batch
from tests.paths import SAMPLES


def _expected(name: str) -> dict:
    return json.loads((SAMPLES / f"{name}.expected.json").read_text("utf-8"))


def _cli(app, name: str, unit: str, *extra: str) -> tuple[int, dict]:
    result = app.test_cli_runner().invoke(
        args=["import-roster", str(SAMPLES / name), "--unit", unit, "--json", *extra])
    return result.exit_code, json.loads(result.stdout)


def _unit_of(name: str) -> str:
    ctx = _expected(name)["upload_context"]
    return ctx["district"] if ctx["scope"] == "district" else ctx["province"]


def test_cli_contract_on_a_district_file(app, ctx):
    code, out = _cli(app, "S01_dakha_ttv_trichngang.xlsx", "Huyện Đắk Hà", "--dry-run")
    assert code == 0
    assert out["error"] is None and out["encoding"] == "unicode"
    sheet = out["sheets"][0]
    assert (sheet["sheet"], sheet["header_row"], sheet["first_data_row"]) == ("Sheet1", 6, 9)
    assert out["counts"] == {"new": 13, "update": 0, "unchanged": 0, "transfer": 0, "invalid": 5}
    bad = {r["row"]: r for r in sheet["rows"] if r["status"] == "invalid"}
    assert bad[24]["reason"] == "duplicate_in_file" and bad[24]["duplicate_of_row"] == 11
    assert all(r["message"] for r in bad.values())
    assert count(Person) == 0  # dry run


def test_cli_file_errors_exit_1(app, ctx):
    for name, code in (("S08_khong_phai_excel.xlsx", "not_a_spreadsheet"),
                       ("S09_empty_workbook.xlsx", "empty_workbook")):
        exit_code, out = _cli(app, name, "Huyện Đắk Hà")
        assert exit_code == 1 and out["error"]["code"] == code and out["error"]["message"]


def test_cli_commit_then_same_file_is_unchanged(app, ctx):
    code, out = _cli(app, "S01_dakha_ttv_trichngang.xlsx", "Huyện Đắk Hà")
    assert code == 0 and count(Person) == 13
    code, again = _cli(app, "S01_dakha_ttv_trichngang.xlsx", "Huyện Đắk Hà")
    assert again["counts"] == {"new": 0, "update": 0, "unchanged": 13, "transfer": 0, "invalid": 5}
    assert count(Person) == 13


def _hidden(report: dict, exp: dict) -> list[str]:
    """The person's own values (hidden_from_uploader: [theirs, the file's]) found anywhere in
    the uploader's report."""
    text = json.dumps(report, ensure_ascii=False)
    return [old for old, _file in exp["hidden_from_uploader"].values() if old in text]


def test_cross_file_identity_by_cccd(app, ctx):
    """S11 after S01 and S02: updates in Sa Thầy's scope, inserts, and row 8, a person of Đắk Hà,
    a transfer that shows and changes nothing of them until the province approves it."""
    from models import TransferRequest, TransferStatus
    from registry.core import access
    from registry.transfers import service

    assert _cli(app, "S01_dakha_ttv_trichngang.xlsx", "Huyện Đắk Hà")[0] == 0
    assert _cli(app, "S02_sathay_bcv_ttv_nhieu_sheet.xlsx", "Huyện Sa Thầy")[0] == 0
    before = count(Person)
    code, out = _cli(app, "S11_sathay_ttv_cap_nhat.xlsx", "Huyện Sa Thầy")
    assert code == 0
    rows = {r["row"]: r for r in out["sheets"][0]["rows"]}
    expected = _expected("S11_sathay_ttv_cap_nhat.xlsx")["cross_file"]["rows"]
    for exp in expected:
        row = rows[exp["row"]]
        if exp["action"] == "insert":
            assert row["status"] == "new", row
        elif exp["action"] == "transfer":
            assert row["status"] == "transfer" and row["changes"] == {}, row
            assert row["values"]["cccd"] == exp["cccd"]
            assert _hidden(out, exp) == [], "the report shows the other district's person"
        else:
            assert row["status"] == "update", row
            assert row["changes"] == exp["changed"], row
    assert out["counts"]["transfer"] == 1
    assert count(Person) == before + 3
    moved = db.session.execute(sa.select(Person).where(Person.cccd == "051079120321")).scalar_one()
    assert moved.unit.name == "Xã Hà Mòn" and len(moved.appointments) == 1  # untouched
    req = db.session.execute(sa.select(TransferRequest)).scalar_one()
    assert (req.person_id, req.file_row, req.status) == (moved.id, 8, TransferStatus.PENDING)
    assert req.unit.name == "Thị trấn Sa Thầy" and req.from_unit.name == "Xã Hà Mòn"

    moved.appointments[0].start_date = dt.date(2025, 1, 1)  # imported a while ago
    db.session.commit()
    with access.scoped(None):  # the province decides
        service.approve(db.session, req, dt.date(2026, 1, 15), expected_version=req.version)
        db.session.commit()
    history = sorted(moved.appointments, key=lambda a: (a.start_date, a.id))
    assert [a.unit.name for a in history] == ["Xã Hà Mòn", "Thị trấn Sa Thầy"]
    assert history[0].end_date == dt.date(2026, 1, 14)
    assert history[0].end_reason is EndReason.CHUYEN_CONG_TAC
    assert history[1].start_date == dt.date(2026, 1, 15) and history[1].end_date is None
    assert moved.unit.name == "Thị trấn Sa Thầy"
    assert moved.position == expected[3]["hidden_from_uploader"]["position"][1]


def test_the_web_preview_hides_the_transfer_row_person(app, make, login):
    from models import UserRole

    assert _cli(app, "S01_dakha_ttv_trichngang.xlsx", "Huyện Đắk Hà")[0] == 0
    assert _cli(app, "S02_sathay_bcv_ttv_nhieu_sheet.xlsx", "Huyện Sa Thầy")[0] == 0
    make.user("sathay", UserRole.OFFICER, "Huyện Sa Thầy")
    client = login("sathay")
    assert _upload(client, "S11_sathay_ttv_cap_nhat.xlsx").status_code == 302
    batch = latest_batch()
    exp = next(e for e in _expected("S11_sathay_ttv_cap_nhat.xlsx")["cross_file"]["rows"]
               if e["action"] == "transfer")
    for status in ("", "transfer", "update"):
        html = client.get(f"/imports/{batch.id}?status={status}").get_data(as_text=True)
        shown = [old for old, _file in exp["hidden_from_uploader"].values() if old in html]
        assert shown == [], status
    assert batch.counts["transfer"] == 1


def test_a_province_upload_of_the_transfer_row_is_an_update(app, ctx):
    assert _cli(app, "S01_dakha_ttv_trichngang.xlsx", "Huyện Đắk Hà")[0] == 0
    assert _cli(app, "S02_sathay_bcv_ttv_nhieu_sheet.xlsx", "Huyện Sa Thầy")[0] == 0
    code, out = _cli(app, "S11_sathay_ttv_cap_nhat.xlsx", "Tỉnh Kon Tum", "--dry-run")
    assert code == 0
    rows = {r["row"]: r for r in out["sheets"][0]["rows"]}
    exp = next(e for e in _expected("S11_sathay_ttv_cap_nhat.xlsx")["cross_file"]["rows"]
               if e["action"] == "transfer")
    assert rows[exp["row"]]["status"] == "update"
    assert rows[exp["row"]]["changes"] == exp["hidden_from_uploader"]
    assert out["counts"]["transfer"] == 0


def _upload(client, name: str, **extra):
    data = {"file": (io.BytesIO((SAMPLES / name).read_bytes()), name), **extra}
    return client.post("/imports/upload", data=data, content_type="multipart/form-data")


def test_web_preview_confirm_once_errors_and_undo(officer, make):
    make.unit("Huyện Đắk Hà")
    resp = _upload(officer, "S01_dakha_ttv_trichngang.xlsx")
    assert resp.status_code == 302
    batch = latest_batch()
    html = officer.get(f"/imports/{batch.id}").get_data(as_text=True)
    assert "Xác nhận nhập" in html and "Đã nhập" not in html
    invalid = officer.get(f"/imports/{batch.id}?status=invalid").get_data(as_text=True)
    assert invalid.count('class="row-invalid"') == 5
    assert count(Person) == 0
    assert officer.post(f"/imports/{batch.id}/confirm").status_code == 302
    assert count(Person) == 13
    resp = officer.post(f"/imports/{batch.id}/confirm", follow_redirects=True)  # double click
    assert "chỉ được nhập một lần" in resp.get_data(as_text=True)
    assert count(Person) == 13

    wb = openpyxl.load_workbook(io.BytesIO(officer.get(f"/imports/{batch.id}/errors.xlsx").data))
    ws = wb.worksheets[0]
    header = [c.value for c in ws[6]]  # the file's own title rows 1-5 come first
    assert header[-1] == "Lỗi" and "Họ và tên" in " ".join(str(h) for h in header if h)
    assert ws.max_row == 8 + 6  # five failing rows and the row that one of them repeats
    flagged = [c for row in ws.iter_rows(min_row=9) for c in row if c.comment is not None]
    assert len(flagged) == 5 and all(c.fill.fgColor.rgb.endswith("FFC7CE") for c in flagged)

    again = _upload(officer, "S01_dakha_ttv_trichngang.xlsx")
    html = officer.get(again.headers["Location"]).get_data(as_text=True)
    assert "đã được tải lên" in html

    resp = officer.post(f"/imports/{batch.id}/undo", follow_redirects=True)
    assert "Đã hoàn tác" in resp.get_data(as_text=True)
    assert count(Person) == 0


def test_undo_refused_after_edit(officer, make, app):
    assert _upload(officer, "S01_dakha_ttv_trichngang.xlsx").status_code == 302
    batch = latest_batch()
    officer.post(f"/imports/{batch.id}/confirm")
    person = db.session.execute(sa.select(Person).where(Person.cccd == "062076120004")).scalar_one()
    person.position = "Đã sửa tay"
    db.session.commit()
    resp = officer.post(f"/imports/{batch.id}/undo", follow_redirects=True)
    assert "Không thể hoàn tác" in resp.get_data(as_text=True) and "A Thút" in resp.get_data(
        as_text=True
    )
    assert count(Person) == 13


def test_confirm_replans_when_database_changed(officer, make):
    _upload(officer, "S01_dakha_ttv_trichngang.xlsx")
    batch = latest_batch()
    make.person("A Thút", "Xã Đắk Hring", cccd="062076120004", position="Khác")
    resp = officer.post(f"/imports/{batch.id}/confirm", follow_redirects=True)
    assert "Dữ liệu đã thay đổi sau khi xem trước" in resp.get_data(as_text=True)
    assert count(Person) == 1
    db.session.expire_all()
    assert latest_batch().counts["update"] == 1 and latest_batch().counts["new"] == 12
    assert officer.post(f"/imports/{batch.id}/confirm").status_code == 302
    assert count(Person) == 13


def test_all_or_nothing_refuses_file_with_errors(officer):
    _upload(officer, "S01_dakha_ttv_trichngang.xlsx")
    resp = officer.post(
        f"/imports/{latest_batch().id}/confirm", data={"all_or_nothing": "y"}, follow_redirects=True
    )
    assert "tất cả hoặc không" in resp.get_data(as_text=True)
    assert count(Person) == 0


@pytest.mark.parametrize(
    "name,message",
    [
        ("S08_khong_phai_excel.xlsx", "không phải bảng tính"),
        ("S09_empty_workbook.xlsx", "không có dữ liệu"),
    ],
)
def test_bad_files_explained(officer, name, message):
    resp = _upload(officer, name)
    html = officer.get(resp.headers["Location"]).get_data(as_text=True)
    assert message in html and "Xác nhận nhập" not in html


def test_upload_without_file(officer):
    resp = officer.post("/imports/upload", data={}, content_type="multipart/form-data")
    assert "Vui lòng chọn tệp cần nhập." in resp.get_data(as_text=True)


def test_officer_cannot_upload_into_other_district(officer, make):
    sathay = make.unit("Huyện Sa Thầy")
    resp = _upload(officer, "S01_dakha_ttv_trichngang.xlsx", unit_id=str(sathay.id))
    assert resp.status_code == 200 and "Giá trị được chọn không hợp lệ." in resp.get_data(
        as_text=True
    )
    assert count(ImportBatch) == 0


def test_template_has_dropdowns_and_instructions(officer):
    wb = openpyxl.load_workbook(io.BytesIO(officer.get("/imports/template.xlsx").data))
    assert wb.sheetnames == ["Danh sách", "Danh mục", "Hướng dẫn"]
    ws = wb["Danh sách"]
    header = [c.value for c in ws[1]]
    assert header[:4] == ["STT", "Họ và tên", "Ngày sinh", "Giới tính"]
    ranges = {
        str(dv.sqref).split(":")[0][0]: dv.formula1 for dv in ws.data_validations.dataValidation
    }
    assert len(ws.data_validations.dataValidation) >= 7
    catalogue = wb["Danh mục"]
    units = [c.value for c in catalogue[f"{_col(catalogue, 'unit')}"][1:] if c.value]
    assert "Xã Đắk Hring" in units and "Xã Ya Ly" not in units  # only the uploader's subtree
    assert ranges  # every list is referenced by a validation


def _col(ws, key: str) -> str:
    for cell in ws[1]:
        if cell.value == key:
            return cell.column_letter
    raise AssertionError(key)


def test_template_round_trip(officer, make):
    """A template filled in by an office imports cleanly."""
    wb = openpyxl.load_workbook(io.BytesIO(officer.get("/imports/template.xlsx").data))
    ws = wb["Danh sách"]
    header = [c.value for c in ws[1]]
    row = {
        "STT": 1,
        "Họ và tên": "Y Nhung",
        "Ngày sinh": "05/03/1990",
        "Giới tính": "Nữ",
        "Dân tộc": "Xơ Đăng",
        "Loại": "TTV",
        "Cấp": "Xã",
        "Huyện/Thành phố": "Huyện Đắk Hà",
        "Đơn vị": "Xã Đắk Hring",
        "Số CCCD": "062190999999",
    }
    for col, title in enumerate(header, start=1):
        ws.cell(2, col, row.get(title))
    buf = io.BytesIO()
    wb.save(buf)
    resp = officer.post(
        "/imports/upload",
        data={"file": (io.BytesIO(buf.getvalue()), "mau.xlsx")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 302
    assert latest_batch().counts == {
        "new": 1, "update": 0, "unchanged": 0, "transfer": 0, "invalid": 0}
