"""The roster importer's reading side: a pure library (no Flask, no database, no models, no
registry; import-linter checks it). It takes a Catalogue object — units, ethnicities and how many
characters each field may have — never a session; registry.importing builds one from the database
and does the matching, storing and committing.

Entry point: parse_upload(data, filename, catalogue, uploader) -> ParseResult.

Stages, each usable alone (stage: modules):
  read            read, zipcheck, xlsx, xlsxstream, xls, csvfile: bytes -> Workbook of lazy sheets
  decode          legacy: TCVN3 / VNI detection and decoding (before anything else)
  header          header: header row(s), column-number row, columns -> fields
  rows            rows: person rows; skips blank / STT-only / section / number rows, stops at the
                  footer
  normalise       normalise: pure value converters; assign: role, level, unit, district
                  (unit_match, unit_names: unit names as offices write them, sheet titles)
  validate        validate: a row's first problem in REASONS order (too_long from
                  catalogue.max_lengths)
  spec            spec: the column table shared by import, export and template
  result          result: ParseResult / SheetResult and the contract dict; pipeline: the chain
  error workbook  error_workbook: the invalid rows handed back as xlsx, ready to fix; it reads
                  the uploaded file again (error_source) and copies an xlsx's look
                  (error_format)
  template        template: a blank roster workbook from plain lists of choices
Helpers: catalogue (lookups), text, terms (a term's years), errors (file errors), history (rows
of ended appointments, for registry.importing.match / apply too), sheetdata.
"""
from .catalogue import Catalogue, UnitMatch, UnitRef
from .errors import FileError
from .pipeline import parse_upload
from .result import ParseResult, SheetResult
from .validate import REASONS, ParsedRow
from .zipcheck import Limits

__all__ = ["Catalogue", "FileError", "Limits", "ParseResult", "ParsedRow", "REASONS", "SheetResult",
           "UnitMatch", "UnitRef", "parse_upload"]
