from registry.core.text import clean_spaces, fold, sort_key, split_name


def test_fold_removes_diacritics_and_d():
    assert fold("Nguyễn Văn Đức") == "nguyen van duc"
    assert fold("  KSOR\u00a0H'BLƠ ") == "ksor h'blo"
    # NFD input folds the same as NFC
    assert fold("Nguye\u0302\u0303n") == "nguyen"


def test_split_name_given_name_last():
    assert split_name("Nguyễn Văn  An") == ("Nguyễn Văn", "An")
    assert split_name("Ánh") == ("", "Ánh")


def test_sort_by_given_name_then_family_in_vietnamese_order():
    names = ["Lê Văn Bình", "Trần Thị Ánh", "Nguyễn Văn An", "Đỗ Ăn", "Hồ Âu", "Phạm Đức",
             "Vũ Dũng", "Trần An", "Y Blô", "A Ơi", "Lê Ôn", "Mai Ư", "Võ Uy"]
    expected = ["Nguyễn Văn An", "Trần An", "Trần Thị Ánh", "Đỗ Ăn", "Hồ Âu", "Lê Văn Bình",
                "Y Blô", "Vũ Dũng", "Phạm Đức", "Lê Ôn", "A Ơi", "Võ Uy", "Mai Ư"]
    assert sorted(names, key=sort_key) == expected


def test_tones_sort_after_letters():
    # a < à < ả < ã < á < ạ, and all of them before "ă"
    names = ["X Ạn", "X Án", "X Ãn", "X Ản", "X Àn", "X An", "X Ăn"]
    assert sorted(names, key=sort_key) == ["X An", "X Àn", "X Ản", "X Ãn", "X Án", "X Ạn", "X Ăn"]


def test_sort_key_is_digits_only():
    assert sort_key("Nguyễn Thị Hơ Ry").isdigit()


def test_clean_spaces_nfc():
    assert clean_spaces("Ho\u0300ng\n  Anh") == "Hòng Anh"
