"""The audit page: field-by-field differences in Vietnamese, filters, bad values."""
from __future__ import annotations

import datetime as dt

import pytest

from models import AuditLog, db
from registry.audit import service
from registry.audit.labels import field_label


def test_update_shows_labels_and_vietnamese_values(client, login, history):
    login("admin")
    page = client.get("/audit", query_string={"person": history["own"], "action": "update"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    for label in ("Điện thoại", "Giới tính", "Đảng viên", "Ngày vào Đảng"):
        assert f"<td>{label}</td>" in text
    assert "<td class=\"prewrap\">Nữ</td>" in text and "<td class=\"prewrap\">Nam</td>" in text
    assert "19/05/2010" in text and "2010-05-19" not in text
    assert "<td class=\"prewrap\">Có</td>" in text
    assert "dakha" in text and "Sửa" in text


def test_labels_come_from_forms_with_column_fallback():
    assert field_label("persons", "phone") == "Điện thoại"
    assert field_label("appointments", "decision_no") == "Số quyết định công nhận"
    assert field_label("commendations", "issuer") == "Cơ quan, người ký khen"
    assert field_label("persons", "no_such_column") == "no_such_column"


def test_create_lists_what_the_row_was_created_with(ctx, history):
    entry = ctx.query(AuditLog).filter_by(entity="appointments", action="create",
                                         entity_id=history["own_appt"]).one()
    changes = {c.label: (c.before, c.after) for c in service.changes(entry, {})}
    assert changes["Vai trò"] == ("—", "Tuyên truyền viên")
    assert changes["Cấp"] == ("—", "Xã")
    assert changes["Ngày bắt đầu"] == ("—", "01/01/2024")
    assert "Mã" in changes and "version" not in changes


@pytest.mark.parametrize("query, message", [
    ({"start": "31/02/2025"}, "Từ ngày «31/02/2025» không hợp lệ"),
    ({"end": "01/01/0002"}, "Đến ngày «01/01/0002» không hợp lệ"),
    ({"start": "02/01/2025", "end": "01/01/2025"}, "phải trước hoặc bằng"),
    ({"action": "drop table"}, "Hành động «drop table» không có"),
    ({"entity": "users; --"}, "Loại đối tượng «users; --» không có"),
    ({"unit": "99999999999999999999"}, "Đơn vị đã chọn không có"),
    ({"unit": "abc"}, "Đơn vị đã chọn không có"),
])
def test_bad_filters_explained(client, login, history, query, message):
    login("admin")
    resp = client.get("/audit", query_string=query)
    assert resp.status_code == 400
    text = resp.get_data(as_text=True)
    assert message in text and "Không có mục nào" in text
    export = client.get("/audit/export.xlsx", query_string=query)
    assert export.status_code == 400 and message in export.get_data(as_text=True)


@pytest.mark.parametrize("page", ["-3", "x", "99999999999999999999999", "0"])
def test_any_page_number_answers(client, login, history, page):
    login("admin")
    assert client.get("/audit", query_string={"page": page}).status_code == 200


def test_date_range_uses_vietnam_days(client, login, history):
    """17:30 UTC on 31/12/2024 is 00:30 on 01/01/2025 in Vietnam."""
    db.session.add(AuditLog(at=dt.datetime(2024, 12, 31, 17, 30), actor="old", action="update",
                            entity="persons", entity_id=history["own"],
                            before={"notes": "cũ"}, after={"notes": "mới"}))
    db.session.commit()
    login("admin")
    inside = client.get("/audit", query_string={"start": "01/01/2025", "end": "01/01/2025"})
    assert "01/01/2025 00:30" in inside.get_data(as_text=True)
    before = client.get("/audit", query_string={"end": "31/12/2024"}).get_data(as_text=True)
    assert "01/01/2025 00:30" not in before
    assert "mới" not in before


def test_filters_by_user_action_entity(client, login, history):
    login("admin")
    text = client.get("/audit", query_string={"user": "SATHAY"}).get_data(as_text=True)
    assert "0905999999" in text and "0905123456" not in text
    text = client.get("/audit", query_string={"entity": "appointments"}).get_data(as_text=True)
    assert "Bổ nhiệm #" in text and "0905123456" not in text


def test_unit_filter_takes_the_subtree(client, login, history, make):
    from tests.audit.conftest import OWN_UNIT

    make.person("Lê Văn Xã", "Xã Đắk Hring")
    login("admin")
    unit = make.unit(OWN_UNIT)
    text = client.get("/audit", query_string={"unit": unit.id}).get_data(as_text=True)
    assert "Lê Văn Xã" in text and history["own_name"] in text
    assert history["other_name"] not in text


def test_paging(client, login, history):
    for n in range(service.PER_PAGE + 5):
        db.session.add(AuditLog(actor="bulk", action="update", entity="persons",
                                entity_id=history["own"], before={"notes": str(n)},
                                after={"notes": f"n{n}"}))
    db.session.commit()
    login("dakha")
    first = client.get("/audit", query_string={"user": "bulk"}).get_data(as_text=True)
    assert "Trang 1 / 2" in first
    second = client.get("/audit", query_string={"user": "bulk", "page": 2})
    assert "Trang 2 / 2" in second.get_data(as_text=True)
