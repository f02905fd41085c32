"""Persons and appointments in the API (issue 16): the roster's filters and counts, scoping,
writes through the web's forms and services with If-Match, idempotency, Vietnamese refusals."""
from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from models import Appointment, AuditLog, Level, Person, Role, UserRole, db
from tests.factories import PASSWORD

PERSONS = "/api/v1/persons"


def _auth(plain: str, **headers) -> dict:
    return {"Authorization": f"Bearer {plain}", **headers}


@pytest.fixture
def world(make):
    """Đắk Hà (an officer's district) with a commune below it, and Sa Thầy beside it."""
    people = {
        "own": make.person("Nguyễn Văn An", "Huyện Đắk Hà", role=Role.BCV, level=Level.HUYEN,
                           ethnicity="Kinh"),
        "child": make.person("Y Bình", "Xã Đắk Hring", ethnicity="Xơ Đăng"),
        "ended": make.person("Trần Thị Cúc", "Huyện Đắk Hà", end=dt.date(2024, 6, 30)),
        "sibling": make.person("Lê Văn Dũng", "Huyện Sa Thầy"),
    }
    users = {"admin": make.user("admin", UserRole.ADMIN, "Tỉnh Kon Tum"),
             "officer": make.user("dakha", UserRole.OFFICER, "Huyện Đắk Hà")}
    return {"ids": {k: p.id for k, p in people.items()},
            "unit": {n: make.unit(n).id for n in ("Huyện Đắk Hà", "Xã Đắk Hring",
                                                  "Huyện Sa Thầy")},
            "token": {k: make.token(u) for k, u in users.items()},
            "read_only": make.token(users["officer"], read_only=True)}


def test_the_list_counts_and_pages_as_the_web_roster(app, client, world):
    plain = world["token"]["officer"]
    hring = world["unit"]["Xã Đắk Hring"]
    web = app.test_client()  # the officer on the web, by session cookie
    assert web.post("/login", data={"username": "dakha", "password": PASSWORD}).status_code == 302
    for query in ("", "q=binh", "q=Nguyễn", f"unit={hring}", "status=all", "status=ended",
                  "role=BCV", "level=co_so&status=all", "on=2024-03-01", "gender=Nam",
                  "ethnicity=Kinh", "age=none"):
        resp = client.get(f"{PERSONS}?{query}", headers=_auth(plain))
        assert resp.status_code == 200, (query, resp.get_json())
        page = web.get(f"/roster?{query}").get_data(as_text=True)
        total = int(re.search(r'<p class="count"><strong>([\d.]+)</strong>', page)[1])
        assert resp.get_json()["meta"]["total"] == total, query
    body = client.get(f"{PERSONS}?status=all&per_page=2&page=2", headers=_auth(plain)).get_json()
    assert body["meta"] == {"page": 2, "per_page": 2, "total": 3, "pages": 2}
    assert len(body["items"]) == 1


def test_an_item_carries_its_unit_and_active_appointments(app, client, world):
    body = client.get(f"{PERSONS}?q=an", headers=_auth(world["token"]["officer"])).get_json()
    item = next(i for i in body["items"] if i["id"] == world["ids"]["own"])
    assert item["unit"] == {"id": world["unit"]["Huyện Đắk Hà"], "name": "Huyện Đắk Hà"}
    assert item["gender"] == "Nam" and item["ethnicity"] == "Kinh"
    [appt] = item["appointments"]
    assert (appt["role"], appt["level"], appt["start_date"]) == ("BCV", "huyen", "2024-01-01")


def test_a_district_token_sees_only_its_district(app, client, world):
    plain, ids = world["token"]["officer"], world["ids"]
    listed = {i["id"] for i in client.get(f"{PERSONS}?status=all&per_page=200",
                                          headers=_auth(plain)).get_json()["items"]}
    assert listed == {ids["own"], ids["child"], ids["ended"]}
    sa_thay = world["unit"]["Huyện Sa Thầy"]
    assert client.get(f"{PERSONS}?unit={sa_thay}", headers=_auth(plain)).get_json()["meta"][
        "total"] == 0
    for path in (f"{PERSONS}/{ids['sibling']}", f"{PERSONS}/{ids['sibling']}/appointments"):
        resp = client.get(path, headers=_auth(plain))
        assert resp.status_code == 404 and resp.get_json()["code"] == 404
    appt = db.session.execute(sa.select(Appointment.id).where(
        Appointment.person_id == ids["sibling"])).scalar_one()
    assert client.get(f"/api/v1/appointments/{appt}", headers=_auth(plain)).status_code == 404
    resp = client.patch(f"{PERSONS}/{ids['sibling']}", json={"notes": "x"},
                        headers=_auth(plain, **{"If-Match": '"x"'}))
    assert resp.status_code in (404, 412)
    admin = world["token"]["admin"]
    assert client.get(f"{PERSONS}/{ids['sibling']}", headers=_auth(admin)).status_code == 200


