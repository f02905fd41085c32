"""TCVN3 (ABC) and VNI Windows decoding, and per-workbook detection."""
from __future__ import annotations

import unicodedata

import pytest

from imports.legacy import TCVN3, UNICODE, VNI, decode_tcvn3, decode_vni, detect_encoding, font_hint

from .builders import xlsx_bytes

# TCVN 5712:1993 VN3, written out independently of the decoder's table: (letter, byte).
TCVN3_TABLE = dict(zip(
    "ĂÂÊÔƠƯĐăâêôơưđàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ",
    [0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7, 0xA8, 0xA9, 0xAA, 0xAB, 0xAC, 0xAD, 0xAE,
     0xB5, 0xB6, 0xB7, 0xB8, 0xB9, 0xBB, 0xBC, 0xBD, 0xBE, 0xC6, 0xC7, 0xC8, 0xC9, 0xCA, 0xCB,
     0xCC, 0xCE, 0xCF, 0xD0, 0xD1, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6, 0xD7, 0xD8, 0xDC, 0xDD, 0xDE,
     0xDF, 0xE1, 0xE2, 0xE3, 0xE4, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9, 0xEA, 0xEB, 0xEC, 0xED, 0xEE,
     0xEF, 0xF1, 0xF2, 0xF3, 0xF4, 0xF5, 0xF6, 0xF7, 0xF8, 0xF9, 0xFA, 0xFB, 0xFC, 0xFD, 0xFE],
    strict=True,
))
VOWELS = "aăâeêioôơuưy"
TONES = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]
ALL_LOWER = [unicodedata.normalize("NFC", v + t) for v in VOWELS for t in TONES] + ["đ"]


def tcvn3_encode(text: str, caps_font: bool = False) -> str:
    text = text.lower() if caps_font else text
    return "".join(ch if ord(ch) < 0x80 else chr(TCVN3_TABLE[ch]) for ch in text)


def vni_encode(text: str) -> str:
    """Base letter + mark bytes, following the VNI Windows layout."""
    plain = {"": "", "\u0300": "ø", "\u0301": "ù", "\u0309": "û", "\u0303": "õ", "\u0323": "ï"}
    hat = {"": "â", "\u0300": "à", "\u0301": "á", "\u0309": "å", "\u0303": "ã", "\u0323": "ä"}
    breve = {"": "ê", "\u0300": "è", "\u0301": "é", "\u0309": "ú", "\u0303": "ü", "\u0323": "ë"}
    i_tone = {"\u0300": "ì", "\u0301": "í", "\u0309": "æ", "\u0303": "ó", "\u0323": "ò"}
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ord(ch) < 0x80:
            out.append(ch)
            continue
        if ch in "đĐ":
            out.append("ñ" if ch == "đ" else "Ñ")
            continue
        decomposed = unicodedata.normalize("NFD", ch)
        base, marks = decomposed[0], decomposed[1:]
        shape = next((m for m in marks if m in "\u0302\u0306\u031b"), "")
        tone = next((m for m in marks if m in plain and m), "")
        low = base.lower()
        if low == "i" and tone:
            code = i_tone[tone]
        elif low == "y" and tone == "\u0323":
            code = "î"
        elif shape == "\u031b":
            code = {"o": "ô", "u": "ö"}[low] + plain[tone]
        elif shape == "\u0302":
            code = low + hat[tone]
        elif shape == "\u0306":
            code = low + breve[tone]
        else:
            code = low + plain[tone]
        out.append(code.upper() if base.isupper() else code)
    return "".join(out)


@pytest.mark.parametrize("stored, text", [
    ("Hä vµ tªn", "Họ và tên"),
    ("M\xadêng Kh\xad¬ng", "Mường Khương"),
    ("B¶o Th¾ng", "Bảo Thắng"),
    ("§¾k Hring", "Đắk Hring"),
])
def test_tcvn3_published_examples(stored, text):
    assert decode_tcvn3(stored) == text


def test_tcvn3_soft_hyphen_is_u_horn():
    assert decode_tcvn3("Tr\xadêng") == "Trường"


def test_tcvn3_round_trip_every_letter():
    for letter in ALL_LOWER + list("ĂÂÊÔƠƯĐ"):
        assert decode_tcvn3(tcvn3_encode(letter)) == letter
    sentence = "Danh sách tuyên truyền viên nòng cốt xã Đắk Hring, huyện Đắk Hà"
    assert decode_tcvn3(tcvn3_encode(sentence)) == sentence


