"""File type by content, limits, hostile bytes: every failure is a FileError, never an exception."""
from __future__ import annotations

import io
import random
import struct
import time
import unicodedata
import zipfile

import pytest

from imports import Limits, ParseResult
from imports.read import sniff_kind
from tests.paths import SAMPLES

from .builders import HEADER, person, raw_xlsx, xlsx_bytes, xml_row

S01 = (SAMPLES / "S01_dakha_ttv_trichngang.xlsx").read_bytes()
S06 = (SAMPLES / "S06_tumorong_ttv_excel97.xls").read_bytes()
S07 = (SAMPLES / "S07_ngochoi_ttv_csv_utf8_bom.csv").read_bytes()
TABLE = [["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Xã"],
         ["1", "Nguyễn Văn An", "01/02/1980", "Nam", "Xã Đắk La"],
         ["2", "Lê Thị Hoa", "1985", "Nữ", "Hà Mòn"]]


def _code(result: ParseResult) -> str | None:
    return result.error.code if result.error else None


def test_type_by_content_not_extension(parse):
    assert sniff_kind(S01) == "xlsx" and sniff_kind(S06) == "xls" and sniff_kind(S07) == "text"
    assert _code(parse(S01, filename="danh_sach.csv")) is None
    assert _code(parse(S06, filename="danh_sach.xlsx", uploader="Huyện Tu Mơ Rông")) is None
    assert _code(parse(S07, filename="danh_sach.xls", uploader="Huyện Ngọc Hồi")) is None


