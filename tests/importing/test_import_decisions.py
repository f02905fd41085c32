"""The appointment's decision columns and «Quê quán» against a real database: a new person's
appointment and a move's new appointment take the row's start date and decision, a person's own
appointment is never rewritten by them, the preview shows them (page and CLI JSON) and says when
appointments will start on the import day; the template carries the columns."""
from __future__ import annotations

import datetime as dt
import io
import json

import openpyxl
import pytest
import sqlalchemy as sa

from models import EndReason, Person, db
from registry.core.audit import Actor, acting_as
from registry.importing.confirm import undo_batch
from registry.importing.preview import iter_rows, to_contract
from tests.factories import latest_batch
from tests.importing.history import DISTRICT, commit, district_scope, known, preview, xlsx

TODAY = dt.date.today()
HEADER = ("STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Quê quán", "Loại", "Cấp",
          "Huyện/Thành phố", "Đơn vị", "Số CCCD", "Từ ngày", "Số QĐ", "Ngày QĐ",
          "Cơ quan ra quyết định", "Nhiệm kỳ")
DECISION = ("12-QĐ/HU", dt.date(2025, 2, 20), "Ban Thường vụ Huyện ủy Đắk Hà", "2020-2025")


def _xlsx(*rows: tuple, header: tuple = HEADER) -> bytes:
    return xlsx(*rows, header=header)


def _row(name: str, cccd: str, unit: str = "Xã Đắk Hring", start=dt.date(2025, 3, 1),
         decision: tuple = DECISION, hometown: str | None = "Nghĩa Hành, Quảng Ngãi") -> tuple:
    return (1, name, dt.date(1970, 1, 1), "Nữ", "Kinh", hometown, "TTV", "Xã", DISTRICT, unit,
            cccd, start, *decision)


def _person(cccd: str) -> Person:
    db.session.expire_all()
    return db.session.execute(sa.select(Person).where(Person.cccd == cccd)).scalar_one()


def _appointments(person: Person) -> list[tuple]:
    return sorted((a.unit.name, a.start_date, a.end_date, a.end_reason, a.decision_no,
                   a.decision_date, a.decision_body, a.term) for a in person.appointments)


def test_a_new_person_gets_the_rows_decision_and_hometown(make):
    batch = preview(make, _xlsx(_row("Y Nhung", "062190999001")), "moi.xlsx")
    assert [r.status for r in iter_rows(db.session, batch)] == ["new"]
    commit(make, batch)
    person = _person("062190999001")
    assert person.hometown == "Nghĩa Hành, Quảng Ngãi"
    assert _appointments(person) == [
        ("Xã Đắk Hring", dt.date(2025, 3, 1), None, None, *DECISION[:1], *DECISION[1:])
    ]


def test_without_a_start_date_the_appointment_starts_on_the_import_day(make):
    batch = preview(make, _xlsx(_row("Y Nhung", "062190999002", start=None,
                                     decision=(None,) * 4)), "moi.xlsx")
    commit(make, batch, today=TODAY)
    assert _appointments(_person("062190999002")) == [
        ("Xã Đắk Hring", TODAY, None, None, None, None, None, None)
    ]


def test_a_move_starts_on_the_rows_start_date_with_its_decision(make):
    person = known(make, "Trần Thị Chuyển", "062070999201")  # at Xã Đắk Hring since 01/01/2024
    batch = preview(make, _xlsx(_row("Trần Thị Chuyển", "062070999201", unit="Xã Đắk La")),
                    "chuyen.xlsx")
    [row] = iter_rows(db.session, batch)
    assert row.status == "update" and row.data["changes"]["unit"] == ["Xã Đắk Hring", "Xã Đắk La"]
    commit(make, batch)
    assert _appointments(_person("062070999201")) == [
        ("Xã Đắk Hring", dt.date(2024, 1, 1), dt.date(2025, 2, 28), EndReason.CHUYEN_CONG_TAC,
         None, None, None, None),
        ("Xã Đắk La", dt.date(2025, 3, 1), None, None, *DECISION),
    ]
    assert _person("062070999201").hometown == "Nghĩa Hành, Quảng Ngãi"
    with district_scope(make), acting_as(Actor(None, "test")):
        undo_batch(db.session, batch)
        db.session.commit()
    again = _person("062070999201")
    assert again.id == person.id and again.hometown is None
    assert _appointments(again) == [
        ("Xã Đắk Hring", dt.date(2024, 1, 1), None, None, None, None, None, None)
    ]


