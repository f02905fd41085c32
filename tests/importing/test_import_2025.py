"""Import in both worlds (issue 12 §4), in a registry of today's units (world2025): a file of
today's communes matches them without a district; a file of the former structure resolves each
unit in the old tree and lands it in the unit that took it over; a divided commune without a
default is refused naming the choices; a former unit still works as a scope, for import and
export alike, and a 2024 province file goes round the trip unchanged."""
from __future__ import annotations

import io
import json

import openpyxl
import pytest
import sqlalchemy as sa

from imports import parse_upload
from imports.assign import AMBIGUOUS_SUCCESSOR
from models import Appointment, Level, Person, Role, Unit, UserRole, db, unit_successors
from registry.core import access
from registry.importing.db_catalogue import catalogue_for, uploader_ref
from registry.importing.match import NO_DISTRICT_LEVEL
from tests.factories import latest_batch
from tests.imports.builders import HEADER, person, xlsx_bytes
from tests.paths import SAMPLES

WITH_DISTRICT = [*HEADER, "Huyện"]


@pytest.fixture
def world(world2025):
    with world2025.app_context():
        yield world2025
        db.session.rollback()
        db.session.remove()


def _unit(name: str, *, former: bool = False) -> Unit:
    ended = Unit.valid_to.is_not(None) if former else Unit.valid_to.is_(None)
    return db.session.execute(sa.select(Unit).where(Unit.name == name, ended)).scalar_one()


def _parse(rows: list[list], uploader: Unit):
    result = parse_upload(xlsx_bytes(rows), "ds.xlsx", catalogue_for(db.session),
                          uploader_ref(db.session, uploader))
    assert result.error is None, result.error
    return result.sheets[0].rows


def _cccd(n: int) -> str:
    return f"0620990{n:05d}"


def _cli(app, tmp_path, rows: list[list] | None, unit: str, *extra: str, path=None) -> dict:
    if path is None:
        path = tmp_path / "ds.xlsx"
        path.write_bytes(xlsx_bytes(rows))
    result = app.test_cli_runner().invoke(
        args=["import-roster", str(path), "--unit", unit, "--json", *extra])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout.splitlines()[0])


def _rows(report: dict) -> list[dict]:
    return [row for sheet in report["sheets"] for row in sheet["rows"]]


def test_todays_file_matches_todays_communes_without_a_district(world):
    rows = _parse([HEADER, person(1, unit="Xã Đăk Hà"), person(2, "Lê Thị Hoa", unit="Xã Đăk Mar")],
                  _unit("Tỉnh Quảng Ngãi"))

    assert [r.reason for r in rows] == [None, None]
    assert [(r.values["unit"], r.values["district"], r.current_unit) for r in rows] == [
        ("Xã Đăk Hà", None, None), ("Xã Đăk Mar", None, None)]
    assert rows[0].unit_id == _unit("Xã Đăk Hà").id


def test_former_structure_resolves_in_the_old_tree_and_lands_in_the_successor(world):
    rows = _parse([
        WITH_DISTRICT,
        [*person(1, unit="Xã Đắk Hring"), "Huyện Đắk Hà"],
        [*person(2, "Lê Thị Hoa", unit="Thị trấn Đắk Hà"), "Huyện Đắk Hà"],
        [*person(3, "Trần Văn Bình", unit="Xã Đắk Hring, huyện Đắk Hà"), None],
        [*person(4, "Phạm Thị Lan", unit="Xã Hà Mòn"), None],  # only a former unit has it
    ], _unit("Tỉnh Quảng Ngãi"))

    assert [r.reason for r in rows] == [None] * 4
    assert [(r.values["unit"], r.values["district"], r.current_unit) for r in rows] == [
        ("Xã Đắk Hring", "Huyện Đắk Hà", "Xã Đăk Mar"),
        ("Thị trấn Đắk Hà", "Huyện Đắk Hà", "Xã Đăk Hà"),
        ("Xã Đắk Hring", "Huyện Đắk Hà", "Xã Đăk Mar"),
        ("Xã Hà Mòn", "Huyện Đắk Hà", "Xã Đăk Hà"),
    ]
    assert rows[0].unit_id == _unit("Xã Đăk Mar").id


def test_an_old_district_scope_reads_its_communes_in_the_old_tree(world):
    """The same folded name: in Huyện Đắk Hà's file "Xã Đắk Mar" is the former commune."""
    rows = _parse([HEADER, person(1, unit="Xã Đắk Mar"),
                   person(2, "Lê Thị Hoa", unit="Xã Sa Bình")], _unit("Huyện Đắk Hà", former=True))

    assert (rows[0].values["district"], rows[0].current_unit) == ("Huyện Đắk Hà", "Xã Đăk Mar")
    assert rows[1].reason == "unknown_unit" and "Huyện Sa Thầy" in rows[1].message


