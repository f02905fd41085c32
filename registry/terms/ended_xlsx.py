"""The "hết nhiệm kỳ" list as xlsx: the page's appointments, filters and columns under the
agency header."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import IO

from models import Appointment, Unit
from registry.exports import listing
from registry.exports.layout import Column
from registry.terms.service import TermFilter

COLUMNS = [Column("name", "Họ và tên", width=18), Column("role", "Vai trò", width=12),
           Column("level", "Cấp", width=10), Column("unit", "Đơn vị", width=18),
           Column("no", "Quyết định", "Số", 10), Column("date", "Quyết định", "Ngày", 10),
           Column("term", "Nhiệm kỳ", width=10), Column("start", "Từ ngày", width=10)]


def described(f: TermFilter, unit: Unit | None, today: dt.date) -> str:
    return listing.described(
        [f"bổ nhiệm còn hiệu lực mà nhiệm kỳ đã kết thúc trước năm {today.year}",
         f.role.label.lower() if f.role else "", f"đơn vị {unit.name}" if unit else ""], "")


def build(rows: Sequence[Appointment], about: str, issuer: Unit, today: dt.date) -> IO[bytes]:
    values = [(a.person.full_name, a.role.label, a.level.label, a.unit_name_snapshot,
               a.decision_no, a.decision_date, a.term, a.start_date) for a in rows]
    info = listing.Listing("Danh sách bổ nhiệm hết nhiệm kỳ", about, "Hết nhiệm kỳ", "bổ nhiệm")
    return listing.build(info, COLUMNS, values, issuer, today)
