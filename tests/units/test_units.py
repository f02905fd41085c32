"""Unit tree: counts per unit, units lacking TTV, adding, end-dating and merging with history."""
import datetime as dt

import sqlalchemy as sa

from models import Appointment, EndReason, Level, Person, Role, Unit, UserRole, db
from registry.core import access
from registry.units import service as svc


def test_tree_counts_and_lacking_ttv(ctx, make):
    make.person("A Một", "Xã Đắk La")
    make.person("A Hai", "Xã Đắk La")
    make.person("A Ba", "Huyện Đắk Hà", role=Role.BCV, level=Level.HUYEN)
    make.person("A Bốn", "Xã Hà Mòn", end=dt.date(2024, 5, 1))  # ended: does not count
    dakha = make.unit("Huyện Đắk Hà")
    with access.scoped(access.scope_for_unit(dakha)):
        rows = {r.unit.name: r for r in svc.tree_rows(dt.date(2025, 1, 1))}
    assert set(rows) == {u.name for u in dakha.children} | {"Huyện Đắk Hà"}
    assert (rows["Xã Đắk La"].ttv, rows["Xã Đắk La"].lacks_ttv) == (2, False)
    assert rows["Xã Hà Mòn"].lacks_ttv and rows["Xã Hà Mòn"].ttv == 0
    assert (rows["Huyện Đắk Hà"].bcv, rows["Huyện Đắk Hà"].subtree_ttv) == (1, 2)
    assert not rows["Huyện Đắk Hà"].lacks_ttv


def test_units_page_highlights(client, login, make):
    make.user("dakha", UserRole.OFFICER, "Huyện Đắk Hà")
    make.person("A Một", "Xã Đắk La")
    html = login("dakha").get("/units").get_data(as_text=True)
    assert "Huyện Sa Thầy" not in html and "Xã Đắk La" in html
    assert html.count("Chưa có TTV") == 10  # 11 communes of Đắk Hà, one has a TTV


def test_merge_moves_active_appointments_and_keeps_history(client, login, make):
    make.user("admin", UserRole.ADMIN, "Tỉnh Kon Tum")
    a = make.person("Y Một", "Xã Đắk La", start=dt.date(2023, 1, 1))
    b = make.person("Y Hai", "Xã Hà Mòn", start=dt.date(2023, 1, 1))
    gone = make.person("Y Ba", "Xã Hà Mòn", start=dt.date(2020, 1, 1), end=dt.date(2021, 1, 1))
    la, hamon = make.unit("Xã Đắk La"), make.unit("Xã Hà Mòn")
    login("admin")
    resp = client.post(
        "/units/merge",
        data={"units": [la.id, hamon.id], "new_name": "Xã Đắk Hà Mới", "day": "01/07/2025"},
    )
    assert resp.status_code == 302, resp.get_data(as_text=True)
    db.session.expire_all()
    new = db.session.execute(sa.select(Unit).where(Unit.name == "Xã Đắk Hà Mới")).scalar_one()
    assert new.parent.name == "Huyện Đắk Hà" and new.path.startswith(new.parent.path)
    la, hamon = db.session.get(Unit, la.id), db.session.get(Unit, hamon.id)
    assert la.valid_to == hamon.valid_to == dt.date(2025, 6, 30)
    assert la.successors == [new] and set(new.predecessors) == {la, hamon}
    for person in (a, b):
        appts = (
            db.session.execute(
                sa.select(Appointment)
                .where(Appointment.person_id == person.id)
                .order_by(Appointment.start_date)
            )
            .scalars()
            .all()
        )
        assert [(x.unit_name_snapshot, x.end_reason) for x in appts] == [
            (appts[0].unit_name_snapshot, EndReason.SAP_XEP),
            ("Xã Đắk Hà Mới", None),
        ]
        assert appts[0].end_date == dt.date(2025, 6, 30) and appts[1].start_date == dt.date(
            2025, 7, 1
        )
        assert db.session.get(Person, person.id).unit_id == new.id
    old = db.session.execute(
        sa.select(Appointment).where(Appointment.person_id == gone.id)
    ).scalar_one()
    assert old.end_reason is None and old.unit_id == hamon.id  # history untouched


def test_merge_validation(client, login, make):
    make.user("admin", UserRole.ADMIN, "Tỉnh Kon Tum")
    la = make.unit("Xã Đắk La")
    login("admin")
    html = client.post("/units/merge", data={"units": [la.id], "day": "01/07/2025"}).get_data(
        as_text=True
    )
    assert "Chọn đơn vị kế thừa có sẵn hoặc nhập tên đơn vị mới." in html
    html = client.post(
        "/units/merge", data={"units": [la.id], "successor_id": la.id, "day": "01/07/2025"}
    ).get_data(as_text=True)
    assert "Đơn vị kế thừa không được là đơn vị bị sáp nhập." in html
    html = client.post(
        "/units/merge", data={"units": ["99999"], "new_name": "X", "day": "01/07/2025"}
    ).get_data(as_text=True)
    assert "Giá trị được chọn không hợp lệ." in html
    assert db.session.get(Unit, la.id).valid_to is None


def test_officer_cannot_manage_units(client, login, make):
    make.user("dakha", UserRole.OFFICER, "Huyện Đắk Hà")
    login("dakha")
    assert client.get("/units/new").status_code == 403
    assert client.get("/units/merge").status_code == 403


def test_admin_adds_and_ends_unit(client, login, make):
    make.user("admin", UserRole.ADMIN, "Tỉnh Kon Tum")
    login("admin")
    parent = make.unit("Xã Đắk La")
    resp = client.post(
        "/units/new", data={"name": "Thôn 1", "kind": "thon", "parent_id": parent.id}
    )
    assert resp.status_code == 302
    unit = db.session.execute(sa.select(Unit).where(Unit.name == "Thôn 1")).scalar_one()
    assert unit.path == parent.path + f"{unit.id}/"
    resp = client.post(f"/units/{unit.id}/end", data={"valid_to": "31/12/2025"})
    assert resp.status_code == 302
    db.session.expire_all()
    assert db.session.get(Unit, unit.id).valid_to == dt.date(2025, 12, 31)
    resp = client.post(
        f"/units/{unit.id}/end", data={"valid_to": "khong-phai-ngay"}, follow_redirects=True
    )
    assert "không hợp lệ" in resp.get_data(as_text=True)