@pytest.mark.parametrize(
    "data, code",
    [
        (b"", "empty_workbook"),
        (b"   \r\n", "empty_workbook"),
        (b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n%%EOF\n", "not_a_spreadsheet"),
        (
            b"<html><body><table><tr><td>H\xe1\xbb\x8d v\xc3\xa0 t\xc3\xaan</td></tr></table>"
            b"</body></html>",
            "not_a_spreadsheet",
        ),
        (
            b'<?xml version="1.0"?>'
            b'<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>',
            "not_a_spreadsheet",
        ),
        (b"\x89PNG\r\n\x1a\n" + bytes(100), "not_a_spreadsheet"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "not_a_spreadsheet"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
            + "EncryptedPackage".encode("utf-16-le")
            + bytes(600),
            "encrypted",
        ),
        (b"PK\x03\x04" + bytes(100), "corrupt_file"),
        ("Xin chào, đây chỉ là một ghi chú.\n".encode(), "no_header"),
    ],
)
def test_not_a_table(parse, data, code):
    result = parse(data)
    assert _code(result) == code and result.error.message and result.sheets == ()


def test_docx_and_plain_zip_are_not_spreadsheets(parse):
    for member in ("word/document.xml", "notes.txt", "content.xml"):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr(member, "<w:document/>")
        result = parse(buf.getvalue())
        assert _code(result) == "not_a_spreadsheet", member
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    assert "Word" in parse(buf.getvalue()).error.message


@pytest.mark.parametrize("cut", [10, 100, 1000, len(S01) // 2, len(S01) - 30, len(S01) - 1])
def test_truncated_xlsx(parse, cut):
    assert _code(parse(S01[:cut])) in ("corrupt_file", "not_a_spreadsheet")


def test_damaged_compressed_data(parse):
    info = zipfile.ZipFile(io.BytesIO(S01)).getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    damaged = bytearray(S01)
    for i in range(start + 20, start + 60):
        damaged[i] ^= 0x5A
    assert _code(parse(bytes(damaged))) == "corrupt_file"


def test_file_size_limit(parse):
    result = parse(S01, max_bytes=4096)
    assert _code(result) == "too_large" and "4 KB" in result.error.message


def test_zip_bomb_by_ratio(parse):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        with z.open("xl/worksheets/sheet1.xml", "w") as member:
            for _ in range(20):
                member.write(b"\0" * (1024 * 1024))
    assert len(buf.getvalue()) < 100_000
    assert _code(parse(buf.getvalue())) == "too_large"


def test_zip_bomb_by_total_size(parse):
    assert _code(parse(S01, limits=Limits(max_uncompressed=20_000))) == "too_large"


def _lie_about_size(data: bytes, name: str, size: int) -> bytes:
    """Rewrite the declared uncompressed size of one member (local header and central directory)."""
    out = bytearray(data)
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(name)
    struct.pack_into("<I", out, info.header_offset + 22, size)
    pos = data.find(b"PK\x01\x02")
    while pos != -1:
        name_len = struct.unpack_from("<H", data, pos + 28)[0]
        if data[pos + 46 : pos + 46 + name_len].decode() == name:
            struct.pack_into("<I", out, pos + 24, size)
        pos = data.find(b"PK\x01\x02", pos + 4)
    return bytes(out)


def test_member_inflating_beyond_its_declared_size(parse):
    body = "".join(xml_row(i, ["x" * 50]) for i in range(1, 20_000))
    data = raw_xlsx(body)
    liar = _lie_about_size(data, "xl/worksheets/sheet1.xml", 5000)
    assert _code(parse(liar)) in ("too_large", "corrupt_file")


def _sparse(body: str) -> bytes:
    return raw_xlsx("".join(xml_row(i + 1, row) for i, row in enumerate(TABLE)) + body)


@pytest.mark.parametrize(
    "tail",
    [
        xml_row(1_000_000, ["stray value far below"]),
        '<row r="5"><c r="XFD5" t="inlineStr"><is><t>far right</t></is></c></row>',
        '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>corner</t></is></c></row>',
        "".join(f'<row r="{i}"/>' for i in range(4, 1_000_001)),
        "".join(f'<row r="{i}"><c r="A{i}" s="1"/></row>' for i in range(4, 300_000)),
        "".join(
            f'<row r="{i}"><c r="B{i}" t="inlineStr"><is><t> </t></is></c></row>'
            for i in range(4, 200_000)
        ),
        "".join('<row><c t="inlineStr"><is><t>no reference</t></is></c></row>' for _ in range(3)),
    ],
    ids=[
        "far-row",
        "far-column",
        "far-corner",
        "million-empty-rows",
        "styled-empty-cells",
        "blank-strings",
        "cells-without-references",
    ],
)
def test_sparse_and_huge_sheets_stay_fast(parse, tail):
    data = _sparse(tail)
    start = time.perf_counter()
    result = parse(data, max_bytes=50 * 1024 * 1024)
    assert time.perf_counter() - start < 15
    assert _code(result) is None
    rows = result.sheets[0].rows
    assert [r.values["full_name"] for r in rows][:2] == ["Nguyễn Văn An", "Lê Thị Hoa"]


def test_far_cell_takes_the_careful_path_and_stops_at_the_blank_run(parse):
    data = _sparse(xml_row(5000, ["9", "Sau 5000 dòng", "1980", "Nam", "Xã Đắk La"]))
    near = parse(data, limits=Limits(max_dense_cells=100))
    assert [r.row for r in near.sheets[0].rows] == [2, 3]  # 4996 blank rows end the table
    assert [
        r.row
        for r in parse(data, limits=Limits(max_dense_cells=100, blank_run=10_000)).sheets[0].rows
    ] == [2, 3, 5000]


def test_too_many_rows(parse):
    body = "".join(
        xml_row(i, [str(i), f"Người {i}", "1980", "Nam", "Xã Đắk La"]) for i in range(4, 400)
    )
    assert _code(parse(_sparse(body), limits=Limits(max_rows=100))) == "too_large"


def test_csv_variants(parse):
    text = "\r\n".join(",".join(row) for row in TABLE)
    assert parse(text.encode("utf-8"), filename="a.csv").sheets[0].valid_count == 2
    tab = "\n".join("\t".join(row) for row in TABLE)
    assert parse(tab.encode("utf-16"), filename="a.txt").sheets[0].valid_count == 2
    composite = unicodedata.normalize("NFC", text)
    legacy = "".join(_cp1258_form(ch) for ch in composite).encode("cp1258")
    result = parse(legacy, filename="a.csv")
    assert result.sheets[0].rows[0].values["full_name"] == "Nguyễn Văn An"
    quoted = (
        'STT;"Họ và tên";"Ngày, tháng,\nnăm sinh";Giới tính;Xã\r\n'
        '1;"Lê Thị\nHoa";1985;Nữ;Hà Mòn\r\n'
    )
    sheet = parse(quoted.encode("utf-8-sig"), filename="a.csv").sheets[0]
    assert [r.row for r in sheet.rows] == [2] and sheet.rows[0].values["full_name"] == "Lê Thị Hoa"


def _cp1258_form(ch: str) -> str:
    """Windows-1258 has ơ, ư, â… but writes tones as combining marks."""
    try:
        ch.encode("cp1258")
        return ch
    except UnicodeEncodeError:
        decomposed = unicodedata.normalize("NFD", ch)
        tones = [m for m in decomposed[1:] if m in "\u0300\u0301\u0303\u0309\u0323"]
        rest = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in tones))
        return rest + "".join(tones)


def test_csv_leading_apostrophe_that_protected_a_formula_is_removed(parse):
    rows = TABLE[:1] + [["1", '\'=HYPERLINK("http://x","y")', "1980", "Nam", "Xã Đắk La"]]
    data = "\n".join(";".join(r) for r in rows).encode()
    assert (
        parse(data, filename="a.csv").sheets[0].rows[0].values["full_name"]
        == '=HYPERLINK("http://x","y")'
    )


def test_fuzz_never_raises(parse):
    rng = random.Random(20250310)
    seeds = [S01, S06, S07, xlsx_bytes([HEADER, person(1)])]
    for i in range(150):
        if i % 3 == 0:
            data = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 3000)))
        else:
            data = bytearray(rng.choice(seeds))
            for _ in range(rng.randrange(1, 20)):
                data[rng.randrange(len(data))] = rng.randrange(256)
            data = bytes(data)
        result = parse(data)
        assert isinstance(result, ParseResult)
        assert result.error is None or (result.error.code and result.error.message)
