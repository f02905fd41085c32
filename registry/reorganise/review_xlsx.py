"""The reorganisation's follow-up lists as xlsx, each under the agency header with the page's
columns: successors to confirm, BCV cấp huyện to re-recognise, accounts of abolished units."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import IO

from models import Appointment, SuccessorReview, Unit
from registry.exports import listing
from registry.exports.layout import Column
from registry.reorganise.followup import OrphanAccount

REVIEW_COLUMNS = [Column("name", "Họ và tên", width=18), Column("old", "Xã cũ", width=18),
                  Column("successor", "Đơn vị kế thừa (mặc định)", width=18),
                  Column("choices", "Các đơn vị kế thừa", width=30),
                  Column("now", "Đang quản lý tại", width=18)]
RERECOGNITION_COLUMNS = [Column("name", "Họ và tên", width=18),
                         Column("role", "Vai trò", width=16),
                         Column("unit", "Đơn vị đã công nhận", width=18),
                         Column("no", "Quyết định", "Số", 10),
                         Column("body", "Quyết định", "Cơ quan", 14),
                         Column("start", "Từ ngày", width=10),
                         Column("now", "Đang quản lý tại", width=18)]
ACCOUNT_COLUMNS = [Column("username", "Tên đăng nhập", width=14),
                   Column("name", "Họ tên", width=18), Column("role", "Vai trò", width=12),
                   Column("unit", "Đơn vị (đã hết hiệu lực)", width=18),
                   Column("until", "Hiệu lực đến ngày", width=10),
                   Column("successor", "Đơn vị kế thừa", width=18)]


def reviews(rows: Sequence[SuccessorReview], issuer: Unit, today: dt.date) -> IO[bytes]:
    values = [(r.person.full_name, r.old_unit.name, r.successor.name if r.successor else "",
               ", ".join(u.name for u in r.old_unit.successors), r.person.unit.name)
              for r in rows]
    info = listing.Listing("Danh sách người của xã bị chia tách chờ xác nhận đơn vị kế thừa",
                           f"chưa xác nhận, tính đến ngày {today:%d/%m/%Y}", "Xã bị chia tách",
                           "người")
    return listing.build(info, REVIEW_COLUMNS, values, issuer, today)


def rerecognition(rows: Sequence[Appointment], issuer: Unit, today: dt.date) -> IO[bytes]:
    values = [(a.person.full_name, f"{a.role.label} {a.level.phrase}", a.unit_name_snapshot,
               a.decision_no, a.decision_body, a.start_date, a.person.unit.name) for a in rows]
    info = listing.Listing("Danh sách báo cáo viên cấp huyện cần công nhận lại",
                           f"nhiệm vụ cấp huyện còn hiệu lực ngày {today:%d/%m/%Y}; từ "
                           "01/07/2025 không còn cấp huyện", "Cần công nhận lại", "người")
    return listing.build(info, RERECOGNITION_COLUMNS, values, issuer, today)


def accounts(rows: Sequence[OrphanAccount], issuer: Unit, today: dt.date) -> IO[bytes]:
    values = [(r.user.username, r.user.display_name, r.user.role.label, r.user.unit.name,
               r.user.unit.valid_to, r.successor.name if r.successor else "") for r in rows]
    info = listing.Listing("Danh sách tài khoản của đơn vị đã hết hiệu lực",
                           f"tính đến ngày {today:%d/%m/%Y}", "Tài khoản", "tài khoản")
    return listing.build(info, ACCOUNT_COLUMNS, values, issuer, today)
