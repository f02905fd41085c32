"""The admins' account pages: list, create, edit, deactivate, reactivate, reset; refusals."""
import datetime as dt
import re

import pytest
import sqlalchemy as sa

from models import AuditLog, Unit, User, UserRole, db
from tests.factories import PASSWORD


def temp_password(html: str) -> str:
    return re.search(r'id="temp-password">([^<]+)<', html).group(1)


def account(username: str) -> User:
    db.session.expire_all()
    return db.session.execute(sa.select(User).where(User.username == username)).scalar_one()


def unit_id(name: str) -> int:
    return db.session.execute(sa.select(Unit.id).where(Unit.name == name)).scalar_one()


def events(action: str) -> list[dict]:
    return [e.after for e in db.session.execute(
        sa.select(AuditLog).where(AuditLog.entity == "security", AuditLog.action == action)
        .order_by(AuditLog.id)).scalars()]


def create(client, username="hring", role="officer", unit="Xã Đắk Hring", **extra):
    return client.post("/accounts/new", data={"username": username, "display_name": "Y Hring",
                                               "role": role, "unit_id": unit_id(unit), **extra})


def test_create_shows_the_temporary_password_once_and_it_works_once(admin, app):
    resp = create(admin)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and resp.headers["Cache-Control"] == "no-store"
    password = temp_password(html)
    user = account("hring")
    assert user.must_change_password and user.role is UserRole.OFFICER
    assert user.unit.name == "Xã Đắk Hring" and password not in user.password_hash
    assert user.check_password(password)
    # Not shown again: neither on the list nor on the account's page.
    for url in ("/accounts/", f"/accounts/{user.id}/edit"):
        assert password not in admin.get(url).get_data(as_text=True)
    # The account's create is audited (no hash in it), and a security event names it.
    row = db.session.execute(sa.select(AuditLog).where(
        AuditLog.entity == "users", AuditLog.action == "create",
        AuditLog.entity_id == user.id)).scalar_one()
    assert row.after["username"] == "hring" and "password_hash" not in row.after
    assert events("account_changed")[-1] == {"user_id": user.id, "username": "hring",
                                             "change": "create", "role": "officer",
                                             "unit": "Xã Đắk Hring"}
    # It works once: the first login must change it, after which it no longer works.
    other = app.test_client()
    assert other.post("/login", data={"username": "hring", "password": password}) \
        .status_code == 302
    other.post("/account/password", data={"current": password, "new": "song-Po-Ko-chieu-mua",
                                          "repeat": "song-Po-Ko-chieu-mua"})
    fresh = app.test_client()
    assert "không đúng" in fresh.post("/login", data={"username": "hring", "password": password}) \
        .get_data(as_text=True)


@pytest.mark.parametrize("data, field_message", [
    ({"username": "admin"}, "đã có người dùng"),
    ({"username": "ADMIN"}, "đã có người dùng"),
    ({"username": "có dấu"}, "chữ không dấu"),
    ({"username": "ab"}, "3 đến 80"),
    ({"display_name": "  "}, "Vui lòng nhập họ tên"),
    ({"role": "root"}, "không hợp lệ"),
    ({"unit_id": "999999"}, "không hợp lệ"),
])
def test_create_refusals_save_nothing(admin, data, field_message):
    before = db.session.execute(sa.select(sa.func.count(User.id))).scalar()
    base = {"username": "moi", "display_name": "Người mới", "role": "officer",
            "unit_id": unit_id("Xã Đắk Hring")}
    resp = admin.post("/accounts/new", data={**base, **data})
    assert resp.status_code == 200 and field_message in resp.get_data(as_text=True)
    assert db.session.execute(sa.select(sa.func.count(User.id))).scalar() == before


def test_unit_must_be_valid_today(admin, ctx):
    ended = ctx.execute(sa.select(Unit).where(Unit.name == "Xã Đắk Hring")).scalar_one()
    ended.valid_to = dt.date.today() - dt.timedelta(days=1)
    ctx.commit()
    from registry.accounts import service
    from registry.core import access
    from registry.core.rules import RuleViolation

    actor = account("admin")
    with access.scoped(access.scope_for_user(actor)), pytest.raises(RuleViolation) as exc:
        service.create_account(actor, "hring", "Y Hring", UserRole.OFFICER, ended.id)
    assert "hiệu lực" in exc.value.message
    # Through the page the ended unit is not even offered.
    assert f'value="{ended.id}"' not in admin.get("/accounts/new").get_data(as_text=True)
    assert "không hợp lệ" in create(admin).get_data(as_text=True)


