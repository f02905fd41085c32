"""The dashboard: server-side SVG charts, scoped to the user, every bar linking to the roster
filtered to exactly the people it counts."""
from __future__ import annotations

import datetime as dt
import html as htmllib
import re

import pytest

from models import DatePrecision, Gender, Level, Role, UserRole
from registry.core.dates import add_months
from registry.dashboard.stats import quarter_ends

BAR = re.compile(r'<a href="([^"]+)" class="bar-link">\s*<title>([^<]+)</title>')
COUNT = re.compile(r'<p class="count"><strong>([\d.]+)</strong>')


@pytest.fixture
def people(make):
    today = dt.date.today()
    course = make.course("Huyện Đắk Hà", start=add_months(today, -1))
    a = make.person("Y Một", "Xã Đắk Hring", gender=Gender.NU, ethnicity="Xơ Đăng",
                    political_theory="so_cap", dob=dt.date(1995, 1, 1),
                    dob_precision=DatePrecision.YEAR)
    make.attend(a, course)
    make.person("A Hai", "Xã Đắk La", ethnicity="Ba Na", dob=dt.date(1970, 5, 5),
                dob_precision=DatePrecision.DAY)
    make.person("Trần Ba", "Huyện Đắk Hà", role=Role.BCV, level=Level.HUYEN, ethnicity="Kinh",
                political_theory="trung_cap")
    make.person("Lê Cũ", "Xã Đắk La", end=dt.date(2024, 6, 30))
    make.person("Người Sa Thầy", "Huyện Sa Thầy", ethnicity="Gia Rai")
    make.user("dakha", UserRole.OFFICER, "Huyện Đắk Hà")
    make.user("admin", UserRole.ADMIN, "Tỉnh Kon Tum")


def _bars(html: str) -> list[tuple[str, str]]:
    return [(htmllib.unescape(url), htmllib.unescape(title)) for url, title in BAR.findall(html)]


def test_every_bar_links_to_the_roster_it_counts(client, login, people):
    login("dakha")
    page = client.get("/")
    html = page.get_data(as_text=True)
    assert html.count("<svg") == 7 and 'role="img"' in html
    assert " style=" not in html and not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    bars = _bars(html)
    assert len(bars) > 15
    for url, title in bars:
        roster = client.get(url).get_data(as_text=True)
        shown = int(COUNT.search(roster).group(1).replace(".", ""))
        if "đã bồi dưỡng" in title:  # coverage: "Q1/2025: 1/3 người đã bồi dưỡng"
            expected = int(re.search(r": (\d+)/\d+ người", title).group(1))
        else:
            expected = int(re.search(r": (\d+) người$", title).group(1))
        assert shown == expected, (url, title)
    labels = [t.split(":")[0] for _u, t in bars]
    assert "Huyện Sa Thầy" not in labels and "Gia Rai" not in labels  # out of scope
    units = {t.split(":")[0]: t for u, t in bars if "unit=" in u}
    assert units["Huyện Đắk Hà (trực thuộc)"].endswith(": 1 người")
    assert units["Xã Đắk La"].endswith(": 1 người")  # the ended appointment is not counted
    assert any(t.startswith("Hiện nay: 1/3 người") for _u, t in bars)


def test_admin_sees_the_province_by_district(client, login, people):
    login("admin")
    bars = _bars(client.get("/").get_data(as_text=True))
    units = {t.split(":")[0]: t for u, t in bars if "unit=" in u}
    assert units["Huyện Đắk Hà"].endswith(": 3 người")
    assert units["Huyện Sa Thầy"].endswith(": 1 người")
    assert "Gia Rai: 1 người" in [t for _u, t in bars]


def test_quarter_ends():
    assert quarter_ends(dt.date(2026, 11, 26), 4) == [
        dt.date(2026, 3, 31), dt.date(2026, 6, 30), dt.date(2026, 9, 30), dt.date(2026, 11, 26)]


def test_new_pages_have_no_inline_script_or_style(client, login, people, make):
    saved = make.saved_list("Huyện Đắk Hà", "Danh sách thử")
    login("dakha")
    for url in ("/", "/lists", "/lists/new", f"/lists/{saved.id}", f"/lists/{saved.id}/edit",
                "/lists/ready/bcv-du-tieu-chuan", "/lists/ready/don-vi-chua-co-ttv",
                "/reports/team", "/roster?age=duoi30&on=01/01/2025&trained=0"):
        resp = client.get(url)
        html = resp.get_data(as_text=True)
        assert resp.status_code == 200, url
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), url
        assert " style=" not in html, url


def test_age_band_filter_matches_the_charts_at_the_boundary(client, login, make):
    today = dt.date.today()
    thirty = add_months(today, -12 * 30)
    make.person("Tròn Ba Mươi", "Xã Đắk La", dob=thirty, dob_precision=DatePrecision.DAY)
    make.person("Chưa Ba Mươi", "Xã Đắk La", dob=thirty + dt.timedelta(days=1),
                dob_precision=DatePrecision.DAY)
    make.person("Không Rõ", "Xã Đắk La")
    make.user("dakha", UserRole.OFFICER, "Huyện Đắk Hà")
    login("dakha")

    def names(**args):
        html = client.get("/roster", query_string=args).get_data(as_text=True)
        return set(re.findall(r'<td><a href="/persons/\d+">([^<]+)</a></td>', html))

    assert names(age="30-39") == {"Tròn Ba Mươi"}
    assert names(age="duoi30") == {"Chưa Ba Mươi"}
    assert names(age="none") == {"Không Rõ"}
    assert names(age="duoi30", on=(today - dt.timedelta(days=1)).strftime("%d/%m/%Y")) == {
        "Tròn Ba Mươi", "Chưa Ba Mươi"}
    assert names(llct="none") == {"Tròn Ba Mươi", "Chưa Ba Mươi", "Không Rõ"}
    unit = make.unit("Xã Đắk La")
    assert names(unit=unit.id, own="1") == {"Tròn Ba Mươi", "Chưa Ba Mươi", "Không Rõ"}
    assert names(trained="1") == set()
