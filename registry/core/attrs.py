"""Copying a service's input dict onto a model row, text cleaned the one way."""
from __future__ import annotations

from imports.text import collapse_spaces


def apply_fields(obj, data: dict, fields: tuple[str, ...], multiline: tuple[str, ...] = ()) -> None:
    """Copy `fields` present in `data` onto `obj`: one-line text with spaces collapsed and
    invisible characters dropped, multi-line text only trimmed, empty text stored as NULL."""
    for key in fields:
        if key not in data:
            continue
        value = data[key]
        if isinstance(value, str):
            value = (value.strip() if key in multiline else collapse_spaces(value)) or None
        setattr(obj, key, value)
