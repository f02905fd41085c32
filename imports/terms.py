"""A term of office (nhiệm kỳ) as written, read into its start and end years.

Pure: the forms, the import and the model share it, so "2020 – 2025" means the same years
wherever it is typed.
"""
from __future__ import annotations

import re

from .text import collapse_spaces

# Terms run five years; ten is room for an extended term, more is a typing slip ("2020-2205").
MAX_SPAN = 10
YEAR_LOW, YEAR_HIGH = 1945, 2100
# Hyphen, the dashes (‐ ‑ ‒ – — ―), the minus sign and a slash: all seen between the years.
_SEPARATORS = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212/"
_TERM = re.compile(
    r"^(?:(?:nhiệm\s*kỳ|nhiem\s*ky|n\.?\s*k\.?)\s*:?\s*)?"
    rf"\(?([0-9]{{4}})\s*[{_SEPARATORS}]\s*([0-9]{{4}})\)?$"
)


def parse_term(text: str | None) -> tuple[int, int] | None:
    """(start year, end year) of a term written like "2020-2025", "2020 – 2025", "NK 2020-2025"
    or "nhiệm kỳ 2020/2025"; None for anything else, an end before the start, years outside
    YEAR_LOW..YEAR_HIGH or a span over MAX_SPAN years."""
    if not text:
        return None
    found = _TERM.match(collapse_spaces(text).casefold())
    if found is None:
        return None
    start, end = int(found[1]), int(found[2])
    if not (YEAR_LOW <= start <= end <= YEAR_HIGH) or end - start > MAX_SPAN:
        return None
    return start, end


def term_text(start: int, end: int) -> str:
    """How the registry writes a term it makes itself ("2025-2030")."""
    return f"{start}-{end}"


def term_problem(text: str) -> str:
    """The Vietnamese explanation for a term parse_term() cannot read."""
    return f"Nhiệm kỳ «{text}» không đúng dạng; ghi như 2020-2025."
