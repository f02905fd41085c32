"""Browser journeys: Debian's Chromium driven by Playwright against gunicorn (2 workers).

Run with `pytest -m browser tests/browser` (deselected from the default run). A missing
Chromium fails the run; it is never skipped. Screenshots of the main pages go to
$SCREENSHOT_DIR (default /tmp/sodoingu-screens)."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tools import live_server as live

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-quic", "--no-first-run",
                 "--disable-sync", "--disable-dev-shm-usage"]
USERS = {
    "qt_admin": ("admin", "Tỉnh Kon Tum"),
    "qt_dakha": ("officer", "Huyện Đắk Hà"),
    "qt_dakha2": ("officer", "Huyện Đắk Hà"),
    "qt_sathay": ("officer", "Huyện Sa Thầy"),
    "qt_locked": ("officer", "Huyện Kon Plông"),
}
# People the journeys look for, besides the demo roster.
KNOWN = {
    "search": ("Đặng Thị Ngọc Ánh", "Xã Đắk La"),
    "xss": ("<script>alert(1)</script>", "Xã Đắk Hring"),
    "sathay": ("Rơ Châm H'Yen Thử", "Xã Ya Ly"),
    "locking": ("Y Khuyên Thử", "Xã Hà Mòn"),
}


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def screens() -> Path:
    path = Path(os.environ.get("SCREENSHOT_DIR", "/tmp/sodoingu-screens"))
    path.mkdir(parents=True, exist_ok=True)
    for old in path.glob("*.png"):
        old.unlink()
    return path


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("live")
    url = live.database_url(tmp)
    secret = os.urandom(24).hex()
    passwords = live.prepare(url, secret, demo_people=120, users=USERS)
    people = _add_known_people(url, secret)
    srv = live.Server(url, secret, log_dir=tmp, jobs=True).start()  # with the job worker
    srv.passwords, srv.people = passwords, people
    yield srv
    srv.stop()


def _add_known_people(url: str, secret: str) -> dict[str, int]:
    import datetime as dt

    from models import Appointment, Level, Role, db
    from registry.cli.common import find_unit
    from registry.core.audit import Actor, acting_as
    from registry.roster.persons import create_person

    ids = {}
    with live.app_for(url, secret), acting_as(Actor(None, "test-setup")):
        for key, (name, unit_name) in KNOWN.items():
            unit = find_unit(unit_name)
            person = create_person({"full_name": name}, unit)
            db.session.add(Appointment(person=person, role=Role.TTV, level=Level.CO_SO, unit=unit,
                                       unit_name_snapshot=unit.name,
                                       start_date=dt.date(2024, 1, 1)))
            db.session.flush()
            ids[key] = person.id
        db.session.commit()
    return ids


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: install it with "
                    "`apt-get install -y chromium` (the browser journeys are never skipped).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Session:
    """One browser context (one user's cookies) and its page, watching for script dialogs,
    page errors and Content-Security-Policy violations, which all fail the test."""

    def __init__(self, browser, server):
        self.server = server
        self.context = browser.new_context(base_url=server.base, accept_downloads=True,
                                           locale="vi-VN", viewport={"width": 1366, "height": 900})
        self.context.set_default_timeout(30_000)
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.page.on("dialog", self._dialog)
        self.page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        self.page.on("console", self._console)

    def _dialog(self, dialog) -> None:
        self.problems.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    def _console(self, msg) -> None:
        if msg.type == "error" and re.search(r"Content Security Policy|Refused to", msg.text):
            self.problems.append(f"console: {msg.text}")

    def login(self, username: str) -> Session:
        page = self.page
        page.goto("/login")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", self.server.passwords[username])
        page.click("button[type=submit]")
        page.wait_for_url(re.compile(r".*/$"))
        return self

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def session(browser, server):
    opened = []

    def open_session(username: str | None = None) -> Session:
        s = Session(browser, server)
        opened.append(s)
        return s.login(username) if username else s

    yield open_session
    problems = [p for s in opened for p in s.problems]
    for s in opened:
        s.close()
    assert not problems, problems
