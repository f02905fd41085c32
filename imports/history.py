"""Rows of ended appointments ("history" rows), as the complete export with status "Tất cả"
writes them: the appointment's dates come as normalised text (YYYY-MM-DD, YYYY-MM or YYYY).

A row whose end date is on or before the import day is history: it never creates, re-activates,
moves or changes an appointment of a person already in the registry (match.py compares only
the person's own fields), and a new person comes in with that appointment already ended
(apply.py). A later end date is not a planned end the registry tracks: the row is a current
appointment, as if the date were not there. Pure: no database.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping


def first_day(text: str) -> dt.date:
    """The date a normalised date stands for: a partial one is the first day of its month or
    year, as birth dates are stored (registry.core.dates.parse_iso_partial_date)."""
    if len(text) == 10:  # a whole date, most of them: the C parser is several times faster
        return dt.date.fromisoformat(text)
    parts = [int(x) for x in text.split("-")]
    return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def ends_before_start(start: str | None, end: str | None) -> bool:
    """End before start, compared at the precision both have ("2024" ends no earlier than
    "2024-05-10"): ISO text orders like the dates it names."""
    if not start or not end:
        return False
    n = min(len(start), len(end))
    return end[:n] < start[:n]


def end_of(values: Mapping[str, object]) -> dt.date | None:
    """The day the row's appointment ends; never before its start (a partial end date that
    shares the start's year or month ends on the start)."""
    end = values.get("end_date")
    if not end:
        return None
    day = first_day(str(end))
    start = values.get("start_date")
    return max(day, first_day(str(start))) if start else day


def ended_on(values: Mapping[str, object], today: dt.date) -> dt.date | None:
    """The end date when the row is history on `today` (ended on or before it), else None."""
    if not values.get("end_date"):     # the common case, a file without the column: one lookup
        return None
    day = end_of(values)
    return day if day is not None and day <= today else None


def appointment_dates(
    values: Mapping[str, object], today: dt.date
) -> tuple[dt.date, dt.date | None]:
    """(start, end) of the appointment a row creates on `today`: an ended one keeps the row's
    dates (no start date: it starts on its end date); a current one starts on the row's start
    date, or today without one."""
    start = values.get("start_date")
    end = ended_on(values, today)
    if end is None:
        return (first_day(str(start)) if start else today), None
    return (first_day(str(start)) if start else end), end


def shown(text: str) -> str:
    """A normalised date as an officer reads it: "ngày 31/12/2024", "tháng 12/2024", "năm 2024"."""
    return f"{('năm', 'tháng', 'ngày')[text.count('-')]} {dmy(text)}"


def dmy(text: str) -> str:
    """2024-12-31 -> 31/12/2024; 2024-12 -> 12/2024; 2024 stays."""
    return "/".join(reversed(text.split("-")))


def note(end: str, existing: bool, changed: bool = False) -> str:
    """What the preview says about a history row (Vietnamese)."""
    head = f"Dòng lịch sử: nhiệm vụ đã kết thúc {shown(end)}"
    if not existing:
        return f"{head}; thêm người này với nhiệm vụ đã kết thúc (không tính là đang hoạt động)."
    if changed:
        return f"{head}; chỉ cập nhật thông tin cá nhân, không thay đổi nhiệm vụ hiện có."
    return f"{head}; không thay đổi nhiệm vụ hiện có."


def ambiguous(values: Mapping[str, object], unit: str, count: int) -> str:
    """Why a history row without CCCD is refused: several people could be the one it names
    (Vietnamese)."""
    dob = values.get("dob")
    born = f", sinh {shown(str(dob))}" if dob else ""
    return (
        f"Dòng lịch sử không có số CCCD: có {count} người cùng họ tên «{values.get('full_name')}»"
        f"{born} đã hoặc đang làm nhiệm vụ tại {unit}, không xác định được dòng này là của ai "
        "nên không nhập. Hãy ghi số CCCD của người này rồi tải lên lại."
    )


def starts_too_early(values: Mapping[str, object], current: Iterable) -> str | None:
    """Why a row that moves someone cannot start its appointment when it says: the new
    appointment starts after the current one of its role (which ends the day before), or the
    history would overlap. `current`: the person's active appointments (with .role, .start_date)."""
    start = values.get("start_date")
    starts = [a.start_date for a in current if a.role.value == values.get("role")]
    if not start or not starts or first_day(str(start)) > max(starts):
        return None
    return (
        f"Cột «Ngày bắt đầu»: nhiệm vụ mới bắt đầu {shown(str(start))}, không sau ngày bắt đầu "
        f"nhiệm vụ hiện tại ({max(starts):%d/%m/%Y}); nhiệm vụ hiện tại kết thúc vào ngày trước "
        "ngày bắt đầu nhiệm vụ mới, nên ngày bắt đầu phải sau ngày đó."
    )
