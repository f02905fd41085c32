"""Query-string values that feed arithmetic or the database (a page number, a month), parsed in
one place: a value outside what the page can use is a 400 page saying so, never a 500. Text with
a NUL character, which no PostgreSQL text column can hold, is refused before any view runs."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from flask import request

from registry.core.dates import YEARS, parse_month
from registry.core.errors import abort_bad_request

# Far beyond any list's last page, and small enough that page × page size fits every offset.
MAX_PAGE = 1_000_000


def page_arg(args: Mapping[str, str], name: str = "page") -> int:
    """The page number asked for (1 when absent); 400 for text or a number out of 1..MAX_PAGE."""
    text = (args.get(name) or "").strip()
    if not text:
        return 1
    number = int(text) if text.isascii() and text.isdigit() and len(text) <= 7 else 0
    if not 1 <= number <= MAX_PAGE:
        abort_bad_request(f"Số trang «{text[:20]}» không hợp lệ.")
    return number


def month_arg(args: Mapping[str, str], name: str = "month") -> dt.date | None:
    """The month asked for (None when absent); 400 for one parse_month refuses."""
    text = (args.get(name) or "").strip()
    if not text:
        return None
    month = parse_month(text)
    if month is None:
        abort_bad_request(f"Tháng «{text[:20]}» không hợp lệ; hãy chọn theo dạng mm/yyyy "
                          f"(năm {YEARS.start}–{YEARS.stop - 1}).")
    return month


def init_app(app) -> None:
    @app.before_request
    def _refuse_nul():
        for values in (request.args, request.form):
            if any("\x00" in k or "\x00" in v for k, v in values.items(multi=True)):
                abort_bad_request("Dữ liệu gửi lên chứa ký tự không hợp lệ (ký tự NUL).")
