"""Hostile spreadsheet files: hypothesis strategies that damage the real samples and build
synthetic workbooks, plus the few huge cases (zip bombs, a million empty rows) built once."""
from __future__ import annotations

import functools
import io
import warnings
import zipfile
from xml.sax.saxutils import escape

from hypothesis import strategies as st

from tests.paths import SAMPLES

# Every sample but the 5,000-row one (a few hundred ms each: it gets its own explicit cases).
BASES = sorted(p.name for p in SAMPLES.iterdir()
               if p.suffix in (".xlsx", ".xls", ".csv") and not p.name.startswith("S10_"))
XLSX_BASES = [n for n in BASES if n.endswith(".xlsx") and n not in ("S08_khong_phai_excel.xlsx",)]

HEADER = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Đơn vị", "Chức vụ", "Số CCCD"]
NAMESPACE = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NASTY = [
    "\u200f",
    "\u202e",
    "\u200b",
    "\ufeff",
    "\u0000",
    "\u0007",
    "\u001b",
    "\u0085",
    "\u2028",
    "\r\n",
    "\t",
    "&amp;",
    "]]>",
    "<!--",
    "<script>alert(1)</script>",
    '"><img src=x onerror=1>',
    '=HYPERLINK("http://x","y")',
    "=1+1",
    "@SUM(A1)",
    "+84",
    "-1",
    "Nguyễn Văn An",
    "Xã Đắk Hring",
    "Huyện Đắk Hà",
    "Nu\u0303",
    "Xơ Đăng",
    "062076120004",
    "29/02/1979",
    "31/12/9999",
    "1e308",
    "NaN",
    "\U0001f600",
    "ﷺ",
    "‮evil",
    "A" * 10_000,
]


def _read(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


@functools.cache
def sample(name: str) -> bytes:
    return _read(name)


@functools.cache
def members(name: str) -> tuple[tuple[str, bytes], ...]:
    with zipfile.ZipFile(io.BytesIO(sample(name))) as z:
        return tuple((i.filename, z.read(i)) for i in z.infolist())


def zip_bytes(parts, method=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with warnings.catch_warnings():  # a duplicated member is one of the damages we want
        warnings.simplefilter("ignore", UserWarning)
        with zipfile.ZipFile(buf, "w", method) as z:
            for name, data in parts:
                z.writestr(name, data)
    return buf.getvalue()


# ---- synthetic workbooks ------------------------------------------------------------------

_CT = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
    'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/'
    'xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "{extra}</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.'
    'org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.'
    'org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WB = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="' + NAMESPACE + '" xmlns:r="http://'
    'schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="DS" '
    'sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WB_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
    'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
    'schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="'
    'worksheets/sheet1.xml"/>{extra}</Relationships>'
)
_SST_REL = (
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/sharedStrings" Target="sharedStrings.xml"/>'
)
_SST_CT = (
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sharedStrings+xml"/>'
)


def col(i: int) -> str:
    name = ""
    i += 1
    while i:
        i, rem = divmod(i - 1, 26)
        name = chr(65 + rem) + name
    return name


def cell_xml(ref: str, text: str, raw: bool) -> str:
    """An inline-string cell; `raw` leaves control characters unescaped (invalid XML 1.0)."""
    body = (
        escape(text)
        if raw
        else escape(
            "".join(ch if ch in "\t\n\r" or ord(ch) >= 32 else f"_x{ord(ch):04X}_" for ch in text)
        )
    )
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{body}</t></is></c>'


def sheet_xml(rows: list[list[str]], raw: bool = False, tail: str = "") -> str:
    body = "".join(
        f'<row r="{r}">'
        + "".join(cell_xml(f"{col(c)}{r}", v, raw) for c, v in enumerate(row) if v != "")
        + "</row>"
        for r, row in enumerate(rows, start=1)
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NAMESPACE}"><sheetData>'
        f"{body}{tail}</sheetData></worksheet>"
    )


def package(sheet: str, shared: str | None = None, method=zipfile.ZIP_DEFLATED) -> bytes:
    parts = [
        ("[Content_Types].xml", _CT.format(extra=_SST_CT if shared else "")),
        ("_rels/.rels", _RELS),
        ("xl/workbook.xml", _WB),
        ("xl/_rels/workbook.xml.rels", _WB_RELS.format(extra=_SST_REL if shared else "")),
        ("xl/worksheets/sheet1.xml", sheet),
    ]
    if shared is not None:
        parts.append(("xl/sharedStrings.xml", shared))
    return zip_bytes(parts, method)


def roster_rows(people: list[list[str]]) -> list[list[str]]:
    return [["DANH SÁCH TUYÊN TRUYỀN VIÊN"], [], HEADER] + [
        [str(i + 1), *p] for i, p in enumerate(people)
    ]


# ---- the huge cases, built once -----------------------------------------------------------


