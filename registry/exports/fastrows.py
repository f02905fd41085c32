"""A worksheet class for xlsxwriter's constant-memory mode whose row writer builds each finished
row's XML as one string, for the cells exports write (numbers, dates, inline strings, blank
cells with a format): the stock writer makes a list of attributes and four or five small file
writes per cell, which is most of the time of a large export.

The XML is byte for byte what the stock writer produces (tests/exports/test_exports_fastrows.py
writes the same cells both ways and compares the sheets), with one deliberate difference: a string
that looks like rich-text markup ("<r>…</r>") is escaped like any other text instead of being
written raw. A row holding other cells (formulas, rich strings, booleans, errors) goes to the stock
writer. xlsxwriter is pinned in requirements.txt; a new version must pass that test first.

Passed as `worksheet_class` to `Workbook.add_worksheet`, xlsxwriter's documented way to
subclass a worksheet.
"""
from __future__ import annotations

from xlsxwriter.utility import xl_rowcol_to_cell_fast
from xlsxwriter.worksheet import (
    CellBlankTuple,
    CellDatetimeTuple,
    CellNumberTuple,
    CellStringTuple,
    Worksheet,
)

_NUMBERS = (CellNumberTuple, CellDatetimeTuple)
_FAST = frozenset({CellNumberTuple, CellDatetimeTuple, CellStringTuple, CellBlankTuple})


class FastRowsWorksheet(Worksheet):
    def _write_single_row(self, current_row_num=0) -> None:
        row_num = self.previous_row
        cells = self.table.get(row_num)
        if (not cells or not self.constant_memory
                or any(cell.__class__ not in _FAST for cell in cells.values())):
            super()._write_single_row(current_row_num)
            return
        self.previous_row = current_row_num
        self._write_row(row_num, None, self.row_info.get(row_num))  # <row …>, as xlsxwriter
        self.fh.write("".join([self._cell_xml(row_num, col, cells[col]) for col in sorted(cells)])
                      + "</row>")
        self.table.clear()

    def _cell_xml(self, row: int, col: int, cell) -> str:
        attr = f' r="{xl_rowcol_to_cell_fast(row, col)}"'
        fmt = cell.format
        if fmt:
            attr += f' s="{fmt._get_xf_index()}"'
        elif col in self.col_info and self.col_info[col].column_format is not None:
            attr += f' s="{self.col_info[col].column_format._get_xf_index()}"'
        cls = cell.__class__
        if cls in _NUMBERS:
            return f"<c{attr}><v>{cell.number:.16G}</v></c>"
        if cls is CellBlankTuple:
            return f"<c{attr}/>"
        text = cell.string
        if not (text.isprintable() and "_x" not in text):
            text = self._escape_control_characters(text)
        # xlsxwriter writes a string that looks like "<r>…</r>" unescaped, as rich text: data
        # from a person would be lost or read as markup. Here it is text like any other.
        space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return f'<c{attr} t="inlineStr"><is><t{space}>{text}</t></is></c>'
