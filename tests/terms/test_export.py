"""Exports show the term as written, not the years read from it."""
from __future__ import annotations

import io

import openpyxl

from models import UserRole
from tests.terms.helpers import with_term


def test_the_full_export_writes_the_term_as_written(make, login, client):
    make.user("dakha", UserRole.OFFICER, "Huyện Đắk Hà")
    with_term(make, "Y Một", "Xã Đắk La", "NK 2020 – 2025")
    with_term(make, "Y Hai", "Xã Đắk La", "Khóa XII")
    login("dakha")
    resp = client.get("/roster/export.xlsx?layout=full")
    assert resp.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(resp.data))["Danh sách"]
    col = {c.value: c.column for c in ws[1] if c.value}
    terms = {ws.cell(r, col["Họ và tên"]).value: ws.cell(r, col["Nhiệm kỳ"]).value
             for r in range(2, ws.max_row + 1)}
    assert terms == {"Y Một": "NK 2020 – 2025", "Y Hai": "Khóa XII"}
