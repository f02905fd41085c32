"""The activity list: paging, filters, totals on the page, the xlsx export."""
import datetime as dt
import io
import re

import openpyxl
import pytest
import sqlalchemy as sa

from models import Activity, AuditLog, DeliveryForm, Level, Role, db

D = dt.date


@pytest.fixture
def sessions(make):
    """Sessions in Đắk Hà's communes (one shared by two presenters) and one in Sa Thầy."""
    a = make.person("A Thút", "Xã Đắk La", role=Role.BCV, level=Level.HUYEN)
    b = make.person("Y Blô", "Xã Hà Mòn")
    far = make.person("Lê Văn Bình", "Huyện Sa Thầy")
    for m in range(1, 7):
        make.activity(a, D(2025, m, 10), topic=f"Chủ đề tháng {m}", audience=10 * m)
    make.activity(b, D(2025, 2, 20), topic="Nghị quyết Đại hội XIV", audience=70,
                  form=DeliveryForm.TRUC_TUYEN)
    for p in (a, b):  # one session, two presenters: counted once, audience 90 once
        make.activity(p, D(2025, 3, 15), topic="Bảo vệ nền tảng tư tưởng", audience=90,
                      session_key="s-1")
    make.activity(far, D(2025, 2, 20), topic="Chủ đề Sa Thầy", audience=500)
    return a, b, far


def _rows(html: str) -> int:
    section = html.split("Các buổi báo cáo (", 1)[1].split("</table>", 1)[0]
    return section.count("<tr>") - 1


def test_paging_filters_and_totals(app, officer, make, sessions, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 4)
    a, b, _far = sessions
    html = officer.get("/activities").get_data(as_text=True)
    assert "Các buổi báo cáo (9 lượt)" in html and "Trang 1 / 3" in html
    assert _rows(html) == 4 and "Chủ đề Sa Thầy" not in html
    # 8 sessions (the shared one once), audience 210 + 70 + 90, 9 presenters' rows.
    assert re.search(r"<strong>8</strong> buổi, <strong>370</strong> lượt người nghe, 9 lượt", html)
    assert "Buổi chung 2 người báo cáo" in officer.get("/activities?page=2").get_data(as_text=True)
    last = officer.get("/activities?page=99").get_data(as_text=True)
    assert "Trang 3 / 3" in last and _rows(last) == 1
    html = officer.get("/activities", query_string={"topic": "nghi quyet dai hoi"}).get_data(
        as_text=True)
    assert "Các buổi báo cáo (1 lượt)" in html and "Nghị quyết Đại hội XIV" in html
    html = officer.get("/activities?form=truc_tuyen").get_data(as_text=True)
    assert "Các buổi báo cáo (1 lượt)" in html
    html = officer.get("/activities", query_string={
        "unit": make.unit("Xã Hà Mòn").id}).get_data(as_text=True)
    assert "Các buổi báo cáo (2 lượt)" in html
    html = officer.get("/activities", query_string={"from": "01/03/2025", "to": "31/03/2025",
                                                    "person": a.id}).get_data(as_text=True)
    assert "Các buổi báo cáo (2 lượt)" in html and "Số buổi theo người (2 buổi)" in html
    # By unit under the officer's district: each commune, the district's own line first.
    assert "Huyện Đắk Hà (trực tiếp)" in html and "Xã Đắk La" in html


@pytest.mark.parametrize("query", [
    "year=abc&from=99/99/9999&unit=-1&page=0", "page=99999999999&to=32/13/2025&form=zz",
    "from=10/10/2025&to=01/01/2025&person=abc&topic=%25_", "unit=" + "9" * 30,
])
def test_garbage_arguments_never_fail(officer, sessions, query):
    resp = officer.get(f"/activities?{query}")
    assert resp.status_code == 200
    assert officer.get(f"/activities.xlsx?{query}").status_code == 200


def test_bad_dates_are_explained(officer, sessions):
    html = officer.get("/activities?from=99/99/9999").get_data(as_text=True)
    assert "Từ ngày «99/99/9999» không hợp lệ" in html and "(9 lượt)" in html


def test_export_writes_the_filtered_rows_and_the_totals(officer, sessions):
    resp = officer.get("/activities.xlsx", query_string={"from": "01/02/2025",
                                                        "to": "31/03/2025"})
    assert resp.status_code == 200
    disposition = resp.headers["Content-Disposition"]
    assert re.search(r"hoat-dong-tuyen-truyen-mieng-\d{4}-\d\d-\d\d\.xlsx", disposition)
    wb = openpyxl.load_workbook(io.BytesIO(resp.data))
    rows_sheet, totals_sheet = wb.worksheets
    assert rows_sheet.title == "Các buổi báo cáo" and totals_sheet.title == "Tổng hợp"
    cells = [[c for c in r] for r in rows_sheet.iter_rows(values_only=True)]
    assert cells[0][0] == "ĐẢNG BỘ TỈNH KON TUM"
    assert cells[4][0] == "TỔNG HỢP HOẠT ĐỘNG TUYÊN TRUYỀN MIỆNG"
    assert cells[5][0] == "(Từ ngày 01/02/2025 đến ngày 31/03/2025)"
    header = next(i for i, r in enumerate(cells) if r[0] == "STT")
    data = [r for r in cells[header + 2:] if isinstance(r[0], int)]
    assert len(data) == 5  # Feb: A, Y Blô; Mar: A, and the shared session's two rows
    first = data[0]
    assert first[1] == dt.datetime(2025, 3, 15) and first[4] == "Bảo vệ nền tảng tư tưởng"
    assert first[8] == 90 and first[9] == "Buổi nhiều người báo cáo"
    assert "Chủ đề Sa Thầy" not in str(cells)
    totals = [r for r in totals_sheet.iter_rows(values_only=True)]
    total = next(r for r in totals if r[1] == "Tổng cộng")
    assert total[2:] == (4, 20 + 30 + 70 + 90)
    assert any(r[1] == "Trực tuyến" and r[2:] == (1, 70) for r in totals)
    assert any(r[1] == "03/2025" and r[2:] == (2, 120) for r in totals)
    event = db.session.execute(sa.select(AuditLog).where(AuditLog.entity == "security")
                               .order_by(AuditLog.id.desc())).scalars().first()
    assert event.action == "export" and event.after["rows"] == 5
    assert count_rows() == 10


def count_rows() -> int:
    return db.session.execute(sa.select(sa.func.count(Activity.id))).scalar()
