"""Hostile requests against every route of the URL map (so a route added tomorrow is covered):
CSRF, names that are markup or formulas, security headers, the audit log, login throttling."""
from __future__ import annotations

import io
import re

import openpyxl
import pytest
import sqlalchemy as sa

from models import AuditLog, ImportBatch, UserRole, db
from tests.factories import Factory, dump, fill_route

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(2)>'
FORMULA = '=HYPERLINK("http://evil.example","bấm")'
PAYLOADS = (SCRIPT, IMG)
SKIP = {"static"}


@pytest.fixture
def world(app):
    """An admin whose display name is markup, and people named with every payload, each with
    one record of every kind (their course, list, import batch named with payloads too).

    Built in an app context of its own, closed before the requests: each request then has its
    own `g`, so that two test clients really are two sessions."""
    with app.app_context():
        ids = _build(Factory(db.session))
        db.session.remove()
    return ids


def _build(make) -> dict:
    make.user("admin", UserRole.ADMIN, "Tỉnh Kon Tum")
    make.user("dakha", UserRole.OFFICER, "Huyện Đắk Hà")
    admin = make.user("xss", UserRole.ADMIN, "Tỉnh Kon Tum")
    admin.display_name = SCRIPT
    make.s.commit()
    people = [make.person(SCRIPT, "Xã Đắk La"), make.person(IMG, "Xã Đắk Hring"),
              make.person(FORMULA, "Huyện Đắk Hà", cccd="062099000003")]
    ids = make.route_ids(people[0])
    for p in people[1:]:
        make.route_ids(p)
    from models import Course
    course = make.s.get(Course, ids["course_id"])
    course.name = SCRIPT
    batch = make.s.get(ImportBatch, ids["batch_id"])
    batch.file_name = IMG + ".xlsx"
    make.s.commit()
    return ids


def _db_dump(app, exclude=frozenset()):
    with app.app_context():
        return dump(exclude=set(exclude))


def _web_rules(app):
    """The web's routes: the API takes no cookie and no form (its own hostile run is
    tests/api/test_schemathesis.py)."""
    return [r for r in app.url_map.iter_rules() if not r.rule.startswith("/api/")]


def _get_routes(app):
    return [r for r in _web_rules(app) if "GET" in r.methods and r.endpoint not in SKIP]


def _post_routes(app):
    return [r for r in _web_rules(app) if "POST" in r.methods]


def _check_headers(resp, where: str) -> None:
    csp = resp.headers.get("Content-Security-Policy", "")
    directives = {d.split()[0]: d for d in (x.strip() for x in csp.split(";")) if d}
    assert "frame-ancestors 'none'" in csp, where
    script = directives.get("script-src", directives.get("default-src", ""))
    assert script and "'unsafe-inline'" not in script and "'unsafe-eval'" not in script, where
    assert resp.headers.get("X-Content-Type-Options") == "nosniff", where
    assert resp.headers.get("Referrer-Policy") in ("same-origin", "no-referrer",
                                                   "strict-origin-when-cross-origin"), where


def _check_escaped(resp, where: str) -> None:
    if resp.mimetype == "text/html":
        html = resp.get_data(as_text=True)
        for payload in PAYLOADS:
            assert payload not in html, f"{where}: {payload!r} unescaped"
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), f"{where}: inline script"
        assert "onerror=" not in html.replace("onerror=alert(2)&gt;", ""), where
    elif resp.mimetype.endswith("spreadsheetml.sheet"):
        wb = openpyxl.load_workbook(io.BytesIO(resp.data))
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str) and "evil.example" in cell.value:
                        assert cell.data_type == "s", f"{where}: {cell.coordinate} is a formula"
    elif resp.mimetype in ("text/csv", "text/plain"):
        text = resp.get_data().decode("utf-8", "replace")
        assert not re.search(r"(^|[;,\t\n])\"?=HYPERLINK", text), f"{where}: formula in CSV"


def test_every_page_escapes_names_and_sends_security_headers(app, client, login, world):
    login("xss")
    seen_escaped = set()
    for rule in _get_routes(app):
        urls = [fill_route(rule, world)]
        if not rule.arguments:  # lists: also with every filter, and the payload as the search
            urls += [f"{rule.rule}?status=all&q=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
                     f"{rule.rule}?status=all&unit={world['unit_id']}"]
        for url in urls:
            resp = client.get(url)
            where = f"GET {url}"
            assert resp.status_code in (200, 302, 403, 404), f"{where}: {resp.status_code}"
            _check_headers(resp, where)
            _check_escaped(resp, where)
            if resp.mimetype == "text/html" and \
                    "&lt;script&gt;alert(1)&lt;/script&gt;" in resp.get_data(as_text=True):
                seen_escaped.add(rule.endpoint)
    # The pages that show names did show them, escaped (the check above is not vacuous).
    assert {"roster.index", "roster.detail", "training.detail"} <= seen_escaped, seen_escaped
    for extra in ("/no-such-page", "/persons/999999", "/static/app.css", "/static/app.js"):
        with client.get(extra) as resp:
            _check_headers(resp, extra)


