"""Roster list: search with and without diacritics, Vietnamese order, filters, counts, pages."""
import datetime as dt
import re

import pytest

from models import Gender, Level, Role, UserRole


def _names(html: str) -> list[str]:
    return re.findall(r'<a href="/persons/\d+">([^<]+)</a>', html)


@pytest.fixture
def roster(make):
    make.user("admin", UserRole.ADMIN, "Tỉnh Kon Tum")
    make.person("Nguyễn Văn An", "Xã Đắk Hring", ethnicity="Kinh", party_member=True)
    make.person("Nguyen Van An", "Xã Đắk La", ethnicity="Kinh")  # typed without accents
    make.person("Trần Thị Ánh", "Xã Đắk La", gender=Gender.NU, ethnicity="Kinh")
    make.person("Y Blô", "Xã Đắk Ui", gender=Gender.NU, ethnicity="Xơ Đăng", party_member=True,
                political_theory="so_cap")
    make.person("A Thút", "Huyện Đắk Hà", role=Role.BCV, level=Level.HUYEN, ethnicity="Xơ Đăng")
    make.person("Lê Văn Bình", "Huyện Sa Thầy", role=Role.BCV, level=Level.HUYEN,
                end=dt.date(2024, 6, 1))


def test_search_without_diacritics_finds_accented(roster, client, login):
    login("admin")
    html = client.get("/roster", query_string={"q": "nguyen van an"}).get_data(as_text=True)
    assert set(_names(html)) == {"Nguyễn Văn An", "Nguyen Van An"}


def test_search_with_diacritics_ranks_exact_first(roster, client, login):
    login("admin")
    html = client.get("/roster", query_string={"q": "Nguyễn Văn An"}).get_data(as_text=True)
    assert _names(html) == ["Nguyễn Văn An", "Nguyen Van An"]
    html = client.get("/roster", query_string={"q": "Nguyen Van An"}).get_data(as_text=True)
    assert _names(html)[0] == "Nguyen Van An"


def test_default_order_given_name_then_family(roster, client, login):
    login("admin")
    html = client.get("/roster").get_data(as_text=True)
    # Lê Văn Bình's appointment ended, so the default (active) list leaves him out.
    assert _names(html) == ["Nguyen Van An", "Nguyễn Văn An", "Trần Thị Ánh", "Y Blô", "A Thút"]
    assert "<strong>5</strong> người phù hợp" in html


@pytest.mark.parametrize("args,expected", [
    ({"role": "BCV"}, {"A Thút"}),
    ({"role": "BCV", "status": "all"}, {"A Thút", "Lê Văn Bình"}),
    ({"status": "ended"}, {"Lê Văn Bình"}),
    ({"gender": "Nữ"}, {"Trần Thị Ánh", "Y Blô"}),
    ({"ethnicity": "Xơ Đăng"}, {"Y Blô", "A Thút"}),
    ({"party": "1"}, {"Nguyễn Văn An", "Y Blô"}),
    ({"llct": "so_cap"}, {"Y Blô"}),
    ({"level": "huyen", "status": "all"}, {"A Thút", "Lê Văn Bình"}),
])
def test_filters(roster, client, login, make, args, expected):
    login("admin")
    html = client.get("/roster", query_string=args).get_data(as_text=True)
    assert set(_names(html)) == expected


def test_unit_filter_takes_subtree(roster, client, login, make):
    login("admin")
    unit = make.unit("Huyện Đắk Hà")
    html = client.get("/roster", query_string={"unit": unit.id}).get_data(as_text=True)
    assert set(_names(html)) == {
        "Nguyễn Văn An",
        "Nguyen Van An",
        "Trần Thị Ánh",
        "Y Blô",
        "A Thút",
    }


def test_malformed_filters_are_ignored(roster, client, login):
    login("admin")
    for args in (
        {"role": "XYZ"},
        {"page": "abc"},
        {"unit": "1; drop"},
        {"page": "-5"},
        {"q": "%_\\"},
        {"status": "<script>"},
    ):
        assert client.get("/roster", query_string=args).status_code == 200


def test_pagination_and_count(make, client, login, app):
    make.user("admin", UserRole.ADMIN, "Tỉnh Kon Tum")
    for i in range(7):
        make.person(f"Người Số {chr(65 + i)}", "Xã Đắk La")
    app.config["PAGE_SIZE"] = 3
    try:
        login("admin")
        first = client.get("/roster").get_data(as_text=True)
        last = client.get("/roster", query_string={"page": 3}).get_data(as_text=True)
        beyond = client.get("/roster", query_string={"page": 99}).get_data(as_text=True)
    finally:
        app.config["PAGE_SIZE"] = 50
    assert "<strong>7</strong> người phù hợp" in first and "Trang 1 / 3" in first
    assert _names(first) == ["Người Số A", "Người Số B", "Người Số C"]
    assert _names(last) == ["Người Số G"]
    assert _names(beyond) == ["Người Số G"]


def test_suggest_json_scoped(roster, client, login, make):
    make.user("dakha", UserRole.OFFICER, "Huyện Đắk Hà")
    login("dakha")
    rows = client.get("/persons/suggest", query_string={"q": "binh"}).get_json()
    assert rows == []  # Lê Văn Bình is in Sa Thầy
    rows = client.get("/persons/suggest", query_string={"q": "blo"}).get_json()
    assert [r["name"] for r in rows] == ["Y Blô"]