def test_list_filters_by_subtree_role_and_active(admin, make):
    make.user("hring", UserRole.OFFICER, "Xã Đắk Hring")
    make.user("dakha", UserRole.VIEWER, "Huyện Đắk Hà")
    make.user("sathay", UserRole.OFFICER, "Huyện Sa Thầy")
    gone = make.user("cu", UserRole.OFFICER, "Huyện Đắk Hà")
    gone.active = False
    db.session.commit()

    def names(**args):
        html = admin.get("/accounts/", query_string=args).get_data(as_text=True)
        return set(re.findall(r"<tr>\s*<td>([^<]+)</td>", html))

    assert names() == {"admin", "hring", "dakha", "sathay", "cu"}
    dakha_id = str(unit_id("Huyện Đắk Hà"))
    assert names(unit=dakha_id) == {"hring", "dakha", "cu"}
    assert names(unit=dakha_id, role="officer") == {"hring", "cu"}
    assert names(unit=dakha_id, active="1") == {"hring", "dakha"}
    assert names(active="0") == {"cu"}
    assert admin.get("/accounts/", query_string={"page": "x"}).status_code == 400


def test_list_pages(admin, make):
    for i in range(55):
        make.user(f"cb{i:02d}", UserRole.VIEWER, "Huyện Sa Thầy")
    first = admin.get("/accounts/").get_data(as_text=True)
    second = admin.get("/accounts/", query_string={"page": 2}).get_data(as_text=True)
    assert "Trang 1 / 2" in first and "Trang 2 / 2" in second
    assert "cb54" in second and "cb54" not in first


def test_edit_role_and_unit_ends_sessions(admin, make, app):
    make.user("dakha", UserRole.OFFICER, "Huyện Đắk Hà")
    theirs = app.test_client()
    theirs.post("/login", data={"username": "dakha", "password": PASSWORD})
    assert theirs.get("/roster").status_code == 200
    user = account("dakha")
    resp = admin.post(f"/accounts/{user.id}/edit", data={
        "display_name": "Cán bộ Đắk Hà", "role": "viewer", "unit_id": unit_id("Xã Đắk Hring")})
    assert resp.status_code == 302
    user = account("dakha")
    assert (user.role, user.unit.name, user.display_name, user.session_version) == \
        (UserRole.VIEWER, "Xã Đắk Hring", "Cán bộ Đắk Hà", 2)
    assert theirs.get("/roster").status_code == 302  # logged out by the change
    assert events("account_changed")[-1]["role"] == "viewer"
    row = db.session.execute(sa.select(AuditLog).where(
        AuditLog.entity == "users", AuditLog.action == "update",
        AuditLog.entity_id == user.id)).scalar_one()
    assert row.before["role"] == "officer" and row.after["role"] == "viewer"
    assert row.actor == "admin" and "session_version" not in row.after
    # A new name alone leaves the sessions alone.
    admin.post(f"/accounts/{user.id}/edit", data={
        "display_name": "Cán bộ Hring", "role": "viewer", "unit_id": user.unit_id})
    assert account("dakha").session_version == 2


def test_last_active_admin_cannot_be_demoted_or_deactivated(admin, make):
    me = account("admin")
    resp = admin.post(f"/accounts/{me.id}/edit", data={
        "display_name": "Quản trị", "role": "officer", "unit_id": me.unit_id})
    assert "quản trị viên cuối cùng" in resp.get_data(as_text=True)
    assert account("admin").role is UserRole.ADMIN
    other = make.user("admin2", UserRole.ADMIN, "Tỉnh Kon Tum")
    resp = admin.post(f"/accounts/{other.id}/edit", data={
        "display_name": "Quản trị 2", "role": "officer", "unit_id": other.unit_id})
    assert resp.status_code == 302 and account("admin2").role is UserRole.OFFICER
    # Now "admin" is the last one again, and nobody locks themselves out.
    resp = admin.post(f"/accounts/{me.id}/deactivate", follow_redirects=True)
    assert "tự khóa" in resp.get_data(as_text=True) and account("admin").active


def test_last_admin_rule_in_the_service(ctx, make):
    from registry.accounts import service
    from registry.core.rules import RuleViolation

    sole = make.user("sole", UserRole.ADMIN, "Tỉnh Kon Tum")
    helper = make.user("helper", UserRole.ADMIN, "Tỉnh Kon Tum")
    helper.active = False
    ctx.commit()
    with pytest.raises(RuleViolation, match="cuối cùng"):
        service.set_active(helper, sole, False)  # the inactive one does not count


def test_nobody_raises_their_own_role(ctx, make):
    from registry.accounts import service
    from registry.core import access
    from registry.core.rules import RuleViolation

    officer = make.user("dakha", UserRole.OFFICER, "Huyện Đắk Hà")
    # Even past the admin check (as the CLI's unscoped actor), the rule holds.
    with access.scoped(None), pytest.raises(RuleViolation, match="tự nâng quyền"):
        service.update_account(officer, officer, "X", UserRole.ADMIN, officer.unit_id)
    assert account("dakha").role is UserRole.OFFICER


