"""The audit download: the filtered entries, one row per changed field, and recorded itself."""
from __future__ import annotations

import io

import openpyxl
import sqlalchemy as sa

from models import AuditLog, db
from registry.audit.xlsx import HEADERS


def _rows(resp) -> list[tuple]:
    assert resp.status_code == 200, resp.get_data(as_text=True)[:300]
    wb = openpyxl.load_workbook(io.BytesIO(resp.data), read_only=True)
    return [tuple(r) for r in wb["Nhật ký"].iter_rows(values_only=True)]


def test_export_cell_by_cell(client, login, history):
    login("dakha")
    rows = _rows(client.get("/audit/export.xlsx",
                            query_string={"person": history["own"], "action": "update"}))
    assert rows[0] == HEADERS
    body = rows[1:]
    assert [r[5:] for r in body] == [
        ("Giới tính", "Nam", "Nữ"),
        ("Đảng viên", "Không", "Có"),
        ("Ngày vào Đảng", "—", "19/05/2010"),
        ("Điện thoại", "—", "0905123456"),
    ]
    for r in body:
        assert r[1:5] == ("dakha", None, "Sửa", f"Hồ sơ #{history['own']} — Nguyễn Văn Mình")
        assert len(r[0]) == 19 and r[0][2] == "/" and r[0][5] == "/"


def test_export_is_scoped_and_recorded(client, login, history):
    login("dakha")
    rows = _rows(client.get("/audit/export.xlsx"))
    text = "\n".join(str(v) for r in rows for v in r if v is not None)
    assert "Nguyễn Văn Mình" in text and "Trần Thị Khác" not in text and "10.9.8.7" not in text
    entries = {r[4] for r in rows[1:]}
    record = db.session.execute(sa.select(AuditLog).where(AuditLog.action == "export")) \
        .scalar_one()
    assert record.entity == "security" and record.actor == "dakha"
    assert record.client_addr == "127.0.0.1"
    assert record.after["what"] == "Nhật ký thay đổi"
    assert record.after["file"].startswith("nhat-ky-thay-doi-")
    # Entries of the person (create, update) and of the appointment (create): three.
    assert record.after["rows"] == 3 and len(entries) == 2


def test_admin_export_has_security_events_with_address(client, login, history):
    login("admin")
    rows = _rows(client.get("/audit/export.xlsx", query_string={"entity": "security"}))
    failed = [r for r in rows if r[3] == "Đăng nhập sai"]
    assert failed and failed[0][1] == "admin" and failed[0][2] == "10.9.8.7"
    assert failed[0][4] == "An ninh" and failed[0][5:] == ("Tên đăng nhập", "—", "admin")