def test_a_title_naming_a_former_district_reads_the_list_in_its_old_tree(world):
    rows = [HEADER, person(1, unit="Xã Đắk Mar")]
    plain = _parse(rows, _unit("Tỉnh Quảng Ngãi"))
    titled = _parse([["DANH SÁCH TUYÊN TRUYỀN VIÊN HUYỆN ĐẮK HÀ"], *rows], _unit("Tỉnh Quảng Ngãi"))

    assert (plain[0].values["district"], plain[0].current_unit) == (None, None)
    assert (titled[0].values["unit"], titled[0].values["district"], titled[0].current_unit) == (
        "Xã Đắk Mar", "Huyện Đắk Hà", "Xã Đăk Mar")
    assert plain[0].unit_id == titled[0].unit_id == _unit("Xã Đăk Mar").id


def test_cli_lands_rows_in_the_successor_and_reports_current_unit(world, tmp_path):
    report = _cli(world, tmp_path, [
        WITH_DISTRICT,
        [*person(1, unit="Xã Đắk Hring", cccd=_cccd(1)), "Huyện Đắk Hà"],
        [*person(2, "Lê Thị Hoa", unit="Xã Đăk Hà", cccd=_cccd(2)), None],
    ], "Tỉnh Quảng Ngãi")

    old, new = _rows(report)
    assert (old["status"], old["values"]["unit"], old["values"]["district"],
            old["current_unit"]) == ("new", "Xã Đắk Hring", "Huyện Đắk Hà", "Xã Đăk Mar")
    assert (new["status"], new["values"]["unit"], new["current_unit"]) == (
        "new", "Xã Đăk Hà", None)
    db.session.expire_all()
    landed = db.session.execute(sa.select(Person).where(Person.cccd == _cccd(1))).scalar_one()
    appointment = db.session.execute(
        sa.select(Appointment).where(Appointment.person_id == landed.id)).scalar_one()
    assert landed.unit.name == appointment.unit.name == "Xã Đăk Mar"
    assert landed.unit.valid_to is None and appointment.unit_name_snapshot == "Xã Đăk Mar"


def test_preview_shows_the_former_unit_and_where_it_lands(world, make, client, login):
    make.user("qn_admin", UserRole.ADMIN, _unit("Tỉnh Quảng Ngãi"))
    login("qn_admin")
    data = xlsx_bytes([WITH_DISTRICT, [*person(1, unit="Xã Đắk Hring"), "Huyện Đắk Hà"]])
    resp = client.post("/imports/upload", data={"file": (io.BytesIO(data), "ds.xlsx")},
                       content_type="multipart/form-data")
    assert resp.status_code == 302

    html = client.get(f"/imports/{latest_batch().id}").get_data(as_text=True)
    assert "Xã Đắk Hring (cũ) → Xã Đăk Mar" in html


def _divide(old: str, *successors: str) -> None:
    """Make `old` a commune divided among `successors` with no default (a hand-built registry)."""
    unit = _unit(old, former=True)
    db.session.execute(unit_successors.delete().where(
        unit_successors.c.predecessor_id == unit.id))
    db.session.execute(unit_successors.insert(), [
        {"predecessor_id": unit.id, "successor_id": _unit(name).id, "is_default": False}
        for name in successors])
    db.session.commit()


def test_a_divided_commune_without_default_is_ambiguous_successor(world, tmp_path):
    _divide("Xã Đắk Hring", "Xã Đăk Mar", "Xã Đăk Hà")
    rows = _parse([WITH_DISTRICT, [*person(1, unit="Xã Đắk Hring"), "Huyện Đắk Hà"],
                   [*person(2, "Lê Thị Hoa", unit="Xã Đắk Ui"), "Huyện Đắk Hà"]],
                  _unit("Tỉnh Quảng Ngãi"))

    assert [r.reason for r in rows] == [AMBIGUOUS_SUCCESSOR, None]
    assert rows[0].choices == ("Xã Đăk Hà", "Xã Đăk Mar")
    assert rows[0].field == "unit" and "Xã Đăk Hà, Xã Đăk Mar" in rows[0].message

    report = _cli(world, tmp_path, [WITH_DISTRICT,
                                    [*person(1, unit="Xã Đắk Hring"), "Huyện Đắk Hà"]],
                  "Tỉnh Quảng Ngãi", "--dry-run")
    (row,) = _rows(report)
    assert (row["status"], row["reason"], row["choices"]) == (
        "invalid", AMBIGUOUS_SUCCESSOR, ["Xã Đăk Hà", "Xã Đăk Mar"])
    assert "chia cho Xã Đăk Hà, Xã Đăk Mar" in row["message"]


