"""The commendation and discipline lists as xlsx: the screen's columns under the agency header
(registry.exports.listing lays them out)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import IO

from models import Commendation, Discipline, Unit
from registry import refdata
from registry.exports import listing
from registry.exports.layout import Column
from registry.records.record_lists import CommendationFilter, DisciplineFilter

PERSON = [Column("name", "Họ và tên", width=18), Column("unit", "Đơn vị", width=16)]
DECISION = [Column("no", "Quyết định", "Số", 10), Column("date", "Quyết định", "Ngày", 10)]
COMMENDATION_COLUMNS = [*PERSON, Column("form", "Hình thức", width=16),
                        Column("issuer", "Cấp, cơ quan khen", width=18), *DECISION,
                        Column("year", "Năm", width=6), Column("reason", "Thành tích", width=30)]
DISCIPLINE_COLUMNS = [*PERSON, Column("form", "Hình thức", width=14),
                      Column("system", "Hệ thống", width=12), *DECISION,
                      Column("issuer", "Cơ quan quyết định", width=16),
                      Column("from", "Hiệu lực", "Từ ngày", 10),
                      Column("until", "Hiệu lực", "Đến ngày", 12),
                      Column("summary", "Tóm tắt vi phạm", width=30)]


def commendations(items: Sequence[Commendation], f: CommendationFilter, issuer: Unit,
                  today: dt.date) -> IO[bytes]:
    names = refdata.names("commendation_form")
    rows = [(c.person.full_name, c.person.unit.name,
             names.get(c.form, c.form) + (f" ({c.title})" if c.title else ""),
             f"{c.issuer} ({c.issuer_level.phrase})", c.decision_no, c.decision_date,
             c.year, c.reason) for c in items]
    about = listing.Listing("Danh sách khen thưởng báo cáo viên, tuyên truyền viên",
                            listing.described(f.described(), "tất cả khen thưởng trong phạm vi"),
                            "Khen thưởng", "khen thưởng")
    return listing.build(about, COMMENDATION_COLUMNS, rows, issuer, today)


def disciplines(items: Sequence[Discipline], f: DisciplineFilter, issuer: Unit,
                today: dt.date) -> IO[bytes]:
    names = refdata.names("discipline_form")
    rows = [(d.person.full_name, d.person.unit.name, names.get(d.form, d.form), d.system.label,
             d.decision_no, d.decision_date, d.issuer, d.effective_from,
             d.effective_until or "Không thời hạn", d.summary) for d in items]
    about = listing.Listing("Danh sách kỷ luật, xử lý vi phạm của báo cáo viên, tuyên truyền viên",
                            listing.described(f.described(), "tất cả kỷ luật trong phạm vi"),
                            "Kỷ luật", "kỷ luật")
    return listing.build(about, DISCIPLINE_COLUMNS, rows, issuer, today)
