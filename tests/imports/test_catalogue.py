"""Unit and ethnicity matching against the catalogue."""
from __future__ import annotations

import time
import unicodedata

import pytest

from imports import Catalogue, UnitRef
from imports.catalogue import unit_key

DAK_HA = "Huyện Đắk Hà"


@pytest.mark.parametrize(
    "text",
    [
        "Xã Đắk Hring",
        "xã Đắk Hring",
        "Đắk Hring",
        "X. Đắk Hring",
        "X.Đắk Hring",
        "Xã Đăk Hring",
        "XÃ ĐĂK HRING",
        "  Xã   Đắk  Hring ",
        "xã Đắk Hring, huyện Đắk Hà",
        unicodedata.normalize("NFD", "Xã Đắk Hring"),
        "Xã\u00a0Đắk Hring",
    ],
)
def test_commune_spellings(catalogue, text):
    match = catalogue.find_unit(text, DAK_HA)
    assert match.unit is not None and match.unit.name == "Xã Đắk Hring", text


@pytest.mark.parametrize(
    "text, name",
    [
        ("TT Đắk Hà", "Thị trấn Đắk Hà"),
        ("TT.Đắk Hà", "Thị trấn Đắk Hà"),
        ("thị trấn Đắk Hà", "Thị trấn Đắk Hà"),
        ("Xã Ngọc Wang", "Xã Ngọk Wang"),
        ("Ngọk Réo", "Xã Ngọk Réo"),
        ("Đắk Ngọc", "Xã Đắk Ngọk"),
    ],
)
def test_prefixes_and_equivalent_spellings(catalogue, text, name):
    assert catalogue.find_unit(text, DAK_HA).unit.name == name


def test_wards_and_p_prefix(catalogue):
    assert (
        catalogue.find_unit("P. Quyết Thắng", "Thành phố Kon Tum").unit.name == "Phường Quyết Thắng"
    )
    assert catalogue.find_unit("phường Lê Lợi", "Thành phố Kon Tum").unit.name == "Phường Lê Lợi"


def test_district_upload_restricts_to_its_district(catalogue):
    # Đắk Long exists in Đắk Hà and Đắk Glei; Đắk Hà (commune) exists in Tu Mơ Rông too
    assert catalogue.find_unit("Đắk Long", DAK_HA).unit.district == DAK_HA
    assert catalogue.find_unit("Đắk Long", "Huyện Đắk Glei").unit.district == "Huyện Đắk Glei"
    assert catalogue.find_unit("xã Đắk Hà", "Huyện Tu Mơ Rông").unit.name == "Xã Đắk Hà"
    outside = catalogue.find_unit("Xã Ia Tơi", "Huyện Sa Thầy")
    assert outside.unit is None and outside.problem == "outside"
    assert outside.others[0].district == "Huyện Ia H'Drai"
    unknown = catalogue.find_unit("Xã Ia Băng", DAK_HA)
    assert unknown.unit is None and unknown.problem == "unknown"


def test_province_wide_lookup(catalogue):
    assert catalogue.find_unit("Xã Văn Xuôi", None).unit.district == "Huyện Tu Mơ Rông"
    ambiguous = catalogue.find_unit("Xã Đắk Long", None)
    assert (
        ambiguous.unit is None and ambiguous.problem == "ambiguous" and len(ambiguous.others) == 2
    )
    hinted = catalogue.find_unit("xã Đắk Long, huyện Đắk Glei", None)
    assert hinted.unit.district == "Huyện Đắk Glei"


def test_district_itself_only_when_allowed(catalogue):
    assert catalogue.find_unit("Huyện Sa Thầy", "Huyện Sa Thầy").unit is None
    assert (
        catalogue.find_unit("Huyện Sa Thầy", "Huyện Sa Thầy", communes_only=False).unit.name
        == "Huyện Sa Thầy"
    )
    assert catalogue.find_unit("Sa Thầy", "Huyện Sa Thầy").unit.name == "Thị trấn Sa Thầy"
    assert catalogue.find_unit("Tỉnh Kon Tum", None, communes_only=False).unit == catalogue.province


def test_find_district(catalogue):
    for text in ("Huyện Đắk Hà", "huyện Đăk Hà", "Đắk Hà", "H. Đắk Hà"):
        assert catalogue.find_district(text).name == DAK_HA
    assert catalogue.find_district("TP Kon Tum").name == "Thành phố Kon Tum"
    assert catalogue.find_district("Huyện Ia Băng") is None


@pytest.mark.parametrize(
    "text, name",
    [
        ("Xê Đăng", "Xơ Đăng"),
        ("Bana", "Ba Na"),
        ("Ba-na", "Ba Na"),
        ("BA NA", "Ba Na"),
        ("Gié Triêng", "Giẻ Triêng"),
        ("Jrai", "Gia Rai"),
        ("Gia-rai", "Gia Rai"),
        ("Brau", "Brâu"),
        ("Rơ-măm", "Rơ Măm"),
        ("kinh", "Kinh"),
        ("Xơ đăng", "Xơ Đăng"),
    ],
)
def test_ethnicity_aliases(catalogue, text, name):
    assert catalogue.find_ethnicity(text) == name


def test_ethnicity_unknown(catalogue):
    assert catalogue.find_ethnicity("Người sao Hỏa") is None


def test_generic_construction_with_database_ids():
    units = [
        UnitRef(100, "Tỉnh Kon Tum", "tỉnh", None),
        UnitRef(7, "Huyện Đắk Hà", "Huyện", "Huyện Đắk Hà"),
        UnitRef(8, "Xã Đắk La", "xã", "Huyện Đắk Hà"),
    ]
    cat = Catalogue(units, [("Kinh", ())])
    assert cat.province.id == 100 and cat.district_named("Huyện Đắk Hà").level == "huyện"
    assert cat.find_unit("Đăk La", "Huyện Đắk Hà").unit.id == 8


def test_lookups_are_dictionary_fast(catalogue):
    texts = ["xã Đắk Hring", "Xã Ngọc Wang", "TT Đắk Hà", "Xã Ia Băng"] * 25_000
    start = time.perf_counter()
    for text in texts:
        catalogue.find_unit(text, DAK_HA)
    assert time.perf_counter() - start < 5.0  # ~100k lookups: a few µs each
    assert unit_key("X. Đăk Hring") == unit_key("Xã Đắk Hring")
