"""Yearly evaluation: the figures beside the rating, one rating per person and year, the bulk page
(all or nothing, stale rows refused, clearing deletes), scoping, the summary and the xlsx."""
from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
import sqlalchemy as sa
from sqlalchemy import event

from models import AuditLog, Evaluation, EvaluationRating, TrainingResult, UserRole, db
from registry.core.rules import RuleViolation
from registry.evaluations import service as svc
from tests.factories import count

TOT, HT, KHT = EvaluationRating.TOT, EvaluationRating.HOAN_THANH, EvaluationRating.KHONG_HOAN_THANH


@pytest.fixture
def team(make):
    """Two TTV of Xã Đắk Hring, one of Xã Đắk La (all in Huyện Đắk Hà), one of Huyện Sa Thầy."""
    return {
        "a": make.person("Nguyễn Văn An", "Xã Đắk Hring"),
        "b": make.person("Trần Thị Bình", "Xã Đắk Hring"),
        "c": make.person("Y Hoa", "Xã Đắk La", start=dt.date(2025, 5, 1)),
        "other": make.person("Lê Văn Khác", "Huyện Sa Thầy"),
    }


def _count_queries():
    seen = []

    def _note(conn, cursor, statement, *args):
        seen.append(statement)
    event.listen(db.engine, "before_cursor_execute", _note)
    return seen, lambda: event.remove(db.engine, "before_cursor_execute", _note)


def test_year_figures_grouped(make, team, ctx):
    a, b = team["a"], team["b"]
    make.activity(a, dt.date(2025, 3, 5), audience=40, session_key="s1")
    make.activity(b, dt.date(2025, 3, 5), audience=40, session_key="s1")  # the same session
    make.activity(a, dt.date(2025, 9, 1), audience=25)
    make.activity(a, dt.date(2024, 12, 31), audience=99)  # another year
    conf = make.conference("Tỉnh Kon Tum", dt.date(2025, 10, 15))
    make.attend_conference(a, conf)
    make.attend_conference(a, make.conference("Tỉnh Kon Tum", dt.date(2026, 1, 15)))
    make.attend(a, make.course("Huyện Đắk Hà", start=dt.date(2024, 12, 20),
                               end=dt.date(2025, 1, 5)))
    make.attend(a, make.course("Huyện Đắk Hà", name="Tập huấn", start=dt.date(2025, 6, 1)),
                TrainingResult.KHONG_HOAN_THANH)
    ids = [a.id, b.id, team["c"].id]
    seen, stop = _count_queries()
    figures = svc.year_figures(ids, 2025)
    stop()
    assert len(seen) == 3  # one grouped query per kind of figure
    fa, fb, fc = figures[a.id], figures[b.id], figures[team["c"].id]
    assert (fa.sessions, fa.audience, fa.conferences, fa.trainings, fa.trained) == (2, 65, 1, 2, 1)
    assert (fb.sessions, fb.audience) == (1, 40)  # a shared session counts for each presenter
    assert (fc.sessions, fc.audience, fc.conferences, fc.trainings) == (0, 0, 0, 0)


