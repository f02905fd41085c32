"""The outcome of parsing one upload, and its contract (JSON-ready) form."""
from __future__ import annotations

from dataclasses import dataclass

from .errors import FileError
from .header import Column
from .spec import CONTRACT_FIELDS
from .validate import ParsedRow


@dataclass(frozen=True, slots=True)
class SheetResult:
    name: str | None                  # None for CSV
    role: str                         # "BCV" | "TTV" | "mixed" (a per-row «Loại» column)
    header_row: int                   # first header row, 1-based
    header_rows: tuple[int, ...]
    column_number_row: int | None
    first_data_row: int
    columns: tuple[Column, ...]       # recognised fields: key, 0-based column, title as in the file
    titles: tuple[str, ...]           # title of every column, for an error workbook
    rows: tuple[ParsedRow, ...]

    @property
    def valid_count(self) -> int:
        return sum(1 for row in self.rows if row.reason is None)

    @property
    def invalid_count(self) -> int:
        return len(self.rows) - self.valid_count


@dataclass(frozen=True, slots=True)
class ParseResult:
    file: str
    kind: str | None                  # "xlsx" | "xls" | "csv" | None (not readable)
    error: FileError | None
    encoding: str                     # "unicode" | "tcvn3" | "vni"
    sheets: tuple[SheetResult, ...] = ()
    ignored_sheets: tuple[str, ...] = ()

    @property
    def counts(self) -> dict[str, int]:
        data = sum(len(s.rows) for s in self.sheets)
        valid = sum(s.valid_count for s in self.sheets)
        return {"data_rows": data, "valid_rows": valid, "invalid_rows": data - valid}

    def to_contract_dict(self) -> dict[str, object]:
        """The import contract; status is "valid"/"invalid" until the database stage decides
        new/update/unchanged for the valid rows."""
        return {
            "file": self.file,
            "error": self.error.to_dict() if self.error else None,
            "encoding": self.encoding,
            "sheets": [_sheet_dict(sheet) for sheet in self.sheets],
            "ignored_sheets": list(self.ignored_sheets),
            "counts": self.counts,
        }


def _sheet_dict(sheet: SheetResult) -> dict[str, object]:
    return {
        "sheet": sheet.name,
        "role": sheet.role,
        "header_row": sheet.header_row,
        "header_rows": list(sheet.header_rows),
        "column_number_row": sheet.column_number_row,
        "first_data_row": sheet.first_data_row,
        "rows": [row_dict(row) for row in sheet.rows],
    }


def row_dict(row: ParsedRow) -> dict[str, object]:
    values = row.values
    return {
        "row": row.row,
        "status": "valid" if row.reason is None else "invalid",
        "reason": row.reason,
        "duplicate_of_row": row.duplicate_of_row,
        "message": row.message,
        "note": row.note,
        "field": row.field,
        "changes": {},
        "values": {key: values.get(key) for key in CONTRACT_FIELDS},
        # Where a former unit's row lands today (None: in `unit` itself), and the units a
        # divided one leaves to choose from (ambiguous_successor).
        "current_unit": row.current_unit,
        "choices": list(row.choices) or None,
        "extra": {key: value for key, value in values.items() if key not in CONTRACT_FIELDS},
    }