@functools.cache
def million_empty_rows() -> bytes:
    """A header, one person, then 1,000,000 empty <row/> elements (and a far dimension)."""
    rows = roster_rows([["Y Blô", "01/01/1980", "Nữ", "Xơ Đăng", "Xã Đắk Hring", "", ""]])
    head = sheet_xml(rows).split("</sheetData>")[0]
    empty = "".join(f'<row r="{r}"/>' for r in range(len(rows) + 1, len(rows) + 1_000_001))
    return package(head + empty + "</sheetData></worksheet>")


@functools.cache
def zip_bomb_by_ratio() -> bytes:
    """A 300 MB run of zeros as the worksheet (over the 256 MB limit), deflated to 300 KB."""
    return _stream_member("xl/worksheets/sheet1.xml", b"<", 300 * 1024 * 1024)


@functools.cache
def zip_bomb_lying_header() -> bytes:
    """A member that declares 1 KB but inflates to 100 MB (the central directory lies)."""
    data = bytearray(_stream_member("xl/worksheets/sheet1.xml", b" ", 100 * 1024 * 1024))
    for sig, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):  # uncompressed size fields
        pos = 0
        while (pos := data.find(sig, pos)) != -1:
            name_len = int.from_bytes(
                data[pos + (26 if sig == b"PK\x03\x04" else 28) :][:2], "little"
            )
            start = pos + (30 if sig == b"PK\x03\x04" else 46)
            if data[start : start + name_len] == b"xl/worksheets/sheet1.xml":
                data[pos + offset : pos + offset + 4] = (1024).to_bytes(4, "little")
            pos += 4
    return bytes(data)


