"""The dashboard's "Việc cần làm" in the browser: a district officer follows two of its links and
finds the number the dashboard gave; on a 390 px phone the block stays within the screen."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

SHOTS = Path(os.environ.get("DASHBOARD_SHOTS_DIR", "/tmp/shots"))


@pytest.fixture
def shots(screens) -> list[Path]:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return [SHOTS, screens]


def shot(page, shots: list[Path], name: str, width: int) -> None:
    for folder in shots:
        page.screenshot(path=str(folder / f"todo-{name}-{width}.png"), full_page=True)


def _number(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def test_todo_links_open_lists_of_the_same_size(session, shots):
    officer = session("qt_dakha")
    page = officer.page
    block = page.locator("#todo")
    expect(block.locator("h2")).to_have_text("Việc cần làm")
    expect(block.locator("#todo-units")).to_be_visible()
    assert block.locator("a.card").count() >= 6  # the 7th (re-recognition) only where it applies
    shot(page, shots, "1-tong-quan", 1366)

    for key, name in (("overdue", "2-chua-boi-duong"), ("terms", "3-het-nhiem-ky")):
        card = block.locator(f"#todo-{key}")
        count = _number(card.locator(".num").inner_text())
        card.click()
        expect(page.locator("p.count strong")).to_have_text(re.compile(r"[\d.]+"))
        assert _number(page.locator("p.count strong").inner_text()) == count, key
        shot(page, shots, name, 1366)
        page.go_back()

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/")
    expect(block).to_be_visible()
    box = block.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    assert block.evaluate("el => el.scrollWidth <= el.clientWidth")
    shot(page, shots, "4-tong-quan", 390)
