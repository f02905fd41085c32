"""Small helpers shared by the record services."""
from __future__ import annotations

import datetime as dt
import re

from registry.core.text import clean_spaces


def apply_fields(obj, data: dict, fields: tuple[str, ...], multiline: tuple[str, ...] = ()) -> None:
    """Copy `fields` present in `data` onto `obj`: one-line text trimmed and collapsed,
    multi-line text only trimmed, empty text stored as NULL."""
    for key in fields:
        if key not in data:
            continue
        value = data[key]
        if isinstance(value, str):
            value = (value.strip() if key in multiline else clean_spaces(value)) or None
        setattr(obj, key, value)


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole months, clamped to the end of a shorter month (31/03 - 1 → 28/02)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def month_bounds(period: dt.date) -> tuple[dt.date, dt.date]:
    """First and last day of the month holding `period`."""
    first = period.replace(day=1)
    return first, add_months(first, 1) - dt.timedelta(days=1)


_MONTH = re.compile(r"^(\d{1,2})[/.-](\d{4})$|^(\d{4})-(\d{1,2})$")


def parse_month(text: str | None) -> dt.date | None:
    """'03/2025', '3/2025' or '2025-03' → 1 March 2025; None when malformed."""
    m = _MONTH.match((text or "").strip())
    if not m:
        return None
    month, year = (m[1], m[2]) if m[1] else (m[4], m[3])
    try:
        return dt.date(int(year), int(month), 1)
    except ValueError:
        return None