def test_deactivate_ends_sessions_and_reactivate(admin, make, app):
    make.user("dakha", UserRole.OFFICER, "Huyện Đắk Hà")
    theirs = app.test_client()
    theirs.post("/login", data={"username": "dakha", "password": PASSWORD})
    user = account("dakha")
    resp = admin.post(f"/accounts/{user.id}/deactivate", follow_redirects=True)
    assert "Đã khóa tài khoản" in resp.get_data(as_text=True)
    assert not account("dakha").active and theirs.get("/roster").status_code == 302
    assert theirs.post("/login", data={"username": "dakha", "password": PASSWORD}) \
        .status_code == 200
    admin.post(f"/accounts/{user.id}/reactivate")
    assert account("dakha").active
    assert theirs.post("/login", data={"username": "dakha", "password": PASSWORD}) \
        .status_code == 302
    assert [e["change"] for e in events("account_changed")] == ["deactivate", "reactivate"]


def test_reset_password(admin, make, app):
    make.user("dakha", UserRole.OFFICER, "Huyện Đắk Hà")
    theirs = app.test_client()
    theirs.post("/login", data={"username": "dakha", "password": PASSWORD})
    user = account("dakha")
    resp = admin.post(f"/accounts/{user.id}/reset")
    assert resp.headers["Cache-Control"] == "no-store"
    password = temp_password(resp.get_data(as_text=True))
    user = account("dakha")
    assert user.must_change_password and user.check_password(password)
    assert not user.check_password(PASSWORD)
    assert theirs.get("/roster").status_code == 302
    assert events("password_reset") == [{"user_id": user.id, "username": "dakha"}]
    row = db.session.execute(sa.select(AuditLog).where(AuditLog.entity == "security")
                             .order_by(AuditLog.id.desc())).scalars().first()
    assert row.actor == "admin" and row.client_addr == "127.0.0.1"


def test_unknown_account_is_404(admin):
    for method, url in (("GET", "/accounts/999999/edit"), ("POST", "/accounts/999999/reset"),
                        ("POST", "/accounts/999999/deactivate"),
                        ("POST", "/accounts/999999/reactivate")):
        assert admin.open(url, method=method).status_code == 404


@pytest.mark.parametrize("role", [UserRole.OFFICER, UserRole.VIEWER])
def test_officers_and_viewers_are_refused(make, login, role):
    make.user("user", role, "Huyện Đắk Hà")
    target = make.user("other", UserRole.VIEWER, "Huyện Đắk Hà")
    client = login("user")
    for method, url in (("GET", "/accounts/"), ("GET", "/accounts/new"),
                        ("POST", "/accounts/new"), ("GET", f"/accounts/{target.id}/edit"),
                        ("POST", f"/accounts/{target.id}/reset"),
                        ("POST", f"/accounts/{target.id}/deactivate")):
        assert client.open(url, method=method, data={"username": "x", "role": "admin"}) \
            .status_code == 403, url
    assert account("other").active and not account("other").must_change_password
    assert "Tài khoản</a>" not in client.get("/").get_data(as_text=True)


def test_csrf_is_checked(admin, make, csrf_on):
    user = make.user("dakha", UserRole.OFFICER, "Huyện Đắk Hà")
    assert "hết hạn" in admin.post(f"/accounts/{user.id}/reset", follow_redirects=True) \
        .get_data(as_text=True)
    admin.post(f"/accounts/{user.id}/deactivate")
    assert "hết hạn" in create(admin).get_data(as_text=True)
    user = account("dakha")
    assert user.active and not user.must_change_password
    assert db.session.execute(sa.select(User).where(User.username == "hring")).first() is None


def test_an_account_on_an_ended_unit_is_renamed_without_moving(admin, make, ctx):
    user = make.user("cu", UserRole.OFFICER, "Xã Đắk Hring")
    unit = user.unit
    unit.valid_to = dt.date.today() - dt.timedelta(days=1)
    ctx.commit()
    page = admin.get(f"/accounts/{user.id}/edit").get_data(as_text=True)
    assert "Xã Đắk Hring (đã hết hiệu lực)" in page
    resp = admin.post(f"/accounts/{user.id}/edit", data={
        "display_name": "Tên mới", "role": "officer", "unit_id": unit.id})
    assert resp.status_code == 302
    user = account("cu")
    assert user.display_name == "Tên mới" and user.session_version == 1
    # Moving onto another ended unit is refused.
    other = ctx.execute(sa.select(Unit).where(Unit.name == "Huyện Sa Thầy")).scalar_one()
    other.valid_to = dt.date.today() - dt.timedelta(days=1)
    ctx.commit()
    resp = admin.post(f"/accounts/{user.id}/edit", data={
        "display_name": "Tên mới", "role": "officer", "unit_id": other.id})
    assert "không hợp lệ" in resp.get_data(as_text=True)
    assert account("cu").unit_id == unit.id
