"""Everyone's "Đổi mật khẩu", and the change forced at first login and after a reset."""
import re

import pytest
import sqlalchemy as sa

from models import AuditLog, User, UserRole, db
from registry.accounts.views import FORCED_MESSAGE
from tests.factories import PASSWORD

NEW = "chieu-mua-tren-song-Dak-Bla"


def account(username: str) -> User:
    db.session.expire_all()
    return db.session.execute(sa.select(User).where(User.username == username)).scalar_one()


def change(client, current=PASSWORD, new=NEW, repeat=None):
    return client.post("/account/password", data={"current": current, "new": new,
                                                  "repeat": NEW if repeat is None else repeat})


def test_change_own_password(officer, app):
    other_device = app.test_client()
    other_device.post("/login", data={"username": "dakha", "password": PASSWORD})
    resp = change(officer)
    assert resp.status_code == 302
    user = account("dakha")
    assert user.check_password(NEW) and user.password_changed_at is not None
    assert user.session_version == 2
    # This session goes on; the one on the other device ended.
    assert officer.get("/roster").status_code == 200
    assert other_device.get("/roster").status_code == 302
    event = db.session.execute(sa.select(AuditLog).where(
        AuditLog.entity == "security", AuditLog.action == "password_changed")).scalar_one()
    assert event.after["username"] == "dakha" and event.actor == "dakha"
    assert event.client_addr == "127.0.0.1"


@pytest.mark.parametrize("kwargs, message", [
    ({"current": "sai-mat-khau"}, "Mật khẩu hiện tại không đúng."),
    ({"repeat": "khac-han-luon-nhe"}, "Mật khẩu nhập lại không khớp."),
    ({"new": "ngan", "repeat": "ngan"}, "ít nhất 10 ký tự"),
    ({"new": "1q2w3e4r5t", "repeat": "1q2w3e4r5t"}, "quá phổ biến"),
    ({"new": "dakha-cua-toi", "repeat": "dakha-cua-toi"}, "tên đăng nhập"),
    ({"new": PASSWORD, "repeat": PASSWORD}, "phải khác mật khẩu hiện tại"),
])
def test_refusals(officer, kwargs, message):
    resp = change(officer, **kwargs)
    assert resp.status_code == 200 and message in resp.get_data(as_text=True)
    user = account("dakha")
    assert user.check_password(PASSWORD) and user.session_version == 1
    assert officer.get("/roster").status_code == 200


def test_guessing_the_current_password_is_slowed_as_at_login(officer, app, monkeypatch):
    """A stolen session cannot try passwords here faster than at the login page: failures
    count for this client and account, and the wait holds even for the right password."""
    monkeypatch.setitem(app.config, "LOGIN_DELAY_BASE_S", 60)  # no race with a slow machine
    for _ in range(2):  # the first failures are free, as at the login page
        assert "Mật khẩu hiện tại không đúng." in change(officer, current="doan-mo").get_data(
            as_text=True)
    resp = change(officer)
    assert resp.status_code == 200 and "Quá nhiều lần nhập sai" in resp.get_data(as_text=True)
    assert account("dakha").check_password(PASSWORD)


def test_forced_change_at_first_login(make, client):
    user = make.user("hring", UserRole.OFFICER, "Xã Đắk Hring")
    user.must_change_password = True
    db.session.commit()
    resp = client.post("/login", data={"username": "hring", "password": PASSWORD},
                       follow_redirects=True)
    html = resp.get_data(as_text=True)
    assert resp.request.path == "/account/password" and FORCED_MESSAGE in html
    assert 'class="mainnav"' not in html  # no menu of pages that would only lead back here
    for url in ("/roster", "/units", "/persons/suggest?q=a", "/accounts/"):
        resp = client.get(url)
        assert resp.status_code == 302 and resp.headers["Location"].endswith("/account/password")
    assert client.post("/persons/new", data={"full_name": "X"}).status_code == 302
    with client.get("/static/app.css") as static:
        assert static.status_code == 200
    change(client)
    assert not account("hring").must_change_password
    assert client.get("/roster").status_code == 200
    # Logout stays open while forced.
    user = account("hring")
    user.must_change_password = True
    db.session.commit()
    assert client.post("/logout").headers["Location"].endswith("/login")


def test_nav_links(officer, make, login):
    html = officer.get("/").get_data(as_text=True)
    assert re.search(r'href="/account/password">Đổi mật khẩu', html)
    assert 'href="/accounts/"' not in html
    make.user("admin", UserRole.ADMIN, "Tỉnh Kon Tum")
    html = login("admin").get("/").get_data(as_text=True)
    assert 'href="/accounts/">Tài khoản' in html
