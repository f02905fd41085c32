"""The preview's lifecycle: no confirm when nothing would be written, discarding a pending
preview, expired previews purged (web pages, `flask purge-imports`, the setting), the history's
uploader and file hash, and a file whose table has no rows."""
from __future__ import annotations

import datetime as dt
import io
import json
import re

import openpyxl
import pytest
import sqlalchemy as sa

from models import AuditLog, ImportBatch, ImportFile, ImportRow, ImportStatus, Person, UserRole, db
from registry.importing.lifecycle import planned_writes, purge_expired
from tests.factories import count, latest_batch, settings_form
from tests.importing.history import DISTRICT, DOB, xlsx

NEW_ROW = (1, "Nguyễn Thị Mới", DOB, "Nữ", "Kinh", "TTV", "Xã", DISTRICT, "Xã Đắk Hring",
           "062070888001", None, None, None)
NAMELESS_ROW = (2, None, DOB, "Nữ", "Kinh", "TTV", "Xã", DISTRICT, "Xã Đắk Hring", None, None,
                None, None)
NOTHING = "Không có dòng nào cần ghi"


def _upload(client, data: bytes, name: str = "ds.xlsx"):
    return client.post("/imports/upload", data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def _stored(batch_id: int) -> tuple[int, int]:
    """(rows, files) still stored for the batch."""
    rows = db.session.execute(
        sa.select(sa.func.count(ImportRow.id)).where(ImportRow.batch_id == batch_id)).scalar()
    files = db.session.execute(
        sa.select(sa.func.count()).select_from(ImportFile).where(ImportFile.batch_id == batch_id)
    ).scalar()
    return rows, files


def _with_file(batch_id: int) -> None:
    """The uploaded bytes kept for the batch (as the upload stores them)."""
    if not _stored(batch_id)[1]:
        db.session.add(ImportFile(batch_id=batch_id, data=b"PK..."))
        db.session.commit()


def _status(batch_id: int) -> ImportStatus:
    db.session.expire_all()
    return db.session.get(ImportBatch, batch_id).status


def _audits(action: str) -> list[int]:
    return list(db.session.execute(
        sa.select(AuditLog.entity_id).where(AuditLog.action == action).order_by(AuditLog.id)
    ).scalars())


def _age(batch_id: int, days: float) -> None:
    db.session.execute(sa.update(ImportBatch).where(ImportBatch.id == batch_id).values(
        created_at=dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(days=days)))
    db.session.commit()


# --- "Xác nhận" only when something would be written -----------------------------------------

def test_confirm_is_disabled_and_refused_when_nothing_would_be_written(officer):
    assert _upload(officer, xlsx(NAMELESS_ROW)).status_code == 302
    batch = latest_batch()
    assert batch.counts["invalid"] == 1 and planned_writes(batch) == 0
    html = officer.get(f"/imports/{batch.id}").get_data(as_text=True)
    button = re.search(r'<button type="submit" class="btn primary"[^>]*>Xác nhận nhập', html)
    assert button and " disabled" in button.group(0)
    assert "Không thể xác nhận: không có dòng nào cần ghi" in html
    # A hand-made POST (or a page opened before) is refused by the server too.
    resp = officer.post(f"/imports/{batch.id}/confirm", follow_redirects=True)
    assert NOTHING in resp.get_data(as_text=True)
    assert _status(batch.id) is ImportStatus.PREVIEWED and not _audits("import")


def test_confirm_is_enabled_when_a_row_would_be_written(officer):
    _upload(officer, xlsx(NEW_ROW, NAMELESS_ROW))
    batch = latest_batch()
    html = officer.get(f"/imports/{batch.id}").get_data(as_text=True)
    assert '<button type="submit" class="btn primary">Xác nhận nhập' in html
    assert "Không thể xác nhận" not in html
    officer.post(f"/imports/{batch.id}/confirm")
    assert count(Person) == 1 and _status(batch.id) is ImportStatus.COMMITTED


@pytest.mark.parametrize("counts,writes", [
    ({"new": 0, "update": 0, "unchanged": 4, "invalid": 2}, 0),
    ({"new": 1, "unchanged": 4}, 1),
    ({"update": 2, "invalid": 1}, 2),
    ({"transfer": 1, "unchanged": 3}, 1),  # a transfer files a request: it writes
])
def test_rows_that_write(make, counts, writes):
    batch = make.batch(DISTRICT)
    batch.counts = counts
    assert planned_writes(batch) == writes


def test_a_transfer_only_preview_can_be_confirmed(officer, make):
    batch = make.batch(DISTRICT)
    batch.counts = {"new": 0, "update": 0, "unchanged": 0, "invalid": 0, "transfer": 1}
    db.session.commit()
    html = officer.get(f"/imports/{batch.id}").get_data(as_text=True)
    assert '<button type="submit" class="btn primary">Xác nhận nhập' in html


# --- discarding a pending preview ------------------------------------------------------------

def test_discard_deletes_rows_and_file_and_is_audited(officer):
    _upload(officer, xlsx(NEW_ROW, NAMELESS_ROW))
    batch = latest_batch()
    _with_file(batch.id)
    assert _stored(batch.id) == (2, 1)
    html = officer.get(f"/imports/{batch.id}").get_data(as_text=True)
    form = re.search(rf'<form[^>]*action="/imports/{batch.id}/discard"[^>]*>', html).group(0)
    assert "data-confirm=" in form and "Hủy bản xem trước</button>" in html

    resp = officer.post(f"/imports/{batch.id}/discard", follow_redirects=True)
    body = resp.get_data(as_text=True)
    assert "Đã hủy bản xem trước" in body and "Bản xem trước này đã được hủy" in body
    assert _status(batch.id) is ImportStatus.DISCARDED and _stored(batch.id) == (0, 0)
    assert _audits("discard_import") == [batch.id]
    assert "Tải các dòng lỗi" not in body and "Xác nhận nhập</button>" not in body
    assert "Đã hủy" in officer.get("/imports/").get_data(as_text=True)

    again = officer.post(f"/imports/{batch.id}/discard", follow_redirects=True)
    assert "đã được hủy trước đó" in again.get_data(as_text=True)
    confirm = officer.post(f"/imports/{batch.id}/confirm", follow_redirects=True)
    assert "«Đã hủy», không thể xác nhận" in confirm.get_data(as_text=True)
    assert count(Person) == 0 and _audits("discard_import") == [batch.id]


def test_a_committed_batch_cannot_be_discarded(officer):
    _upload(officer, xlsx(NEW_ROW))
    batch = latest_batch()
    officer.post(f"/imports/{batch.id}/confirm")
    resp = officer.post(f"/imports/{batch.id}/discard", follow_redirects=True)
    assert "đã được xác nhận nên không hủy được" in resp.get_data(as_text=True)
    assert _status(batch.id) is ImportStatus.COMMITTED and _stored(batch.id)[0] == 1
    assert count(Person) == 1 and not _audits("discard_import")


def test_discard_out_of_scope_or_read_only(officer, make, login):
    other = make.batch("Huyện Sa Thầy")
    assert officer.post(f"/imports/{other.id}/discard").status_code == 404
    assert officer.post("/imports/999999/discard").status_code == 404
    officer.post("/logout")
    mine = make.batch(DISTRICT)
    make.user("xem", UserRole.VIEWER, DISTRICT)
    viewer = login("xem")
    assert viewer.post(f"/imports/{mine.id}/discard").status_code == 403
    assert "Hủy bản xem trước</button>" not in viewer.get(f"/imports/{mine.id}").get_data(
        as_text=True)
    assert _status(other.id) is _status(mine.id) is ImportStatus.PREVIEWED


# --- expired previews ------------------------------------------------------------------------

OTHER_FILE = "ds-sa-thay-bi-mat.xlsx"

@pytest.fixture
def aged(make):
    """Batches of two districts: pending 8 days (two), pending 6 days, committed 30 days."""
    old = make.batch(DISTRICT)
    old_other = make.batch("Huyện Sa Thầy", file_name=OTHER_FILE)
    recent = make.batch(DISTRICT)
    done = make.batch(DISTRICT, status=ImportStatus.COMMITTED)
    for batch, days in ((old, 8), (old_other, 8), (recent, 6), (done, 30)):
        _age(batch.id, days)
        _with_file(batch.id)
    db.session.add(ImportRow(batch_id=old.id, seq=0, sheet=0, row=2, status="new", data={}))
    db.session.commit()
    return {"old": old.id, "old_other": old_other.id, "recent": recent.id, "done": done.id}


def _statuses(aged: dict) -> dict:
    return {key: _status(batch_id) for key, batch_id in aged.items()}


EXPIRED = {"old": ImportStatus.DISCARDED, "old_other": ImportStatus.DISCARDED,
           "recent": ImportStatus.PREVIEWED, "done": ImportStatus.COMMITTED}


@pytest.mark.parametrize("page", ["/imports/", "/imports/upload"])
def test_pages_purge_every_units_expired_previews(officer, aged, page):
    html = officer.get(page).get_data(as_text=True)
    assert _statuses(aged) == EXPIRED  # Sa Thầy's too: the purge is not the officer's scope
    # ...yet nothing of it reaches the officer: no name, no count, and not their act.
    assert OTHER_FILE not in html and "Sa Thầy" not in html
    assert OTHER_FILE not in officer.get("/imports/").get_data(as_text=True)
    assert set(db.session.execute(sa.select(AuditLog.actor).where(
        AuditLog.action == "expire_import")).scalars()) == {"system"}
    assert _stored(aged["old"]) == _stored(aged["old_other"]) == (0, 0)
    assert _stored(aged["recent"]) == _stored(aged["done"]) == (0, 1)
    assert sorted(_audits("expire_import")) == sorted([aged["old"], aged["old_other"]])
    officer.get(page)  # nothing left to do: nothing more is written
    assert len(_audits("expire_import")) == 2


def test_cli_purge_and_the_setting(app, admin, aged):
    data = settings_form(admin)
    assert data["import_preview_days"] == "7"
    assert admin.post("/settings", data=data | {"import_preview_days": "5"}).status_code == 302
    result = app.test_cli_runner().invoke(args=["purge-imports"])
    assert result.exit_code == 0 and "Đã hủy 3 bản xem trước quá hạn." in result.output
    assert _statuses(aged) == EXPIRED | {"recent": ImportStatus.DISCARDED}
    again = app.test_cli_runner().invoke(args=["purge-imports"])
    assert "Đã hủy 0 bản xem trước" in again.output


def test_purge_goes_a_chunk_at_a_time(app, ctx, make, monkeypatch):
    from registry.importing import lifecycle

    monkeypatch.setattr(lifecycle, "PURGE_CHUNK", 2)
    ids = [make.batch(DISTRICT).id for _ in range(5)]
    for batch_id in ids:
        _age(batch_id, 10)
    assert purge_expired(db.session) == 2
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["purge-imports"])
    assert "Đã hủy 3 bản xem trước quá hạn." in result.output
    assert {_status(i) for i in ids} == {ImportStatus.DISCARDED}


