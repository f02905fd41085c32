"""Every download of personal data leaves a security event: what, the filters, the row count,
the file name, the user and the client address."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from models import AuditLog, db
from registry.core.downloads import record_download


@pytest.fixture
def files(make, history):
    """URLs of every download (the ready-made lists, a saved list, an import batch), and
    what each must record: (what, rows; None: any count)."""
    from tests.factories import READY_LISTS

    own = make.unit("Huyện Đắk Hà")
    person = make.person("Phạm Văn Chi", own)
    make.payment(person)
    saved = make.saved_list(own, "Danh sách thử")
    batch = make.batch(own)
    return [
        ("/roster/export.xlsx?layout=full&status=all", "Danh sách đội ngũ", 2),
        ("/roster/export.xlsx?layout=trich-ngang", "Danh sách đội ngũ", 2),
        (f"/lists/{saved.id}/export.xlsx", "Danh sách thử", None),
        *((f"/lists/ready/{slug}/export.xlsx", None, None) for slug in READY_LISTS),
        (f"/imports/{batch.id}/errors.xlsx", "Các dòng lỗi của lô nhập", 0),
        ("/imports/template.xlsx", "Mẫu nhập danh sách", 0),
        (f"/units/{own.id}/payments/sheet.xlsx?month=03/2025", "Bảng kê chi trả", 1),
        ("/reports/team.xlsx", "Báo cáo đội ngũ", None),
        ("/audit/export.xlsx?entity=persons", "Nhật ký thay đổi", None),
    ]


def _exports() -> list[AuditLog]:
    return db.session.execute(sa.select(AuditLog).where(AuditLog.action == "export")
                              .order_by(AuditLog.id)).scalars().all()


def test_every_download_is_recorded(client, login, files):
    client.environ_base["REMOTE_ADDR"] = "192.0.2.15"  # the session is bound to its address
    login("dakha")
    for url, what, rows in files:
        before = len(_exports())
        resp = client.get(url)
        assert resp.status_code == 200, url
        assert resp.mimetype.endswith("spreadsheetml.sheet"), url
        records = _exports()
        assert len(records) == before + 1, f"{url}: not recorded"
        entry = records[-1]
        assert entry.entity == "security" and entry.actor == "dakha", url
        assert entry.client_addr == "192.0.2.15", url
        details = entry.after
        assert details["file"] in resp.headers["Content-Disposition"], url
        assert isinstance(details["rows"], int) and isinstance(details["filters"], dict), url
        if what is not None:
            assert details["what"] == what, url
        if rows is not None:
            assert details["rows"] == rows, url


def test_filters_of_the_download_are_kept(client, login, files):
    login("dakha")
    client.get("/roster/export.xlsx?layout=full&role=BCV&q=Mình")
    details = _exports()[-1].after
    assert details["filters"] == {"layout": "full", "role": "BCV", "q": "Mình"}
    assert details["rows"] == 0


def test_refused_download_records_nothing(client, login, files):
    login("dakha")
    assert client.get("/roster/export.xlsx?layout=nope").status_code == 400
    assert client.get("/audit/export.xlsx?start=32/13/2025").status_code == 400
    assert _exports() == []


def test_download_events_show_for_admins_only(client, login, files):
    login("dakha")
    client.get("/roster/export.xlsx")
    assert "Tải xuống" not in client.get("/audit").get_data(as_text=True).split("<tbody>")[1]
    client.post("/logout")
    login("admin")
    page = client.get("/audit", query_string={"action": "export"}).get_data(as_text=True)
    assert "Tải xuống" in page and "Danh sách đội ngũ" in page and "Số dòng" in page


def test_record_download_outside_a_request(app, ctx):
    record_download("Danh sách", {"unit": 3, "empty": "", "many": ["a", "b"]}, 5, "ds.xlsx")
    entry = _exports()[-1]
    assert entry.actor == "system" and entry.client_addr is None
    assert entry.after == {"what": "Danh sách", "filters": {"unit": 3, "many": "['a', 'b']"},
                           "rows": 5, "file": "ds.xlsx"}
