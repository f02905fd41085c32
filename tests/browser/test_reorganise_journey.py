"""An admin takes a registry still on the old units through the reorganisation of 01-7-2025:
banner, preview, confirm, result, then the follow-up lists. Its own server, job worker and
database (the run changes the tree the other journeys rely on); the preview and the run are
carried out by the worker while their page refreshes itself. Screenshots in the test's tmp
dir and copied to /tmp/shots/reorganise-*.png."""
from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Session
from tools import live_server as live

SHOTS = Path("/tmp/shots")
JOB_PAGE = re.compile(r"/reorganise/jobs/\d+$")
WORKER_WAIT = 60_000  # ms: an idle worker polls the queue less and less often (up to 10 s)
USERS = {"qt_tinh": ("admin", "Tỉnh Quảng Ngãi"), "qt_huyen": ("officer", "Huyện Đắk Hà")}
# (name, unit as the old catalogue names it or its GSO code, role, level)
PEOPLE = [("Phạm Thị Thị Trấn", "Thị trấn Đắk Hà", "TTV", "co_so"),
          ("Hồ Văn Chia Tách", "21142", "TTV", "co_so"),  # Xã Trà Bùi: divided
          ("Trần Văn Huyện", "Huyện Đắk Hà", "BCV", "huyen"),
          ("Lê Thị Tỉnh Cũ", "Tỉnh Kon Tum", "BCV", "tinh")]


def _prepare(url: str, secret: str) -> dict:
    """Today's units as `init-db` loads them, with people, records and an account still on the
    old units: what a registry kept before 01-7-2025 looks like once the catalogue is loaded."""
    import secrets

    import sqlalchemy as sa

    from models import Activity, Appointment, DeliveryForm, Level, Role, Unit, UserRole, db
    from registry import refdata
    from registry.auth.users import create_user
    from registry.cli.common import upgrade_schema
    from registry.core.audit import Actor, acting_as
    from registry.roster.persons import create_person
    from registry.units.catalogue2025 import load_province

    def unit(key: str, *, current: bool = False) -> Unit:
        """The old unit of that name or code (the current one when asked)."""
        column = Unit.gso_code if key.isdigit() else Unit.name
        return db.session.execute(sa.select(Unit).where(column == key).order_by(
            Unit.valid_to.is_(None) != current, Unit.id)).scalars().first()

    passwords = {}
    with live.app_for(url, secret), acting_as(Actor(None, "test-setup")):
        live.drop_everything(db.engine)
        upgrade_schema()
        refdata.load_ref_items()
        load_province("Quảng Ngãi")
        for name, where, role, level in PEOPLE:
            place = unit(where)
            person = create_person({"full_name": name}, place)
            appt = Appointment(person=person, role=Role(role), level=Level(level), unit=place,
                               unit_name_snapshot=place.name, start_date=dt.date(2021, 5, 1),
                               decision_no="45-QĐ/HU" if level == "huyen" else "12-QĐ/TU",
                               term="2020-2025", term_start=2020, term_end=2025)
            db.session.add(appt)
            db.session.flush()
            db.session.add(Activity(person=person, appointment=appt, unit=place,
                                    date=dt.date(2025, 9, 2), topic="Nghị quyết Đại hội",
                                    form=DeliveryForm.TRUC_TIEP))
        for username, (role, where) in USERS.items():
            passwords[username] = secrets.token_urlsafe(12)
            create_user(username, passwords[username], display_name=f"Cán bộ {username}",
                        role=UserRole(role), unit=unit(where, current=role == "admin"))
        db.session.commit()
    return passwords


@pytest.fixture(scope="module")
def reorg_server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("reorganise")
    # Its own database: `_prepare` rewrites everything, and later journeys still use the
    # shared server's (on PostgreSQL both would otherwise be DATABASE_URL's).
    url = live.database_url(tmp, own="reorg")
    secret = os.urandom(24).hex()
    passwords = _prepare(url, secret)
    srv = live.Server(url, secret, log_dir=tmp, jobs=True).start()
    srv.passwords = passwords
    yield srv
    srv.stop()
    live.drop_own(url)


