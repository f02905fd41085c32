"""Hostile values through the web import flow, on the suite's database. Run it on PostgreSQL too
(DATABASE_URL=postgresql+psycopg://…): that is the database that enforces column lengths and
refuses NUL, where an unchecked value used to fail the whole upload or commit."""
from __future__ import annotations

import io

import openpyxl
import sqlalchemy as sa

from models import ImportStatus, Person, db
from tests.factories import latest_batch
from tests.hostile import files


def _upload(client, data: bytes, name: str):
    return client.post("/imports/upload", data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def test_an_over_long_name_is_one_invalid_row_and_the_other_rows_commit(officer):
    limit = Person.__table__.c.full_name.type.length
    long_name = "Nguyễn " + "Văn " * (limit // 4) + "An"
    people = [
        ["Y Blô", "01/01/1980", "Nữ", "Xơ Đăng", "Xã Đắk Hring", "Trưởng thôn", "062099000011"],
        [long_name, "02/02/1982", "Nam", "Kinh", "Xã Đắk La", "", "062099000012"],
        ["A\x00 Thút\x1f", "03/03/1983", "Nam", "Kinh", "Xã Đắk La", "Bí\x07 thư", ""],
    ]
    # Written as _x0000_ escapes, as Excel writes control characters; the reader decodes them.
    resp = _upload(officer, files.package(files.sheet_xml(files.roster_rows(people))), "ds.xlsx")
    assert resp.status_code == 302
    batch = latest_batch()
    assert batch.counts == {"new": 2, "update": 0, "unchanged": 0, "transfer": 0, "invalid": 1}
    html = officer.get(f"/imports/{batch.id}?status=invalid").get_data(as_text=True)
    assert f"Cột «Họ và tên»: dài quá {limit} ký tự" in html

    html = officer.post(f"/imports/{batch.id}/confirm", follow_redirects=True).get_data(
        as_text=True
    )
    assert "Đã nhập: 2 người mới" in html and "bỏ qua 1 dòng lỗi" in html
    stored = db.session.execute(
        sa.select(Person.full_name, Person.position).order_by(Person.id)
    ).all()
    assert [tuple(r) for r in stored] == [("Y Blô", "Trưởng thôn"), ("A Thút", "Bí thư")]
    assert latest_batch().status is ImportStatus.COMMITTED

    errors = officer.get(f"/imports/{batch.id}/errors.xlsx").data
    ws = openpyxl.load_workbook(io.BytesIO(errors)).worksheets[0]
    # Under the file's own rows above the table; «Lỗi» says which row of the file it was.
    cells = next(r for r in ws.iter_rows() if str(r[-1].value or "").startswith("Dòng 5:"))
    assert cells[1].value == long_name and cells[-1].value.startswith(
        f"Dòng 5: Cột «Họ và tên»: dài quá {limit} ký tự"
    )
    assert cells[1].comment is not None


def test_an_xls_that_makes_the_reader_panic_is_a_rejected_file(officer):
    resp = _upload(officer, files.HUGE_CASES[".xls cut inside its sector table"](), "hong.xls")
    assert resp.status_code == 302
    batch = latest_batch()
    assert batch.status is ImportStatus.REJECTED and batch.meta["error"]["code"] == "corrupt_file"
    html = officer.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Tệp Excel bị hỏng" in html
