"""The grouped main menu of templates/base.html, and the person page's printed sheet (the print
stylesheet itself is checked in Chromium by tests/browser/test_print_phone_journey.py)."""
from __future__ import annotations

import datetime as dt
import re

from models import UserRole

GROUPS = ("Đội ngũ", "Hồ sơ", "Báo cáo")
EVERYONE = ("Tổng quan", "Danh sách", "Hết nhiệm kỳ", "Chuyển công tác", "Đơn vị", "Công tác",
            "Bồi dưỡng", "Khen thưởng", "Kỷ luật", "Chi trả", "Báo cáo đội ngũ",
            "Danh sách chuyên đề", "Sơ kết, tổng kết", "Nhập Excel", "Nhật ký")
ADMIN_ONLY = ("Thiết lập", "Tài khoản", "Sắp xếp đơn vị", "Xác thực hai bước")


def menu(html: str) -> str:
    return html[html.index('<nav class="mainnav"'):html.index("</nav>")]


def links(nav: str) -> list[str]:
    return [t.strip() for t in re.findall(r"<a [^>]*>([^<]+)</a>", nav)]


def summaries(nav: str) -> list[str]:
    return re.findall(r"<summary>([^<]+)</summary>", nav)


def test_the_menu_groups_every_page_by_role(make, login, client):
    make.user("qt", UserRole.ADMIN, "Tỉnh Kon Tum")
    make.user("cb", UserRole.OFFICER, "Huyện Đắk Hà")
    make.user("xem", UserRole.VIEWER, "Huyện Đắk Hà")
    seen = {}
    for name in ("qt", "cb", "xem"):
        login(name)
        html = client.get("/roster").get_data(as_text=True)
        seen[name] = (menu(html), html)
        client.post("/logout")
    admin_nav, admin_html = seen["qt"]
    assert summaries(admin_nav) == [*GROUPS, "Quản trị"]
    assert set(EVERYONE) | {"Thiết lập", "Tài khoản", "Sắp xếp đơn vị"} <= set(links(admin_nav))
    assert "Xác thực hai bước" in admin_html and 'class="navtoggle"' in admin_html
    # The page shown marks its group and its own link.
    assert '<details class="navgroup current"><summary>Đội ngũ</summary>' in admin_nav
    assert 'aria-current="page">Danh sách</a>' in admin_nav
    for name in ("cb", "xem"):
        nav, html = seen[name]
        assert summaries(nav) == list(GROUPS)
        assert set(EVERYONE) <= set(links(nav))
        assert not set(ADMIN_ONLY) & set(links(nav)) and "Xác thực hai bước" not in html
    assert "Xã chia tách" in links(seen["cb"][0]) and "Xã chia tách" not in links(seen["xem"][0])
    # Viewers reach the import history, writers the upload form.
    assert 'href="/imports/upload"' in seen["cb"][0] and 'href="/imports/"' in seen["xem"][0]
    # The user label is the username; the name and unit wait in its menu.
    user_label = re.search(r'<span class="uname">([^<]+)</span>', seen["cb"][1]).group(1)
    assert user_label == "cb" and "Huyện Đắk Hà" in seen["cb"][1]


def test_highlight_follows_the_section_and_the_script_is_a_file(admin):
    html = admin.get("/commendations").get_data(as_text=True)
    assert '<details class="navgroup current"><summary>Hồ sơ</summary>' in html
    assert 'aria-current="page">Khen thưởng</a>' in html
    assert '<script src="/static/js/nav.js"></script>' in html and "<script>" not in html
    work = admin.get("/work").get_data(as_text=True)
    assert 'class="current">Công tác</a>' in menu(work)
    with admin.get("/static/js/nav.js") as script:
        assert script.status_code == 200


def test_the_person_page_carries_its_printed_sheet(make, officer):
    person = make.person("Y Hring Thử", "Xã Đắk Hring", notes="Ghi chú dài " * 30)
    course = make.course("Huyện Đắk Hà")
    for i in range(6):
        make.attend(person, make.course("Huyện Đắk Hà", name=f"Khóa {i}",
                                        start=dt.date(2020 + i, 5, 1)))
    make.attend(person, course)
    for year in range(2019, 2024):
        make.commendation(person, year=year)
    html = officer.get(f"/persons/{person.id}").get_data(as_text=True)
    assert '<body class="person-page">' in html
    head = html[html.index('class="print-only print-head"'):html.index('class="pagehead"')]
    assert "ĐẢNG BỘ TỈNH KON TUM" in head and "HUYỆN ỦY ĐẮK HÀ" in head
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in head and "Đắk Hà, ngày" in head
    assert "PHIẾU THÔNG TIN BÁO CÁO VIÊN / TUYÊN TRUYỀN VIÊN" in head
    assert 'class="print-only print-foot"' in html and "T/M BAN THƯỜNG VỤ" in html
    assert 'data-print title="Phiếu thông tin một trang khổ A4">In phiếu</button>' in html
    # Long lists print their latest few and say how many more there are.
    assert html.count('class="print-more"') == (7 - 4) + (5 - 3)
    assert "… và 3 mục khác." in html and "… và 2 mục khác." in html
    # Sections kept on paper; the rest (payments, history, ...) stays on screen.
    for anchor in ('id="boi-duong"', 'id="khen-thuong"', 'id="ky-luat"'):
        assert re.search(r'<section class="panel print-keep" ' + anchor, html), anchor
    assert '<section class="panel" id="lich-su">' in html
    assert '<dt class="print-hide">Ghi chú</dt>' in html


def test_a_viewer_prints_the_sheet_too(make, login):
    make.user("xem", UserRole.VIEWER, "Huyện Đắk Hà")
    person = make.person("Y Xem Thử", "Xã Đắk Hring")
    html = login("xem").get(f"/persons/{person.id}").get_data(as_text=True)
    assert ">In phiếu</button>" in html and "Sửa hồ sơ" not in html