def test_a_move_that_starts_before_the_current_appointment_is_refused(make):
    known(make, "Trần Thị Chuyển", "062070999202")  # at Xã Đắk Hring since 01/01/2024
    batch = preview(make, _xlsx(_row("Trần Thị Chuyển", "062070999202", unit="Xã Đắk La",
                                     start=dt.date(2023, 6, 1))), "chuyen.xlsx")
    [row] = iter_rows(db.session, batch)
    assert (row.status, row.reason, row.data["field"]) == ("invalid", "bad_start_date",
                                                           "start_date")
    assert row.data["message"].startswith(
        "Cột «Ngày bắt đầu»: nhiệm vụ mới bắt đầu ngày 01/06/2023, không sau ngày bắt đầu nhiệm "
        "vụ hiện tại (01/01/2024)")
    assert row.data["column"] == HEADER.index("Từ ngày")


def test_the_decision_never_rewrites_a_current_appointment(make):
    """Same role, level and unit: the person's appointment stays as recorded (its start and
    decision are the registry's); only the person's own fields may update."""
    known(make, "Lê Thị Giữ", "062070999203", hometown="Kon Tum")
    batch = preview(make, _xlsx(_row("Lê Thị Giữ", "062070999203", hometown="Kon Tum")),
                    "giu.xlsx")
    assert [r.status for r in iter_rows(db.session, batch)] == ["unchanged"]
    batch = preview(make, _xlsx(_row("Lê Thị Giữ", "062070999203", hometown="Đắk Hà, Kon Tum")),
                    "giu.xlsx")
    [row] = iter_rows(db.session, batch)
    assert (row.status, row.data["changes"]) == (
        "update", {"hometown": ["Kon Tum", "Đắk Hà, Kon Tum"]})
    commit(make, batch)
    person = _person("062070999203")
    assert person.hometown == "Đắk Hà, Kon Tum"
    assert _appointments(person) == [
        ("Xã Đắk Hring", dt.date(2024, 1, 1), None, None, None, None, None, None)
    ]


def test_the_cli_json_shows_the_decision(app, make, tmp_path):
    path = tmp_path / "ds.xlsx"
    path.write_bytes(_xlsx(_row("Y Nhung", "062190999004"),
                           _row("Y Hoa", "062190999005", start=dt.date(2100, 1, 1))))
    result = app.test_cli_runner().invoke(
        args=["import-roster", str(path), "--unit", DISTRICT, "--dry-run", "--json"])
    rows = json.loads(result.stdout)["sheets"][0]["rows"]
    assert {k: rows[0]["values"][k] for k in ("start_date", "decision_no", "decision_date",
                                              "decision_body", "term")} == {
        "start_date": "2025-03-01", "decision_no": "12-QĐ/HU", "decision_date": "2025-02-20",
        "decision_body": "Ban Thường vụ Huyện ủy Đắk Hà", "term": "2020-2025"}
    assert (rows[1]["status"], rows[1]["reason"]) == ("invalid", "bad_start_date")
    assert rows[1]["message"].startswith("Cột «Từ ngày»: ngày bắt đầu 01/01/2100 sau ngày nhập")


