"""The transfer requests list as xlsx: the page's rows and columns under the agency header."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import IO

from models import TransferRequest, TransferStatus, Unit
from registry.exports import listing
from registry.exports.layout import Column

COLUMNS = [Column("date", "Ngày gửi", width=10),
           Column("name", "Họ và tên (theo tệp)", width=18), Column("cccd", "Số CCCD", width=13),
           Column("unit", "Đơn vị đề nghị nhận", width=18),
           Column("from", "Đơn vị đang quản lý", width=18), Column("role", "Vai trò", width=16),
           Column("by", "Người gửi", width=14), Column("status", "Trạng thái", width=10)]


def build(rows: Sequence[TransferRequest], status: TransferStatus | None, issuer: Unit,
          today: dt.date) -> IO[bytes]:
    values = [(r.created_at, r.values.get("full_name", ""), r.values.get("cccd", ""),
               r.unit.name, r.from_unit.name if r.from_unit else "",
               f"{r.role.label} {r.level.phrase}",
               r.requester.display_name if r.requester else r.requested_by, r.status.label)
              for r in rows]
    about = (f"trạng thái {status.label.lower()}" if status else "mọi trạng thái") + \
        f", tính đến ngày {today:%d/%m/%Y}"
    info = listing.Listing("Danh sách đề nghị chuyển công tác", about, "Chuyển công tác",
                           "đề nghị")
    return listing.build(info, COLUMNS, values, issuer, today)