def _token(client, url="/login") -> str:
    page = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def test_every_post_route_refuses_missing_forged_or_foreign_tokens(app, world, csrf_on):
    """Generated from the URL map: no token, a made-up token, and a valid token of another
    session are all refused, and the database (every table) stays byte-for-byte the same."""
    client, other = app.test_client(), app.test_client()
    for c in (client, other):
        token = _token(c)
        resp = c.post("/login", data={"username": "admin", "password": "mat-khau-thu-nghiem",
                                      "csrf_token": token})
        assert resp.status_code == 302
    foreign = _token(other, "/persons/new")
    rules = _post_routes(app)
    assert len(rules) >= 20
    before = _db_dump(app)
    for rule in rules:
        url = fill_route(rule, world)
        for label, token in (("none", None), ("forged", "IjEyMyI.forged.token"),
                             ("other session", foreign)):
            data = {"full_name": "Đổi tên", "username": "admin", "password": "x",
                    "unit_id": world["unit_id"], "version": 1}
            if token is not None:
                data["csrf_token"] = token
            resp = client.post(url, data=data)
            where = f"POST {url} with {label} token"
            assert resp.status_code in (200, 400), f"{where}: {resp.status_code}"
            body = resp.get_data(as_text=True)
            assert "hết hạn" in body, where  # "the form has expired", in Vietnamese
    assert _db_dump(app) == before
    assert client.get("/roster").status_code == 200  # logout without a token did not log out


def _audit(app) -> dict:
    with app.app_context(), db.engine.connect() as conn:
        return {r.id: tuple(r) for r in conn.execute(sa.select(AuditLog.__table__))}


def test_no_route_edits_or_deletes_the_audit_log(app, client, login, world):
    """Every route, every method, as an admin with form data that could pass: afterwards every
    audit entry that existed is still there, byte for byte (the log only grows)."""
    login("admin")
    before = _audit(app)
    assert before
    form = {"full_name": "Tên mới", "action": "deleted", "entity": "persons", "before": "{}",
            "after": "{}", "id": min(before), "audit_id": min(before), "confirm": "1",
            "unit_id": world["unit_id"], "version": 1}
    rules = sorted(app.url_map.iter_rules(), key=lambda r: "delete" in r.endpoint)
    for rule in rules:
        if rule.endpoint in SKIP or rule.endpoint == "auth.logout":
            continue
        url = fill_route(rule, world)
        for method in sorted(rule.methods & {"GET", "POST", "PUT", "PATCH", "DELETE"}):
            resp = client.open(url, method=method, data=form)
            assert resp.status_code != 500, f"{method} {url}"
    for method in ("PUT", "PATCH", "DELETE", "POST"):  # no hidden route for the log
        for url in ("/audit", "/audit_log", "/audit/1", f"/audit_log/{min(before)}"):
            assert client.open(url, method=method).status_code in (404, 405)
    after = _audit(app)
    assert {k: after.get(k) for k in before} == before


def test_login_throttling(app, client, make, monkeypatch):
    """Wrong passwords slow down the client that sends them (a growing delay, then 429),
    never the account: the right password from another client logs in; an unknown user
    learns nothing."""
    make.user("dakha", UserRole.OFFICER, "Huyện Đắk Hà")
    monkeypatch.setitem(app.config, "LOGIN_DELAY_BASE_S", 30)  # outlasts a slow machine
    attacker, user = {"REMOTE_ADDR": "203.0.113.9"}, {"REMOTE_ADDR": "198.51.100.4"}
    statuses = [client.post("/login", data={"username": "dakha", "password": "sai-mat-khau"},
                            environ_base=attacker).status_code for _ in range(8)]
    assert statuses[:2] == [200, 200] and 429 in statuses
    resp = client.post("/login", data={"username": "dakha", "password": "mat-khau-thu-nghiem"},
                       environ_base=attacker)
    assert resp.status_code == 429 and "thử lại sau" in resp.get_data(as_text=True)
    assert client.get("/roster").status_code == 302  # not logged in
    resp = client.post("/login", data={"username": "dakha", "password": "mat-khau-thu-nghiem"},
                       environ_base=user)
    assert resp.status_code == 302
    for i in range(4):
        resp = client.post("/login", data={"username": "khong-co", "password": "x"},
                           environ_base={"REMOTE_ADDR": f"192.0.2.{i}"})
        assert "Tên đăng nhập hoặc mật khẩu không đúng." in resp.get_data(as_text=True)
