"""Optional TOTP two-factor for admins: turning it on and off, the second login step,
recovery codes, and the security log of each step."""
import re
import time

import pyotp
import pytest
import sqlalchemy as sa

from models import AuditLog, User, UserRole, db
from registry.auth import totp
from registry.core.rules import RuleViolation
from tests.factories import PASSWORD


def _events(action: str) -> list[AuditLog]:
    db.session.expire_all()
    return list(db.session.execute(sa.select(AuditLog).where(
        AuditLog.entity == "security", AuditLog.action == action)).scalars())


def _user(username="admin") -> User:
    db.session.expire_all()
    return db.session.execute(sa.select(User).where(User.username == username)).scalar_one()


def _code(secret: str, steps: int = 0) -> str:
    """A valid code `steps` periods away (each code is accepted once)."""
    return pyotp.TOTP(secret).at(time.time() + 30 * steps)


@pytest.fixture
def enabled(admin):
    """The admin's client with two-factor turned on: (client, secret, recovery codes)."""
    page = admin.get("/account/two-factor/").get_data(as_text=True)
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)
    uri = re.search(r'id="totp-uri">([^<]+)<', page).group(1).replace("&amp;", "&")
    assert uri.startswith("otpauth://totp/") and f"secret={secret}" in uri
    resp = admin.post("/account/two-factor/enable", data={"code": _code(secret)})
    body = resp.get_data(as_text=True)
    codes = re.findall(r'<code class="secret">([a-z0-9]{5}-[a-z0-9]{5})</code>', body)
    assert resp.status_code == 200 and len(codes) == 10
    admin.post("/logout")
    return admin, secret, codes


def _password(client, next_url=None):
    url = "/login" + (f"?next={next_url}" if next_url else "")
    return client.post(url, data={"username": "admin", "password": PASSWORD})


def test_enabling_needs_a_right_code_and_keeps_only_hashes(admin):
    page = admin.get("/account/two-factor/").get_data(as_text=True)
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)
    assert admin.get("/account/two-factor/").get_data(as_text=True).count(secret)  # same secret
    resp = admin.post("/account/two-factor/enable", data={"code": "000000"})
    assert resp.status_code == 200 and totp.BAD_CODE in resp.get_data(as_text=True)
    assert _user().totp_secret is None
    body = admin.post("/account/two-factor/enable",
                      data={"code": _code(secret)}).get_data(as_text=True)
    codes = re.findall(r'<code class="secret">([a-z0-9]{5}-[a-z0-9]{5})</code>', body)
    user = _user()
    assert user.totp_secret == secret and len(user.totp_recovery) == 10
    assert not set(codes) & set(user.totp_recovery)  # hashes only
    assert _events("totp_enabled")[-1].after == {"username": "admin"}
    # Shown once: the page now offers to turn it off, with no codes.
    page = admin.get("/account/two-factor/").get_data(as_text=True)
    assert "Tắt xác thực hai bước" in page and codes[0] not in page and secret not in page


def test_login_asks_for_the_code_after_the_password(client, enabled):
    _client, secret, _codes = enabled
    resp = _password(client, "/roster")
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/login/code")
    assert client.get("/roster").status_code == 302  # not logged in yet
    resp = client.post("/login/code", data={"code": "123456"})
    assert resp.status_code == 200 and totp.BAD_CODE in resp.get_data(as_text=True)
    assert _events("login_failed")[-1].after == {"username": "admin", "step": "totp"}
    resp = client.post("/login/code", data={"code": _code(secret, 1)})
    assert resp.status_code == 302 and resp.headers["Location"] == "/roster"
    assert client.get("/roster").status_code == 200
    assert _events("login")[-1].after == {"username": "admin", "second_factor": "totp"}


def test_a_code_works_once(client, enabled):
    _client, secret, _codes = enabled
    code = _code(secret, 1)
    _password(client)
    assert client.post("/login/code", data={"code": code}).status_code == 302
    client.post("/logout")
    _password(client)
    assert client.post("/login/code", data={"code": code}).status_code == 200  # replayed


def test_a_recovery_code_works_once(client, enabled):
    _client, _secret, codes = enabled
    _password(client)
    assert client.post("/login/code", data={"code": codes[3].upper()}).status_code == 302
    assert len(_user().totp_recovery) == 9
    assert _events("recovery_code_used")[-1].after == {"username": "admin", "left": 9}
    client.post("/logout")
    _password(client)
    assert client.post("/login/code", data={"code": codes[3]}).status_code == 200


def test_too_many_wrong_codes_start_the_login_over(client, enabled):
    _password(client)
    for _ in range(5):
        assert client.post("/login/code", data={"code": "111111"}).status_code == 200
    resp = client.post("/login/code", data={"code": "111111"}, follow_redirects=True)
    assert "Nhập sai mã quá nhiều lần" in resp.get_data(as_text=True)
    assert client.get("/login/code").status_code == 302  # nothing pending any more


def test_the_code_page_without_a_password_first_sends_to_login(client):
    resp = client.get("/login/code", follow_redirects=True)
    assert "Đã quá thời gian nhập mã" in resp.get_data(as_text=True)


def test_disabling_needs_a_code(client, enabled):
    _client, secret, _codes = enabled
    _password(client)
    client.post("/login/code", data={"code": _code(secret, 1)})
    resp = client.post("/account/two-factor/disable", data={"code": "000000"})
    assert resp.status_code == 200 and _user().totp_secret is not None
    resp = client.post("/account/two-factor/disable", data={"code": _code(secret, -1)})
    assert resp.status_code == 302
    user = _user()
    assert user.totp_secret is None and user.totp_recovery is None
    assert _events("totp_disabled")
    client.post("/logout")
    assert _password(client).headers["Location"] == "/"  # one step again


def test_officers_cannot_turn_it_on(officer):
    assert officer.get("/account/two-factor/").status_code == 403
    assert officer.post("/account/two-factor/enable", data={"code": "1"}).status_code == 403


def test_second_factor_rules(ctx, make):
    user = make.user("admin", UserRole.ADMIN, "Tỉnh Kon Tum")
    secret = totp.new_secret()
    with pytest.raises(RuleViolation):
        totp.start(user, secret, "12345")
    codes = totp.start(user, secret, _code(secret))
    with pytest.raises(RuleViolation):
        totp.start(user, secret, _code(secret, 1))  # already on
    assert totp.second_factor(user, "") is None
    assert totp.second_factor(user, codes[0]) == "recovery"
    assert totp.second_factor(user, codes[0]) is None
    assert totp.second_factor(user, _code(secret, 1)) == "totp"
    with pytest.raises(RuleViolation):
        totp.stop(user, _code(secret, 1))  # used just now
    totp.stop(user, _code(secret, -1))
    assert not totp.enabled(user)
    ctx.rollback()
