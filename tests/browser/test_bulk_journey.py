"""One decision for many people in the browser: a commendation for every TTV of a filter
(more than one page is not needed: "select all" takes the whole filter), checked on the
commendations list; on a phone, the same selection and preview; then the end of term of a
district's TTV and their re-appointment for the new term."""
from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import expect

SHOTS = Path(os.environ.get("BULK_SHOTS_DIR", "/tmp/shots"))


def shot(page, screens: Path, name: str, width: int) -> None:
    """A full-page screenshot into /tmp/shots and $SCREENSHOT_DIR (CI lists the latter)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for folder in (SHOTS, screens):
        page.screenshot(path=str(folder / f"bulk-{name}-{width}.png"), full_page=True)


def _count(page) -> int:
    """The roster's "N người phù hợp" (N written with dots for thousands)."""
    return int(page.locator("p.count strong").inner_text().replace(".", ""))


def _select_all(page, action: str) -> int:
    """Tick "all of the filter", choose the action, go on; returns how many the filter holds."""
    total = _count(page)
    page.check("#bulk-select input[name=all]")
    page.select_option("#bulk-select select[name=action]", action)
    page.click("#bulk-select button:has-text('Tiếp tục')")
    expect(page.locator("h1")).to_contain_text(f"cho {total:,} người".replace(",", "."))
    return total


def _unit_id(page, name: str) -> str:
    return page.eval_on_selector(
        "form.filters select[name=unit]",
        "(el, t) => [...el.options].find(o => o.textContent.trim() === t).value", name)


def _commend(page, number: str) -> None:
    page.select_option("select[name=form]", "giay_khen")
    page.fill("input[name=year]", "2026")
    page.select_option("select[name=issuer_level]", "tinh")
    page.fill("input[name=issuer]", "Ban Thường vụ Tỉnh ủy")
    page.fill("input[name=decision_no]", number)
    page.fill("input[name=decision_date]", "20/11/2026")
    page.fill("textarea[name=reason]", "Hoàn thành xuất sắc nhiệm vụ tuyên truyền miệng năm 2026")
    page.click("button:has-text('Xem trước')")
    expect(page.locator("h1")).to_have_text("Xem trước: Khen thưởng")


def test_a_commendation_for_a_whole_filter_then_on_a_phone(session, screens):
    page = session("qt_admin").page
    page.goto("/roster?role=TTV&level=co_so")
    total = _select_all(page, "khen-thuong")
    assert total >= 20
    shot(page, screens, "1-khen-thuong-form", 1366)
    _commend(page, "301-QĐ/TU")
    expect(page.locator(".card.status-new .num")).to_have_text(f"{total:,}".replace(",", "."))
    shot(page, screens, "2-khen-thuong-xem-truoc", 1366)
    page.click("button:has-text('Xác nhận')")
    expect(page.locator(".flash-success")).to_contain_text(
        f"Đã thêm khen thưởng cho {total:,} người.".replace(",", "."))
    page.goto("/commendations?year=2026")
    expect(page.locator("table.grid tbody tr", has_text="301-QĐ/TU")).to_have_count(total)
    shot(page, screens, "3-danh-sach-khen-thuong", 1366)

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/roster?role=TTV&level=co_so")
    shot(page, screens, "4-chon", 390)
    _select_all(page, "khen-thuong")
    _commend(page, "302-QĐ/TU")
    shot(page, screens, "5-xem-truoc", 390)


def test_end_of_term_then_reappointment_of_the_same_people(session, screens):
    page = session("qt_admin").page
    page.goto("/roster")
    unit = _unit_id(page, "Huyện Tu Mơ Rông")
    page.goto(f"/roster?role=TTV&unit={unit}")
    total = _select_all(page, "ket-thuc")
    page.fill("input[name=end_date]", "30/11/2026")
    page.fill("input[name=end_decision_no]", "45-QĐ/BTGDVHU")
    page.fill("input[name=end_decision_date]", "28/11/2026")
    page.click("button:has-text('Xem trước')")
    expect(page.locator(".card.status-new .num")).to_have_text(str(total))
    shot(page, screens, "6-ket-thuc-xem-truoc", 1366)
    page.click("button:has-text('Xác nhận')")
    expect(page.locator(".flash-success")).to_contain_text(
        f"Đã kết thúc bổ nhiệm của {total} người.")
    expect(page.locator("p.count strong")).to_have_text("0")  # none active any more

    page.goto(f"/roster?role=TTV&unit={unit}&status=ended")
    ended = _select_all(page, "bo-nhiem-lai")
    assert ended >= total
    page.fill("input[name=decision_no]", "46-QĐ/HU")
    page.fill("input[name=decision_date]", "01/12/2026")
    page.fill("input[name=decision_body]", "Ban Thường vụ Huyện ủy Tu Mơ Rông")
    page.click("button:has-text('Xem trước')")
    expect(page.locator(".card.status-invalid .num")).to_have_text("0")
    assert int(page.locator(".card.status-new .num").inner_text().replace(".", "")) >= total
    shot(page, screens, "7-bo-nhiem-lai-xem-truoc", 1366)
    page.click("button:has-text('Xác nhận')")
    expect(page.locator(".flash-success")).to_contain_text("Đã bổ nhiệm lại")
    page.goto(f"/roster?role=TTV&unit={unit}")
    assert _count(page) >= total
    expect(page.locator("table.grid")).not_to_contain_text("Hết nhiệm kỳ")
    shot(page, screens, "8-sau-bo-nhiem-lai", 1366)
