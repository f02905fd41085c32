"""The tree of a past date after several mergers on the same day: each unit goes back under the
parent it had before the first of them, not under an intermediate one."""
from __future__ import annotations

import datetime as dt

from models import UnitKind, db
from registry.reports import team_report
from registry.units import service as unit_svc
from registry.units.tree import UnitTree

D = dt.date
DAY = D(2025, 7, 1)


def _merge_district_then_province(make):
    """Huyện Đắk Hà into the province, then the province into a new one, on the same day: Đắk
    Hà's communes are re-parented twice and carry two former parents ending 30-6-2025."""
    old = make.unit("Tỉnh Kon Tum")
    unit_svc.merge_units([make.unit("Huyện Đắk Hà")], old, DAY)
    new = unit_svc.add_unit("Tỉnh Quảng Ngãi", UnitKind.TINH, None, valid_from=DAY)
    unit_svc.merge_units([old], new, DAY)
    db.session.commit()
    return old, new


def test_two_merges_on_one_day_leave_2024_tree_unchanged(ctx, make):
    before = UnitTree(D(2024, 12, 31))
    old_root = make.unit("Tỉnh Kon Tum").id
    expected = {n.id: before.parent[n.id] for n in before.nodes.values()}
    top = [n.name for n in before.children(old_root, D(2024, 12, 31))]
    make.person("Y Hà", "Xã Đắk Hring")
    report_before = team_report.build(old_root, D(2024, 1, 1), D(2024, 12, 31), D(2024, 12, 31))

    _merge_district_then_province(make)

    after = UnitTree(D(2024, 12, 31))
    assert {i: after.parent[i] for i in expected} == expected
    assert [n.name for n in after.children(old_root, D(2024, 12, 31))] == top
    assert "Xã Đắk Hring" not in top
    report_after = team_report.build(old_root, D(2024, 1, 1), D(2024, 12, 31), D(2024, 12, 31))
    assert [(ln.label, ln.count("people")) for ln in report_after.lines] == \
        [(ln.label, ln.count("people")) for ln in report_before.lines]
    assert report_after.without_ttv == report_before.without_ttv


def test_today_the_communes_sit_under_the_new_province(ctx, make):
    _old, new = _merge_district_then_province(make)
    today = UnitTree()
    hring = make.unit("Xã Đắk Hring")
    assert today.ancestors(hring.id)[1:] == [new.id]
    on_merger_eve = UnitTree(DAY - dt.timedelta(days=1))
    assert on_merger_eve.name(on_merger_eve.parent[hring.id]) == "Huyện Đắk Hà"


def test_communes_merged_then_district_merged_on_one_day(ctx, make):
    """The issue's hand rebuild: Đắk Hà's communes into a new Xã Đăk Hà, then the district into
    the province, the same day; 2024 still has the district and its communes."""
    day = D(2024, 12, 31)
    before = UnitTree(day)
    expected = dict(before.parent)
    district = make.unit("Huyện Đắk Hà")
    communes = before.children(district.id, day)
    new = unit_svc.add_unit("Xã Đăk Hà", UnitKind.XA, district, type_label="xã", valid_from=DAY)
    unit_svc.merge_units([make.unit(n.name) for n in communes], new, DAY)
    unit_svc.merge_units([district], make.unit("Tỉnh Kon Tum"), DAY)
    db.session.commit()
    after = UnitTree(day)
    assert {i: after.parent[i] for i in expected} == expected
    assert [n.id for n in after.children(district.id, day)] == [n.id for n in communes]
    today = UnitTree()
    assert today.name(today.parent[new.id]) == "Tỉnh Kon Tum"
