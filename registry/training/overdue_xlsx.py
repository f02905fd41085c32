"""The "chưa bồi dưỡng gần đây" list as xlsx: the page's people, filters and columns under the
agency header."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import IO

from models import Level, Role, Unit
from registry.eligibility.rules import Overdue
from registry.exports import listing
from registry.exports.layout import Column
from registry.roster.query import RosterFilter

COLUMNS = [Column("name", "Họ và tên", width=18), Column("unit", "Đơn vị", width=18),
           Column("roles", "Vai trò", width=16),
           Column("last", "Lần bồi dưỡng gần nhất kết thúc", width=14)]


def described(f: RosterFilter, unit: Unit | None, months: int, today: dt.date) -> str:
    role, level = Role.parse(f.role), Level.parse(f.level)
    return listing.described(
        [f"BCV, TTV đang hoạt động chưa hoàn thành bồi dưỡng, tập huấn trong {months} tháng "
         f"tính đến ngày {today:%d/%m/%Y}", role.label.lower() if role else "",
         level.phrase if level else "", f"đơn vị {unit.name}" if unit else ""], "")


def build(rows: Sequence[Overdue], about: str, issuer: Unit, today: dt.date) -> IO[bytes]:
    values = [(r.person.full_name, r.person.unit.name,
               ", ".join(f"{a.role.value} {a.level.phrase}"
                         for a in r.person.active_appointments()),
               r.last_training or "Chưa có") for r in rows]
    info = listing.Listing("Danh sách báo cáo viên, tuyên truyền viên chưa bồi dưỡng gần đây",
                           about, "Chưa bồi dưỡng", "người")
    return listing.build(info, COLUMNS, values, issuer, today)
