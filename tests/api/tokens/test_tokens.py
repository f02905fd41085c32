"""Personal access tokens (issue 16): who a token is, what it may do, its pages and its CLI."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from models import ApiToken, AuditLog, UserRole, db
from registry.api import tokens
from registry.api.cli import create_token

UNITS = "/api/v1/units"


def _bearer(plain: str) -> dict:
    return {"Authorization": f"Bearer {plain}"}


def _events(action: str) -> list[AuditLog]:
    return list(db.session.execute(sa.select(AuditLog).where(
        AuditLog.entity == "security", AuditLog.action == action)).scalars())


def test_a_live_token_reads_and_is_touched(app, client, make):
    user = make.user("dakha", UserRole.OFFICER, "Huyện Đắk Hà")
    plain = make.token(user)
    resp = client.get(UNITS, headers=_bearer(plain))
    assert resp.status_code == 200, resp.get_json()
    token = db.session.execute(sa.select(ApiToken)).scalar_one()
    db.session.refresh(token)
    assert token.last_used_at is not None
    assert token.token_hash == tokens.digest(plain) and plain not in token.token_hash


def test_dead_tokens_and_missing_ones_get_401(app, client, make):
    user = make.user("dakha", UserRole.OFFICER, "Huyện Đắk Hà")
    expired, revoked, inactive = make.token(user), make.token(user), None
    rows = {t.prefix: t for t in db.session.execute(sa.select(ApiToken)).scalars()}
    rows[expired[:12]].expires_at = dt.datetime.now(dt.UTC).replace(tzinfo=None) \
        - dt.timedelta(minutes=1)
    tokens.revoke(rows[revoked[:12]])
    other = make.user("khoa", UserRole.OFFICER, "Huyện Đắk Hà")
    inactive = make.token(other)
    other.active = False
    db.session.commit()
    for plain in (expired, revoked, inactive, "sdn_unknown", "Basic abc"):
        resp = client.get(UNITS, headers=_bearer(plain))
        assert resp.status_code == 401, plain
        body = resp.get_json()
        assert body["code"] == 401 and "khóa truy cập" in body["message"].lower()
    assert client.get(UNITS).status_code == 401


def test_a_session_cookie_never_authenticates_the_api(app, client, make, login):
    make.user("dakha", UserRole.OFFICER, "Huyện Đắk Hà")
    login("dakha")
    assert client.get("/account/tokens").status_code == 200  # the web: logged in
    resp = client.get(UNITS)
    assert resp.status_code == 401 and resp.is_json


def test_read_only_and_viewer_tokens_cannot_write(app, client, make):
    officer = make.user("dakha", UserRole.OFFICER, "Huyện Đắk Hà")
    viewer = make.user("xem", UserRole.VIEWER, "Huyện Đắk Hà")
    asked_rw = make.token(viewer, read_only=False)  # a viewer's token is never more than them
    assert db.session.execute(sa.select(ApiToken).where(ApiToken.user_id == viewer.id)
                              ).scalar_one().read_only
    for plain in (make.token(officer, read_only=True), asked_rw):
        resp = client.post("/api/v1/imports", headers=_bearer(plain))
        assert resp.status_code == 403, resp.get_data(as_text=True)
        assert resp.get_json()["message"] == "Khóa truy cập này chỉ được đọc, không được ghi."
        assert client.get(UNITS, headers=_bearer(plain)).status_code == 200


def test_rate_limit_per_token(app, client, make, monkeypatch):
    monkeypatch.setitem(app.config, "API_RATE_PER_MINUTE", 3)
    user = make.user("dakha", UserRole.OFFICER, "Huyện Đắk Hà")
    first, second = make.token(user), make.token(user)
    codes = [client.get(UNITS, headers=_bearer(first)).status_code for _ in range(4)]
    if codes[-1] != 429:  # the minute turned between two calls: try once more
        codes = [client.get(UNITS, headers=_bearer(first)).status_code for _ in range(4)]
    assert codes[-1] == 429 and 200 in codes
    resp = client.get(UNITS, headers=_bearer(first))
    assert resp.status_code == 429 and 1 <= int(resp.headers["Retry-After"]) <= 60
    assert "yêu cầu" in resp.get_json()["message"]
    assert client.get(UNITS, headers=_bearer(second)).status_code == 200  # its own limit


def test_api_writes_and_downloads_are_audited_as_the_tokens_user(app, client, make):
    user = make.user("dakha", UserRole.OFFICER, "Huyện Đắk Hà")
    headers = _bearer(make.token(user))
    last = db.session.execute(sa.select(sa.func.max(AuditLog.id))).scalar() or 0
    resp = client.post("/api/v1/persons", headers=headers, json={
        "full_name": "Nguyễn Văn Thử", "unit_id": make.unit("Huyện Đắk Hà").id})
    assert resp.status_code == 201, resp.get_data(as_text=True)[:300]
    written = list(db.session.execute(sa.select(AuditLog).where(
        AuditLog.entity != "security", AuditLog.id > last)).scalars())
    assert written and {(e.user_id, e.actor) for e in written} == {(user.id, "dakha")}
    resp = client.get("/api/v1/exports/roster.xlsx", headers=headers)
    assert resp.status_code == 200, resp.get_data(as_text=True)[:300]
    [event] = _events("export")
    assert event.user_id == user.id and event.actor == "dakha"


def test_token_page_create_show_once_and_revoke(app, client, make, login):
    user = make.user("dakha", UserRole.OFFICER, "Huyện Đắk Hà")
    login("dakha")
    page = client.get("/account/tokens").get_data(as_text=True)
    assert "Khóa truy cập API" in page and "chưa có khóa" in page
    resp = client.post("/account/tokens", data={"name": "Cổng báo cáo", "days": "30"})
    assert resp.status_code == 200 and resp.headers["Cache-Control"] == "no-store"
    html = resp.get_data(as_text=True)
    token = db.session.execute(sa.select(ApiToken)).scalar_one()
    plain = html.split('id="api-token">')[1].split("<")[0]
    assert plain.startswith("sdn_") and tokens.digest(plain) == token.token_hash
    assert not token.read_only  # the box unticked
    assert client.get(UNITS, headers=_bearer(plain)).status_code == 200
    listing = client.get("/account/tokens").get_data(as_text=True)
    assert "Cổng báo cáo" in listing and token.prefix in listing and plain not in listing
    [made] = _events("api_token_created")
    assert made.user_id == user.id and made.after["prefix"] == token.prefix
    assert client.post("/account/tokens/revoke", data={"token_id": token.id}).status_code == 302
    assert client.get(UNITS, headers=_bearer(plain)).status_code == 401
    assert len(_events("api_token_revoked")) == 1


def test_token_page_refuses_and_keeps_to_ones_own(app, client, make, login):
    other = make.user("khac", UserRole.OFFICER, "Huyện Sa Thầy")
    make.token(other)
    theirs = db.session.execute(sa.select(ApiToken)).scalar_one()
    make.user("xem", UserRole.VIEWER, "Huyện Đắk Hà")
    login("xem")
    html = client.post("/account/tokens", data={"name": "", "days": "400"}).get_data(as_text=True)
    assert "Hãy đặt tên cho khóa." in html and "Phải là số nguyên từ 1 đến 366." in html
    resp = client.post("/account/tokens", data={"name": "Của người xem"})  # asks read-write
    assert resp.status_code == 200
    mine = db.session.execute(sa.select(ApiToken).where(ApiToken.id != theirs.id)).scalar_one()
    assert mine.read_only and mine.expires_at is None
    assert client.post("/account/tokens/revoke",
                       data={"token_id": theirs.id}).status_code == 404
    db.session.refresh(theirs)
    assert theirs.revoked_at is None


def test_cli_create_token_prints_it_once(app, make):
    user = make.user("dakha", UserRole.OFFICER, "Huyện Đắk Hà")
    assert app.cli.get_command(None, "create-token") is create_token  # `flask create-token`
    runner = app.test_cli_runner()
    result = runner.invoke(create_token, ["dakha", "--read-only", "--days", "7",
                                          "--name", "Tập lệnh"])
    assert result.exit_code == 0, result.output
    plain = result.stdout.strip()
    token = db.session.execute(sa.select(ApiToken)).scalar_one()
    assert tokens.digest(plain) == token.token_hash and token.read_only
    assert token.name == "Tập lệnh" and token.user_id == user.id
    assert abs(token.expires_at - token.created_at - dt.timedelta(days=7)) < dt.timedelta(seconds=5)
    [event] = _events("api_token_created")
    assert event.actor == "cli:create-token" and event.after["via"] == "cli"
    for args, message in ((["nobody"], "Không có tài khoản «nobody»."),
                          (["dakha", "--days", "0"], "Số ngày hiệu lực phải từ 1 đến 366.")):
        result = runner.invoke(create_token, args)
        assert result.exit_code != 0 and message in result.output


def test_a_cookie_never_takes_part_in_an_api_call(app, client, make, world2025):
    """A web session, live or logged out, neither authenticates the API nor spoils a token."""
    from models import UserRole
    from tests.factories import PASSWORD

    user = make.user("cookie-tok", UserRole.OFFICER, "Xã Đăk Hà")
    bearer = {"Authorization": f"Bearer {make.token(user)}"}
    client.post("/login", data={"username": "cookie-tok", "password": PASSWORD})
    assert client.get("/api/v1/units").status_code == 401
    client.post("/logout")
    resp = client.get("/api/v1/units", headers=bearer)
    assert resp.status_code == 200 and "Set-Cookie" not in resp.headers
