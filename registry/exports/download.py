"""Sending a finished workbook: small files from memory, large ones streamed from their
temporary file (which the WSGI server closes, and so deletes, once the response is sent)."""
from __future__ import annotations

import io
import os
from typing import IO

from flask import current_app, send_file

from registry.exports.book import XLSX_MIMETYPE

IN_MEMORY_MAX = 16 * 1024 * 1024


def send_xlsx(file: IO[bytes], name: str):
    limit = current_app.config.get("EXPORT_IN_MEMORY_MAX", IN_MEMORY_MAX)
    if os.fstat(file.fileno()).st_size <= limit:
        with file:
            file = io.BytesIO(file.read())
    return send_file(file, mimetype=XLSX_MIMETYPE, as_attachment=True, download_name=name,
                     max_age=0)
