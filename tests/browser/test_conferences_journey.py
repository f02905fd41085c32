"""An admin records a BCV conference with two connection points at two communes, ticks a BCV who
attended at one of them, and finds them in the year's list of missed conferences."""
from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.test_journeys import select_by_text
from tools import live_server as live

SHOTS = Path(os.environ.get("CONFERENCE_SHOTS_DIR", "/tmp/shots"))
BCV = ("Y Hội Nghị Thử", "Xã Đắk Hring")


@pytest.fixture
def shots() -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS


def shot(page, shots: Path, name: str) -> None:
    page.screenshot(path=str(shots / f"conferences-{name}.png"), full_page=True)


@pytest.fixture
def commune_bcv(server) -> str:
    """A BCV of a commune, active since 2024 (the demo's BCV sit higher up)."""
    from models import Appointment, Level, Role, db
    from registry.cli.common import find_unit
    from registry.core.audit import Actor, acting_as
    from registry.roster.persons import create_person

    name, unit_name = BCV
    with live.app_for(server.url, server.secret), acting_as(Actor(None, "test-setup")):
        unit = find_unit(unit_name)
        person = create_person({"full_name": name}, unit)
        db.session.add(Appointment(person=person, role=Role.BCV, level=Level.HUYEN, unit=unit,
                                   unit_name_snapshot=unit.name, start_date=dt.date(2024, 1, 1)))
        db.session.commit()
    return name


def _add_point(page, unit: str, place: str, participants: str) -> None:
    page.click("text=+ Thêm điểm cầu")
    select_by_text(page, "select[name=unit_id]", unit)
    page.fill("input[name=place]", place)
    page.fill("input[name=participants]", participants)
    page.click("form.formgrid button.primary")
    expect(page.locator(".flash-success")).to_contain_text(f"Đã thêm điểm cầu {unit}.")


def test_admin_records_a_conference_with_two_points_and_attendance(session, shots, commune_bcv):
    day = dt.date.today() - dt.timedelta(days=2)
    page = session("qt_admin").page
    page.goto("/work")
    page.click("nav.work-tabs >> text=Hội nghị báo cáo viên")
    expect(page.locator("h1")).to_have_text("Hội nghị báo cáo viên")
    shot(page, shots, "1-danh-sach")
    page.click("text=+ Thêm hội nghị")
    page.fill("input[name=topic]", "Hội nghị báo cáo viên: thông tin thời sự tháng này")
    page.fill("input[name=date]", f"{day:%d/%m/%Y}")
    page.fill("input[name=presenter]", "Phó Trưởng Ban Tuyên giáo Tỉnh ủy")
    page.fill("input[name=place]", "Hội trường Tỉnh ủy")
    shot(page, shots, "2-them")
    page.click("form.formgrid button.primary")
    expect(page.locator(".flash-success")).to_contain_text("Đã thêm hội nghị.")
    _add_point(page, "Xã Đắk Hring", "Hội trường Đảng ủy xã", "35")
    _add_point(page, "Xã Đắk La", "Nhà văn hóa xã", "28")
    points = page.locator("#diem-cau tbody tr")
    expect(points).to_have_count(3)
    shot(page, shots, "3-diem-cau")

    points.filter(has_text="Xã Đắk Hring").locator("text=Ghi báo cáo viên dự").click()
    expect(page.locator("h1")).to_contain_text("điểm cầu Xã Đắk Hring")
    page.check(f"tr:has-text('{commune_bcv}') input[type=checkbox]")
    shot(page, shots, "4-ghi-nguoi-du")
    page.click("button:has-text('Lưu người dự')")
    expect(page.locator(".flash-success")).to_contain_text(
        "Đã ghi 1 báo cáo viên dự tại điểm cầu Xã Đắk Hring.")
    expect(page.locator("#nguoi-du")).to_contain_text(commune_bcv)
    shot(page, shots, "5-hoi-nghi")

    page.goto("/conferences")
    page.click("text=Báo cáo viên vắng hội nghị")
    expect(page).to_have_url(re.compile(r"/conferences/missed"))
    row = page.locator("table.grid tbody tr", has_text=commune_bcv)
    expect(row.locator("td:nth-child(5)")).to_have_text(re.compile(r"^[1-9]"))  # attended
    shot(page, shots, "6-vang")
    with page.expect_download() as download:
        page.click("text=Tải xlsx")
    assert download.value.suggested_filename == f"bcv-vang-hoi-nghi-{day.year}.xlsx"