def test_an_old_district_as_import_scope_lands_its_communes_and_refuses_others(world, tmp_path):
    report = _cli(world, tmp_path, [
        HEADER,
        person(1, unit="Xã Đắk Hring", cccd=_cccd(1)),
        person(2, "Lê Thị Hoa", unit="Thị trấn Đắk Hà", cccd=_cccd(2)),
        person(3, "Trần Văn Bình", unit="Xã Sa Bình", cccd=_cccd(3)),  # huyện Sa Thầy
    ], "Huyện Đắk Hà")

    rows = _rows(report)
    assert [(r["status"], r["current_unit"]) for r in rows] == [
        ("new", "Xã Đăk Mar"), ("new", "Xã Đăk Hà"), ("invalid", None)]
    assert rows[2]["reason"] == "unknown_unit" and "Huyện Sa Thầy" in rows[2]["message"]
    # Imported again under the same scope, the landed people are found: nothing changes.
    again = _cli(world, tmp_path, None, "Huyện Đắk Hà", path=tmp_path / "ds.xlsx")
    assert [r["status"] for r in _rows(again)] == ["unchanged", "unchanged", "invalid"]


def _exported(app, tmp_path, unit: str) -> tuple[bytes, list[str]]:
    out = tmp_path / "out.xlsx"
    result = app.test_cli_runner().invoke(args=["export-roster", str(out), "--unit", unit])
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(io.BytesIO(out.read_bytes())).active
    names = [str(v) for row in ws.iter_rows(values_only=True) for v in row if v]
    return out.read_bytes(), names


def test_an_old_district_as_export_scope_covers_its_successors_only(world, tmp_path, make):
    _cli(world, tmp_path, [HEADER, person(1, "Y Đắk Hà", unit="Xã Đắk Hring", cccd=_cccd(1))],
         "Huyện Đắk Hà")
    make.person("Y Sa Thầy", _unit("Xã Sa Bình"))
    make.person("Y Ngọk Hồi", _unit("Xã Bờ Y"))

    _, cells = _exported(world, tmp_path, "Huyện Đắk Hà")
    assert "Y Đắk Hà" in cells and "Y Sa Thầy" not in cells and "Y Ngọk Hồi" not in cells
    _, cells = _exported(world, tmp_path, "Tỉnh Kon Tum")
    assert {"Y Đắk Hà", "Y Sa Thầy", "Y Ngọk Hồi"} <= set(cells)


def test_officer_of_a_current_commune_uploads_an_old_file(world, make, client, login):
    make.user("dakmar", UserRole.OFFICER, _unit("Xã Đăk Mar"))
    login("dakmar")
    data = xlsx_bytes([WITH_DISTRICT,
                       [*person(1, unit="Xã Đắk Hring", cccd=_cccd(1)), "Huyện Đắk Hà"],
                       [*person(2, "Lê Thị Hoa", unit="Xã Đắk Ui", cccd=_cccd(2)),
                        "Huyện Đắk Hà"]])
    resp = client.post("/imports/upload", data={"file": (io.BytesIO(data), "ds.xlsx")},
                       content_type="multipart/form-data")
    assert resp.status_code == 302

    batch = latest_batch()
    assert (batch.counts["new"], batch.counts["invalid"]) == (1, 1)
    html = client.get(f"/imports/{batch.id}?status=invalid").get_data(as_text=True)
    assert "nằm ngoài phạm vi" in html


def test_a_district_level_row_cannot_start_after_the_districts_ended(world, tmp_path):
    header = [*WITH_DISTRICT, "Loại", "Cấp", "Ngày bắt đầu"]
    report = _cli(world, tmp_path, [
        header,
        [*person(1, unit="", cccd=_cccd(1)), "Huyện Đắk Hà", "BCV", "Cấp huyện", "01/03/2024"],
        [*person(2, "Lê Thị Hoa", unit="", cccd=_cccd(2)), "Huyện Đắk Hà", "BCV", "Cấp huyện",
         "01/08/2025"],
        [*person(3, "Trần Văn Bình", unit="", cccd=_cccd(3)), "Huyện Đắk Hà", "BCV",
         "Cấp huyện", None],
    ], "Tỉnh Kon Tum", "--dry-run")

    rows = _rows(report)
    assert [(r["status"], r["reason"]) for r in rows] == [
        ("new", None), ("invalid", NO_DISTRICT_LEVEL), ("invalid", NO_DISTRICT_LEVEL)]
    assert "Từ 01/7/2025 không còn cấp huyện" in rows[1]["message"]
    assert "ngày 01/08/2025" in rows[1]["message"]


