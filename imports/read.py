"""Stage 1: decide the file type from its content and open it (never trusting the extension)."""
from __future__ import annotations

from .csvfile import open_csv
from .errors import ImportFileError
from .sheetdata import Workbook
from .xls import open_xls
from .xlsx import open_xlsx
from .zipcheck import Limits

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"Rar!", b"7z\xbc\xaf", b"\x1f\x8b",
                 b"BZh", b"MZ", b"\x7fELF", b"{\\rtf")


def size_text(size: int) -> str:
    """1536 -> '1,5 KB' (Vietnamese decimal comma)."""
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= scale:
            return f"{size / scale:.1f}".rstrip("0").rstrip(".").replace(".", ",") + f" {unit}"
    return f"{size} byte"


def sniff_kind(data: bytes) -> str:
    """'xlsx' (any ZIP; checked further), 'xls' (OLE2), 'binary' (a known non-table format) or
    'text'."""
    if data.startswith(_ZIP_MAGIC):
        return "xlsx"
    if data.startswith(OLE2_MAGIC):
        return "xls"
    if data.startswith(_BINARY_MAGIC):
        return "binary"
    return "text"


def open_workbook(data: bytes, limits: Limits) -> Workbook:
    """Open an upload.  Raises ImportFileError for anything that is not a readable table."""
    if len(data) > limits.max_bytes:
        raise ImportFileError("too_large", f"Tệp lớn hơn giới hạn {size_text(limits.max_bytes)}.")
    if not data.strip():
        raise ImportFileError("empty_workbook", "Tệp tải lên rỗng.")
    kind = sniff_kind(data)
    if kind == "xlsx":
        return open_xlsx(data, limits)
    if kind == "xls":
        return open_xls(data, limits)
    if kind == "binary":
        raise ImportFileError("not_a_spreadsheet")
    return open_csv(data, limits)
