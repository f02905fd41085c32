"""What the 2025 reorganisation changed on which day, for the rules that depend on a date.

NQ 202/2025/QH15 and the two-level local government law abolished the districts from
01-7-2025: government has two levels, tỉnh and xã, so a BCV or TTV can no longer be recognised
at cấp huyện from that day. The import, the forms and the services all ask here.
"""
from __future__ import annotations

import datetime as dt

from models import Level

DISTRICTS_ABOLISHED = dt.date(2025, 7, 1)
NO_DISTRICT_LEVEL = "Từ 01/7/2025 không còn cấp huyện; chọn cấp tỉnh hoặc cấp xã."
HISTORIC_DISTRICT_LABEL = "Huyện (chỉ bổ nhiệm trước 01/7/2025)"


def levels_on(day: dt.date | None) -> list[Level]:
    """The levels an appointment starting on `day` may take (all of them when no day is known)."""
    if day is not None and day >= DISTRICTS_ABOLISHED:
        return [level for level in Level if level is not Level.HUYEN]
    return list(Level)


def level_choices(day: dt.date | None) -> list[tuple[str, str]]:
    """(value, label) of `levels_on(day)`, for a select."""
    return [(level.value, level.label) for level in levels_on(day)]


def level_refusal(level: Level | None, start: dt.date | None) -> str | None:
    """Why an appointment at `level` cannot start on `start`, or None when it can."""
    if level is not None and start is not None and level not in levels_on(start):
        return NO_DISTRICT_LEVEL
    return None
