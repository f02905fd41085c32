"""The API's downloads: how an xlsx answer is declared in the OpenAPI document."""
from __future__ import annotations

from registry.exports.book import XLSX_MIMETYPE


def xlsx_doc() -> dict:
    """`@blp.doc(responses=xlsx_doc())`: a 200 that is a workbook (binary), not JSON."""
    return {"200": {"description": "Tệp Excel (.xlsx), tải về dạng luồng",
                    "content": {XLSX_MIMETYPE: {"schema": {"type": "string",
                                                           "format": "binary"}}}}}