def test_purge_passes_over_a_batch_a_confirm_holds(app, ctx, make):
    """Another worker's confirm holds the batch's row: the purge neither waits for it nor
    takes it, and discards the others."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite has a single writer")
    held, free = make.batch(DISTRICT).id, make.batch(DISTRICT).id
    for batch_id in (held, free):
        _age(batch_id, 10)
    with db.engine.connect() as other:  # a confirm's claim, not committed yet
        other.execute(sa.update(ImportBatch).where(ImportBatch.id == held)
                      .values(status=ImportStatus.COMMITTED))
        db.session.execute(sa.text("SET LOCAL lock_timeout = '3s'"))
        assert purge_expired(db.session) == 1
        db.session.commit()
        other.commit()
    assert (_status(held), _status(free)) == (ImportStatus.COMMITTED, ImportStatus.DISCARDED)
    assert _audits("expire_import") == [free]


@pytest.mark.parametrize("value,message", [
    ("0", "Phải là số nguyên từ 1 đến 90."),
    ("91", "Phải là số nguyên từ 1 đến 90."),
    ("bảy", "Phải là số nguyên từ 1 đến 90."),
    ("", "Vui lòng nhập số ngày (1 đến 90)."),
])
def test_preview_days_validated(admin, value, message):
    resp = admin.post("/settings", data=settings_form(admin) | {"import_preview_days": value})
    assert resp.status_code == 200 and message in resp.get_data(as_text=True)
    assert settings_form(admin)["import_preview_days"] == "7"


# --- the history -----------------------------------------------------------------------------

def test_history_names_the_uploader_and_keeps_the_hash_aside(officer):
    _upload(officer, xlsx(NEW_ROW))
    batch = latest_batch()
    html = officer.get("/imports/").get_data(as_text=True)
    assert "<td><span title=\"Tên đăng nhập: dakha\">Người dùng dakha</span></td>" in html
    assert "SHA-256</th>" not in html
    assert f'title="Mã tệp (SHA-256): {batch.file_hash}"' in html
    assert f">{batch.file_hash[:12]}" not in html  # no hash column
    page = officer.get(f"/imports/{batch.id}").get_data(as_text=True)
    assert "Người dùng dakha" in page and f"{batch.file_hash[:12]}…" in page


# --- a table without rows --------------------------------------------------------------------

def _header_only() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "TTV"
    ws.append(["DANH SÁCH TUYÊN TRUYỀN VIÊN"])
    for _ in range(3):
        ws.append([])
    ws.append(["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Đơn vị"])
    ws.append([None, None, None, None, None])
    ws.append(["", "Người lập biểu"])
    wb.create_sheet("Hướng dẫn").append(["Điền danh sách vào trang TTV"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


MESSAGE = "Trang tính «TTV», dòng tiêu đề 5: không có dòng dữ liệu nào."


def test_no_data_rows_names_sheet_and_header_on_the_web(officer):
    assert _upload(officer, _header_only()).status_code == 302
    batch = latest_batch()
    assert batch.status is ImportStatus.REJECTED
    assert MESSAGE in officer.get(f"/imports/{batch.id}").get_data(as_text=True)


def test_no_data_rows_of_a_csv_names_the_header_row(officer):
    data = "DANH SÁCH TTV\r\n\r\nSTT;Họ và tên;Ngày sinh;Giới tính;Đơn vị\r\n".encode()
    _upload(officer, b"\xef\xbb\xbf" + data, "ds.csv")
    batch = latest_batch()
    assert batch.meta["error"]["message"] == "Dòng tiêu đề 3: không có dòng dữ liệu nào."
    assert [s["header_row"] for s in batch.meta["sheets"]] == [3]


def test_no_data_rows_in_the_cli_json(app, ctx, tmp_path):
    path = tmp_path / "chi-tieu-de.xlsx"
    path.write_bytes(_header_only())
    result = app.test_cli_runner().invoke(
        args=["import-roster", str(path), "--unit", DISTRICT, "--json"])
    assert result.exit_code == 1
    out = json.loads(result.stdout)
    assert out["error"] == {"code": "no_data_rows", "message": MESSAGE}
    assert out["sheets"] == [{"sheet": "TTV", "header_row": 5, "first_data_row": 6, "rows": []}]


# --- the command line with nothing to write --------------------------------------------------

def test_cli_with_nothing_to_write_succeeds_and_leaves_no_pending_preview(app, ctx, tmp_path):
    path = tmp_path / "ds.xlsx"
    path.write_bytes(xlsx(NEW_ROW))
    runner = app.test_cli_runner()
    assert runner.invoke(args=["import-roster", str(path), "--unit", DISTRICT]).exit_code == 0
    again = runner.invoke(args=["import-roster", str(path), "--unit", DISTRICT, "--json"])
    assert again.exit_code == 0 and NOTHING in again.stderr
    assert json.loads(again.stdout)["counts"]["unchanged"] == 1
    assert latest_batch().status is ImportStatus.DISCARDED and count(Person) == 1


def test_discard_needs_the_form_token(officer, make, csrf_on):
    batch = make.batch(DISTRICT)
    resp = officer.post(f"/imports/{batch.id}/discard")
    assert resp.status_code in (200, 400)
    assert resp.status_code == 400 or "Biểu mẫu đã hết hạn" in resp.get_data(as_text=True)
    assert _status(batch.id) is ImportStatus.PREVIEWED
