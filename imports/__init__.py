"""Pure reading stages of the roster importer (no Flask app, no database; storable reads the model
classes, on the first parse, for their column sizes).

Entry point: parse_upload(data, filename, catalogue, uploader) -> ParseResult.

Stages, each usable alone:
  read (+ zipcheck, xlsx, xlsxstream, xls, csvfile)  bytes -> Workbook of lazily read sheets
  legacy      TCVN3 / VNI detection and decoding (before anything else)
  header      header row(s), column-number row, columns -> fields (spec: the shared column table)
  rows        person rows: skips blank / STT-only / section / number rows, stops at the footer
  normalise   pure value converters;  assign: role, level, unit, district;  validate: reasons
  storable    how many characters each field's database column holds (validate's too_long)
  pipeline    the chain;  result: ParseResult / SheetResult and the contract dict
  history     rows of ended appointments (end date on or before the import day), for match/apply
"""
from .catalogue import Catalogue, UnitMatch, UnitRef
from .errors import FileError
from .pipeline import parse_upload
from .result import ParseResult, SheetResult
from .validate import REASONS, ParsedRow
from .zipcheck import Limits

__all__ = ["Catalogue", "FileError", "Limits", "ParseResult", "ParsedRow", "REASONS", "SheetResult",
           "UnitMatch", "UnitRef", "parse_upload"]
