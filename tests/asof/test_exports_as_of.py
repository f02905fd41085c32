"""Exports as of a date: the tree, the unit names and the agency of that date, checked cell by
cell; the agency wording by the document's date."""
from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from registry.exports.agency import agency_for, propaganda_body
from tests.asof.conftest import DAY, EVE, Y2024


def _book(resp):
    assert resp.status_code == 200, resp.get_data(as_text=True)[:300]
    return openpyxl.load_workbook(io.BytesIO(resp.data))


def _row_of(ws, text):
    return next(r for r in range(1, ws.max_row + 1)
                for c in ws[r] if c.value == text)


def test_trich_ngang_of_2024_is_signed_by_kon_tum(reorganised, login, client):
    login("admin")
    wb = _book(client.get("/roster/export.xlsx", query_string={
        "layout": "trich-ngang", "role": "TTV", "on": "31/12/2024"}))
    ws = wb["TTV"]
    assert ws["A1"].value == "ĐẢNG BỘ TỈNH KON TUM"
    assert ws["A2"].value == "BAN TUYÊN GIÁO TỈNH ỦY"
    assert [c.value for c in ws[3] if c.value and "ngày" in str(c.value)] == [
        "Kon Tum, ngày 31 tháng 12 năm 2024"]
    header = _row_of(ws, "Huyện/Thành phố")
    cols = {c.value: c.column for c in ws[header] if c.value}
    person = _row_of(ws, "Y Hring")
    assert ws.cell(person, cols["Huyện/Thành phố"]).value == "Huyện Đắk Hà"
    assert ws.cell(person, cols["Đơn vị"]).value == "Xã Đắk Hring"
    assert ws.cell(person - 2, 2).value == "HUYỆN ĐẮK HÀ"


def test_trich_ngang_of_today_is_signed_by_quang_ngai(reorganised, login, client):
    login("admin")
    ws = _book(client.get("/roster/export.xlsx", query_string={
        "layout": "trich-ngang", "role": "TTV"}))["TTV"]
    assert ws["A1"].value == "ĐẢNG BỘ TỈNH QUẢNG NGÃI"
    assert ws["A2"].value == "BAN TUYÊN GIÁO VÀ DÂN VẬN TỈNH ỦY"
    assert any(str(c.value or "").startswith("Quảng Ngãi, ngày ") for c in ws[3])
    texts = [c.value for row in ws.iter_rows() for c in row if c.value]
    assert "Huyện/Thành phố" not in texts  # no districts today
    person = _row_of(ws, "Y Hring")
    cols = {c.value: c.column for c in ws[_row_of(ws, "Đơn vị")] if c.value}
    assert ws.cell(person, cols["Đơn vị"]).value == "Xã Đăk Mar"


def test_commune_officer_signs_as_the_commune_party_committee(reorganised, login, client):
    login("xdm")
    ws = _book(client.get("/roster/export.xlsx", query_string={
        "layout": "trich-ngang", "role": "TTV"}))["TTV"]
    assert (ws["A1"].value, ws["A2"].value) == ("ĐẢNG BỘ TỈNH QUẢNG NGÃI", "ĐẢNG ỦY XÃ ĐĂK MAR")
    then = _book(client.get("/roster/export.xlsx", query_string={
        "layout": "trich-ngang", "role": "TTV", "on": "31/12/2024"}))["TTV"]
    assert (then["A1"].value, then["A2"].value) == ("ĐẢNG BỘ HUYỆN ĐẮK HÀ",
                                                    "ĐẢNG ỦY XÃ ĐẮK HRING")


def test_full_export_of_2024_names_the_units_of_2024(reorganised, login, client):
    login("admin")
    ws = _book(client.get("/roster/export.xlsx", query_string={
        "layout": "full", "on": "31/12/2024"})).active
    head = {c.value: c.column for c in ws[1] if c.value}
    rows = {ws.cell(r, head["Họ và tên"]).value: r for r in range(2, ws.max_row + 1)}
    district_col = next(col for label, col in head.items() if label.startswith("Huyện"))
    unit_col = next(col for label, col in head.items() if label.startswith("Đơn vị"))
    assert ws.cell(rows["Y Hring"], unit_col).value == "Xã Đắk Hring"
    assert ws.cell(rows["Y Hring"], district_col).value == "Huyện Đắk Hà"
    assert ws.cell(rows["A Báo"], unit_col).value == "Huyện Đắk Hà"


@pytest.mark.parametrize(("day", "body"), [
    (EVE, "Ban Tuyên giáo Tỉnh ủy"), (DAY, "Ban Tuyên giáo và Dân vận Tỉnh ủy")])
def test_propaganda_body_switches_on_1_july_2025(day, body):
    assert propaganda_body("Tỉnh Quảng Ngãi", day) == body


def test_agency_by_the_document_date(reorganised, ctx):
    province, kontum = reorganised["province"], reorganised["kontum"]
    for unit in (province, kontum):  # whichever unit the account holds
        before, after = agency_for(unit, EVE), agency_for(unit, DAY)
        assert (before.upper, before.body, before.place) == (
            "ĐẢNG BỘ TỈNH KON TUM", "BAN TUYÊN GIÁO TỈNH ỦY", "Kon Tum")
        assert (after.upper, after.body, after.place) == (
            "ĐẢNG BỘ TỈNH QUẢNG NGÃI", "BAN TUYÊN GIÁO VÀ DÂN VẬN TỈNH ỦY", "Quảng Ngãi")
    district = agency_for(reorganised["dakha_district"], Y2024)
    assert (district.upper, district.body, district.signer) == (
        "ĐẢNG BỘ TỈNH KON TUM", "HUYỆN ỦY ĐẮK HÀ", "T/M BAN THƯỜNG VỤ")
    commune = agency_for(reorganised["dakha"], dt.date(2026, 1, 5))
    assert (commune.upper, commune.body, commune.signer) == (
        "ĐẢNG BỘ TỈNH QUẢNG NGÃI", "ĐẢNG ỦY XÃ ĐĂK HÀ", "T/M ĐẢNG ỦY")
    assert commune.date_line(dt.date(2026, 1, 5)) == "Đăk Hà, ngày 05 tháng 01 năm 2026"


def test_team_report_xlsx_signed_as_of_its_issue_day(reorganised, login, client):
    login("admin")
    ws = _book(client.get("/reports/team.xlsx", query_string={
        "unit": reorganised["kontum"].id, "start": "01/01/2024", "end": "31/12/2024"}))["Báo cáo"]
    assert ws["A1"].value == "ĐẢNG BỘ TỈNH QUẢNG NGÃI"  # issued today
    assert ws["A2"].value == "BAN TUYÊN GIÁO VÀ DÂN VẬN TỈNH ỦY"
    assert "Huyện Đắk Hà" in [ws.cell(r, 2).value for r in range(1, ws.max_row + 1)]
