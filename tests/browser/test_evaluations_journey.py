"""An officer rates a unit's team for a year on the bulk page, sees the summary per unit, and
sees a rating on a person's page."""
from __future__ import annotations

import os
import re
from pathlib import Path

from playwright.sync_api import expect

from registry.evaluations.service import default_year

SHOTS = Path(os.environ.get("EVALUATION_SHOTS_DIR", "/tmp/shots"))


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"evaluations-{name}.png"), full_page=True)


def test_officer_rates_the_team_for_a_year(session, server):
    year = default_year()
    ngoc, xss = server.people["search"], server.people["xss"]
    page = session("qt_dakha").page
    page.goto("/work")
    page.click("nav.work-tabs >> text=Đánh giá hằng năm")
    expect(page.locator("h1")).to_contain_text(f"Đánh giá, xếp loại năm {year}: Huyện Đắk Hà")
    row = page.locator("table.evaluations tbody tr", has_text="Đặng Thị Ngọc Ánh")
    expect(row).to_have_count(1)
    page.select_option(f"select[name=rating_{ngoc}]", "xuat_sac")
    page.fill(f"input[name=note_{ngoc}]", "Báo cáo viên giỏi cấp xã")
    page.select_option(f"select[name=rating_{xss}]", "khong_hoan_thanh")
    others = page.locator(f"select[name^=rating_]:not([name=rating_{ngoc}])"
                          f":not([name=rating_{xss}])")
    others.first.select_option("tot")
    shot(page, "1-nhap")
    page.click("button:has-text('Lưu đánh giá')")
    expect(page.locator(".flash-success")).to_contain_text("Đã lưu đánh giá: thêm 3 người.")
    expect(page.locator(f"select[name=rating_{ngoc}]")).to_have_value("xuat_sac")
    shot(page, "2-da-luu")

    page.click("text=Tổng hợp theo đơn vị")
    expect(page.locator("h1")).to_contain_text(f"Tổng hợp đánh giá, xếp loại năm {year}")
    la = page.locator("table.grid tbody tr", has_text="Xã Đắk La")
    expect(la).to_have_count(1)
    headers = page.locator("table.grid thead th").all_inner_texts()
    excellent = headers.index("Hoàn thành xuất sắc nhiệm vụ")
    assert int(la.locator("td").nth(excellent).inner_text()) >= 1
    expect(page.locator("table.grid tfoot")).to_contain_text("Tổng cộng")
    shot(page, "3-tong-hop")

    page.goto(f"/persons/{ngoc}")
    part = page.locator("#danh-gia")
    expect(part).to_contain_text(f"{year}")
    expect(part).to_contain_text("Hoàn thành xuất sắc nhiệm vụ")
    expect(part).to_contain_text("Báo cáo viên giỏi cấp xã")
    shot(page, "4-ho-so")
    assert re.search(r"/persons/\d+$", page.url)

    # The exemplary models' pages, as the same officer sees them.
    page.goto("/work")
    page.click("nav.work-tabs >> text=Mô hình, điển hình")
    expect(page.locator("h1")).to_have_text("Mô hình hay, điển hình tiên tiến")
    shot(page, "5-mo-hinh")
    page.click("text=+ Thêm mô hình")
    page.fill("input[name=name]", "Tổ tuyên truyền “Già làng nói, dân làng nghe”")
    page.select_option("select[name=person_ids]", [str(ngoc)])
    page.fill("input[name=decision_date]", "15/06/2026")
    page.fill("input[name=decision_no]", "15-QĐ/HU")
    shot(page, "6-them-mo-hinh")
    page.click("button:has-text('Lưu')")
    expect(page.locator(".flash-success")).to_contain_text("Đã thêm mô hình.")
    expect(page.locator("table.grid")).to_contain_text("Đặng Thị Ngọc Ánh")
    shot(page, "7-chi-tiet-mo-hinh")