def test_a_2024_province_file_goes_round_the_trip_unchanged(world, tmp_path):
    sample = SAMPLES / "S10_tinh_kontum_5000_dong.xlsx"
    first = _cli(world, tmp_path, None, "Tỉnh Kon Tum", path=sample)
    statuses = [r["status"] for r in _rows(first)]
    # The province file's cấp huyện rows would start today in an abolished district.
    refused = [r for r in _rows(first) if r["status"] == "invalid"]
    assert {r["reason"] for r in refused} == {NO_DISTRICT_LEVEL}
    assert statuses.count("new") == len(statuses) - len(refused) > 4000
    landed = [r for r in _rows(first) if r["current_unit"]]
    assert len(landed) == statuses.count("new")
    db.session.expire_all()
    people = db.session.execute(sa.select(Person).join(Person.unit)).scalars().all()
    assert all(p.unit.valid_to is None for p in people)  # nobody on an abolished unit

    data, _ = _exported(world, tmp_path, "Tỉnh Kon Tum")
    (tmp_path / "back.xlsx").write_bytes(data)
    again = _cli(world, tmp_path, None, "Tỉnh Kon Tum", path=tmp_path / "back.xlsx")

    rows = _rows(again)
    assert len(rows) == statuses.count("new")
    assert {r["status"] for r in rows} == {"unchanged"}
    assert db.session.execute(sa.select(sa.func.count(Appointment.id)).where(
        Appointment.level == Level.HUYEN, Appointment.role == Role.BCV)).scalar() == 0


def test_a_former_units_scope_reaches_its_successors_and_nothing_else(world, make):
    """Two former districts' scopes one after the other: each sees the people of the units that
    took over its own communes, never the other's (the scope's ids are bound per query)."""
    make.person("Y Đăk Mar", _unit("Xã Đăk Mar"))
    make.person("Y Sa Bình", _unit("Xã Sa Bình"))
    make.person("Y Bình Sơn", _unit("Xã Bình Sơn"))  # the former Quảng Ngãi's
    seen = {}
    for district in ("Huyện Đắk Hà", "Huyện Sa Thầy", "Huyện Đắk Hà"):
        scope = access.scope_for_unit(_unit(district, former=True))
        with access.scoped(scope):
            names = db.session.execute(sa.select(Person.full_name)).scalars().all()
            units = {u.name for u in db.session.execute(access.visible_units()).scalars()}
        seen[district] = sorted(names)
        assert "Xã Bình Sơn" not in units and district in units
    assert seen == {"Huyện Đắk Hà": ["Y Đăk Mar"], "Huyện Sa Thầy": ["Y Sa Bình"]}
    kon_tum = access.scope_for_unit(_unit("Tỉnh Kon Tum", former=True))
    assert not access.is_admin(kon_tum)
    assert kon_tum.contains_path(_unit("Tỉnh Quảng Ngãi").path)  # its province-level people
    assert not kon_tum.contains_path(_unit("Xã Bình Sơn").path)


def test_an_officer_of_a_former_district_keeps_working_until_moved(world, make, client, login):
    """The web upload's scope is the account's unit: a former district's officer imports its
    communes' list, the rows land in today's communes, and the roster still shows them."""
    make.user("dakha", UserRole.OFFICER, _unit("Huyện Đắk Hà", former=True))
    make.person("Y Sa Thầy", _unit("Xã Sa Bình"))
    login("dakha")
    data = xlsx_bytes([HEADER, person(1, "Y Đắk Hring", unit="Xã Đắk Hring", cccd=_cccd(1))])
    resp = client.post("/imports/upload", data={"file": (io.BytesIO(data), "ds.xlsx")},
                       content_type="multipart/form-data")
    assert resp.status_code == 302, resp.get_data(as_text=True)[-3000:]
    batch = latest_batch()
    assert batch.counts["new"] == 1
    assert client.post(f"/imports/{batch.id}/confirm").status_code == 302

    html = client.get("/roster").get_data(as_text=True)
    assert "Y Đắk Hring" in html and "Y Sa Thầy" not in html
    db.session.expire_all()
    landed = db.session.execute(sa.select(Person).where(Person.cccd == _cccd(1))).scalar_one()
    assert landed.unit.name == "Xã Đăk Mar"


def test_todays_template_offers_todays_communes_and_no_district(world, make, login):
    make.user("xdh", UserRole.OFFICER, "Xã Đăk Hà")
    make.user("tinh", UserRole.ADMIN, "Tỉnh Quảng Ngãi")
    db.session.commit()
    for username, communes in (("xdh", ["Xã Đăk Hà"]), ("tinh", None)):
        client = login(username)
        wb = openpyxl.load_workbook(io.BytesIO(client.get("/imports/template.xlsx").data))
        lists = wb["Danh mục"]
        column = {c.value: c.column_letter for c in lists[1]}
        values = {key: [c.value for c in lists[column[key]][1:] if c.value] for key in column}
        assert values.get("district", []) == []
        assert values["level"] == ["Xã", "Tỉnh"]
        if communes is not None:
            assert values["unit"] == communes
        else:
            assert len(values["unit"]) == 96 and "Xã Đắk Hring" not in values["unit"]
        client.get("/logout")
