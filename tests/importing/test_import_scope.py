"""What the import's province-wide CCCD lookup may reveal or change for an uploader who cannot
see the person it finds: nothing but "registered elsewhere". Such a row is a `transfer` (the
file's own values only), confirming files a request and writes nothing to the person; the
attacks of issue 11 (disclosure, enumeration, takeover, writes via a past end date), for a
district and a commune officer, on the web and from the CLI."""
from __future__ import annotations

import datetime as dt
import io
import json

import openpyxl
import pytest
import sqlalchemy as sa

from models import (
    Appointment,
    Level,
    Person,
    Role,
    TransferRequest,
    TransferStatus,
    UserRole,
    db,
)
from tests.factories import count, latest_batch
from tests.hostile import files
from tests.importing.history import HEADER as HISTORY_HEADER

SECRET_NAME, SECRET_PHONE, SECRET_POSITION = "Y Bí Mật", "0912345678", "Chánh Văn phòng Kín"
SECRET_DOB = dt.date(1966, 3, 14)
SECRETS = (SECRET_NAME, SECRET_PHONE, SECRET_POSITION, "14/03/1966", "1966-03-14", "Kon Plông")
FILE_NAME = "A Giả Danh"


@pytest.fixture
def elsewhere(make):
    """A person of Huyện Kon Plông, which the Đắk Hà officer cannot see."""
    return make.person(SECRET_NAME, "Huyện Kon Plông", cccd=make.cccd(), phone=SECRET_PHONE,
                       dob=SECRET_DOB, position=SECRET_POSITION)


def _state(person_id: int) -> tuple:
    """Everything an attack could change of a person, read whatever the scope."""
    db.session.expire_all()
    p = db.session.execute(sa.select(Person).where(Person.id == person_id)
                           .execution_options(unscoped=True)).scalar_one()
    appts = db.session.execute(sa.select(Appointment.unit_id, Appointment.end_date)
                               .where(Appointment.person_id == person_id)
                               .execution_options(unscoped=True)).all()
    return p.full_name, p.unit_id, p.phone, p.position, p.dob, p.version, sorted(appts)


def _row(cccd: str, unit: str = "Xã Đắk La", name: str = FILE_NAME) -> list[str]:
    return [name, "01/01/1990", "Nam", "Kinh", unit, "Trưởng thôn", cccd]


def _xlsx(rows: list[list[str]]) -> bytes:
    return files.package(files.sheet_xml(files.roster_rows(rows)))


