"""Issue 15 §2: every list exported with the agency header, scoped like its page; the discipline
list's "sắp hết hiệu lực" filter; garbage filters never a 500."""
from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pytest

from models import Level, Role, UserRole, db

TODAY = dt.date.today()


def _book(resp):
    assert resp.status_code == 200, resp.get_data(as_text=True)[:300]
    assert resp.mimetype.endswith("spreadsheetml.sheet")
    return openpyxl.load_workbook(io.BytesIO(resp.data)).worksheets[0]


def _cells(ws) -> list[list]:
    return [[c.value for c in r] for r in ws.iter_rows()]


def _text(ws) -> str:
    return " ".join(str(v) for row in _cells(ws) for v in row if v is not None)


def _file_name(resp) -> str:
    return re.search(r'filename="?([^";]+)', resp.headers["Content-Disposition"]).group(1)


@pytest.fixture
def team(make):
    """Đắk Hà (the officer's) and Sa Thầy (a sibling), each with a person and their records."""
    own = make.person("Nguyễn Văn Khen", "Xã Đắk Hring", role=Role.BCV, level=Level.HUYEN)
    other = make.person("Trần Thị Ngoài", "Huyện Sa Thầy", role=Role.BCV, level=Level.HUYEN)
    for p in (own, other):
        make.commendation(p, year=2025, decision_no="12-QĐ/HU", reason="Hoàn thành xuất sắc")
        make.discipline(p, "khien_trach", start=TODAY - dt.timedelta(days=100),
                        until=TODAY + dt.timedelta(days=20), decision_no="3-QĐ/UBKT")
    make.user("dakha", UserRole.OFFICER, "Huyện Đắk Hà")
    return own, other


def test_commendations_export_header_rows_scope_and_name(client, login, team, make):
    login("dakha")
    page = client.get("/commendations?year=2025").get_data(as_text=True)
    assert "/commendations.xlsx?year=2025" in page and "Tải Excel" in page
    resp = client.get("/commendations.xlsx?year=2025")
    ws = _book(resp)
    assert ws["A1"].value == "ĐẢNG BỘ TỈNH KON TUM" and ws["A2"].value == "HUYỆN ỦY ĐẮK HÀ"
    assert ws["A5"].value == "DANH SÁCH KHEN THƯỞNG BÁO CÁO VIÊN, TUYÊN TRUYỀN VIÊN"
    assert ws["A6"].value == "(Năm 2025)"
    assert [c.value for c in ws[8]][:3] == ["STT", "Họ và tên", "Đơn vị"]
    first = [c.value for c in ws[10]]
    assert first[:3] == [1, "Nguyễn Văn Khen", "Xã Đắk Hring"] and "12-QĐ/HU" in first
    text = _text(ws)
    assert "Trần Thị Ngoài" not in text and "Tổng số: 1 khen thưởng." in text
    assert "NGƯỜI LẬP BIỂU" in text and "T/M BAN THƯỜNG VỤ" in text
    assert _file_name(resp) == f"khen-thuong-{TODAY:%Y-%m-%d}.xlsx"
    unit = make.unit("Xã Đắk Hring")
    resp = client.get(f"/commendations.xlsx?unit={unit.id}")
    assert _file_name(resp) == f"khen-thuong-xa-dak-hring-{TODAY:%Y-%m-%d}.xlsx"
    assert "Đơn vị Xã Đắk Hring" in _book(resp)["A6"].value
    empty = _book(client.get("/commendations.xlsx?year=1999"))
    assert "Không có dữ liệu" in _text(empty) and "Tổng số: 0 khen thưởng." in _text(empty)


def test_disciplines_expiring_within_and_export(client, login, team, make):
    own, _other = team
    make.discipline(own, "canh_cao", start=TODAY - dt.timedelta(days=10),
                    until=TODAY + dt.timedelta(days=200), decision_no="LATE-1")
    make.discipline(own, "phe_binh", start=TODAY - dt.timedelta(days=400),
                    until=TODAY - dt.timedelta(days=5), decision_no="OVER-1")
    make.discipline(own, "nhac_nho", start=TODAY - dt.timedelta(days=10), decision_no="OPEN-1")
    login("dakha")
    html = client.get("/disciplines?expiring_within=30").get_data(as_text=True)
    assert "3-QĐ/UBKT" in html and "Trần Thị Ngoài" not in html
    assert not any(no in html for no in ("LATE-1", "OVER-1", "OPEN-1"))
    assert all(no in client.get("/disciplines?expiring_within=365").get_data(as_text=True)
               for no in ("3-QĐ/UBKT", "LATE-1"))
    bad = client.get("/disciplines?expiring_within=abc")
    assert bad.status_code == 200 and "Số ngày «abc» không hợp lệ" in bad.get_data(as_text=True)
    ws = _book(client.get("/disciplines.xlsx?expiring_within=30"))
    assert ws["A5"].value.startswith("DANH SÁCH KỶ LUẬT")
    assert "Sắp hết hiệu lực trong 30 ngày" in ws["A6"].value
    text = _text(ws)
    assert "3-QĐ/UBKT" in text and "LATE-1" not in text and "Trần Thị Ngoài" not in text
    all_rows = _text(_book(client.get("/disciplines.xlsx?status=all")))
    assert all(no in all_rows for no in ("OVER-1", "OPEN-1", "Không thời hạn"))