def test_one_rating_per_person_and_year(make, team, officer, ctx):
    a = team["a"]
    url = f"/persons/{a.id}/evaluations/new"
    resp = officer.post(url, data={"year": "2025", "rating": "tot", "note": "Tích cực"})
    assert resp.status_code == 302
    resp = officer.post(url, data={"year": "2025", "rating": "hoan_thanh"})
    assert "đã có đánh giá năm 2025" in resp.get_data(as_text=True)
    for data, message in (({"year": "2031", "rating": "tot"}, "Năm đánh giá phải từ 2000"),
                          ({"year": "abc", "rating": "tot"}, "Phải là số nguyên"),
                          ({"year": "2024", "rating": "gioi"}, "không hợp lệ"),
                          ({"year": "2024"}, "Vui lòng chọn xếp loại")):
        assert message in officer.post(url, data=data).get_data(as_text=True), data
    assert count(Evaluation) == 1
    other = make.evaluation(a, 2024, HT)
    resp = officer.post(f"/evaluations/{other.id}/edit", data={"year": "2025", "rating": "tot"})
    assert "đã có đánh giá năm 2025" in resp.get_data(as_text=True)
    assert officer.post(f"/evaluations/{other.id}/edit",
                        data={"year": "2023", "rating": "xuat_sac"}).status_code == 302
    page = officer.get(f"/persons/{a.id}").get_data(as_text=True)
    assert "Hoàn thành xuất sắc nhiệm vụ" in page and "Tích cực" in page
    assert officer.post(f"/evaluations/{other.id}/delete").status_code == 302
    assert count(Evaluation) == 1
    with pytest.raises(RuleViolation):
        svc.add_evaluation(db.session.merge(a), {"year": 2025, "rating": TOT})


def _page_form(client, query: str) -> dict:
    """The bulk page's form as loaded: every row's hidden and typed values."""
    import re
    html = client.get(f"/evaluations?{query}").get_data(as_text=True)
    data = {"pid": re.findall(r'name="pid" value="(\d+)"', html)}
    for name, value in re.findall(r'name="(was_(?:rating|note)_\d+)" value="([^"]*)"', html):
        data[name] = value
    for pid in data["pid"]:
        data[f"rating_{pid}"] = data[f"was_rating_{pid}"]
        data[f"note_{pid}"] = data[f"was_note_{pid}"]
    return data


def test_bulk_save_all_or_nothing_stale_and_clearing(make, team, officer, ctx):
    a, b, c = team["a"], team["b"], team["c"]
    make.evaluation(b, 2025, HT, note="Cần cố gắng")
    form = _page_form(officer, "year=2025")
    assert sorted(form["pid"]) == sorted(str(p.id) for p in (a, b, c))  # not Sa Thầy's
    assert form[f"was_rating_{b.id}"] == "hoan_thanh"
    # A bad row: nothing is written, the typed values stay on the page.
    bad = form | {f"rating_{a.id}": "tot", f"rating_{c.id}": "gioi"}
    resp = officer.post("/evaluations?year=2025", data=bad)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "Xếp loại không hợp lệ" in html
    assert count(Evaluation) == 1
    # Someone else changes b meanwhile: a save touching b is refused whole.
    other = db.session.execute(sa.select(Evaluation)).scalar_one()
    other.rating = EvaluationRating.XUAT_SAC
    db.session.commit()
    stale = form | {f"rating_{a.id}": "tot", f"rating_{b.id}": ""}
    html = officer.post("/evaluations?year=2025", data=stale).get_data(as_text=True)
    assert "vừa được người khác sửa" in html and "Người khác vừa lưu: Hoàn thành xuất sắc" in html
    assert count(Evaluation) == 1
    # The same save, untouched b: b keeps the other user's rating, a is added.
    fresh = form | {f"rating_{a.id}": "tot", f"note_{a.id}": "Nhiều buổi"}
    resp = officer.post("/evaluations?year=2025", data=fresh)
    assert resp.status_code == 302
    stored = dict(db.session.execute(sa.select(Evaluation.person_id, Evaluation.rating)).all())
    assert stored == {a.id: TOT, b.id: EvaluationRating.XUAT_SAC}  # c left empty: nothing
    # Clearing a rating deletes it.
    form = _page_form(officer, "year=2025")
    resp = officer.post("/evaluations?year=2025", data=form | {f"rating_{b.id}": "",
                                                                f"note_{b.id}": ""})
    assert resp.status_code == 302
    assert count(Evaluation) == 1 and count(Evaluation, person_id=a.id) == 1


