"""CSV / text reading: encoding (UTF-8 with or without BOM, UTF-16 with BOM, else a Windows code
page), delimiter sniffing (`,` `;` tab), one record = one row (quoted line breaks stay inside)."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from .errors import ImportFileError
from .legacy import UNICODE, detect_encoding
from .sheetdata import Row, SheetData, Workbook, bounded_rows
from .zipcheck import Limits

_DELIMITERS = (",", ";", "\t")
_FORMULA_START = ("=", "+", "-", "@")
_NOT_TEXT = "Tệp tải lên không phải bảng tính Excel (.xlsx, .xls) hoặc CSV."


def decode_text(data: bytes) -> str:
    """Bytes of a text file as str; raises not_a_spreadsheet for binary data."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = _strict(data, "utf-16")
    else:
        text = _strict(data, "utf-8-sig")
        if text is None:
            text = _windows_text(data)
    if text is None or _looks_binary(text):
        raise ImportFileError("not_a_spreadsheet", _NOT_TEXT)
    if text.lstrip()[:1] in ("<", "{", "%"):    # HTML, XML spreadsheet 2003, RTF, PDF, JSON
        raise ImportFileError("not_a_spreadsheet", _NOT_TEXT)
    return text


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _windows_text(data: bytes) -> str | None:
    """Non-UTF-8 text: legacy TCVN3/VNI bytes stay as Latin-1 code points (decoded later);
    otherwise the Vietnamese Windows code page cp1258."""
    latin = data.decode("latin-1")
    sample = latin[:65536].splitlines()
    if detect_encoding(sample) != UNICODE:
        return latin
    return _strict(data, "cp1258") or _strict(data, "cp1252")


def _looks_binary(text: str) -> bool:
    head = text[:65536]
    if "\x00" in head:
        return True
    controls = sum(1 for ch in head if ch < " " and ch not in "\t\r\n")
    return controls > max(2, len(head) // 200)


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first records into the most fields."""
    head = text[:32768]
    best, best_score = ",", -1
    for delimiter in _DELIMITERS:
        try:
            records = list(_records(head, delimiter, 60))
        except csv.Error:
            continue
        score = sum(len(r) - 1 for r in records if len(r) > 1)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _records(text: str, delimiter: str, limit: int | None = None) -> Iterator[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    for count, record in enumerate(reader, 1):
        yield record
        if limit is not None and count >= limit:
            return


def unescape_cell(value: str) -> str:
    """A leading apostrophe that protected a formula-like value on export is dropped."""
    if value[:1] == "'" and value[1:2] in _FORMULA_START:
        return value[1:]
    return value


def open_csv(data: bytes, limits: Limits) -> Workbook:
    text = decode_text(data)
    delimiter = sniff_delimiter(text)
    sample = tuple(line for line in text[:65536].splitlines() if line.strip())

    def rows() -> Iterator[Row]:
        try:
            for record in _records(text, delimiter):
                yield [unescape_cell(v) if v[:1] == "'" else v for v in record]
        except csv.Error:
            raise ImportFileError("corrupt_file", "Tệp CSV bị lỗi định dạng (ví dụ một ô quá dài "
                                  "hoặc dấu ngoặc kép không đóng).") from None

    def load(index: int, want_caps: bool) -> SheetData:
        return SheetData(
            None,
            bounded_rows(rows(), blank_run=limits.blank_run, max_rows=limits.max_rows),
            (),
            False,
        )

    return Workbook("csv", (None,), load, text_sample=sample)