def test_overdue_training_terms_and_transfers_exports(client, login, team, make):
    own, other = team
    own.appointments[0].term = "2015-2020"
    other.appointments[0].term = "2015-2020"
    db.session.commit()
    make.transfer(own)
    login("dakha")
    assert "/training/overdue.xlsx" in client.get("/training/overdue").get_data(as_text=True)
    resp = client.get("/training/overdue.xlsx?role=BCV")
    ws = _book(resp)
    assert ws["A5"].value == "DANH SÁCH BÁO CÁO VIÊN, TUYÊN TRUYỀN VIÊN CHƯA BỒI DƯỠNG GẦN ĐÂY"
    assert [c.value for c in ws[10]][1:5] == ["Nguyễn Văn Khen", "Xã Đắk Hring",
                                              "BCV cấp huyện", "Chưa có"]
    assert "Trần Thị Ngoài" not in _text(ws)
    assert _file_name(resp) == f"chua-boi-duong-{TODAY:%Y-%m-%d}.xlsx"
    assert "/terms/ended.xlsx" in client.get("/terms/ended").get_data(as_text=True)
    ws = _book(client.get("/terms/ended.xlsx"))
    assert ws["A5"].value == "DANH SÁCH BỔ NHIỆM HẾT NHIỆM KỲ"
    row = [c.value for c in ws[10]]
    assert row[1] == "Nguyễn Văn Khen" and "2015-2020" in row
    assert "Trần Thị Ngoài" not in _text(ws) and "Tổng số: 1 bổ nhiệm." in _text(ws)
    assert "/transfers/export.xlsx" in client.get("/transfers/").get_data(as_text=True)
    ws = _book(client.get("/transfers/export.xlsx?status=pending"))
    assert ws["A5"].value == "DANH SÁCH ĐỀ NGHỊ CHUYỂN CÔNG TÁC"
    assert [c.value for c in ws[10]][2] == "Nguyễn Văn Khen"
    assert "Chờ duyệt" in _text(ws)


def test_reorganise_review_exports(client, login, make):
    make.person("Lê Văn Huyện", "Huyện Đắk Hà", role=Role.BCV, level=Level.HUYEN)
    make.user("admin", UserRole.ADMIN, "Tỉnh Kon Tum")
    make.user("dakha", UserRole.OFFICER, "Huyện Đắk Hà")
    login("admin")
    ws = _book(client.get("/reorganise/rerecognition.xlsx"))
    assert ws["A1"].value == "ĐẢNG BỘ TỈNH KON TUM"
    assert ws["A5"].value == "DANH SÁCH BÁO CÁO VIÊN CẤP HUYỆN CẦN CÔNG NHẬN LẠI"
    assert [c.value for c in ws[10]][1:3] == ["Lê Văn Huyện", "Báo cáo viên cấp huyện"]
    for url in ("/reorganise/reviews.xlsx", "/reorganise/accounts.xlsx"):
        assert "Không có dữ liệu" in _text(_book(client.get(url)))
    for page in ("reviews", "rerecognition", "accounts"):
        assert f"/reorganise/{page}.xlsx" in client.get(f"/reorganise/{page}").get_data(
            as_text=True)
    login("dakha")
    assert client.get("/reorganise/reviews.xlsx").status_code == 200
    assert client.get("/reorganise/rerecognition.xlsx").status_code == 403
    assert client.get("/reorganise/accounts.xlsx").status_code == 403


GARBAGE = ("?year=abc&from=99/99/9999&unit=-1&page=0&expiring_within=-5&status=zzz&system=x"
           "&role=q&level=q&form=%00&endpoint=x&_external=1")


def test_garbage_filters_never_500(client, login, team):
    login("dakha")
    for url in ("/commendations", "/commendations.xlsx", "/disciplines", "/disciplines.xlsx",
                "/training/overdue", "/training/overdue.xlsx", "/terms/ended",
                "/terms/ended.xlsx", "/transfers/", "/transfers/export.xlsx",
                "/reorganise/reviews", "/reorganise/reviews.xlsx"):
        resp = client.get(url + GARBAGE)
        assert resp.status_code < 500, url
