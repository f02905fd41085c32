"""The units page's manual tools: a root unit (a province) added without a parent, and the type
word of a new unit as the user gives it or as its name says, never the merged units'."""
from __future__ import annotations

import sqlalchemy as sa

from models import Unit, UnitKind, db
from registry.units.types import type_in_name, unit_type


def _unit(name: str) -> Unit:
    return db.session.execute(sa.select(Unit).where(Unit.name == name)
                              .order_by(Unit.id.desc())).scalars().first()


def test_type_words():
    assert type_in_name("Thị trấn Đắk Hà") == "thị trấn"
    assert type_in_name("Đặc khu Lý Sơn") == "đặc khu"
    assert type_in_name("Thành phố Kon Tum") == "thành phố"
    assert type_in_name("Làng Kon Klor") is None
    assert unit_type("Xã Đăk Hà", "phường") == "phường"


def test_admin_adds_a_province_without_parent(admin):
    form = admin.get("/units/new").get_data(as_text=True)
    assert "không có (đơn vị gốc" in form
    resp = admin.post("/units/new", data={"name": "Tỉnh Quảng Ngãi", "valid_from": "01/07/2025"})
    assert resp.status_code == 302
    unit = _unit("Tỉnh Quảng Ngãi")
    assert unit.parent_id is None and unit.path == f"/{unit.id}/"
    assert (unit.kind, unit.type_label) == (UnitKind.TINH, "tỉnh")


def test_type_chosen_in_the_form_wins(admin, make):
    parent = make.unit("Huyện Đắk Hà")
    resp = admin.post("/units/new", data={"name": "Đăk Hà Mới", "type_label": "thị trấn",
                                          "parent_id": parent.id})
    assert resp.status_code == 302
    assert (_unit("Đăk Hà Mới").kind, _unit("Đăk Hà Mới").type_label) == (UnitKind.XA, "thị trấn")


def test_unit_without_level_or_type_is_refused(admin):
    html = admin.post("/units/new", data={"name": "Làng Mới"}).get_data(as_text=True)
    assert "Vui lòng chọn cấp đơn vị hoặc loại đơn vị." in html
    assert _unit("Làng Mới") is None


def test_merge_into_a_new_commune_takes_its_own_type(admin, make):
    olds = [make.unit("Thị trấn Đắk Hà"), make.unit("Xã Hà Mòn"), make.unit("Xã Đắk La")]
    resp = admin.post("/units/merge", data={"units": [u.id for u in olds],
                                            "new_name": "Xã Đăk Hà", "day": "01/07/2025"})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:2000]
    new = _unit("Xã Đăk Hà")
    assert (new.kind, new.type_label) == (UnitKind.XA, "xã")
    assert new.parent.name == "Huyện Đắk Hà"
    resp = admin.post("/units/merge", data={"units": [make.unit("Xã Đắk Mar").id],
                                            "new_name": "Đắk Mar Mới", "new_type": "phường",
                                            "day": "01/07/2025"})
    assert resp.status_code == 302
    assert _unit("Đắk Mar Mới").type_label == "phường"
