"""Thôn and tổ dân phố added in bulk under a commune: plan, xlsx, access, preview and confirm."""
import datetime as dt
import io

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from models import Unit, UnitKind, UserRole, db
from registry.core import access
from registry.core.rules import RuleViolation
from registry.units import villages
from tests.factories import count


def current(name: str) -> Unit:
    """Today's unit of that name (the old trees hold namesakes, ended 30-6-2025)."""
    return db.session.execute(
        sa.select(Unit).where(Unit.name == name, Unit.valid_to.is_(None))).scalar_one()


def xlsx(*rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(list(row))
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def village_names(commune: Unit) -> list[tuple[str, str]]:
    return [tuple(r) for r in db.session.execute(
        sa.select(Unit.name, Unit.type_label).where(Unit.parent_id == commune.id,
                                                     Unit.kind == UnitKind.THON)
        .order_by(Unit.id))]


def test_plan_types_duplicates_blank_and_long(world2025, ctx):
    dakha = current("Xã Đăk Hà")
    villages.add_villages(dakha, ["Thôn 1"])
    plan = villages.plan_villages(dakha, [
        "Thôn 2", "  Làng   Kon Klor ", "", "TDP 3", "tổ dân phố 4", "thon 1", "Thôn 2",
        "x" * 201])
    assert plan.add == [("Thôn 2", "thôn"), ("Làng Kon Klor", "thôn"), ("TDP 3", "tổ dân phố"),
                        ("tổ dân phố 4", "tổ dân phố")]
    assert [(s.line, s.reason) for s in plan.skipped] == [
        (6, villages.SKIP_DUPLICATE), (7, villages.SKIP_REPEATED), (8, villages.SKIP_TOO_LONG)]
    assert plan.blank == 1


def test_add_villages_under_commune(world2025, ctx):
    dakha = current("Xã Đăk Hà")
    units, plan = villages.add_villages(dakha, ["Thôn 1", "Tổ dân phố 3", "Thôn 1"])
    assert [(u.name, u.kind, u.type_label, u.valid_from) for u in units] == [
        ("Thôn 1", UnitKind.THON, "thôn", dt.date.today()),
        ("Tổ dân phố 3", UnitKind.THON, "tổ dân phố", dt.date.today())]
    assert all(u.parent_id == dakha.id and u.path == f"{dakha.path}{u.id}/" for u in units)
    assert len(plan.skipped) == 1


def test_refuses_non_commune_ended_commune_and_nothing_new(world2025, ctx):
    province = current("Tỉnh Quảng Ngãi")
    with pytest.raises(RuleViolation, match="không phải xã"):
        villages.add_villages(province, ["Thôn 1"])
    old = db.session.execute(sa.select(Unit).where(
        Unit.kind == UnitKind.XA, Unit.valid_to == dt.date(2025, 6, 30))
        .order_by(Unit.id)).scalars().first()
    with pytest.raises(RuleViolation, match="đã hết hiệu lực sau ngày 30/06/2025"):
        villages.add_villages(old, ["Thôn 1"])
    dakha = current("Xã Đăk Hà")
    with pytest.raises(RuleViolation, match="Không có tên mới"):
        villages.add_villages(dakha, ["", "  "])
    assert count(Unit, kind=UnitKind.THON) == 0


def test_add_villages_checks_write_access(world2025, ctx):
    dakmar, dakha = current("Xã Đăk Mar"), current("Xã Đăk Hà")
    with access.scoped(access.scope_for_unit(dakmar)), pytest.raises(access.AccessDenied):
        villages.add_villages(dakha, ["Thôn 1"])


def test_names_from_xlsx(ctx):
    assert villages.names_from_xlsx(xlsx(["Tên thôn"], ["Thôn 1"], [None], ["Tổ dân phố 2"])) \
        == ["", "Thôn 1", "", "Tổ dân phố 2"]
    assert villages.names_from_xlsx(xlsx(["Thôn Kon Klor", "ghi chú"], [12])) \
        == ["Thôn Kon Klor", "12"]
    for data, message in ((b"", "rỗng"), (b"Thon 1\nThon 2", "Chỉ nhận tệp Excel .xlsx"),
                          (b"PK\x03\x04garbage", "hỏng"),
                          (xlsx(["Tên thôn"], [None]), "không có tên")):
        with pytest.raises(RuleViolation, match=message):
            villages.names_from_xlsx(data)


@pytest.fixture
def commune_officer(world2025, make, login):
    make.user("xadakha", UserRole.OFFICER, current("Xã Đăk Hà"))
    return login("xadakha")


def test_officer_previews_then_confirms(commune_officer, ctx):
    dakha = current("Xã Đăk Hà")
    villages.add_villages(dakha, ["Thôn 1"])
    db.session.commit()
    html = commune_officer.post(f"/units/{dakha.id}/villages", data={
        "names": "Thôn 1\nLàng Kon Klor\nTDP 3\n"}).get_data(as_text=True)
    assert "Sẽ thêm 2 đơn vị" in html and "Đã có trong đơn vị" in html
    assert count(Unit, kind=UnitKind.THON) == 1  # a preview writes nothing
    resp = commune_officer.post(f"/units/{dakha.id}/villages/confirm", data={
        "name": ["Làng Kon Klor", "TDP 3", "Thôn 1"], "valid_from": ""})
    assert resp.status_code == 302 and resp.location.endswith(f"/units/{dakha.id}")
    assert village_names(dakha) == [("Thôn 1", "thôn"), ("Làng Kon Klor", "thôn"),
                                    ("TDP 3", "tổ dân phố")]
    page = commune_officer.get(resp.location).get_data(as_text=True)
    assert "Đã thêm 2 thôn, tổ dân phố vào Xã Đăk Hà; bỏ qua 1 tên." in page
    assert "Thôn, tổ dân phố (3)" in page and page.count("Chưa có TTV") == 3


def test_village_coverage_on_commune_page(commune_officer, make, ctx):
    dakha = current("Xã Đăk Hà")
    units, _ = villages.add_villages(dakha, ["Thôn 1", "Thôn 2"])
    db.session.commit()
    make.person("A Một", units[0])
    page = commune_officer.get(f"/units/{dakha.id}").get_data(as_text=True)
    assert page.count("Chưa có TTV") == 1 and "+ Thêm thôn, tổ dân phố" in page


def test_xlsx_upload_and_bad_file(commune_officer, ctx):
    dakha = current("Xã Đăk Hà")
    html = commune_officer.post(f"/units/{dakha.id}/villages", data={
        "file": (io.BytesIO(xlsx(["Tên"], ["Thôn 5"], ["Thôn 6"])), "thon.xlsx")},
        content_type="multipart/form-data").get_data(as_text=True)
    assert "Sẽ thêm 2 đơn vị" in html and 'value="Thôn 6"' in html
    html = commune_officer.post(f"/units/{dakha.id}/villages", data={
        "file": (io.BytesIO(b"Thon 5\n"), "thon.csv")},
        content_type="multipart/form-data").get_data(as_text=True)
    assert "Chỉ nhận tệp Excel .xlsx" in html and "Sẽ thêm" not in html
    html = commune_officer.post(f"/units/{dakha.id}/villages", data={"names": " "}) \
        .get_data(as_text=True)
    assert "Dán danh sách tên hoặc chọn một tệp .xlsx." in html
    assert count(Unit, kind=UnitKind.THON) == 0


def test_other_commune_and_viewer_refused(world2025, make, login, client, ctx):
    dakha = current("Xã Đăk Hà")
    make.user("xadakmar", UserRole.OFFICER, current("Xã Đăk Mar"))
    make.user("xem", UserRole.VIEWER, dakha)
    login("xadakmar")
    assert client.get(f"/units/{dakha.id}/villages").status_code == 404
    assert client.post(f"/units/{dakha.id}/villages/confirm",
                       data={"name": ["Thôn 1"]}).status_code == 404
    login("xem")
    assert client.get(f"/units/{dakha.id}/villages").status_code == 403
    assert client.post(f"/units/{dakha.id}/villages/confirm",
                       data={"name": ["Thôn 1"]}).status_code == 403
    assert "+ Thêm thôn" not in client.get(f"/units/{dakha.id}").get_data(as_text=True)
    assert count(Unit, kind=UnitKind.THON) == 0


def test_province_admin_may_add_but_not_under_ended_or_non_commune(world2025, make, login, ctx):
    make.user("qn", UserRole.ADMIN, current("Tỉnh Quảng Ngãi"))
    client = login("qn")
    province = current("Tỉnh Quảng Ngãi")
    old = db.session.execute(sa.select(Unit).where(
        Unit.kind == UnitKind.XA, Unit.valid_to.is_not(None)).order_by(Unit.id)).scalars().first()
    assert "không phải xã" in client.get(f"/units/{province.id}/villages").get_data(as_text=True)
    assert "đã hết hiệu lực sau ngày" in client.get(f"/units/{old.id}/villages").get_data(
        as_text=True)
    client.post(f"/units/{old.id}/villages/confirm", data={"name": ["Thôn 1"]})
    assert count(Unit, kind=UnitKind.THON) == 0
    dakha = current("Xã Đăk Hà")
    assert client.post(f"/units/{dakha.id}/villages/confirm",
                       data={"name": ["Thôn 1"]}).status_code == 302
    assert village_names(dakha) == [("Thôn 1", "thôn")]


def test_confirm_is_all_or_nothing(commune_officer, monkeypatch, ctx):
    dakha = current("Xã Đăk Hà")
    real, calls = villages.add_unit, []

    def failing_third(*args, **kwargs):
        calls.append(args[0])
        if len(calls) == 3:
            raise RuleViolation(None, "Lỗi thử nghiệm ở đơn vị thứ ba.")
        return real(*args, **kwargs)

    monkeypatch.setattr(villages, "add_unit", failing_third)
    resp = commune_officer.post(f"/units/{dakha.id}/villages/confirm",
                                data={"name": ["Thôn 1", "Thôn 2", "Thôn 3"]})
    assert resp.status_code == 200 and "Lỗi thử nghiệm" in resp.get_data(as_text=True)
    assert 'Thôn 2' in resp.get_data(as_text=True)  # the names come back, nothing lost
    db.session.expire_all()
    assert count(Unit, kind=UnitKind.THON) == 0


def test_confirm_needs_csrf_token_and_valid_date(commune_officer, csrf_on, ctx):
    dakha = current("Xã Đăk Hà")
    assert commune_officer.post(f"/units/{dakha.id}/villages/confirm",
                                data={"name": ["Thôn 1"]}).status_code == 400
    assert count(Unit, kind=UnitKind.THON) == 0


def test_confirm_with_bad_date_keeps_names(commune_officer, ctx):
    dakha = current("Xã Đăk Hà")
    html = commune_officer.post(f"/units/{dakha.id}/villages/confirm", data={
        "name": ["Thôn 1"], "valid_from": "31/02/2026"}).get_data(as_text=True)
    assert "không hợp lệ" in html and "Thôn 1" in html
    assert count(Unit, kind=UnitKind.THON) == 0


def test_date_before_the_commune_existed_is_refused_beside_the_field(commune_officer, ctx):
    dakha = current("Xã Đăk Hà")
    html = commune_officer.post(f"/units/{dakha.id}/villages", data={
        "names": "Thôn 1", "valid_from": "01/01/2025"}).get_data(as_text=True)
    assert "chỉ có hiệu lực từ ngày 01/07/2025" in html and "Thôn 1" in html
    assert "Sẽ thêm" not in html and count(Unit, kind=UnitKind.THON) == 0
