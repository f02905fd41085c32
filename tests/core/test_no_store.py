"""Nothing that names people is kept by a browser or proxy (issue 13): every download (sent
"no-cache" before, which still lets a browser store the file), the name suggestions and every
page answer `Cache-Control: no-store`; only static files may be cached."""
from __future__ import annotations

import pytest

from models import UserRole


@pytest.fixture
def ids(make):
    make.user("admin", UserRole.ADMIN, "Tỉnh Kon Tum")
    return make.route_ids(make.person("Nguyễn Văn Thử", "Huyện Đắk Hà"))


def _downloads(ids) -> list[str]:
    return ["/roster/export.xlsx?status=all", f"/units/{ids['unit_id']}/payments/sheet.xlsx",
            f"/lists/ready/{ids['slug']}/export.xlsx", "/reports/team.xlsx"]


def test_downloads_suggestions_and_pages_are_no_store(client, login, ids):
    login("admin")
    for url in _downloads(ids):
        resp = client.get(url)
        assert resp.status_code == 200 and resp.mimetype.endswith("spreadsheetml.sheet"), url
        assert resp.headers["Content-Disposition"].startswith("attachment"), url
        assert resp.headers["Cache-Control"] == "no-store", url
    resp = client.get("/persons/suggest?q=Nguy")
    assert resp.is_json and resp.json and resp.headers["Cache-Control"] == "no-store"
    for url in ("/roster", f"/persons/{ids['person_id']}", "/no-such-page"):
        assert client.get(url).headers["Cache-Control"] == "no-store", url


def test_static_files_may_still_be_cached(client):
    with client.get("/static/app.css") as resp:
        assert resp.status_code == 200
        assert "no-store" not in resp.headers.get("Cache-Control", "")