def test_the_detail_has_every_field_appointments_and_records(app, client, world, make):
    pid = world["ids"]["own"]
    person = db.session.get(Person, pid)
    made = make.records(person)
    resp = client.get(f"{PERSONS}/{pid}", headers=_auth(world["token"]["officer"]))
    body = resp.get_json()
    assert resp.status_code == 200 and resp.headers["ETag"]
    assert body["full_name"] == "Nguyễn Văn An" and body["party_member"] is False
    assert body["appointments"][0]["active"] is True
    assert body["attendances"][0]["course_name"]
    for kind, key in (("commendations", "commendation_id"), ("disciplines", "discipline_id"),
                      ("activities", "activity_id"), ("payments", "payment_id"),
                      ("attendances", "attendance_id")):
        assert made[key] in [r["id"] for r in body[kind]], kind
    again = client.get(f"{PERSONS}/{pid}", headers=_auth(world["token"]["officer"],
                                                         **{"If-None-Match": resp.headers["ETag"]}))
    assert again.status_code == 304


def test_a_read_only_token_cannot_write(app, client, world):
    plain, pid = world["read_only"], world["ids"]["own"]
    etag = client.get(f"{PERSONS}/{pid}", headers=_auth(plain)).headers["ETag"]
    hring = world["unit"]["Xã Đắk Hring"]
    for method, path, body in (
        ("post", PERSONS, {"full_name": "Mới", "unit_id": hring}),
        ("patch", f"{PERSONS}/{pid}", {"notes": "x"}),
        ("post", f"{PERSONS}/{pid}/appointments",
         {"role": "TTV", "level": "co_so", "unit_id": hring, "start_date": "2025-09-01"}),
    ):
        resp = getattr(client, method)(path, json=body, headers=_auth(plain, **{"If-Match": etag}))
        assert resp.status_code == 403, (path, resp.get_json())
    assert db.session.get(Person, pid).notes is None


def test_patch_needs_the_current_etag_and_is_audited(app, client, world):
    plain, pid = world["token"]["officer"], world["ids"]["own"]
    path = f"{PERSONS}/{pid}"
    etag = client.get(path, headers=_auth(plain)).headers["ETag"]
    assert client.patch(path, json={"notes": "Ghi chú"}, headers=_auth(plain)).status_code == 428
    stale = client.patch(path, json={"notes": "Ghi chú"}, headers=_auth(plain, **{
        "If-Match": '"0000"'}))
    assert stale.status_code == 412 and stale.get_json()["code"] == 412
    resp = client.patch(path, json={"notes": "Ghi chú", "dob": "1980-05"},
                        headers=_auth(plain, **{"If-Match": etag}))
    assert resp.status_code == 200, resp.get_json()
    body = resp.get_json()
    assert (body["notes"], body["dob"], body["dob_precision"]) == ("Ghi chú", "1980-05-01",
                                                                  "month")
    assert body["full_name"] == "Nguyễn Văn An" and body["ethnicity"] == "Kinh"  # kept
    assert resp.headers["ETag"] != etag
    # The old ETag no longer matches: a second writer with it is refused.
    assert client.patch(path, json={"notes": "Khác"},
                        headers=_auth(plain, **{"If-Match": etag})).status_code == 412
    log = db.session.execute(sa.select(AuditLog).where(
        AuditLog.entity == "persons", AuditLog.entity_id == pid,
        AuditLog.action == "update")).scalars().all()
    assert log and log[-1].after.get("notes") == "Ghi chú" and log[-1].actor


def test_create_with_an_idempotency_key_makes_one_person(app, client, world):
    plain = world["token"]["officer"]
    body = {"full_name": "  Đinh   Thị Hoa ", "unit_id": world["unit"]["Xã Đắk Hring"],
            "gender": "Nữ", "dob": "1990", "cccd": "062000000777",
            "appointment": {"role": "TTV", "level": "co_so", "start_date": "2025-09-01"}}
    headers = _auth(plain, **{"Idempotency-Key": "tao-hoa-1"})
    first = client.post(PERSONS, json=body, headers=headers)
    assert first.status_code == 201, first.get_json()
    second = client.post(PERSONS, json=body, headers=headers)
    assert second.status_code == 201 and second.headers["Idempotent-Replayed"] == "true"
    assert second.get_json() == first.get_json()
    assert second.headers["Location"] == first.headers["Location"]
    created = first.get_json()
    assert created["full_name"] == "Đinh Thị Hoa" and created["dob_precision"] == "year"
    assert [a["level"] for a in created["appointments"]] == ["co_so"]
    assert db.session.scalar(sa.select(sa.func.count()).where(
        Person.full_name == "Đinh Thị Hoa")) == 1
    dup = client.post(PERSONS, json={**body, "appointment": None}, headers=_auth(plain))
    assert dup.status_code == 422 and "cccd" in dup.get_json()["errors"]