def test_bulk_scoping_and_viewer(make, team, login, ctx):
    a, other = team["a"], team["other"]
    theirs = make.evaluation(other, 2025)
    make.user("dakring", UserRole.OFFICER, "Xã Đắk Hring")
    client = login("dakring")
    assert client.get(f"/evaluations/{theirs.id}/edit").status_code == 404
    assert client.post(f"/evaluations/{theirs.id}/delete").status_code == 404
    forged = {"pid": [str(a.id), str(other.id)], f"was_rating_{other.id}": "tot",
              f"was_note_{other.id}": "", f"rating_{other.id}": "", f"was_rating_{a.id}": "",
              f"was_note_{a.id}": "", f"rating_{a.id}": "tot"}
    assert client.post("/evaluations?year=2025", data=forged).status_code == 302
    assert count(Evaluation, person_id=other.id) == 1 and count(Evaluation, person_id=a.id) == 1
    html = client.get("/evaluations?year=2025").get_data(as_text=True)
    assert "Lê Văn Khác" not in html and "Nguyễn Văn An" in html
    make.user("xem", UserRole.VIEWER, "Huyện Đắk Hà")
    client.post("/logout")
    viewer = login("xem")
    html = viewer.get("/evaluations?year=2025").get_data(as_text=True)
    assert "Lưu đánh giá" not in html and "Hoàn thành tốt nhiệm vụ" in html
    assert viewer.post("/evaluations?year=2025", data=forged).status_code == 403


def test_summary_and_xlsx(make, team, officer, ctx):
    a, b = team["a"], team["b"]
    make.evaluation(a, 2025, TOT)
    make.evaluation(b, 2025, KHT, note="Vắng nhiều")
    make.evaluation(team["other"], 2025, TOT)
    make.activity(a, dt.date(2025, 4, 2), audience=70)
    html = officer.get("/evaluations/summary?year=2025").get_data(as_text=True)
    assert "Xã Đắk Hring" in html and "Xã Đắk La" in html and "Huyện Sa Thầy" not in html
    from registry.evaluations.summary import summarise
    s = summarise(make.unit("Huyện Đắk Hà"), 2025)
    lines = {line.label: line for line in s.lines}
    assert lines["Xã Đắk Hring"].count(TOT) == 1 and lines["Xã Đắk Hring"].count(KHT) == 1
    assert lines["Xã Đắk La"].count(None) == 1 and s.total.total == 3
    resp = officer.get("/evaluations/export.xlsx?year=2025")
    assert resp.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(resp.data)).active
    cells = [tuple(row) for row in ws.iter_rows(values_only=True)]
    text = "\n".join(str(v) for row in cells for v in row if v is not None)
    assert "NĂM 2025" in text and "HUYỆN ỦY ĐẮK HÀ" in text
    row_a = next(r for r in cells if r[1] == "Nguyễn Văn An")
    assert row_a[2:9] == ("Xã Đắk Hring", "TTV cấp xã", 1, 70, 0, "0 / 0",
                          "Hoàn thành tốt nhiệm vụ")
    row_b = next(r for r in cells if r[1] == "Trần Thị Bình")
    assert row_b[8:10] == ("Không hoàn thành nhiệm vụ", "Vắng nhiều")
    assert next(r for r in cells if r[1] == "Y Hoa")[8] == "Chưa đánh giá"
    assert "Lê Văn Khác" not in text
    assert db.session.execute(sa.select(sa.func.count(AuditLog.id)).where(
        AuditLog.entity == "security", AuditLog.action == "export")).scalar() == 1


@pytest.mark.parametrize("query", ["year=abc", "year=1999", "year=99999999999999999999",
                                   "unit=-1", "unit=abc", "page=0", "year=2025&page=-3",
                                   "year=%00"])
def test_garbage_query_strings_are_a_400(officer, team, query):
    urls = ["/evaluations"] + ([] if "page" in query else ["/evaluations/summary",
                                                           "/evaluations/export.xlsx"])
    for url in urls:
        resp = officer.get(f"{url}?{query}")
        assert resp.status_code == 400 and "không hợp lệ" in resp.get_data(as_text=True), url
