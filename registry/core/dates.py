"""The registry's dates: parsing what officers type (dd/mm/yyyy, partial birth dates, months),
the importer's normalised date text, and month arithmetic."""
from __future__ import annotations

import datetime as dt
import re

from imports.history import first_day
from models import DatePrecision

_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_MY = re.compile(r"^(\d{1,2})[/.-](\d{4})$")
_Y = re.compile(r"^(\d{4})$")
# The years a typed date may name: wider than any birth, decision or term (the forms judge
# what is plausible, with their own messages), and far enough from the calendar's ends
# (years 1 and 9999) that age and month arithmetic never overflow.
YEARS = range(1000, 3000)


def _in_range(day: dt.date) -> dt.date:
    if day.year not in YEARS:
        raise ValueError(f"year {day.year} outside {YEARS.start}..{YEARS.stop - 1}")
    return day


def parse_vn_date(text: str) -> dt.date:
    """dd/mm/yyyy (also d-m-yyyy, dd.mm.yyyy, or ISO) to a date; ValueError when impossible."""
    text = text.strip()
    m = _DMY.match(text)
    if m:
        return _in_range(dt.date(int(m[3]), int(m[2]), int(m[1])))
    return _in_range(dt.date.fromisoformat(text))


def parse_day(text: str) -> dt.date | None:
    """dd/mm/yyyy or yyyy-mm-dd; None when empty or malformed (the caller explains)."""
    try:
        return parse_vn_date(text) if text else None
    except ValueError:
        return None


def parse_partial_date(text: str) -> tuple[dt.date, DatePrecision]:
    """A birth date given as dd/mm/yyyy, mm/yyyy or yyyy, with the precision given."""
    text = text.strip()
    if m := _Y.match(text):
        return _in_range(dt.date(int(m[1]), 1, 1)), DatePrecision.YEAR
    if m := _MY.match(text):
        return _in_range(dt.date(int(m[2]), int(m[1]), 1)), DatePrecision.MONTH
    return parse_vn_date(text), DatePrecision.DAY


_PRECISION_OF_DASHES = (DatePrecision.YEAR, DatePrecision.MONTH, DatePrecision.DAY)


def parse_iso_partial_date(text: str | None) -> tuple[dt.date | None, DatePrecision | None]:
    """The importer's normalised date text (YYYY-MM-DD, YYYY-MM or YYYY) as a stored birth date:
    the first day of its month or year, with the precision given; (None, None) when empty."""
    if not text:
        return None, None
    return first_day(text), _PRECISION_OF_DASHES[text.count("-")]


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
    """'03/2025', '3/2025' or '2025-03' → 1 March 2025; None when malformed or out of YEARS."""
    m = _MONTH.match((text or "").strip())
    if not m:
        return None
    month, year = (m[1], m[2]) if m[1] else (m[4], m[3])
    try:
        return _in_range(dt.date(int(year), int(month), 1))
    except ValueError:
        return None