def test_refusals_name_the_fields_in_vietnamese(app, client, world):
    plain = world["token"]["officer"]
    sa_thay, hring = world["unit"]["Huyện Sa Thầy"], world["unit"]["Xã Đắk Hring"]
    resp = client.post(PERSONS, json={"unit_id": "x", "gender": "?"}, headers=_auth(plain))
    errors = resp.get_json()["errors"]
    assert resp.status_code == 422
    assert errors["full_name"] == ["Thiếu trường bắt buộc."]
    assert errors["unit_id"] == ["Không phải số nguyên."]
    assert errors["gender"][0].startswith("Phải là một trong")
    resp = client.post(PERSONS, json={"full_name": "A", "unit_id": sa_thay, "cccd": "12",
                                      "email": "khong-phai", "appointment": {
                                          "role": "TTV", "level": "huyen",
                                          "start_date": "2025-09-01"}},
                       headers=_auth(plain))
    errors = resp.get_json()["errors"]
    assert resp.status_code == 422, errors
    assert errors["cccd"] == ["Số CCCD phải gồm đúng 12 chữ số."]
    assert errors["email"] == ["Địa chỉ email không hợp lệ."]
    assert errors["unit_id"] == ["Giá trị được chọn không hợp lệ."]  # outside the district
    assert "appointment.level" in errors
    resp = client.post(PERSONS, json={"full_name": "A", "unit_id": hring, "dob": "3000"},
                       headers=_auth(plain))
    assert resp.status_code == 422 and "dob" in resp.get_json()["errors"]


def test_appointments_are_added_edited_and_ended_as_on_the_web(app, client, world):
    plain, pid = world["token"]["officer"], world["ids"]["child"]
    hring = world["unit"]["Xã Đắk Hring"]
    new = client.post(f"{PERSONS}/{pid}/appointments", json={
        "role": "BCV", "level": "co_so", "unit_id": hring, "start_date": "2025-09-01",
        "term": "2025-2030", "decision_no": "12-QĐ/HU"}, headers=_auth(plain))
    assert new.status_code == 201, new.get_json()
    aid = new.get_json()["id"]
    listed = client.get(f"{PERSONS}/{pid}/appointments", headers=_auth(plain)).get_json()
    assert [a["id"] for a in listed][0] == aid and len(listed) == 2
    path = f"/api/v1/appointments/{aid}"
    etag = client.get(path, headers=_auth(plain)).headers["ETag"]
    assert client.patch(path, json={"term": "x"}, headers=_auth(plain)).status_code == 428
    bad = client.patch(path, json={"term": "mãi mãi"}, headers=_auth(plain, **{"If-Match": etag}))
    assert bad.status_code == 422 and "term" in bad.get_json()["errors"]
    late = client.patch(path, json={"level": "huyen"}, headers=_auth(plain, **{"If-Match": etag}))
    assert late.status_code == 422 and "level" in late.get_json()["errors"]
    ok = client.patch(path, json={"decision_body": "Huyện ủy Đắk Hà"},
                      headers=_auth(plain, **{"If-Match": etag}))
    assert ok.status_code == 200 and ok.get_json()["term"] == "2025-2030"
    end = f"{path}/end"
    early = client.post(end, json={"end_date": "2025-01-01", "end_reason": "mien_nhiem"},
                        headers=_auth(plain))
    assert early.status_code == 422 and "end_date" in early.get_json()["errors"]
    done = client.post(end, json={"end_date": "2026-01-31", "end_reason": "mien_nhiem",
                                  "end_decision_no": "5-QĐ/HU"}, headers=_auth(plain))
    assert done.status_code == 200, done.get_json()
    assert (done.get_json()["end_reason"], done.get_json()["active"]) == ("mien_nhiem", False)
    again = client.post(end, json={"end_date": "2026-02-01", "end_reason": "mien_nhiem"},
                        headers=_auth(plain))
    assert again.status_code == 422 and "đã kết thúc" in str(again.get_json()["errors"])


def test_garbage_arguments_are_422_never_500(app, client, world):
    for query in ("page=0", "page=abc", "per_page=201", "per_page=-1", "on=31/02/2024",
                  "on=2024-13-01", "unit=abc", "unit=99999999999999999999", "role=X",
                  "status=%00", "age=old", "party=maybe", "q=" + "a" * 300, "gender=%FF",
                  "on=0001-01-01"):
        resp = client.get(f"{PERSONS}?{query}", headers=_auth(world["token"]["officer"]))
        assert resp.status_code in (400, 422) and resp.is_json, query  # %00: 400 before the view
        assert resp.status_code == 400 or resp.get_json()["errors"], query


def test_garbage_bodies_and_ids_never_500(app, client, world):
    plain = world["token"]["officer"]
    for method, path, body in (
        ("post", PERSONS, [1, 2]), ("post", PERSONS, "chuỗi"),
        ("post", PERSONS, {"full_name": "A", "unit_id": 2**70}),
        ("post", PERSONS, {"full_name": "A\x00", "unit_id": 1, "notes": "\x00"}),
        ("post", PERSONS, {"full_name": "A", "unit_id": 999999, "appointment": "x"}),
        ("post", "/api/v1/appointments/999999/end", {"end_date": "x"}),
        ("get", f"{PERSONS}/999999999", None), ("get", f"{PERSONS}/99999999999999999999", None),
    ):
        resp = getattr(client, method)(path, json=body, headers=_auth(plain))
        assert resp.status_code in (404, 422), (path, body, resp.status_code)
        assert resp.is_json
