"""Jinja filters for Vietnamese display: dd/mm/yyyy dates, 1.234.000 đ, partial birth dates."""
from __future__ import annotations

import datetime as dt

from models import DatePrecision


def vn_date(value) -> str:
    if not value:
        return ""
    return value.strftime("%d/%m/%Y %H:%M") if isinstance(value, dt.datetime) \
        else value.strftime("%d/%m/%Y")


def vn_dob(value: dt.date | None, precision: DatePrecision | None) -> str:
    if not value:
        return ""
    if precision is DatePrecision.YEAR:
        return str(value.year)
    if precision is DatePrecision.MONTH:
        return value.strftime("%m/%Y")
    return value.strftime("%d/%m/%Y")


def iso_dob(value) -> str:
    """An importer's date text (YYYY-MM-DD, YYYY-MM, YYYY) shown the Vietnamese way."""
    parts = str(value or "").split("-")
    if len(parts) in (2, 3) and all(p.isdigit() for p in parts):
        return "/".join(reversed(parts))
    return str(value or "")


def vn_number(value) -> str:
    return f"{int(value or 0):,}".replace(",", ".")


def vn_money(value) -> str:
    return f"{vn_number(value)} đ"


def vn_size(size) -> str:
    """A file size the Vietnamese way: "10 MB", "1,5 MB", "340 KB" (never "10.0 MB")."""
    size = int(size or 0)
    if size < 1024 * 1024:
        return f"{max(1, -(-size // 1024)) if size else 0} KB"
    megabytes = round(size / 1024 / 1024, 1)
    return f"{megabytes:g}".replace(".", ",") + " MB"


def init_app(app) -> None:
    app.jinja_env.filters.update(vn_date=vn_date, vn_number=vn_number, vn_money=vn_money,
                                  iso_dob=iso_dob, vn_size=vn_size)
    app.jinja_env.globals.update(vn_dob=vn_dob)