def _stream_member(name: str, head: bytes, size: int) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for part, text in (
            ("[Content_Types].xml", _CT.format(extra="")),
            ("_rels/.rels", _RELS),
            ("xl/workbook.xml", _WB),
            ("xl/_rels/workbook.xml.rels", _WB_RELS.format(extra="")),
        ):
            z.writestr(part, text)
        with z.open(name, "w") as out:
            out.write(head)
            chunk = b"\0" * (1024 * 1024)
            for _ in range(size // len(chunk)):
                out.write(chunk)
    return buf.getvalue()


@functools.cache
def huge_shared_strings() -> bytes:
    """A valid sheet whose shared-strings part holds 300,000 strings (~25 MB of XML)."""
    sst = "".join(f"<si><t>Chuỗi dùng chung số {i} Nguyễn Văn An</t></si>" for i in range(300_000))
    shared = (
        f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{NAMESPACE}" count="300000" '
        f'uniqueCount="300000">{sst}</sst>'
    )
    rows = roster_rows([["Y Blô", "01/01/1980", "Nữ", "Xơ Đăng", "Xã Đắk Hring", "", ""]])
    sheet = sheet_xml(rows).replace(
        "</sheetData>", '<row r="20"><c r="B20" t="s"><v>299999</v></c></row></sheetData>'
    )
    return package(sheet, shared)


@functools.cache
def ten_thousand_character_names() -> bytes:
    people = [
        ["Nguyễn " + "Văn " * 2500 + "An", "01/01/1980", "Nam", "Kinh", "Xã Đắk Hring", "", ""],
        ["\u202e" + "ꙮ" * 10_000, "01/01/1981", "Nữ", "Kinh", "Xã Đắk La", "", ""],
    ]
    return package(sheet_xml(roster_rows(people)))


HUGE_CASES = {
    "a million empty rows": million_empty_rows,
    "zip bomb (ratio)": zip_bomb_by_ratio,
    "zip bomb (lying sizes)": zip_bomb_lying_header,
    "huge shared strings": huge_shared_strings,
    "10,000-character names": ten_thousand_character_names,
    "5,000-row sample, truncated": lambda: _read("S10_tinh_kontum_5000_dong.xlsx")[:150_000],
    # Found by the properties: the .xls reader (Rust, python-calamine) panicked, which Python
    # sees as a BaseException that no `except Exception` catches.
    ".xls cut inside its sector table": lambda: _read("S06_tumorong_ttv_excel97.xls")[:8245],
}


# ---- strategies ---------------------------------------------------------------------------

cell_text = st.one_of(
    st.sampled_from(NASTY),
    st.text(st.characters(codec="utf-8"), max_size=40),
    st.lists(st.sampled_from(NASTY[:20]) | st.text(max_size=5), max_size=6).map("".join),
)
person_row = st.lists(cell_text, min_size=7, max_size=7)


@st.composite
def synthetic_xlsx(draw) -> bytes:
    people = draw(st.lists(person_row, min_size=0, max_size=5))
    return package(sheet_xml(roster_rows(people), raw=draw(st.booleans())))


@st.composite
def synthetic_csv(draw) -> bytes:
    people = draw(st.lists(person_row, min_size=0, max_size=5))
    sep = draw(st.sampled_from([";", ",", "\t"]))
    text = "\r\n".join(sep.join(row) for row in roster_rows(people))
    encoding = draw(st.sampled_from(["utf-8-sig", "utf-8", "utf-16", "cp1258", "latin-1"]))
    return text.encode(encoding, errors="replace")


ANY_BASE = st.sampled_from(BASES)


@st.composite
def truncated(draw) -> bytes:
    data = sample(draw(ANY_BASE))
    return data[: draw(st.integers(0, len(data) - 1))]


@st.composite
def flipped(draw) -> bytes:
    data = bytearray(sample(draw(ANY_BASE)))
    for _ in range(draw(st.integers(1, 20))):
        pos = draw(st.integers(0, len(data) - 1))
        data[pos] ^= draw(st.integers(1, 255))
    return bytes(data)


def _broken_xml(draw, text: bytes) -> bytes:
    how = draw(st.sampled_from(["cut", "garbage", "unclose", "entity", "doctype", "encoding"]))
    if how == "cut":
        return text[: draw(st.integers(0, max(0, len(text) - 1)))]
    if how == "garbage":
        pos = draw(st.integers(0, len(text)))
        return text[:pos] + draw(st.binary(min_size=1, max_size=50)) + text[pos:]
    if how == "unclose":
        return text.replace(b"</", b"<", draw(st.integers(1, 5)))
    if how == "entity":  # billion laughs / external entity: must be refused, never expanded
        return (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;'
            b'&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY e '
            b'SYSTEM "file:///etc/passwd">]>'
            + text.split(b"?>", 1)[-1].replace(b"<t>", b"<t>&c;&e;", 1)
        )
    if how == "doctype":
        return b'<?xml version="1.0"?><!DOCTYPE html>' + text.split(b"?>", 1)[-1]
    return text.replace(b'encoding="UTF-8"', b'encoding="UTF-16"', 1)


@st.composite
def damaged_package(draw) -> bytes:
    """A real sample with one of its parts damaged, removed, or given a wrong content type."""
    parts = list(members(draw(st.sampled_from(XLSX_BASES))))
    names = [n for n, _ in parts]
    how = draw(
        st.sampled_from(
            [
                "xml",
                "xml",
                "remove",
                "content-types",
                "rename",
                "duplicate",
                "stored",
                "huge-strings",
            ]
        )
    )
    i = draw(st.integers(0, len(parts) - 1))
    name, data = parts[i]
    if how == "xml":
        parts[i] = (name, _broken_xml(draw, data))
    elif how == "remove":
        del parts[i]
    elif how == "content-types":
        ct = dict(parts)["[Content_Types].xml"]
        wrong = draw(
            st.sampled_from(
                [
                    b"",
                    b"not xml",
                    ct.replace(b"sheet.main+xml", b"pdf"),
                    ct.replace(b"spreadsheetml", b"wordprocessingml"),
                    ct.replace(
                        b'Extension="xml" ContentType="application/xml"',
                        b'Extension="xml" ContentType="text/html"',
                    ),
                ]
            )
        )
        parts[names.index("[Content_Types].xml")] = ("[Content_Types].xml", wrong)
    elif how == "rename":
        parts[i] = (
            draw(
                st.sampled_from(
                    [
                        "xl/workbook.bin",
                        "word/document.xml",
                        "../evil.xml",
                        "/abs.xml",
                        "xl/worksheets/sheet1.xml",
                    ]
                )
            ),
            data,
        )
    elif how == "duplicate":
        parts.append(parts[i])
    elif how == "huge-strings":  # a shared-strings part of tens of thousands of entries
        n = draw(st.integers(1_000, 40_000))
        sst = "".join(f"<si><t>{i}\u202e{'x' * (i % 50)}</t></si>" for i in range(n))
        parts = [(k, v) for k, v in parts if k != "xl/sharedStrings.xml"] + [
            ("xl/sharedStrings.xml", f'<sst xmlns="{NAMESPACE}" count="{n}">{sst}</sst>'.encode())
        ]
    if how == "stored":
        return zip_bytes(parts, zipfile.ZIP_STORED)
    return zip_bytes(parts)


random_bytes = st.binary(max_size=4096)

hostile_file = st.one_of(
    truncated(),
    flipped(),
    damaged_package(),
    damaged_package(),
    synthetic_xlsx(),
    synthetic_xlsx(),
    synthetic_csv(),
    random_bytes,
)
filenames = st.sampled_from(
    [
        "danh-sach.xlsx",
        "danh-sach.xls",
        "danh-sach.csv",
        "ds",
        "../../etc/passwd.xlsx",
        "<script>alert(1)</script>.xlsx",
        "Danh sách TTV xã Đắk Hring.xlsx",
        "a" * 400 + ".xlsx",
        "\u202excod.xlsx",
        "con.xlsx",
        "tệp .CSV",
    ]
)
