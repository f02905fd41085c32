"""What the reorganisation must not change: figures of 2024, computed before and after it; and
what it must do for every Kon Tum commune: the successors of the source."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from models import Level, Person, Role, Unit, UnitKind, db, unit_successors
from registry.dashboard.stats import headline_counts
from registry.refdata import units2025
from registry.reorganise import service
from registry.reports import team_report
from registry.roster.query import RosterFilter, build_query
from registry.units.service import add_unit

DAY = dt.date(2025, 7, 1)
EVE = dt.date(2025, 6, 30)
END_2024 = dt.date(2024, 12, 31)


def _figures_2024(root_id: int, units: set[int]) -> dict:
    """The 2024 team report of the root and of each of its districts, the dashboard's headline
    and the roster as of 31-12-2024, over the units in `units`: the catalogue adds old units
    the legacy tree lacked (Thị trấn Măng Đen), empty rows the registry never had."""
    report = team_report.build(root_id, dt.date(2024, 1, 1), END_2024, END_2024)
    lines = [(x.label, x.unit_id, sorted(x.people), sorted(x.bcv), sorted(x.ttv), dict(x.counts))
             for x in [*report.lines, report.total] if x.unit_id is None or x.unit_id in units]
    for unit_id in [x.unit_id for x in report.lines[1:]]:
        sub = team_report.build(unit_id, dt.date(2024, 1, 1), END_2024, END_2024)
        lines += [(x.label, x.unit_id, sorted(x.people)) for x in sub.lines if x.unit_id in units]
    names = set(db.session.execute(sa.select(Unit.name).where(Unit.id.in_(units))).scalars())
    roster = db.session.execute(build_query(RosterFilter(on=END_2024.isoformat()), END_2024)
                                .with_only_columns(Person.id).order_by(None)).scalars().all()
    return {"lines": lines, "without_ttv": [r for r in report.without_ttv if r[0] in names],
            "root": report.root_name, "headline": headline_counts(END_2024),
            "roster": sorted(roster)}


def test_2024_figures_are_equal_before_and_after(make):
    village = add_unit("Thôn Kon Klốc", UnitKind.THON, make.unit("Xã Đắk Hring"))
    make.person("Y Bình", village)
    make.person("A Lâm", "Thị trấn Đắk Hà")
    make.person("Đinh Văn Hùng", "Xã Đắk La", start=dt.date(2023, 6, 1))
    make.person("Rơ Châm Hoa", "Huyện Đắk Hà", role=Role.BCV, level=Level.HUYEN)
    make.person("Lê Thị Mai", "Tỉnh Kon Tum", role=Role.BCV, level=Level.TINH)
    make.person("A Thuận", "Phường Quyết Thắng")
    make.person("Y Nhung", "Xã Ia Dom", end=dt.date(2024, 6, 30))
    db.session.commit()
    root = make.unit("Tỉnh Kon Tum").id
    units = set(db.session.execute(sa.select(Unit.id)).scalars())
    before = _figures_2024(root, units)
    service.apply(DAY, actor="tester")
    db.session.commit()
    after = _figures_2024(root, units)
    assert before == after
    assert len(after["lines"]) > 100 and len(after["without_ttv"]) > 90
    assert len(before["roster"]) == 6 and before["headline"]["ttv"] == 4


def test_every_kon_tum_commune_maps_as_in_the_source(ctx):
    legacy = set(db.session.execute(sa.select(Unit.id).where(Unit.kind == UnitKind.XA)).scalars())
    service.apply(DAY, actor="tester")
    catalogue = units2025.load("Quảng Ngãi")
    kon_tum = next(p for p in catalogue.former if p.code == "62")
    links = db.session.execute(sa.select(
        unit_successors.c.predecessor_id, Unit.gso_code, unit_successors.c.is_default)
        .join(Unit, Unit.id == unit_successors.c.successor_id)).all()
    by_unit: dict[int, set] = {}
    for predecessor, code, default in links:
        by_unit.setdefault(predecessor, set()).add((code, default))
    communes = [c for d in kon_tum.children for c in d.children]
    assert len(communes) == 102
    for commune in communes:
        [unit] = db.session.execute(sa.select(Unit).where(
            Unit.gso_code == commune.code, Unit.kind == UnitKind.XA,
            Unit.valid_to == EVE)).scalars().all()
        assert by_unit[unit.id] == {(s.code, s.default) for s in commune.successors}, unit.name
        assert {u.valid_from for u in unit.successors} == {DAY}
        legacy.discard(unit.id)
    assert legacy == set()  # every legacy commune adopted (Thị trấn Măng Đen was added)
