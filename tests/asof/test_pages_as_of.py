"""The units page, the roster, the dashboard and the team report in today's tree by default and
in the tree of a past date on request (`?on=dd/mm/yyyy`), for an admin and a commune officer."""
from __future__ import annotations

import datetime as dt

from models import UserRole
from registry.dashboard import stats
from registry.reports import team_report
from registry.units import asof
from registry.units import service as unit_svc
from tests.asof.conftest import Y2024


def _page(client, url, **query) -> str:
    resp = client.get(url, query_string=query)
    assert resp.status_code == 200, resp.status_code
    return resp.get_data(as_text=True)


def test_units_page_today_and_in_2024(reorganised, login, client):
    login("admin")
    today = _page(client, "/units")
    assert "Xã Đăk Mar" in today and "Xã Đắk Hring" not in today
    assert "Huyện Đắk Hà" not in today and "Xem theo ngày" in today
    then = _page(client, "/units", on="31/12/2024")
    assert "Huyện Đắk Hà" in then and "Xã Đắk Hring" in then and "Tỉnh Kon Tum" in then
    assert "Xã Đăk Mar" not in then
    bad = _page(client, "/units", on="31/13/2024")
    assert "Ngày «31/13/2024» không hợp lệ" in bad and "Xã Đăk Mar" in bad


def test_units_rows_of_2024_nest_communes_under_their_district(reorganised, ctx):
    rows = unit_svc.tree_rows(Y2024)
    names = [r.unit.name for r in rows]
    district = names.index("Huyện Đắk Hà")
    hring = rows[names.index("Xã Đắk Hring")]
    assert hring.depth == rows[district].depth + 1 and hring.ttv == 1
    assert rows[district].subtree_ttv == 1 and not hring.lacks_ttv
    assert rows[names.index("Tỉnh Kon Tum")].subtree_ttv == 1
    today = {r.unit.name: r for r in unit_svc.tree_rows()}
    assert len([r for r in today.values() if r.depth == 1]) == 96
    assert today["Xã Đăk Mar"].ttv == 1 and today["Xã Đăk Hà"].lacks_ttv


UNIT_CELL = '<td class="unit">%s</td>'  # the roster's unit column


def test_roster_unit_filter_and_column_follow_the_date(reorganised, login, client):
    login("admin")
    district = reorganised["dakha_district"].id
    then = _page(client, "/roster", on="31/12/2024", unit=district)
    assert "Y Hring" in then and "A Báo" in then
    assert UNIT_CELL % "Xã Đắk Hring" in then and UNIT_CELL % "Huyện Đắk Hà" in then
    assert "Xã Đăk Mar</td>" not in then
    today = _page(client, "/roster", unit=reorganised["mar"].id)
    assert "Y Hring" in today and UNIT_CELL % "Xã Đăk Mar" in today and "A Báo" not in today
    nobody = _page(client, "/roster", on="31/12/2024", unit=reorganised["mar"].id)
    assert "Y Hring" not in nobody


def test_commune_officer_sees_their_people_where_they_were(reorganised, login, client):
    login("xdm")
    then = _page(client, "/roster", on="31/12/2024")
    assert "Y Hring" in then and UNIT_CELL % "Xã Đắk Hring" in then and "A Báo" not in then
    assert "Xã Đăk Mar" in _page(client, "/units")
    units = _page(client, "/units", on="31/12/2024")
    assert "Không có đơn vị nào trong phạm vi của bạn" in units


def test_dashboard_groups_by_communes_today_and_districts_in_2024(reorganised, ctx):
    today = {b.label: b for b in stats.charts()[0].bars}
    assert today["Xã Đăk Mar"].value == 1 and today["Tỉnh Quảng Ngãi (trực thuộc)"].value == 1
    assert not any(label.startswith("Huyện") for label in today)
    then_chart = stats.charts(Y2024)[0]
    then = {b.label: b for b in then_chart.bars}
    assert then["Huyện Đắk Hà"].value == 2 and then["Huyện Đắk Hà"].args == {
        "unit": reorganised["dakha_district"].id, "on": "2024-12-31"}
    assert "Huyện Đắk Tô" in then and "Xã Đăk Mar" not in then
    assert not any("Quảng Ngãi" in label for label in then)  # nobody there in 2024


def test_dashboard_page_takes_a_date(reorganised, login, client):
    login("admin")
    html = _page(client, "/", on="31/12/2024")
    assert "Huyện Đắk Hà" in html and "Xem theo ngày" in html
    assert "Chưa có số liệu" not in html.split("Theo đơn vị")[1].split("</figure>")[0]
    assert "không hợp lệ" in _page(client, "/", on="hôm qua")
    html = _page(client, "/")
    assert "Xã Đăk Mar" in html


def test_team_report_defaults_to_today_root(reorganised, login, client, make):
    login("admin")
    html = _page(client, "/reports/team")
    assert "hết hiệu lực" not in html and "Tỉnh Quảng Ngãi (cấp tỉnh)" in html
    then = _page(client, "/reports/team", unit=reorganised["kontum"].id, start="01/01/2024",
                 end="31/12/2024")
    assert "Huyện Đắk Hà" in then and "hết hiệu lực" not in then
    on = _page(client, "/reports/team", unit=reorganised["kontum"].id, on="31/12/2024")
    assert "Huyện Đắk Hà" in on and "số lượng tính đến ngày 31/12/2024 (cây đơn vị" in on
    today_of_old = _page(client, "/reports/team", unit=reorganised["kontum"].id)
    assert "đã hết hiệu lực vào ngày" in today_of_old  # named, not a failure


def test_team_report_of_an_ended_account_unit(reorganised, login, client, make):
    make.user("oldadmin", UserRole.ADMIN, reorganised["kontum"])
    login("oldadmin")
    html = _page(client, "/reports/team")
    assert "Tỉnh Quảng Ngãi (cấp tỉnh)" in html and "hết hiệu lực" not in html


def test_team_report_2024_equals_before_and_after_the_move(reorganised, ctx):
    kontum = reorganised["kontum"].id
    report = team_report.build(kontum, dt.date(2024, 1, 1), Y2024, Y2024)
    line = next(ln for ln in report.lines if ln.label == "Huyện Đắk Hà")
    assert (line.count("people"), line.count("bcv"), line.count("ttv")) == (2, 1, 1)


def test_unit_standing_for_another_on_a_date(reorganised, ctx):
    mar, kontum = reorganised["mar"], reorganised["kontum"]
    assert asof.unit_on(kontum, dt.date.today()) == reorganised["province"]
    assert asof.unit_on(mar, Y2024) == reorganised["hring"]  # the predecessor with people
    assert asof.unit_on(reorganised["province"], Y2024) == kontum
    assert asof.unit_on(mar, dt.date.today()) == mar
