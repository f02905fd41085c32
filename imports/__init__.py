"""Pure reading stages of the roster importer (no Flask, no database).

Entry point: parse_upload(data, filename, catalogue, uploader) -> ParseResult.

Stages, each usable alone:
  read (+ zipcheck, xlsx, xlsxstream, xls, csvfile)  bytes -> Workbook of lazily read sheets
  legacy      TCVN3 / VNI detection and decoding (before anything else)
  header      header row(s), column-number row, columns -> fields (spec: the shared column table)
  rows        person rows: skips blank / STT-only / section / number rows, stops at the footer
  normalise   pure value converters;  assign: role, level, unit, district;  validate: reasons
  pipeline    the chain;  result: ParseResult / SheetResult and the contract dict
"""
from .catalogue import Catalogue, UnitMatch, UnitRef
from .errors import FileError
from .pipeline import parse_upload
from .result import ParseResult, SheetResult
from .validate import REASONS, ParsedRow
from .zipcheck import Limits

__all__ = ["Catalogue", "FileError", "Limits", "ParseResult", "ParsedRow", "REASONS", "SheetResult",
           "UnitMatch", "UnitRef", "parse_upload"]