def test_tcvn3_all_caps_font_holds_lower_case_codes():
    stored = tcvn3_encode("DANH SÁCH TUYÊN TRUYỀN VIÊN", caps_font=True)
    assert stored == tcvn3_encode("danh sách tuyên truyền viên")
    assert decode_tcvn3(stored, caps=True) == "DANH SÁCH TUYÊN TRUYỀN VIÊN"


def test_tcvn3_leaves_unicode_cells_alone():
    assert decode_tcvn3("Nguyễn Văn Hải") == "Nguyễn Văn Hải"


@pytest.mark.parametrize("stored, text", [
    ("Xin chaøo caùc baïn", "Xin chào các bạn"),
    ("Vieät Nam", "Việt Nam"),
    ("ÖÔÙC ÑÒNH YÕÎ", "ƯỚC ĐỊNH ỸỴ"),
    ("ngöôøi ôi ñaék", "người ơi đắk"),
    ("Hoï vaø teân", "Họ và tên"),
])
def test_vni_published_examples(stored, text):
    assert decode_vni(stored) == text


def test_vni_round_trip_every_letter_both_cases():
    for letter in ALL_LOWER:
        assert decode_vni(vni_encode(letter)) == letter
        assert decode_vni(vni_encode(letter.upper())) == letter.upper()
    sentence = "Phó Bí thư Thường trực Đảng ủy xã Ngọc Linh, huyện Đắk Glei"
    assert decode_vni(vni_encode(sentence)) == sentence


def test_detection_from_text():
    viet = ["Họ và tên", "Ngày sinh", "Dân tộc", "Xã Đắk Hring", "Nguyễn Thị Hoà", "Toàn"]
    assert detect_encoding(viet) == UNICODE
    assert detect_encoding([tcvn3_encode(t) for t in viet]) == TCVN3
    assert detect_encoding([vni_encode(t) for t in viet]) == VNI
    assert detect_encoding(["STT", "Ho va ten", "Nam"]) == UNICODE
    assert detect_encoding(["«Trích ngang»", "Họ và tên", "Trường"]) == UNICODE


def test_font_names_are_a_hint():
    assert font_hint([".VnTime", "Calibri"]) == TCVN3
    assert font_hint(["VNI-Times"]) == VNI
    assert font_hint(["Times New Roman"]) is None
    # one TCVN3 character is enough when the font says so, not without it
    assert detect_encoding(["Ph¹m"], [".VnTime"]) == TCVN3
    assert detect_encoding(["Ph¹m"]) == UNICODE


def _legacy_sheet(encode, title_encode=None) -> list[list[object]]:
    title_encode = title_encode or encode
    rows = [
        [title_encode("DANH SÁCH TUYÊN TRUYỀN VIÊN NÒNG CỐT")],
        [],
        [
            encode(h)
            for h in ("STT", "Họ và tên", "Năm sinh", "Giới tính", "Dân tộc", "Đơn vị", "Chức vụ")
        ],
        [
            1,
            encode("Nguyễn Thị Hường"),
            1980,
            encode("Nữ"),
            encode("Xơ Đăng"),
            encode("Xã Đắk La"),
            encode("Chủ tịch Hội Phụ nữ xã"),
        ],
    ]
    return rows


def test_tcvn3_workbook_is_decoded_before_anything_else(parse):
    data = xlsx_bytes(
        _legacy_sheet(tcvn3_encode, lambda t: tcvn3_encode(t, caps_font=True)), font=".VnTime"
    )
    result = parse(data)
    assert result.error is None and result.encoding == TCVN3
    row = result.sheets[0].rows[0]
    assert row.reason is None
    assert (
        row.values["full_name"],
        row.values["gender"],
        row.values["unit"],
        row.values["position"],
    ) == ("Nguyễn Thị Hường", "Nữ", "Xã Đắk La", "Chủ tịch Hội Phụ nữ xã")


def test_vni_workbook_is_decoded(parse):
    result = parse(xlsx_bytes(_legacy_sheet(vni_encode), font="VNI-Times"))
    assert result.encoding == VNI
    assert result.sheets[0].rows[0].values["full_name"] == "Nguyễn Thị Hường"
    assert result.sheets[0].role == "TTV"


def test_tcvn3_csv_saved_with_the_legacy_bytes(parse):
    """A CSV written from a .VnTime sheet in an 8-bit code page: bytes, not UTF-8."""
    rows = _legacy_sheet(tcvn3_encode, lambda t: tcvn3_encode(t, caps_font=True))
    text = "\r\n".join(";".join(str(v) for v in row) for row in rows)
    result = parse(text.encode("latin-1"), filename="ds.csv")
    assert result.encoding == TCVN3
    assert result.sheets[0].rows[0].values["unit"] == "Xã Đắk La"
