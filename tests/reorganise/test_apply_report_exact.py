"""In a registry that `init-db` loaded with today's units, the 2024 report after the
reorganisation is the very report from before it, every line and every list."""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict

from models import Level, Role, db
from registry.reorganise import service
from registry.reports import team_report

YEAR = (dt.date(2024, 1, 1), dt.date(2024, 12, 31))


def _report(root_id: int) -> dict:
    return asdict(team_report.build(root_id, *YEAR, YEAR[1]))


def test_the_2024_report_is_the_same_report(world2025, make):
    make.person("A Lâm", "Thị trấn Đắk Hà")
    make.person("Đinh Văn Hùng", "Xã Đắk Hring", start=dt.date(2023, 6, 1))
    make.person("Rơ Châm Hoa", "Huyện Đắk Hà", role=Role.BCV, level=Level.HUYEN)
    make.person("Lê Thị Mai", "Tỉnh Kon Tum", role=Role.BCV, level=Level.TINH)
    make.person("Y Nhung", "Xã Ia Dom", end=dt.date(2024, 6, 30))
    db.session.commit()
    old_root = make.unit("Tỉnh Kon Tum").id
    district = make.unit("Huyện Đắk Hà").id
    before = (_report(old_root), _report(district))
    summary = service.apply(service.REFORM_DAY, actor="tester")
    db.session.commit()
    assert summary["counts"]["appointments"] == 3
    assert (_report(old_root), _report(district)) == before
