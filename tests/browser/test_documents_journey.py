"""An admin records a document with a small PDF, sends it to the BCV of a commune (preview,
then confirm), records that one of them received it, and reads the coverage."""
from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.test_journeys import select_by_text
from tools import live_server as live

SHOTS = Path(os.environ.get("DOCUMENT_SHOTS_DIR", "/tmp/shots"))
COMMUNE = "Xã Đắk Hring"
BCV = ("Y Báo Hring Một", "Y Báo Hring Hai")
TITLE = "Thông tin định hướng về phòng, chống tin giả"


@pytest.fixture
def shots() -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS


def shot(page, shots: Path, name: str) -> None:
    page.screenshot(path=str(shots / f"documents-{name}.png"), full_page=True)


def _add_commune_bcv(server) -> None:
    """Two BCV of the commune, so that "the BCV of a commune" is known whatever the demo drew."""
    from models import Appointment, Level, Role, db
    from registry.cli.common import find_unit
    from registry.core.audit import Actor, acting_as
    from registry.roster.persons import create_person

    with live.app_for(server.url, server.secret), acting_as(Actor(None, "test-setup")):
        unit = find_unit(COMMUNE)
        for name in BCV:
            person = create_person({"full_name": name}, unit)
            db.session.add(Appointment(person=person, role=Role.BCV, level=Level.HUYEN,
                                       unit=unit, unit_name_snapshot=unit.name,
                                       start_date=dt.date(2024, 1, 1)))
        db.session.commit()


def test_send_a_document_to_a_communes_bcv_and_record_receipt(session, server, shots, tmp_path):
    from registry.demo.work_documents import tiny_pdf

    _add_commune_bcv(server)
    page = session("qt_admin").page
    page.goto("/documents")
    page.click("text=+ Thêm tài liệu")
    page.select_option("select[name=kind]", "dinh_huong")
    page.fill("input[name=number]", "25-HD/BTGDVTU")
    page.fill("input[name=title]", TITLE)
    page.fill("textarea[name=summary]", "Định hướng tuyên truyền cho báo cáo viên các xã.")
    shot(page, shots, "1-them")
    page.click("button:has-text('Lưu')")
    expect(page.locator(".flash-success")).to_contain_text("Đã thêm tài liệu.")
    expect(page.locator("dl.facts")).to_contain_text("Ban Tuyên giáo")  # the default issuer

    pdf = tmp_path / "Thông tin định hướng.pdf"
    pdf.write_bytes(tiny_pdf())
    page.set_input_files("input[name=files]", str(pdf))
    page.click("button:has-text('Tải lên')")
    expect(page.locator(".flash-success")).to_contain_text("Đã tải lên 1 tệp.")
    with page.expect_download() as download:
        page.click("#tep >> text=Thông tin định hướng.pdf")
    assert download.value.suggested_filename == "Thông tin định hướng.pdf"
    shot(page, shots, "2-tep")

    page.click("text=Gửi tài liệu")
    page.select_option("select[name=role]", "BCV")
    select_by_text(page, "select[name=unit_id]", COMMUNE)
    page.click("button:has-text('Xem trước')")
    preview = page.locator("#xem-truoc")
    for name in BCV:
        expect(preview).to_contain_text(name)
    count = int(re.search(r"Sẽ gửi cho (\d+) người", preview.inner_text())[1])
    assert count >= 2
    shot(page, shots, "3-xem-truoc")
    page.click(f"button:has-text('Xác nhận gửi cho {count} người')")
    expect(page.locator(".flash-success")).to_contain_text(f"Đã gửi tài liệu cho {count} người.")
    expect(page.locator("#nguoi-nhan h2")).to_contain_text(f"Người được gửi: {count}, đã nhận 0")

    row = page.locator("#nguoi-nhan tr", has_text=BCV[0])
    row.locator("button:has-text('Đã nhận hôm nay')").click()
    expect(page.locator(".flash-success")).to_contain_text(f"Đã ghi nhận {BCV[0]} đã nhận")
    expect(page.locator("#nguoi-nhan h2")).to_contain_text("đã nhận 1")
    shot(page, shots, "4-da-nhan")

    page.click("nav.work-tabs >> text=Cung cấp thông tin")
    page.click("text=Tỷ lệ báo cáo viên đã nhận")
    line = page.locator("table.grid tr", has_text=TITLE)
    expect(line).to_contain_text(str(count))
    expect(line.locator("td").nth(4)).to_have_text("1")
    shot(page, shots, "5-ty-le")
