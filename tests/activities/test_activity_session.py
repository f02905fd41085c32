"""One session, several presenters, entered once: all or nothing; a group's rows edited one by
one and deleted together."""
import datetime as dt

import pytest
import sqlalchemy as sa

from models import Activity, Level, Role, UserRole, db
from tests.factories import count

D = dt.date


def _form(presenters: str, **over) -> dict:
    data = {"date": "05/03/2025", "topic": "Nghị quyết Đại hội", "place": "Hội trường xã",
            "form": "truc_tiep", "audience": "120", "presenters": presenters}
    data["unit_id"] = over.pop("unit_id")
    return data | over


@pytest.fixture
def team(make):
    return {"bcv": make.person("A Thút", "Xã Đắk La", role=Role.BCV, level=Level.HUYEN),
            "ttv": make.person("Y Blô", "Xã Hà Mòn"),
            "late": make.person("Rơ Mah Hiền", "Xã Hà Mòn", start=D(2025, 6, 1)),
            "twin1": make.person("Nguyễn Văn Hùng", "Xã Đắk La"),
            "twin2": make.person("Nguyễn Văn Hùng", "Xã Hà Mòn"),
            "far": make.person("Lê Văn Bình", "Huyện Sa Thầy")}


@pytest.mark.parametrize("presenters, message", [
    ("A Thút", "cần ít nhất hai người"),
    ("A Thút\nNgười Không Có", "Không tìm thấy «Người Không Có»"),
    ("A Thút\nLê Văn Bình", "Không tìm thấy «Lê Văn Bình»"),  # another district's
    ("A Thút\nRơ Mah Hiền", "Rơ Mah Hiền không có bổ nhiệm còn hiệu lực vào ngày 05/03/2025"),
    ("A Thút\nNguyễn Văn Hùng", "«Nguyễn Văn Hùng» trùng tên 2 người"),
    ("A Thút\na thut", "A Thút được ghi hai lần"),
])
def test_a_bad_presenter_refuses_the_whole_session(officer, make, team, presenters, message):
    unit = make.unit("Xã Đắk La").id
    resp = officer.post("/activities/session/new", data=_form(presenters, unit_id=unit))
    assert resp.status_code == 200 and message in resp.get_data(as_text=True)
    assert count(Activity) == 0


def test_one_row_per_presenter_sharing_a_key(officer, make, team):
    assert "Ghi một buổi nhiều người báo cáo" in officer.get("/activities").get_data(as_text=True)
    unit = make.unit("Xã Đắk La").id
    resp = officer.post("/activities/session/new", data=_form(
        "a thut\nY Blô\nNguyễn Văn Hùng (Hà Mòn)", unit_id=unit))
    assert resp.status_code == 302
    rows = db.session.execute(sa.select(Activity).order_by(Activity.id)).scalars().all()
    assert [r.person_id for r in rows] == [team[k].id for k in ("bcv", "ttv", "twin2")]
    assert len({r.session_key for r in rows}) == 1 and len(rows[0].session_key) == 36
    assert [r.appointment_id for r in rows] == [
        team[k].appointments[0].id for k in ("bcv", "ttv", "twin2")]
    assert {(r.audience, r.unit_id, r.date) for r in rows} == {(120, unit, D(2025, 3, 5))}
    html = officer.get("/activities").get_data(as_text=True)
    assert "<strong>1</strong> buổi, <strong>120</strong> lượt người nghe, 3 lượt" in html


def test_edit_keeps_the_others_and_delete_offers_the_whole_session(officer, make, team):
    rows = [make.activity(team[k], session_key="k-1", audience=60) for k in ("bcv", "ttv")]
    alone = make.activity(team["bcv"], D(2025, 4, 1))
    page = officer.get(f"/activities/{rows[0].id}/edit").get_data(as_text=True)
    assert "Buổi này có 2 người báo cáo" in page and "Xóa cả buổi (2 người báo cáo)" in page
    assert "Xóa cả buổi" not in officer.get(f"/activities/{alone.id}/edit").get_data(as_text=True)
    resp = officer.post(f"/activities/{rows[0].id}/edit", data={
        "date": "05/03/2025", "topic": "Chủ đề đã sửa", "unit_id": rows[0].unit_id,
        "form": "truc_tiep", "audience": "60", "appointment_id": rows[0].appointment_id})
    assert resp.status_code == 302
    db.session.expire_all()
    assert db.session.get(Activity, rows[1].id).topic == "Nghị quyết Đại hội"
    assert db.session.get(Activity, rows[0].id).session_key == "k-1"
    officer.post(f"/activities/{alone.id}/delete-session")  # not shared: refused, kept
    assert count(Activity) == 3
    assert officer.post(f"/activities/{rows[1].id}/delete-session").status_code == 302
    assert [a.id for a in db.session.execute(sa.select(Activity)).scalars()] == [alone.id]


def test_a_viewer_may_not_enter_a_session(client, login, make, team):
    make.user("xem", UserRole.VIEWER, "Huyện Đắk Hà")
    login("xem")
    assert client.get("/activities/session/new").status_code == 403
    resp = client.post("/activities/session/new", data=_form(
        "A Thút\nY Blô", unit_id=make.unit("Xã Đắk La").id))
    assert resp.status_code == 403 and count(Activity) == 0
