import pytest

from imports.text import (
    collapse_spaces,
    fold_case,
    fold_case_and_diacritics,
    name_sort_key,
)


def test_fold_case_and_diacritics_removes_diacritics_and_d():
    assert fold_case_and_diacritics("Nguyễn Văn Đức") == "nguyen van duc"
    assert fold_case_and_diacritics("  KSOR\u00a0H'BLƠ ") == "ksor h'blo"
    # NFD input folds the same as NFC
    assert fold_case_and_diacritics("Nguye\u0302\u0303n") == "nguyen"


def test_fold_case_keeps_diacritics():
    assert fold_case("  ĐẮK\u00a0Hà ") == "đắk hà"
    assert fold_case("Nguye\u0302\u0303n") == "nguyễn"


def test_the_sort_key_starts_with_the_given_name_the_last_word():
    assert name_sort_key("Nguyễn Văn  An").startswith(name_sort_key("An") + "9")
    assert name_sort_key(" Ánh\u00a0") == name_sort_key("Ánh") != ""
    assert name_sort_key("") == ""


def test_sort_by_given_name_then_family_in_vietnamese_order():
    names = ["Lê Văn Bình", "Trần Thị Ánh", "Nguyễn Văn An", "Đỗ Ăn", "Hồ Âu", "Phạm Đức",
             "Vũ Dũng", "Trần An", "Y Blô", "A Ơi", "Lê Ôn", "Mai Ư", "Võ Uy"]
    expected = ["Nguyễn Văn An", "Trần An", "Trần Thị Ánh", "Đỗ Ăn", "Hồ Âu", "Lê Văn Bình",
                "Y Blô", "Vũ Dũng", "Phạm Đức", "Lê Ôn", "A Ơi", "Võ Uy", "Mai Ư"]
    assert sorted(names, key=name_sort_key) == expected


def test_tones_sort_after_letters():
    # a < à < ả < ã < á < ạ, and all of them before "ă"
    names = ["X Ạn", "X Án", "X Ãn", "X Ản", "X Àn", "X An", "X Ăn"]
    expected = ["X An", "X Àn", "X Ản", "X Ãn", "X Án", "X Ạn", "X Ăn"]
    assert sorted(names, key=name_sort_key) == expected


def test_sort_key_is_digits_only():
    assert name_sort_key("Nguyễn Thị Hơ Ry").isdigit()


# The keys are stored in persons and indexed: these values must never change without a
# migration that recomputes every row.
@pytest.mark.parametrize(
    "name, sort_key, search_key, name_folded",
    [
        ("Nguyễn Văn An", "10270000927203641182700000030938112700000", "nguyen van an",
         "nguyễn văn an"),
        ("KSOR H'BLƠ", "21132530000000924342833000000", "ksor h'blo", "ksor h'blơ"),
        ("Đặng Thị Ước", "37301400040916112720000500935212200005", "dang thi uoc", "đặng thị ước"),
        ("Y 2 Ñ", "27003941000902000", "y 2 n", "y 2 ñ"),
    ],
)
def test_stored_keys_stay_the_same(name, sort_key, search_key, name_folded):
    assert name_sort_key(name) == sort_key
    assert fold_case_and_diacritics(name) == search_key
    assert fold_case(name) == name_folded


def test_collapse_spaces_nfc():
    assert collapse_spaces("Ho\u0300ng\n  Anh") == "Hòng Anh"


def test_collapse_spaces_drops_invisible_characters():
    assert collapse_spaces("Ng\u200buyễn\u00ad Văn\x00 An\ufeff") == "Nguyễn Văn An"
    assert collapse_spaces("Y\x1fBlô") == "YBlô"  # a control, not a space
