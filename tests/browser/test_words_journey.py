"""Small frictions, in the browser (issue 15 §6): the discipline form offers only the chosen
system's forms; unit choosers are searched by typing, accents or not (roster filter, the
merge form's checkboxes); labelled filters on a phone."""
from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import expect

SHOT_DIRS = [Path("/tmp/shots"), Path(os.environ.get("SCREENSHOT_DIR", "/tmp/sodoingu-screens"))]


def shot(page, name: str) -> None:
    width = page.viewport_size["width"]
    for folder in SHOT_DIRS:
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"words-{name}-{width}.png"), full_page=True)


def _visible_groups(page) -> list[str]:
    return page.eval_on_selector_all(
        "select[name=form] optgroup", "gs => gs.filter(g => !g.hidden).map(g => g.dataset.group)")


def test_discipline_form_follows_the_system_and_units_are_found_by_typing(session, server):
    s = session("qt_dakha")
    page = s.page
    page.goto(f"/persons/{server.people['search']}/disciplines/new")
    expect(page.locator("p.required-legend")).to_contain_text("bắt buộc")
    page.select_option("select[name=system]", "dang")
    assert _visible_groups(page) == ["dang"]
    page.select_option("select[name=form]", "khien_trach")
    page.select_option("select[name=system]", "bcv_ttv")
    assert _visible_groups(page) == ["bcv_ttv"]
    assert page.input_value("select[name=form]") == ""  # khiển trách is no BCV/TTV measure
    page.select_option("select[name=system]", "chinh_quyen")
    shot(page, "1-ky-luat")

    page.goto("/roster")
    box = page.locator("form.filters input.unit-picker-filter")
    box.fill("dak hring")
    selected = page.eval_on_selector("select[name=unit]", "s => s.selectedOptions[0].text")
    assert "Đắk Hring" in selected
    hidden = page.eval_on_selector(
        "select[name=unit]", "s => [...s.options].filter(o => o.hidden).length")
    assert hidden > 5
    shot(page, "2-loc-don-vi")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/roster")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    shot(page, "3-danh-sach")

    admin = session("qt_admin").page
    admin.goto("/units/merge")
    admin.locator(".unit-checks").scroll_into_view_if_needed()
    admin.fill("input.unit-picker-filter >> nth=0", "sa thay")
    shown = admin.eval_on_selector_all(".unit-checks label",
                                       "ls => ls.filter(l => !l.hidden).length")
    total = admin.locator(".unit-checks label").count()
    assert 0 < shown < total
    admin.locator(".unit-checks label:not([hidden]) input").first.check()
    shot(admin, "4-gop-don-vi")
    assert not s.problems
