"""Login, no lock-out, CSRF on every POST route, cookies and security headers."""
import re

import pytest
import sqlalchemy as sa

from models import User, UserRole, db


@pytest.fixture
def user(make):
    return make.user("dakha", UserRole.OFFICER, "Huyện Đắk Hà")


def test_pages_need_login(client, user):
    for url in ("/", "/roster", "/units", "/persons/1"):
        resp = client.get(url)
        assert resp.status_code == 302 and "/login" in resp.headers["Location"]


def test_login_logout(client, user):
    resp = client.post("/login", data={"username": "dakha", "password": "sai"})
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in resp.get_data(as_text=True)
    resp = client.post("/login", data={"username": "dakha", "password": "mat-khau-thu-nghiem"})
    assert resp.status_code == 302
    cookie = resp.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert client.get("/roster").status_code == 200
    assert client.post("/logout").status_code == 302
    assert client.get("/roster").status_code == 302


def test_wrong_passwords_never_lock_the_account(client, user):
    """The old lock-out let anyone lock the real user out: failures now slow their sender
    (tests/auth/test_throttle.py), and the right password from elsewhere still logs in."""
    for _ in range(6):
        client.post("/login", data={"username": "dakha", "password": "sai"},
                    environ_base={"REMOTE_ADDR": "203.0.113.5"})
    resp = client.post("/login", data={"username": "dakha", "password": "mat-khau-thu-nghiem"})
    assert resp.status_code == 302
    u = db.session.execute(sa.select(User).where(User.username == "dakha")).scalar_one()
    assert u.locked_until is None and u.failed_logins == 0


def test_open_redirect_refused(client, user):
    resp = client.post("/login?next=//evil.example/x",
                       data={"username": "dakha", "password": "mat-khau-thu-nghiem"})
    assert resp.headers["Location"] == "/"


def test_inactive_user_cannot_login(client, user):
    user.active = False
    db.session.commit()
    resp = client.post("/login", data={"username": "dakha", "password": "mat-khau-thu-nghiem"})
    assert resp.status_code == 200


def test_every_post_route_requires_csrf(app, client, make, csrf_on):
    make.user("admin", UserRole.ADMIN, "Tỉnh Kon Tum")
    person = make.person("A Một", "Xã Đắk La")
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert client.post("/login", data={"username": "admin", "password": "mat-khau-thu-nghiem",
                                       "csrf_token": token}).status_code == 302
    ids = {
        "person_id": person.id,
        "appointment_id": person.appointments[0].id,
        "unit_id": person.unit_id,
        "batch_id": make.batch(person.unit).id,
        "transfer_id": make.transfer(person).id,
        "user_id": make.user("cb", UserRole.VIEWER, person.unit).id,
        **make.records(person),
    }
    # The API takes no cookie, only a token (tests/api): it has no CSRF to check.
    post_rules = [r for r in app.url_map.iter_rules()
                  if "POST" in r.methods and not r.rule.startswith("/api/")]
    assert len(post_rules) >= 8
    for rule in post_rules:
        url = rule.rule
        for arg in rule.arguments:
            url = url.replace(f"<int:{arg}>", str(ids[arg]))
        resp = client.post(url, data={"full_name": "Đổi tên", "username": "admin", "password": "x"})
        body = resp.get_data(as_text=True)
        assert resp.status_code in (200, 400), f"{url}: {resp.status_code}"
        if resp.status_code == 200:  # form re-rendered with the expired-form message
            assert "Biểu mẫu đã hết hạn" in body, url
    db.session.expire_all()
    assert client.get(f"/persons/{person.id}").status_code == 200  # still there, still logged in


def test_security_headers(client):
    resp = client.get("/login")
    csp = resp.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Referrer-Policy"] == "same-origin"


def test_no_inline_script_or_style(client, make, login):
    make.user("admin", UserRole.ADMIN, "Tỉnh Kon Tum")
    make.person("A Một", "Xã Đắk La")
    login("admin")
    for url in ("/", "/roster", "/units", "/persons/1", "/persons/new", "/units/merge"):
        html = client.get(url).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), url
        assert " style=" not in html, url
        assert "http://" not in html and "https://" not in html, url  # nothing from a CDN


def test_audit_log_has_no_write_route(app):
    """The audit pages read: no route under them takes anything but GET (and HEAD)."""
    audit = [r for r in app.url_map.iter_rules() if "audit" in r.rule]
    assert audit, "the audit pages are gone"
    assert all(r.methods <= {"GET", "HEAD", "OPTIONS"} for r in audit), [
        (r.rule, r.methods) for r in audit]


def test_audit_log_rows_cannot_be_changed(ctx, make):
    from models import AuditLog

    make.person("A Một", "Xã Đắk La")
    entry = ctx.execute(sa.select(AuditLog)).scalars().first()
    entry.action = "forged"
    with pytest.raises(PermissionError):
        ctx.flush()