def _upload(client, data: bytes, name: str = "ds.xlsx"):
    resp = client.post("/imports/upload", data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")
    assert resp.status_code == 302
    return client.get(resp.headers["Location"]).get_data(as_text=True)


NOTE = "Tệp không có cột ngày bắt đầu: các bổ nhiệm mới tính từ ngày nhập"


def test_the_preview_says_when_appointments_start_on_the_import_day(officer):
    page = _upload(officer, _xlsx(_row("Y Nhung", "062190999006")[:11], header=HEADER[:11]))
    assert f"{NOTE} {TODAY:%d/%m/%Y}." in page


def test_the_preview_shows_the_decision(officer):
    page = _upload(officer, _xlsx(_row("Y Nhung", "062190999007")))
    assert NOTE not in page
    assert ("từ 01/03/2025 · QĐ 12-QĐ/HU · ngày 20/02/2025 · Ban Thường vụ Huyện ủy Đắk Hà · "
            "nhiệm kỳ 2020-2025") in page
    assert to_contract(db.session, latest_batch())["counts"]["new"] == 1


def test_a_sheet_without_the_column_is_named(officer):
    wb = openpyxl.Workbook()
    wb.active.title = "TTV"
    for row in (HEADER, _row("Y Nhung", "062190999008")):
        wb.active.append(list(row))
    other = wb.create_sheet("BCV")
    for row in (HEADER[:11], _row("Y Hoa", "062190999009")[:11]):
        other.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    page = _upload(officer, buf.getvalue())
    assert "Trang «BCV» không có cột ngày bắt đầu: các bổ nhiệm mới của trang đó tính từ ngày " \
        f"nhập {TODAY:%d/%m/%Y}." in page


# --- the template ---------------------------------------------------------------------------------
@pytest.fixture
def template(officer, make):
    make.person("Người Có QĐ", "Xã Đắk La")
    db.session.execute(sa.text("UPDATE appointments SET decision_body = 'BTV Huyện ủy Đắk Hà'"))
    db.session.commit()
    return openpyxl.load_workbook(io.BytesIO(officer.get("/imports/template.xlsx").data))


def test_the_template_carries_the_columns_and_suggests_bodies(template):
    ws = template["Danh sách"]
    header = [c.value for c in ws[1]]
    for title in ("Quê quán", "Ngày bắt đầu", "Số quyết định", "Ngày quyết định",
                  "Cơ quan quyết định", "Nhiệm kỳ"):
        assert title in header, title
    lists = template["Danh mục"]
    columns = {c.value: c.column_letter for c in lists[1]}
    assert [c.value for c in lists[columns["decision_body"]][1:] if c.value] == [
        "BTV Huyện ủy Đắk Hà"]
    body = ws.cell(1, header.index("Cơ quan quyết định") + 1).column_letter
    [dv] = [dv for dv in ws.data_validations.dataValidation if str(dv.sqref).startswith(body)]
    assert not dv.showErrorMessage  # a suggestion, other text allowed
    guide = " ".join(c.value or "" for c in template["Hướng dẫn"]["A"])
    assert "Quê quán" in guide and "Ngày bắt đầu" in guide and "Nhiệm kỳ" in guide


def test_a_filled_template_imports_the_decision(officer, template):
    ws = template["Danh sách"]
    header = [c.value for c in ws[1]]
    values = {"STT": 1, "Họ và tên": "Y Nhung", "Ngày sinh": "05/03/1990", "Giới tính": "Nữ",
              "Dân tộc": "Xơ Đăng", "Quê quán": "Đắk Hà, Kon Tum", "Loại": "TTV", "Cấp": "Xã",
              "Huyện/Thành phố": "Huyện Đắk Hà", "Đơn vị": "Xã Đắk Hring",
              "Số CCCD": "062190999010", "Ngày bắt đầu": "01/03/2025",
              "Số quyết định": "12-QĐ/HU", "Ngày quyết định": "20/02/2025",
              "Cơ quan quyết định": "Ban Thường vụ Huyện ủy Đắk Hà", "Nhiệm kỳ": "2020-2025"}
    for col, title in enumerate(header, start=1):
        ws.cell(2, col, values.get(title))
    buf = io.BytesIO()
    template.save(buf)
    _upload(officer, buf.getvalue(), "mau.xlsx")
    batch = latest_batch()
    assert batch.counts["new"] == 1, [r.data for r in iter_rows(db.session, batch)]
    assert officer.post(f"/imports/{batch.id}/confirm", data={}).status_code == 302
    person = _person("062190999010")
    assert person.hometown == "Đắk Hà, Kon Tum"
    assert _appointments(person) == [
        ("Xã Đắk Hring", dt.date(2025, 3, 1), None, None, *DECISION)
    ]
