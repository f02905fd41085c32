"""Print and phone (issue 15): at 1366 px the menu is one line and opens by keyboard; a person with
long records prints as ONE A4 page; at 390 px the pages never scroll sideways, the menu opens
with its button and the filters wait behind «Bộ lọc»."""
from __future__ import annotations

import datetime as dt
import os
import re
import struct
import zlib
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tools import live_server as live

SHOTS = Path(os.environ.get("PRINT_SHOTS_DIR", "/tmp/shots"))


@pytest.fixture
def shots(screens) -> list[Path]:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return [SHOTS, screens]


def shot(page, shots: list[Path], name: str) -> None:
    for folder in shots:
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def portrait_png(width: int = 60, height: int = 80) -> bytes:
    """A plain 3x4 portrait, written without an imaging library."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))
    rows = b"".join(b"\x00" + bytes((120, 140, 170)) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2,
                                                                  0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def pdf_pages(pdf: bytes) -> int:
    """Page objects of a PDF ("/Type /Page", not the "/Pages" tree), without a PDF library."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


@pytest.fixture(scope="module")
def long_record(server) -> dict:
    """A commune TTV with years of records (more than the sheet prints) and a portrait, and a
    month of the payment sheet that has rows."""
    import sqlalchemy as sa

    import models as m
    from registry.attachments.service import set_photo
    from registry.cli.common import find_unit
    from registry.core.audit import Actor, acting_as
    from registry.files.storage import Upload
    from registry.roster.persons import create_person

    with live.app_for(server.url, server.secret), acting_as(Actor(None, "test-setup")):
        unit = find_unit("Xã Đắk Hring")
        person = create_person({"full_name": "Y Phiếu In Thử", "position": "Bí thư Chi bộ thôn",
                                "workplace": "Thôn 1, xã Đắk Hring, huyện Đắk Hà, tỉnh Kon Tum",
                                "notes": "Ghi chú rất dài. " * 80}, unit)
        m.db.session.add_all(_records(m, person, unit, find_unit("Huyện Đắk Hà")))
        set_photo(person, Upload("chan-dung.png", portrait_png()))
        m.db.session.commit()
        unit_id, period = m.db.session.execute(
            sa.select(m.Payment.unit_id, m.Payment.period)
            .group_by(m.Payment.unit_id, m.Payment.period).order_by(sa.func.count().desc())).first()
        return {"person": person.id, "sheet": f"/units/{unit_id}/payments?month={period:%Y-%m}"}


def _records(m, person, unit, district) -> list:
    """Three terms (two ended), nine courses, eight commendations, four disciplines."""
    rows = [m.Appointment(person=person, role=m.Role.TTV, level=m.Level.CO_SO, unit=unit,
                          unit_name_snapshot=unit.name, start_date=dt.date(year, 7, 1),
                          end_date=end, end_reason=m.EndReason.HET_NHIEM_KY if end else None,
                          decision_no=f"{year}-QĐ/ĐU",
                          decision_body="Ban Thường vụ Đảng ủy xã Đắk Hring")
            for year, end in ((2015, dt.date(2020, 6, 30)), (2020, dt.date(2025, 6, 30)),
                              (2025, None))]
    for i in range(9):
        course = m.Course(unit=district, name=f"Bồi dưỡng nghiệp vụ tuyên truyền miệng đợt {i}",
                          kind=m.CourseKind.BOI_DUONG, start_date=dt.date(2016 + i, 4, 1),
                          end_date=dt.date(2016 + i, 4, 3), level=m.OrgLevel.HUYEN,
                          form=m.DeliveryForm.TRUC_TIEP)
        rows.append(m.Attendance(person=person, course=course, certificate_no=f"GCN-{i}"))
    rows += [m.Commendation(person=person, form="giay_khen", year=year,
                            issuer_level=m.OrgLevel.HUYEN, issuer="Huyện ủy Đắk Hà",
                            reason="Hoàn thành xuất sắc nhiệm vụ tuyên truyền. " * 6)
             for year in range(2016, 2024)]
    rows += [m.Discipline(person=person, form="khien_trach", system=m.DisciplineSystem.DANG,
                          effective_from=dt.date(year, 1, 1),
                          summary="Vi phạm quy định về phát ngôn. " * 5)
             for year in (2017, 2019, 2021, 2023)]
    return rows


def test_menu_on_one_line_and_the_person_sheet_on_one_page(session, shots, long_record):
    page = session("qt_admin").page
    page.goto("/")
    tops = page.eval_on_selector_all("nav.mainnav > *", "els => els.map(e => e.offsetTop)")
    assert len(tops) >= 7 and len(set(tops)) == 1, tops
    assert page.locator("header.topbar").bounding_box()["height"] <= 60
    # Keyboard: a group opens with Enter, its links are reachable, Escape folds it again.
    group = page.locator("nav.mainnav summary", has_text="Quản trị")
    group.focus()
    page.keyboard.press("Enter")
    expect(page.locator("nav.mainnav a", has_text="Tài khoản")).to_be_visible()
    shot(page, shots, "print-1-menu-1366")
    page.keyboard.press("Escape")
    expect(page.locator("nav.mainnav a", has_text="Tài khoản")).to_be_hidden()

    page.goto(f"/persons/{long_record['person']}")
    expect(page.locator("button", has_text="In phiếu")).to_be_visible()
    expect(page.locator(".print-head")).to_be_hidden()
    shot(page, shots, "print-2-person-screen-1366")
    pdf = page.pdf(format="A4", print_background=True)
    (SHOTS / "print-person.pdf").write_bytes(pdf)
    assert pdf_pages(pdf) == 1
    page.emulate_media(media="print")
    expect(page.locator(".print-head")).to_contain_text("ĐẢNG CỘNG SẢN VIỆT NAM")
    expect(page.locator(".print-title")).to_be_visible()
    expect(page.locator("header.topbar")).to_be_hidden()
    expect(page.locator("#lich-su")).to_be_hidden()
    expect(page.locator("#boi-duong")).to_contain_text("… và 5 mục khác.")
    expect(page.locator("img.portrait")).to_be_visible()
    shot(page, shots, "print-3-person-1366")
    page.emulate_media(media="screen")


PHONE_PAGES = (("roster", "/roster"), ("person", None), ("payments", None), ("dashboard", "/"),
               ("documents", "/documents"))


def test_phone_pages_never_scroll_sideways(session, shots, long_record):
    page = session("qt_dakha").page
    page.set_viewport_size({"width": 390, "height": 844})
    paths = {"person": f"/persons/{long_record['person']}", "payments": long_record["sheet"]}
    for name, path in PHONE_PAGES:
        page.goto(path or paths[name])
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, name
        assert page.locator("header.topbar").bounding_box()["height"] <= 60, name
        shot(page, shots, f"phone-{name}-390")

    page.goto("/documents")
    nav = page.locator("nav.mainnav")
    expect(nav).to_be_hidden()
    expect(page.locator(".userbox summary")).to_have_text("qt_dakha", use_inner_text=True)
    page.click("button.navtoggle")
    expect(nav).to_be_visible()
    page.click("nav.mainnav summary:has-text('Đội ngũ')")
    shot(page, shots, "phone-menu-390")
    page.click("nav.mainnav >> text=Danh sách")
    expect(page.locator("h1")).to_have_text("Danh sách đội ngũ")
    # The roster's filters wait behind «Bộ lọc» and open with one tap.
    expect(page.locator("form.filters")).to_be_hidden()
    page.click("summary:has-text('Bộ lọc')")
    expect(page.locator("form.filters")).to_be_visible()
    shot(page, shots, "phone-filters-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
