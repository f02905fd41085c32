"""An admin makes an account in the browser; its user is made to choose a password, then sees
their commune only; a session cookie replayed after logout is refused."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.test_journeys import select_by_text

NEW_PASSWORD = "mua-ca-phe-o-Dak-Hring"
SHOTS = Path(os.environ.get("ACCOUNT_SHOTS_DIR", "/tmp/shots"))


@pytest.fixture
def shots() -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS


def shot(page, shots: Path, name: str) -> None:
    page.screenshot(path=str(shots / f"accounts-{name}.png"), full_page=True)


def test_admin_creates_a_commune_officer_who_must_change_the_password(session, browser, server,
                                                                      shots):
    admin = session("qt_admin").page
    admin.click("nav.mainnav summary:has-text('Quản trị')")  # the menu groups its pages
    admin.click("nav.mainnav >> text=Tài khoản")
    expect(admin.locator("h1")).to_have_text("Tài khoản")
    admin.click("text=+ Tạo tài khoản")
    admin.fill("input[name=username]", "cb_hring")
    admin.fill("input[name=display_name]", "Y Hring Thử")
    admin.select_option("select[name=role]", "officer")
    select_by_text(admin, "select[name=unit_id]", "Xã Đắk Hring")
    shot(admin, shots, "1-tao")
    admin.click("button:has-text('Tạo tài khoản')")
    expect(admin.locator("h1")).to_contain_text("Mật khẩu tạm thời của cb_hring")
    temporary = admin.locator("#temp-password").inner_text().strip()
    assert len(temporary) >= 10
    shot(admin, shots, "2-mat-khau-tam")
    admin.goto("/accounts/?role=officer")
    expect(admin.locator("table.grid")).to_contain_text("Chờ đổi mật khẩu")
    assert temporary not in admin.content()  # shown once only
    shot(admin, shots, "3-danh-sach")

    officer = session()
    page = officer.page
    page.goto("/login")
    page.fill("input[name=username]", "cb_hring")
    page.fill("input[name=password]", temporary)
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(r"/account/password$"))
    expect(page.locator(".flash")).to_contain_text("Bạn cần đổi mật khẩu trước khi tiếp tục.")
    page.goto("/roster")  # nothing else opens before the change
    expect(page).to_have_url(re.compile(r"/account/password$"))
    page.fill("input[name=current]", temporary)
    page.fill("input[name=new]", "1234567890")
    page.fill("input[name=repeat]", "1234567890")
    page.click("button:has-text('Đổi mật khẩu')")
    expect(page.locator(".field .error")).to_contain_text("quá phổ biến")
    shot(page, shots, "4-doi-mat-khau")
    page.fill("input[name=current]", temporary)
    page.fill("input[name=new]", NEW_PASSWORD)
    page.fill("input[name=repeat]", NEW_PASSWORD)
    page.click("button:has-text('Đổi mật khẩu')")
    expect(page.locator(".flash-success")).to_contain_text("Đã đổi mật khẩu.")
    expect(page.locator(".userbox")).to_contain_text("Xã Đắk Hring")

    page.goto("/roster?status=all")
    rows = page.locator("table.grid tbody tr")
    expect(rows.first).to_be_visible()
    units = {cell.strip() for cell in rows.locator("td.unit").all_inner_texts()}
    assert units == {"Xã Đắk Hring"}, units
    shot(page, shots, "5-danh-sach-xa")

    # Logged out, the session's cookie is worth nothing, even replayed from elsewhere.
    cookies = officer.context.cookies()
    page.click("text=Đăng xuất")
    expect(page.locator(".flash")).to_contain_text("Bạn đã đăng xuất.")
    replay = browser.new_context(base_url=server.base)
    try:
        replay.add_cookies(cookies)
        other = replay.new_page()
        other.goto("/roster")
        expect(other).to_have_url(re.compile(r"/login"))
        # Refused by the server's check of the session version, not merely not logged in.
        expect(other.locator(".flash")).to_contain_text(
            "Phiên đăng nhập đã hết hạn, vui lòng đăng nhập lại.")
        shot(other, shots, "6-cookie-cu")
    finally:
        replay.close()