def test_an_admin_reorganises_and_opens_the_follow_up_lists(browser, reorg_server, tmp_path):
    s = Session(browser, reorg_server)
    page = s.page

    def shot(name: str) -> None:
        path = tmp_path / f"reorganise-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        SHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, SHOTS / path.name)

    try:
        s.login("qt_tinh")
        banner = page.locator(".banner")
        expect(banner).to_contain_text("bổ nhiệm đang hoạt động ở đơn vị đã hết hiệu lực")
        shot("01-banner")
        banner.locator("a").click()
        expect(page.locator("h1")).to_have_text("Sắp xếp lại dữ liệu theo cơ cấu đơn vị mới")
        expect(page.locator("input[name=day]")).to_have_value("01/07/2025")
        shot("02-trang-sap-xep")

        page.click("button:has-text('Xem trước')")
        expect(page).to_have_url(JOB_PAGE)
        if page.locator("h1").inner_text() == "Đang tính…":  # caught before the worker is done
            shot("03a-dang-tinh")
        expect(page.locator("h1")).to_contain_text(
            "Xem trước: sắp xếp theo cơ cấu từ ngày 01/07/2025", timeout=WORKER_WAIT)
        main = page.locator("main")
        for text in ("Phạm Thị Thị Trấn", "Xã Đăk Hà", "Hồ Văn Chia Tách", "Xã Cà Đam",
                     "Trần Văn Huyện", "qt_huyen"):
            expect(main).to_contain_text(text)
        expect(page.locator(".cards.counts")).to_contain_text("BCV cấp huyện cần công nhận lại")
        shot("03-xem-truoc")

        page.click("button:has-text('Xác nhận sắp xếp')")
        expect(page).to_have_url(JOB_PAGE)
        expect(page.locator(".flash-success")).to_contain_text("Đã sắp xếp lại dữ liệu",
                                                               timeout=WORKER_WAIT)
        expect(page.locator(".banner")).to_have_count(0)
        shot("04-ket-qua")

        page.click("nav.tabs >> text=Xã bị chia tách")
        row = page.locator("table.grid tbody tr", has_text="Hồ Văn Chia Tách")
        expect(row).to_contain_text("Xã Trà Bùi")
        expect(row.locator("select")).to_contain_text("Xã Cà Đam (mặc định)")
        shot("05-xa-chia-tach")
        row.locator("select").select_option(label="Xã Tây Trà Bồng")
        row.locator("input[type=checkbox]").check()
        page.click("button:has-text('Xác nhận đơn vị đã chọn')")
        expect(page.locator(".flash-success")).to_contain_text("Đã xác nhận đơn vị kế thừa")

        page.click("nav.tabs >> text=BCV cấp huyện cần công nhận lại")
        row = page.locator("table.grid tbody tr", has_text="Trần Văn Huyện")
        expect(row).to_contain_text("Huyện Đắk Hà")
        row.locator("input[type=checkbox]").check()
        page.select_option("select[name=action]", "tinh")
        page.fill("input[name=decision_no]", "15-QĐ/BTGDVTU")
        page.fill("input[name=decision_date]", "10/01/2026")
        page.fill("input[name=decision_body]", "Ban Thường vụ Tỉnh ủy Quảng Ngãi")
        page.fill("input[name=start_date]", "01/02/2026")
        shot("06-cong-nhan-lai")
        page.click("button:has-text('Thực hiện')")
        expect(page.locator(".flash-success")).to_contain_text("Đã xử lý 1 BCV cấp huyện")
        expect(page.locator("table.grid")).to_contain_text("Không còn BCV cấp huyện nào")

        page.click("nav.tabs >> text=Tài khoản")
        row = page.locator("table.grid tbody tr", has_text="qt_huyen")
        expect(row).to_contain_text("Huyện Đắk Hà")
        shot("07-tai-khoan")
        row.locator("button:has-text('Chuyển về Tỉnh Quảng Ngãi')").click()
        expect(page.locator(".flash-success")).to_contain_text(
            "Đã chuyển tài khoản qt_huyen về Tỉnh Quảng Ngãi.")
    finally:
        s.close()
    assert not s.problems, s.problems
