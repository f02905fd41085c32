"""Facts of the 2025 reorganisation the shipped unit files must carry (DOMAIN.md §5, §6)."""
from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from registry.refdata import units2025
from registry.refdata.units2025 import load


@pytest.fixture(scope="module")
def qn():
    return load()


def _old(province, name):
    return next(p for p in province.former if p.name == name)


def _commune(province, name):
    return next(c for _, _, c in province.former_communes() if c.name == name)


@pytest.mark.parametrize("name", ["Quảng Ngãi", "Tỉnh Quảng Ngãi", "TỈNH QUẢNG NGÃI",
                                  "tinh quang ngai", " Quang  Ngai "])
def test_a_province_is_found_however_it_is_written(name):
    assert load(name).name == "Tỉnh Quảng Ngãi"


@pytest.mark.parametrize("name", ["Tỉnh Kon Tum", "", "../units/quang_ngai", "quang_ngai.json"])
def test_an_unknown_province_is_refused(name):
    # Kon Tum is no longer a province: it lives in Quảng Ngãi's history.
    with pytest.raises(LookupError):
        load(name)


def test_all_34_provinces_load_by_their_own_name():
    provinces = [load(path.stem) for path in units2025.province_files()]
    assert len(provinces) == 34
    assert all(load(p.name) is p for p in provinces)
    assert sum(len(p.units) for p in provinces) == 3321
    assert sum(1 for p in provinces for _ in p.former_communes()) == 10035


def test_quang_ngai_today_has_96_units(qn):
    assert (qn.code, qn.type, qn.valid_from) == ("51", "tỉnh", dt.date(2025, 7, 1))
    assert Counter(u.type for u in qn.units) == {"xã": 86, "phường": 9, "đặc khu": 1}
    assert [u.name for u in qn.units if u.type == "đặc khu"] == ["Đặc khu Lý Sơn"]


def test_its_history_is_old_kon_tum_and_old_quang_ngai(qn):
    assert [(p.name, p.code) for p in qn.former] == [
        ("Tỉnh Quảng Ngãi", "51"), ("Tỉnh Kon Tum", "62")]
    assert all(u.valid_to == dt.date(2025, 6, 30) for u in qn.former)


def test_old_kon_tum_has_102_communes_in_10_districts(qn):
    kontum = _old(qn, "Tỉnh Kon Tum")
    sizes = {d.name: (d.code, d.type, len(d.children)) for d in kontum.children}
    assert len(sizes) == 10 and sum(n for _, _, n in sizes.values()) == 102
    assert sizes["Thành phố Kon Tum"] == ("608", "thành phố", 21)
    assert sizes["Huyện Đắk Glei"] == ("610", "huyện", 12)
    assert {c.type for d in kontum.children for c in d.children} == {"xã", "phường", "thị trấn"}


def test_every_kon_tum_commune_has_one_successor_and_they_are_40(qn):
    kontum = _old(qn, "Tỉnh Kon Tum")
    communes = [c for d in kontum.children for c in d.children]
    assert all(len(c.successors) == 1 and c.successors[0].default for c in communes)
    assert len({c.successors[0].code for c in communes}) == 40       # NQ 1677/NQ-UBTVQH15


def _reached(old):
    return {s.code for d in old.children for u in (d, *d.children) for s in u.successors}


def test_old_quang_ngai_became_the_other_56_units(qn):
    reached = _reached(_old(qn, "Tỉnh Quảng Ngãi"))
    kontum = _reached(_old(qn, "Tỉnh Kon Tum"))
    assert len(reached) == 56 and not reached & kontum
    assert reached | kontum == {u.code for u in qn.units}


def test_accents_of_the_old_catalogue(qn):
    assert _commune(qn, "Thị trấn Măng Đen").type == "thị trấn"
    # The provincial catalogue's spelling wins, the package's stays an alias, except where
    # the catalogue lost a tone mark the package has.
    assert _commune(qn, "Xã Đắk Hring").aliases == ("Xã Đăk Hring",)
    assert _commune(qn, "Xã Bờ Y").aliases == ("Xã Pờ Y",)
    assert _commune(qn, "Xã Rờ Kơi").aliases == ("Xã Rơ Kơi",)
    districts = [d.name for p in qn.former if p.code == "62" for d in p.children]
    assert "Huyện Đắk Hà" in districts
    assert _commune(qn, "Xã Rờ Kơi").code == "23530"
    assert [u.name for u in qn.successors_of(_commune(qn, "Xã Rờ Kơi"))] == ["Xã Rờ Kơi"]


@pytest.mark.parametrize(("old", "new"), [
    ("Xã Đắk Hring", ["Xã Đăk Mar"]),
    ("Thị trấn Đắk Hà", ["Xã Đăk Hà"]),
    ("Xã Đắk La", ["Xã Đăk Hà"]),
    ("Phường Quyết Thắng", ["Phường Kon Tum"]),
    ("Xã Trà Bùi", ["Xã Cà Đam", "Xã Tây Trà Bồng"]),   # divided; the default comes first
])
def test_successors(qn, old, new):
    assert [u.name for u in qn.successors_of(_commune(qn, old))] == new


def test_an_island_district_without_communes_carries_its_successor(qn):
    ly_son = next(d for d in _old(qn, "Tỉnh Quảng Ngãi").children if d.name == "Huyện Lý Sơn")
    assert not ly_son.children
    assert [u.name for u in qn.successors_of(ly_son)] == ["Đặc khu Lý Sơn"]
