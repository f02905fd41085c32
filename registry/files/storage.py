"""Uploads checked and kept as StoredFile rows, and sent back as downloads.

An upload is refused, with a Vietnamese message naming it, when it is empty, larger than the
setting UPLOAD_MAX_MB, or not one of the accepted types by its content (registry.files.sniff).
An owner may accept fewer types or a smaller size (`Accept`: attachments take only JPEG, PNG
and PDF, a portrait photo only JPEG and PNG up to 5 MB).
A download always goes as an attachment, with the type found at upload (never the browser's
claim), `nosniff`, and the name both as ASCII and as RFC 5987 UTF-8 (Vietnamese names)."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote

from flask import Response, current_app

from models import StoredFile, db
from registry.core.rules import RuleViolation
from registry.files.sniff import JPEG, PNG, FileType, sniff

ALLOWED = "PDF, Word, Excel, PowerPoint, ảnh JPEG/PNG"
_NAME_MAX = 255
_UNSAFE = re.compile(r'[\x00-\x1f\x7f"\\/:*?<>|]+')
_IMAGES = (JPEG.content_type, PNG.content_type)


class UploadRefused(RuleViolation):
    """An uploaded file that may not be kept; `field` is the form field it came from."""


@dataclass(frozen=True)
class Upload:
    """One file as read from a request: its name as sent, and its bytes (read up to one byte
    over the limit, so that a larger file is known to be too large)."""

    filename: str
    data: bytes


@dataclass(frozen=True)
class Accept:
    """What an owner keeps: the types (None: every type `sniff` knows), named in words for the
    refusal, and a size limit in bytes (None: the setting; never more than the setting)."""

    types: tuple[FileType, ...] | None = None
    words: str = ALLOWED
    max_bytes: int | None = None

    def limit(self) -> int:
        return min(self.max_bytes or max_bytes(), max_bytes())


ANY = Accept()


def max_bytes() -> int:
    return current_app.config["UPLOAD_MAX_BYTES"]


def megabytes(size: int) -> str:
    """A size limit in plain words' digits: "10", "2,5" (never "10.0")."""
    return f"{size / 1024 / 1024:g}".replace(".", ",")


def read(storage, accept: Accept = ANY) -> Upload:
    """An Upload from a werkzeug FileStorage, reading no more than the limit allows."""
    return Upload(storage.filename or "", storage.stream.read(accept.limit() + 1))


def clean_name(name: str) -> str:
    """The name shown and offered back: no folder, no control or reserved characters."""
    name = unicodedata.normalize("NFC", name.replace("\\", "/").rsplit("/", 1)[-1])
    name = _UNSAFE.sub(" ", name).strip(" .")
    return name[-_NAME_MAX:] or "tep"


def _named(name: str, kind: FileType) -> str:
    """The name with an extension of its real type: a JPEG sent as "anh.png" is "anh.png.jpg"."""
    if name.lower().endswith(kind.extensions):
        return name
    return name[:_NAME_MAX - len(kind.extensions[0])] + kind.extensions[0]


def check(upload: Upload, field: str = "files", accept: Accept = ANY) -> FileType:
    """The upload's type; UploadRefused when it is empty, too large or of a refused type."""
    name = clean_name(upload.filename)
    limit = accept.limit()
    if not upload.data:
        raise UploadRefused(field, f"Tệp «{name}» rỗng.")
    if len(upload.data) > limit:
        raise UploadRefused(field, f"Tệp «{name}» vượt quá dung lượng cho phép "
                                   f"({megabytes(limit)} MB).")
    kind = sniff(upload.data)
    if kind is None or (accept.types is not None and kind not in accept.types):
        raise UploadRefused(field, f"Tệp «{name}» không đúng loại cho phép ({accept.words}).")
    return kind


def store(upload: Upload, field: str = "files", accept: Accept = ANY) -> StoredFile:
    """A new StoredFile of a checked upload (added to the session, not yet flushed)."""
    kind = check(upload, field, accept)
    stored = StoredFile(filename=_named(clean_name(upload.filename), kind),
                        content_type=kind.content_type, size=len(upload.data),
                        sha256=hashlib.sha256(upload.data).hexdigest(), data=upload.data)
    db.session.add(stored)
    return stored


def store_all(uploads: list[Upload], field: str = "files") -> list[StoredFile]:
    """Every upload checked before any is kept: one refused file refuses them all, and the
    message names each refused file."""
    if not uploads:
        raise UploadRefused(field, "Vui lòng chọn ít nhất một tệp.")
    problems = []
    for upload in uploads:
        try:
            check(upload, field)
        except UploadRefused as exc:
            problems.append(exc.message)
    if problems:
        raise UploadRefused(field, " ".join(problems) + " Chưa tệp nào được lưu.")
    return [store(u, field) for u in uploads]


def content_disposition(name: str, disposition: str = "attachment") -> str:
    """attachment; filename="ASCII fallback"; filename*=UTF-8''percent-encoded (RFC 6266/5987)."""
    name = clean_name(name)
    ascii_name = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
    ascii_name = ascii_name.encode("ascii", "ignore").decode().replace('"', "") or "tep"
    return (f"{disposition}; filename=\"{ascii_name}\"; "
            f"filename*=UTF-8''{quote(name, safe='')}")


def send(stored: StoredFile) -> Response:
    """The file as a download the browser saves and never renders in the registry's origin."""
    resp = Response(stored.data, mimetype=stored.content_type)
    resp.headers["Content-Disposition"] = content_disposition(stored.filename)
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["Cache-Control"] = "private, no-store"
    return resp


def show_image(stored: StoredFile) -> Response:
    """A JPEG or PNG shown inside a page (a portrait); any other type goes as a download. Like
    every response naming a person it is never stored (registry.core.security: no-store)."""
    resp = send(stored)
    if stored.content_type in _IMAGES:
        resp.headers["Content-Disposition"] = content_disposition(stored.filename, "inline")
        resp.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return resp


def delete(stored: StoredFile) -> None:
    db.session.delete(stored)
