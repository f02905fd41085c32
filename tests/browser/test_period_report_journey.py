"""An admin opens the sơ kết / tổng kết report for a whole year, looks at it as printed,
downloads the tổng kết xlsx and finds in it the title and the page's figures."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import openpyxl
from playwright.sync_api import expect

SHOTS = Path(os.environ.get("PERIOD_SHOTS_DIR", "/tmp/shots"))


def _number(text: str) -> float:
    return float(text.strip().replace(".", "").replace(",", "."))


def test_admin_downloads_the_tong_ket_xlsx(session, server, tmp_path):
    SHOTS.mkdir(parents=True, exist_ok=True)
    year = dt.date.today().year
    admin = session("qt_admin")
    page = admin.page
    expect(page.locator("#work-sessions")).to_contain_text("buổi tuyên truyền")
    page.screenshot(path=str(SHOTS / "period-0-dashboard.png"), full_page=True)
    page.click("text=Báo cáo sơ kết, tổng kết →")
    expect(page.locator("#period-title")).to_contain_text("BÁO CÁO")
    page.goto("/work")
    page.click("nav.work-tabs >> text=Sơ kết, tổng kết")
    expect(page.locator("h1")).to_have_text("Báo cáo sơ kết, tổng kết")
    page.click(f"p.quick >> text=Cả năm {year}")
    title = page.locator("#period-title")
    expect(title).to_contain_text("BÁO CÁO TỔNG KẾT")
    expect(title).to_contain_text(f"NĂM {year}")
    page.screenshot(path=str(SHOTS / "period-1-page.png"), full_page=True)
    people = _number(page.locator("tr[data-key=people] td.now").inner_text())
    sessions = _number(page.locator("tr[data-key=sessions] td.now").inner_text())
    assert people > 0

    page.emulate_media(media="print")
    expect(page.locator("form.toolbar")).to_be_hidden()
    expect(page.locator("nav.work-tabs")).to_be_hidden()
    page.screenshot(path=str(SHOTS / "period-2-print.png"), full_page=True)
    page.emulate_media(media="screen")

    with page.expect_download() as info:
        page.click("text=Tải Excel")
    download = info.value
    assert download.suggested_filename == f"bao-cao-tong-ket-{year}0101-{year}1231.xlsx"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    book = openpyxl.load_workbook(path)
    ws = book["Báo cáo"]
    assert ws["A5"].value.startswith("BÁO CÁO TỔNG KẾT") and ws["A5"].value.endswith(f"NĂM {year}")
    assert ws["A2"].value == "BAN TUYÊN GIÁO VÀ DÂN VẬN TỈNH ỦY"
    rows = {ws.cell(r, 1).value: r for r in range(10, ws.max_row + 1)}
    assert ws.cell(rows["Tổng số báo cáo viên, tuyên truyền viên"], 2).value == people
    assert ws.cell(rows["Buổi tuyên truyền"], 2).value == sessions
    assert "Theo đơn vị" in book.sheetnames
    assert not admin.problems, admin.problems
