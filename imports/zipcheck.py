"""Checks an xlsx package before any XML parser sees it: sizes, compression ratio (zip bombs),
CRCs, and a cheap byte scan of each worksheet to estimate the cell grid the reader would
allocate."""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field

from .errors import ImportFileError

_IN_CHUNK = 64 * 1024
_OUT_CHUNK = 1024 * 1024
_UNUSUAL_RE = re.compile(rb'c r="(?:[A-Z]{2,3}[0-9]|[A-Z][0-9]{6})')
_REF, _CLOSE, _PREFIXED_CLOSE = b'c r="', b"</c>", b":c>"
_WORKSHEET_RE = re.compile(r"xl/worksheets/[^/]+\.xml$")


@dataclass(frozen=True, slots=True)
class Limits:
    """Resource limits for one upload."""

    max_bytes: int = 10 * 1024 * 1024
    max_uncompressed: int = 256 * 1024 * 1024
    max_ratio: int = 200  # uncompressed/compressed, for members over 1 MB
    max_members: int = 5000
    max_dense_cells: int = 3_000_000  # rows x columns the fast reader may allocate for one sheet
    # Sheets with more cells than this are streamed: 3.5x slower to read, but memory stays flat
    # (a 100,000 x 19 roster peaks near 150 MB instead of 230).
    max_fast_cells: int = 1_000_000
    max_columns: int = 256  # columns read on the careful path
    blank_run: int = 1000  # consecutive blank rows that end a sheet
    max_rows: int = 300_000  # sheet rows read at most


@dataclass(slots=True)
class SheetScan:
    """What the byte scan learned about one worksheet part.  A sheet that is neither unusual nor
    irregular has at most 99,999 rows x 26 columns (A1..Z99999), whatever its cells say."""

    unusual: bool = False  # a cell reference beyond column Z or with a six-digit row
    refs: int = 0  # cells with a reference (`c r="`)
    closes: int = 0  # cells closed with </c>

    @property
    def irregular(self) -> bool:
        """Some cells have no reference: the reader places them by position, unbounded."""
        return self.closes > self.refs


@dataclass(slots=True)
class Package:
    names: frozenset[str]
    styles: bytes = b""
    shared_strings_head: bytes = b""
    sheet_heads: dict[str, bytes] = field(default_factory=dict)  # first bytes of each worksheet
    sheets: dict[str, SheetScan] = field(default_factory=dict)


def check_package(data: bytes, limits: Limits) -> Package:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, struct.error, NotImplementedError):
        raise ImportFileError("corrupt_file") from None
    names = frozenset(info.filename for info in infos)
    if "xl/workbook.xml" not in names:
        raise ImportFileError("not_a_spreadsheet", _not_workbook_message(names))
    _check_sizes(infos, limits)
    package = Package(names)
    for info in infos:
        _inflate_member(data, info, package)
    return package


def _not_workbook_message(names: frozenset[str]) -> str:
    if "word/document.xml" in names:
        what = "một văn bản Word (.docx)"
    elif "content.xml" in names:
        what = "một tệp OpenDocument (.ods/.odt)"
    elif "xl/workbook.bin" in names:
        what = "một bảng tính dạng nhị phân .xlsb"
    else:
        what = "một tệp nén (.zip)"
    return (
        f"Tệp tải lên là {what}, không phải bảng tính Excel .xlsx. Hãy lưu lại dạng .xlsx rồi "
        "tải lên."
    )


def _check_sizes(infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    if len(infos) > limits.max_members:
        raise ImportFileError("too_large", "Tệp Excel có quá nhiều thành phần bên trong.")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise ImportFileError("encrypted")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ImportFileError("corrupt_file")
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > 1024 * 1024 and ratio > limits.max_ratio:
            raise ImportFileError(
                "too_large", "Tệp Excel có dữ liệu nén bất thường (tỉ lệ nén quá cao)."
            )
    if total > limits.max_uncompressed:
        mb = limits.max_uncompressed // (1024 * 1024)
        raise ImportFileError(
            "too_large", f"Dữ liệu trong tệp Excel vượt quá {mb} MB khi giải nén."
        )


def _member_payload(data: bytes, info: zipfile.ZipInfo) -> memoryview:
    offset = info.header_offset
    header = data[offset : offset + 30]
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise ImportFileError("corrupt_file")
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    start = offset + 30 + name_len + extra_len
    if start + info.compress_size > len(data):
        raise ImportFileError("corrupt_file")
    return memoryview(data)[start : start + info.compress_size]


def _chunks(payload: memoryview, info: zipfile.ZipInfo):
    """Yield the inflated member in pieces, never more than its declared size."""
    if info.compress_type == zipfile.ZIP_STORED:
        for pos in range(0, len(payload), _OUT_CHUNK):
            yield bytes(payload[pos : pos + _OUT_CHUNK])
        return
    inflater = zlib.decompressobj(-15)
    for pos in range(0, len(payload), _IN_CHUNK):
        piece: bytes | memoryview = payload[pos : pos + _IN_CHUNK]
        while piece:
            out = inflater.decompress(piece, _OUT_CHUNK)
            if out:
                yield out
            piece = inflater.unconsumed_tail
            if inflater.eof:
                return
    if not inflater.eof:
        raise ImportFileError("corrupt_file")


def _inflate_member(data: bytes, info: zipfile.ZipInfo, package: Package) -> None:
    is_sheet = _WORKSHEET_RE.match(info.filename) is not None
    scan = SheetScan() if is_sheet else None
    keep = {"xl/styles.xml": 4 * 1024 * 1024, "xl/sharedStrings.xml": 256 * 1024}.get(
        info.filename, 128 * 1024 if is_sheet else 0
    )
    kept: list[bytes] = []
    size = crc = 0
    tail = b""
    try:
        for out in _chunks(_member_payload(data, info), info):
            size += len(out)
            if size > info.file_size:
                raise ImportFileError("too_large", "Tệp Excel có dữ liệu nén bất thường.")
            crc = zlib.crc32(out, crc)
            if scan is not None:
                tail = _scan_chunk(scan, tail, out)
            if keep and sum(map(len, kept)) < keep:
                kept.append(out)
    except zlib.error:
        raise ImportFileError("corrupt_file") from None
    if size != info.file_size or crc != info.CRC:
        raise ImportFileError("corrupt_file")
    if scan is not None:
        package.sheets[info.filename] = scan
        package.sheet_heads[info.filename] = b"".join(kept)[:keep]
    if info.filename == "xl/styles.xml":
        package.styles = b"".join(kept)[:keep]
    elif info.filename == "xl/sharedStrings.xml":
        package.shared_strings_head = b"".join(kept)[:keep]


def _count(pattern: bytes, tail: bytes, chunk: bytes) -> int:
    """Occurrences in chunk plus those spanning the boundary with the previous chunk's tail."""
    width = len(pattern) - 1
    return chunk.count(pattern) + (tail[-width:] + chunk[:width]).count(pattern)


def _scan_chunk(scan: SheetScan, tail: bytes, chunk: bytes) -> bytes:
    """Update the scan with one chunk; return the tail to carry over to the next one."""
    if not scan.unusual and _UNUSUAL_RE.search(tail + chunk):
        scan.unusual = True
    scan.refs += _count(_REF, tail, chunk)
    scan.closes += _count(_CLOSE, tail, chunk) + _count(_PREFIXED_CLOSE, tail, chunk)
    return chunk[-16:]