def _upload(client, data: bytes, name: str = "ds.xlsx"):
    resp = client.post("/imports/upload", data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")
    assert resp.status_code == 302, resp.get_data(as_text=True)[:300]
    return latest_batch()


def _cli(app, tmp_path, data: bytes, unit: str, *extra: str) -> tuple[int, dict]:
    path = tmp_path / "ds.xlsx"
    path.write_bytes(data)
    result = app.test_cli_runner().invoke(
        args=["import-roster", str(path), "--unit", unit, "--json", *extra])
    return result.exit_code, json.loads(result.stdout)


def _leaks(text: str) -> list[str]:
    return [s for s in SECRETS if s in text]


def _rows(report: dict) -> list[dict]:
    return [r for sheet in report["sheets"] for r in sheet["rows"]]


def test_the_other_district_is_invisible_to_the_officer(officer, elsewhere):
    assert officer.get(f"/persons/{elsewhere.id}").status_code == 404
    roster = officer.get("/roster", query_string={"q": SECRET_NAME}).get_data(as_text=True)
    assert f"/persons/{elsewhere.id}" not in roster and SECRET_PHONE not in roster
    by_cccd = officer.get("/roster", query_string={"q": elsewhere.cccd}).get_data(as_text=True)
    assert _leaks(by_cccd) == []


# --- disclosure -----------------------------------------------------------------------------
def test_the_preview_shows_nothing_of_a_person_outside_scope(officer, elsewhere):
    batch = _upload(officer, _xlsx([_row(elsewhere.cccd)]))
    html = officer.get(f"/imports/{batch.id}").get_data(as_text=True)
    assert _leaks(html) == []
    assert FILE_NAME in html and "đã được đăng ký ở một đơn vị khác" in html
    assert "Đề nghị chuyển" in html
    assert batch.counts["transfer"] == 1 and batch.counts["update"] == 0
    for status in ("transfer", "update", "unchanged"):
        page = officer.get(f"/imports/{batch.id}?status={status}").get_data(as_text=True)
        assert _leaks(page) == [], status


def test_the_cli_report_shows_nothing_of_a_person_outside_scope(app, ctx, tmp_path, elsewhere):
    code, report = _cli(app, tmp_path, _xlsx([_row(elsewhere.cccd)]), "Huyện Đắk Hà",
                        "--dry-run")
    assert code == 0
    (row,) = _rows(report)
    assert row["status"] == "transfer" and row["changes"] == {}
    assert row["values"]["full_name"] == FILE_NAME
    assert _leaks(json.dumps(report, ensure_ascii=False)) == []


def test_a_province_upload_of_the_same_row_is_an_update(app, ctx, tmp_path, elsewhere):
    data = _xlsx([_row(elsewhere.cccd, unit="Xã Đắk La, huyện Đắk Hà")])
    code, report = _cli(app, tmp_path, data, "Tỉnh Kon Tum", "--dry-run")
    (row,) = _rows(report)
    assert code == 0 and row["status"] == "update", row
    assert row["changes"]["full_name"] == [SECRET_NAME, FILE_NAME]


# --- enumeration ----------------------------------------------------------------------------
def test_guessed_cccds_enumerate_nobody(app, officer, make, tmp_path, elsewhere):
    others = [make.person(f"Người Ngoài {i}", unit, cccd=make.cccd(), phone=f"09000000{i}")
              for i, unit in enumerate(("Huyện Sa Thầy", "Huyện Kon Rẫy", "Thành phố Kon Tum"))]
    real = {elsewhere.cccd, *(p.cccd for p in others)}
    guesses = [f"062{n:09d}" for n in range(900_000_000, 900_000_400)]
    rows = [_row(c, name=f"Dò Tìm {i}") for i, c in enumerate(sorted(real) + guesses)]
    data = _xlsx(rows)
    code, report = _cli(app, tmp_path, data, "Huyện Đắk Hà", "--dry-run")
    text = json.dumps(report, ensure_ascii=False)
    assert code == 0 and _leaks(text) == []
    assert not any(p.full_name in text or p.phone in text for p in others)
    assert {r["status"] for r in _rows(report)} == {"new", "transfer"}
    batch = _upload(officer, data)
    pages = [officer.get(f"/imports/{batch.id}?page={n}").get_data(as_text=True)
             for n in range(1, 6)]
    assert _leaks("".join(pages)) == []
    assert not any(p.full_name in page for p in others for page in pages)


# --- takeover -------------------------------------------------------------------------------
def test_confirming_writes_nothing_to_a_person_outside_scope(officer, elsewhere):
    before = _state(elsewhere.id)
    batch = _upload(officer, _xlsx([_row(elsewhere.cccd)]))
    resp = officer.post(f"/imports/{batch.id}/confirm", follow_redirects=True)
    assert "Đã gửi 1 đề nghị chuyển công tác" in resp.get_data(as_text=True)
    assert _state(elsewhere.id) == before
    req = db.session.execute(sa.select(TransferRequest)).scalar_one()
    assert (req.person_id, req.batch_id, req.file_row, req.status) == (
        elsewhere.id, batch.id, 4, TransferStatus.PENDING)
    assert req.values["full_name"] == FILE_NAME and req.requested_by == "dakha"
    assert req.unit.name == "Xã Đắk La" and req.from_unit.name == "Huyện Kon Plông"
    assert count(Person) == 1


def test_the_cli_confirm_writes_nothing_either(app, ctx, tmp_path, elsewhere):
    before = _state(elsewhere.id)
    code, report = _cli(app, tmp_path, _xlsx([_row(elsewhere.cccd)]), "Huyện Đắk Hà")
    assert code == 0 and _leaks(json.dumps(report, ensure_ascii=False)) == []
    assert _state(elsewhere.id) == before
    assert count(TransferRequest) == 1 and count(Person) == 1


def test_a_past_end_date_writes_nothing_in_place(officer, elsewhere):
    """A history row ("Ngày kết thúc" in the past) once renamed the person where they are."""
    before = _state(elsewhere.id)
    wb = openpyxl.Workbook()
    wb.active.append(list(HISTORY_HEADER))
    wb.active.append([1, FILE_NAME, dt.date(1990, 1, 1), "Nam", "Kinh", "TTV", "Xã",
                      "Huyện Đắk Hà", "Xã Đắk La", elsewhere.cccd, dt.date(2019, 1, 1),
                      dt.date(2023, 12, 31), "Chuyển công tác"])
    buf = io.BytesIO()
    wb.save(buf)
    batch = _upload(officer, buf.getvalue())
    html = officer.get(f"/imports/{batch.id}").get_data(as_text=True)
    assert batch.counts["transfer"] == 1 and _leaks(html) == []
    officer.post(f"/imports/{batch.id}/confirm")
    assert _state(elsewhere.id) == before


def test_undo_withdraws_the_pending_requests(officer, elsewhere):
    batch = _upload(officer, _xlsx([_row(elsewhere.cccd)]))
    officer.post(f"/imports/{batch.id}/confirm")
    assert count(TransferRequest) == 1
    resp = officer.post(f"/imports/{batch.id}/undo", follow_redirects=True)
    assert "Đã hoàn tác" in resp.get_data(as_text=True)
    assert count(TransferRequest) == 0


def test_the_same_file_again_asks_once(officer, elsewhere):
    for _ in range(2):
        batch = _upload(officer, _xlsx([_row(elsewhere.cccd)]))
        officer.post(f"/imports/{batch.id}/confirm")
    assert count(TransferRequest) == 1


# --- a commune officer ----------------------------------------------------------------------
@pytest.fixture
def commune(make, login):
    make.user("hring", UserRole.OFFICER, "Xã Đắk Hring")
    return login("hring")


def test_a_commune_officer_has_the_same_guard(app, commune, make, tmp_path):
    neighbour = make.person(SECRET_NAME, "Xã Đắk La", cccd=make.cccd(), phone=SECRET_PHONE,
                            dob=SECRET_DOB, position=SECRET_POSITION)
    before = _state(neighbour.id)
    data = _xlsx([_row(neighbour.cccd, unit="Xã Đắk Hring")])
    code, report = _cli(app, tmp_path, data, "Xã Đắk Hring", "--dry-run")
    assert code == 0 and [r["status"] for r in _rows(report)] == ["transfer"]
    assert _leaks(json.dumps(report, ensure_ascii=False)) == []
    batch = _upload(commune, data)
    assert _leaks(commune.get(f"/imports/{batch.id}").get_data(as_text=True)) == []
    commune.post(f"/imports/{batch.id}/confirm")
    assert _state(neighbour.id) == before
    req = db.session.execute(sa.select(TransferRequest)).scalar_one()
    assert req.unit.name == "Xã Đắk Hring" and req.from_unit.name == "Xã Đắk La"


# --- the person form ------------------------------------------------------------------------
def test_the_person_form_names_nobody(officer, make, elsewhere):
    """Adding or editing a person with a CCCD registered elsewhere says only that."""
    own = make.person("Y Của Mình", "Xã Đắk La", cccd=make.cccd())
    data = {"full_name": FILE_NAME, "gender": "Nam", "cccd": elsewhere.cccd,
            "unit_id": own.unit_id}
    for url, extra in (("/persons/new", {}), (f"/persons/{own.id}/edit", {"version": 1})):
        resp = officer.post(url, data={**data, **extra})
        html = resp.get_data(as_text=True)
        assert resp.status_code == 200 and "Số CCCD này đã có trong hồ sơ" in html, url
        assert _leaks(html) == [], url
    assert _state(elsewhere.id)[0] == SECRET_NAME and count(Person) == 2


def test_no_cccd_fallbacks_never_reach_outside_the_scope(officer, make, elsewhere):
    """Without a CCCD a row is matched by name and birth date, and a history row by who once
    served at its unit. The person once served at Xã Đắk La and has since gone to Kon Plông:
    neither fallback may find them from Đắk Hà (their name and birth date are the file's)."""
    db.session.add(Appointment(
        person_id=elsewhere.id, role=Role.TTV, level=Level.CO_SO, unit=make.unit("Xã Đắk La"),
        unit_name_snapshot="Xã Đắk La", start_date=dt.date(2015, 1, 1),
        end_date=dt.date(2019, 12, 31)))
    db.session.commit()
    before = _state(elsewhere.id)
    wb = openpyxl.Workbook()
    wb.active.append(list(HISTORY_HEADER))
    for end in (None, dt.date(2019, 12, 31)):
        wb.active.append([1, SECRET_NAME, SECRET_DOB, "Nam", "Kinh", "TTV", "Xã", "Huyện Đắk Hà",
                          "Xã Đắk La", None, dt.date(2015, 1, 1), end, None])
    buf = io.BytesIO()
    wb.save(buf)
    batch = _upload(officer, buf.getvalue())
    html = officer.get(f"/imports/{batch.id}").get_data(as_text=True)
    counts = batch.counts
    # Neither row found anybody: a new person (the other is the file's own duplicate of it).
    assert [counts[k] for k in ("new", "update", "transfer", "unchanged")] == [1, 0, 0, 0]
    assert [s for s in (SECRET_PHONE, SECRET_POSITION, "Kon Plông") if s in html] == []
    assert _state(elsewhere.id) == before
