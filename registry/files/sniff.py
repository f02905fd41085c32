"""What a file is, read from its bytes (never from its name or the browser's claim): the types
the registry accepts, and nothing else."""
from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass


@dataclass(frozen=True)
class FileType:
    key: str
    content_type: str
    extensions: tuple[str, ...]  # the first is added to a name that has none of them


PDF = FileType("pdf", "application/pdf", (".pdf",))
JPEG = FileType("jpeg", "image/jpeg", (".jpg", ".jpeg"))
PNG = FileType("png", "image/png", (".png",))
DOC = FileType("doc", "application/msword", (".doc",))
XLS = FileType("xls", "application/vnd.ms-excel", (".xls",))
DOCX = FileType("docx", "application/vnd.openxmlformats-officedocument."
                "wordprocessingml.document", (".docx",))
XLSX = FileType("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                (".xlsx",))
PPTX = FileType("pptx", "application/vnd.openxmlformats-officedocument."
                "presentationml.presentation", (".pptx",))

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Office Open XML: the package's main folder, and the word its [Content_Types].xml must name.
_OOXML = ((DOCX, "word/", b"wordprocessingml"), (XLSX, "xl/", b"spreadsheetml"),
          (PPTX, "ppt/", b"presentationml"))
# An OLE2 compound file names its streams in UTF-16 in its directory: Word keeps the text in
# "WordDocument", Excel in "Workbook" (Excel 97 and later) or "Book" (Excel 5).
_OLE_STREAMS = ((DOC, "WordDocument"), (XLS, "Workbook"), (XLS, "Book"))
_CONTENT_TYPES_MAX = 1024 * 1024  # read no bigger manifest: a real one is a few kilobytes


def sniff(data: bytes) -> FileType | None:
    """The accepted type `data` really is, or None."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(_OLE2):
        return _ole_type(data)
    if data.startswith(b"PK\x03\x04"):
        return _ooxml_type(data)
    return None


def _ole_type(data: bytes) -> FileType | None:
    for kind, stream in _OLE_STREAMS:
        if stream.encode("utf-16-le") + b"\x00\x00" in data:
            return kind
    return None


def _ooxml_type(data: bytes) -> FileType | None:
    """Only the zip's directory and its small manifest are read: nothing is inflated beyond
    that, so a zip bomb costs nothing."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = zf.namelist()
            info = zf.getinfo("[Content_Types].xml")
            if info.file_size > _CONTENT_TYPES_MAX:
                return None
            manifest = zf.read(info)
    # NotImplementedError: zipfile's answer to a compression it cannot read: not an Office file.
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, NotImplementedError,
            RuntimeError, EOFError, zlib.error):
        return None
    for kind, folder, word in _OOXML:
        if word in manifest and any(n.startswith(folder) for n in names):
            return kind
    return None
