"""Small file builders for the importer tests (openpyxl workbooks and hand-written packages)."""
from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence

import openpyxl
from openpyxl.styles import Font

from imports import Catalogue
from tests.paths import REFDATA

# What the model columns hold today (registry.importing.db_catalogue reads them for the app);
# tests/importing/test_column_limits.py checks that the same fields are limited.
COLUMN_LIMITS = {
    "full_name": 200,
    "ethnicity": 60,
    "position": 300,
    "cccd": 12,
    "religion": 100,
    "education": 60,
    "professional": 200,
    "phone": 40,
    "email": 200,
    "workplace": 300,
    "decision_no": 100,
    "hometown": 300,
    "decision_body": 200,
    "term": 40,
}


def reference_catalogue(max_lengths: dict[str, int]) -> Catalogue:
    """The reference units and ethnicities, with these field lengths."""
    return Catalogue.from_json(
        REFDATA / "kontum_units.json", REFDATA / "ethnicities.json", max_lengths=max_lengths
    )


def xlsx_bytes(
    rows: Sequence[Sequence[object]],
    *,
    title: str = "Sheet1",
    merges: Sequence[str] = (),
    font: str | None = None,
    extra_sheets: dict[str, Sequence[Sequence[object]]] | None = None,
    text_cells: Sequence[str] = (),
) -> bytes:
    """A workbook whose first sheet holds `rows` from A1; None leaves a cell empty."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                cell = ws.cell(row=r, column=c, value=value)
                if font:
                    cell.font = Font(name=font)
    for ref in text_cells:
        ws[ref].data_type = "s"
        ws[ref].quotePrefix = True
    for ref in merges:
        ws.merge_cells(ref)
    for name, sheet_rows in (extra_sheets or {}).items():
        other = wb.create_sheet(name)
        for row in sheet_rows:
            other.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


_CT = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override '
    'PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '</Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
    'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WB = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships"><sheets><sheet name="DS" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WB_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
    'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)


def raw_xlsx(sheet_data: str, *, after: str = "") -> bytes:
    """A minimal package around hand-written <sheetData> content (for sparse or odd sheets)."""
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        f'spreadsheetml/2006/main"><sheetData>{sheet_data}</sheetData>{after}</worksheet>'
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _WB)
        z.writestr("xl/_rels/workbook.xml.rels", _WB_RELS)
        z.writestr("xl/worksheets/sheet1.xml", sheet)
    return buf.getvalue()


def xml_row(number: int, values: Sequence[object]) -> str:
    """<row> with inline strings from column A; '' cells are left out."""
    cells = "".join(
        f'<c r="{chr(65 + i)}{number}" t="inlineStr"><is><t>{v}</t></is></c>'
        for i, v in enumerate(values)
        if v != ""
    )
    return f'<row r="{number}">{cells}</row>'


HEADER = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Xã", "Chức vụ", "Số CCCD"]


def person(
    stt: int,
    name: str = "Nguyễn Văn An",
    dob: object = "01/02/1980",
    gender: str = "Nam",
    unit: str = "Xã Đắk La",
    cccd: object = None,
    ethnicity: str = "Kinh",
    position: str = "Trưởng thôn",
) -> list[object]:
    return [stt, name, dob, gender, ethnicity, unit, position, cccd]
