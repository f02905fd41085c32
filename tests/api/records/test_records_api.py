"""Records in the API (issue 16): courses and attendance, payments, commendations, disciplines,
activities: create → read → update with If-Match → delete through the web's services, scoping
as on the web, read-only tokens, the services' refusals in Vietnamese, idempotent POST, and
garbage never a 500."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from models import Appointment, AuditLog, Commendation, EndReason, Level, Role, UserRole, db

API = "/api/v1"
TODAY = dt.date.today()


def _auth(plain: str, **headers) -> dict:
    return {"Authorization": f"Bearer {plain}", **headers}


@pytest.fixture
def world(make):
    """The Đắk Hà officer's district (a BCV there, a TTV in a commune below), Sa Thầy beside it
    with a record of every kind, and a course of the province above."""
    own = make.person("Nguyễn Văn An", "Huyện Đắk Hà", role=Role.BCV, level=Level.HUYEN)
    child = make.person("Y Bình", "Xã Đắk Hring")
    sibling = make.person("Lê Văn Dũng", "Huyện Sa Thầy")
    officer = make.user("dakha", UserRole.OFFICER, "Huyện Đắk Hà")
    sib_course = make.course("Huyện Sa Thầy", name="Khóa của Sa Thầy")
    return {
        "own": own.id, "child": child.id, "own_appt": own.appointments[0].id,
        "dakha": own.unit_id, "hring": child.unit_id, "sathay": sibling.unit_id,
        "province_course": make.course("Tỉnh Kon Tum", name="Khóa của tỉnh").id,
        "sibling": {
            "courses": sib_course.id,
            "attendances": make.attend(sibling, sib_course).id,
            "payments": make.payment(sibling).id,
            "commendations": make.commendation(sibling).id,
            "disciplines": make.discipline(sibling).id,
            "activities": make.activity(sibling).id,
        },
        "token": make.token(officer),
        "read_only": make.token(officer, read_only=True),
    }


def _crud(client, plain: str, kind: str, body: dict, patch: dict, check: dict) -> int:
    """POST, GET (ETag), PATCH without and with If-Match, DELETE with If-Match; the new id."""
    resp = client.post(f"{API}/{kind}", json=body, headers=_auth(plain))
    assert resp.status_code == 201, resp.get_json()
    item = resp.get_json()
    url = f"{API}/{kind}/{item['id']}"
    got = client.get(url, headers=_auth(plain))
    assert got.status_code == 200 and got.get_json() == item and got.headers["ETag"]
    etag = got.headers["ETag"]
    assert client.patch(url, json=patch, headers=_auth(plain)).status_code == 428
    stale = client.patch(url, json=patch, headers=_auth(plain, **{"If-Match": '"x"'}))
    assert stale.status_code == 412 and stale.get_json()["code"] == 412
    done = client.patch(url, json=patch, headers=_auth(plain, **{"If-Match": etag}))
    assert done.status_code == 200, done.get_json()
    for key, value in check.items():
        assert done.get_json()[key] == value, key
    assert done.headers["ETag"] != etag
    assert client.delete(url, headers=_auth(plain, **{"If-Match": etag})).status_code == 412
    gone = client.delete(url, headers=_auth(plain, **{"If-Match": done.headers["ETag"]}))
    assert gone.status_code == 204, gone.get_json()
    assert client.get(url, headers=_auth(plain)).status_code == 404
    return item["id"]


def test_a_course_and_its_attendance(client, world):
    plain = world["token"]
    body = {"name": "Bồi dưỡng nghiệp vụ 2025", "kind": "boi_duong", "level": "huyen",
            "unit_id": world["dakha"], "start_date": "2025-03-10", "form": "truc_tiep",
            "hours": 16}
    resp = client.post(f"{API}/courses", json=body, headers=_auth(plain))
    course = resp.get_json()
    assert resp.status_code == 201 and course["end_date"] == "2025-03-10"
    url = f"{API}/courses/{course['id']}"
    added = client.post(f"{url}/attendances", json={"person_ids": [world["own"], world["child"]]},
                        headers=_auth(plain))
    assert added.status_code == 201 and added.get_json() == {"added": 2, "already_present": 0}
    again = client.post(f"{url}/attendances", json={"person_ids": [world["own"]]},
                        headers=_auth(plain))
    assert again.get_json() == {"added": 0, "already_present": 1}
    rows = client.get(f"{url}/attendances", headers=_auth(plain)).get_json()
    assert rows["meta"]["total"] == 2
    att = rows["items"][0]
    att_url = f"{API}/attendances/{att['id']}"
    tag = client.get(att_url, headers=_auth(plain)).headers["ETag"]
    done = client.patch(att_url, json={"result": "gioi", "certificate_no": "CN-01"},
                        headers=_auth(plain, **{"If-Match": tag}))
    assert done.get_json()["result"] == "gioi" and done.get_json()["note"] is None
    # The web refuses to delete a course anyone attended: so does the API, in Vietnamese.
    tag = client.get(url, headers=_auth(plain)).headers["ETag"]
    refused = client.delete(url, headers=_auth(plain, **{"If-Match": tag}))
    assert refused.status_code == 422 and "người tham gia" in refused.get_json()["message"]
    for row in client.get(f"{url}/attendances", headers=_auth(plain)).get_json()["items"]:
        one = f"{API}/attendances/{row['id']}"
        tag = client.get(one, headers=_auth(plain)).headers["ETag"]
        assert client.delete(one, headers=_auth(plain, **{"If-Match": tag})).status_code == 204
    listed = client.get(f"{API}/courses?year=2025&unit={world['dakha']}", headers=_auth(plain))
    assert [c["id"] for c in listed.get_json()["items"]] == [course["id"]]
    body["name"] = "Khóa thứ hai"
    _crud(client, plain, "courses", body, {"place": "Hội trường huyện", "hours": 8},
          {"place": "Hội trường huyện", "hours": 8, "name": "Khóa thứ hai"})


def test_payments(client, world):
    plain = world["token"]
    body = {"person_id": world["own"], "kind": "ho_tro", "period": "2025-03", "amount": 500000}
    _crud(client, plain, "payments", body, {"amount": 600000, "note": "Bổ sung"},
          {"amount": 600000, "note": "Bổ sung", "period": "2025-03", "unit_id": world["dakha"]})
    # A paid payment cannot be deleted (the web's refusal).
    paid = client.post(f"{API}/payments", json={**body, "paid_date": "2025-03-20"},
                       headers=_auth(plain)).get_json()
    url = f"{API}/payments/{paid['id']}"
    tag = client.get(url, headers=_auth(plain)).headers["ETag"]
    refused = client.delete(url, headers=_auth(plain, **{"If-Match": tag}))
    assert refused.status_code == 422 and "đã chi" in refused.get_json()["message"]
    listed = client.get(f"{API}/payments?month=2025-03&paid=true&person={world['own']}",
                        headers=_auth(plain)).get_json()
    assert [p["id"] for p in listed["items"]] == [paid["id"]]


def test_commendations_are_audited(client, world):
    plain = world["token"]
    body = {"person_id": world["child"], "form": "giay_khen", "issuer_level": "huyen",
            "issuer": "Huyện ủy Đắk Hà", "year": 2024, "decision_date": "2024-12-20"}
    item_id = _crud(client, plain, "commendations", body, {"title": "Tuyên truyền viên giỏi"},
                    {"title": "Tuyên truyền viên giỏi", "year": 2024})
    actions = db.session.execute(sa.select(AuditLog.user_id).where(
        AuditLog.entity == "commendations", AuditLog.entity_id == item_id)).scalars()
    assert len(list(actions)) == 3


def test_disciplines_and_a_confirmed_removal(client, world):
    plain = world["token"]
    body = {"person_id": world["own"], "system": "dang", "form": "khien_trach",
            "effective_from": "2025-02-01", "decision_date": "2025-01-20"}
    _crud(client, plain, "disciplines", body, {"summary": "Vi phạm kỷ luật phát ngôn"},
          {"summary": "Vi phạm kỷ luật phát ngôn", "effective_from": "2025-02-01"})
    removal = {"person_id": world["own"], "system": "bcv_ttv", "form": "dua_ra_khoi_danh_sach",
               "effective_from": "2025-04-01"}
    asked = client.post(f"{API}/disciplines", json=removal, headers=_auth(plain))
    assert asked.status_code == 422 and "end_appointments" in asked.get_json()["errors"]
    done = client.post(f"{API}/disciplines", json={**removal, "end_appointments": True},
                       headers=_auth(plain))
    assert done.status_code == 201
    appt = db.session.get(Appointment, world["own_appt"])
    db.session.refresh(appt)
    assert appt.end_date == dt.date(2025, 3, 31) and appt.end_reason is EndReason.DUA_RA_KHOI_DS


def test_activities(client, world):
    plain = world["token"]
    body = {"person_id": world["own"], "unit_id": world["hring"], "date": "2025-03-05",
            "topic": "Nghị quyết Đại hội", "form": "truc_tiep", "audience": 40,
            "appointment_id": world["own_appt"]}
    _crud(client, plain, "activities", body, {"audience": 55, "appointment_id": None},
          {"audience": 55, "appointment_id": None, "topic": "Nghị quyết Đại hội"})
    client.post(f"{API}/activities", json=body, headers=_auth(plain))
    found = client.get(f"{API}/activities?topic=nghi quyet&from=2025-03-01&unit={world['dakha']}",
                       headers=_auth(plain)).get_json()
    assert found["meta"]["total"] == 1
    other = client.get(f"{API}/activities?unit={world['sathay']}", headers=_auth(plain))
    assert other.get_json()["meta"]["total"] == 0


def test_another_districts_records_are_not_found(client, world):
    plain = world["token"]
    for kind, item_id in world["sibling"].items():
        url = f"{API}/{kind}/{item_id}"
        assert client.get(url, headers=_auth(plain)).status_code == 404, url
        for method in ("PATCH", "DELETE"):
            resp = client.open(url, method=method, json={},
                               headers=_auth(plain, **{"If-Match": "*"}))
            assert resp.status_code == 404, (method, url, resp.get_json())
        if kind != "attendances":
            listed = client.get(f"{API}/{kind}?status=all", headers=_auth(plain)).get_json()
            assert item_id not in [row["id"] for row in listed["items"]], kind
    sib = client.post(f"{API}/commendations", json={
        "person_id": db.session.get(Commendation, world["sibling"]["commendations"]).person_id,
        "form": "giay_khen", "issuer_level": "huyen", "issuer": "X", "year": 2024},
        headers=_auth(plain))
    assert sib.status_code == 422 and "person_id" in sib.get_json()["errors"]
    # The province's course: read, never changed, by the district.
    url = f"{API}/courses/{world['province_course']}"
    got = client.get(url, headers=_auth(plain))
    assert got.status_code == 200
    changed = client.patch(url, json={"hours": 3},
                           headers=_auth(plain, **{"If-Match": got.headers["ETag"]}))
    assert changed.status_code == 403 and changed.get_json()["code"] == 403
    joined = client.post(f"{url}/attendances", json={"person_ids": [world["own"]]},
                         headers=_auth(plain))
    assert joined.status_code == 201  # the district's people may attend the province's course


def test_a_read_only_token_cannot_write(client, world):
    plain = world["read_only"]
    course = client.get(f"{API}/courses/{world['province_course']}", headers=_auth(plain))
    assert course.status_code == 200
    writes = [("POST", f"{API}/{kind}") for kind in ("courses", "payments", "commendations",
                                                     "disciplines", "activities")]
    writes += [("POST", f"{API}/courses/{world['province_course']}/attendances"),
               ("PATCH", f"{API}/courses/{world['province_course']}"),
               ("DELETE", f"{API}/courses/{world['province_course']}")]
    for method, url in writes:
        resp = client.open(url, method=method, json={}, headers=_auth(plain, **{"If-Match": "*"}))
        assert resp.status_code == 403 and "chỉ được đọc" in resp.get_json()["message"], url


def test_refusals_name_the_field_in_vietnamese(client, world):
    plain = world["token"]
    cases = [
        ("courses", {"name": "Khóa", "kind": "boi_duong", "level": "huyen", "form": "truc_tiep",
                     "unit_id": world["dakha"], "start_date": "2025-03-10",
                     "end_date": "2025-03-01"}, "end_date", "Ngày kết thúc"),
        ("courses", {"name": "Hội nghị", "kind": "hoi_nghi_bcv", "level": "huyen",
                     "form": "truc_tiep", "unit_id": world["dakha"],
                     "start_date": "2025-03-10"}, "kind", "Hội nghị"),
        ("payments", {"person_id": world["own"], "kind": "ho_tro", "period": "2025-03",
                      "amount": 1, "paid_date": str(TODAY + dt.timedelta(days=3))},
         "paid_date", "tương lai"),
        ("commendations", {"person_id": world["own"], "form": "khong_co", "issuer_level": "tinh",
                           "issuer": "Tỉnh ủy", "year": 2024}, "form", "danh mục"),
        ("disciplines", {"person_id": world["own"], "system": "dang", "form": "phe_binh",
                         "effective_from": "2025-01-01"}, "form", "hệ thống"),
        ("activities", {"person_id": world["own"], "unit_id": world["dakha"],
                        "date": "2025-01-01", "topic": "Chủ đề", "form": "truc_tiep",
                        "appointment_id": world["own_appt"] + 10_000}, "appointment_id",
         "Bổ nhiệm"),
        ("courses", {"name": "   ", "kind": "x", "level": "huyen", "form": "truc_tiep",
                     "unit_id": world["sathay"], "start_date": "10/03/2025"}, "name",
         "Không được để trống"),
    ]
    for kind, body, field, words in cases:
        resp = client.post(f"{API}/{kind}", json=body, headers=_auth(plain))
        assert resp.status_code == 422, (kind, resp.get_json())
        errors = resp.get_json()["errors"]
        assert words in " ".join(errors[field]), (kind, errors)


def test_a_post_with_the_same_idempotency_key_creates_once(client, world):
    plain = world["token"]
    body = {"person_id": world["own"], "form": "giay_khen", "issuer_level": "huyen",
            "issuer": "Huyện ủy Đắk Hà", "year": 2024}
    headers = _auth(plain, **{"Idempotency-Key": "khen-2024-an"})
    first = client.post(f"{API}/commendations", json=body, headers=headers)
    second = client.post(f"{API}/commendations", json=body, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.get_json() == second.get_json()
    assert second.headers["Idempotent-Replayed"] == "true"
    count = db.session.execute(sa.select(sa.func.count(Commendation.id)).where(
        Commendation.person_id == world["own"])).scalar_one()
    assert count == 1
    other = client.post(f"{API}/commendations", json={**body, "year": 2023}, headers=headers)
    assert other.status_code == 422


GARBAGE = [None, "", "\x00", "x" * 5000, -1, 0, 2**70, 1e400, 3.5, True, [], {"a": 1},
           "2025-02-30", "9999-99-99"]


def _bodies(world) -> dict[str, dict]:
    """A valid body of every kind (each field of it is then spoilt in turn)."""
    own, unit = world["own"], world["dakha"]
    return {
        "courses": {"name": "Khóa", "kind": "boi_duong", "level": "huyen", "unit_id": unit,
                    "start_date": "2025-03-10", "form": "truc_tiep", "hours": 4, "note": "-"},
        "payments": {"person_id": own, "kind": "ho_tro", "period": "2025-03", "amount": 1,
                     "sessions": 1, "paid_date": "2025-03-20"},
        "commendations": {"person_id": own, "form": "giay_khen", "issuer_level": "huyen",
                          "issuer": "Huyện ủy", "year": 2024, "decision_date": "2024-12-20"},
        "disciplines": {"person_id": own, "system": "dang", "form": "khien_trach",
                        "effective_from": "2025-02-01", "effective_until": "2025-12-31"},
        "activities": {"person_id": own, "unit_id": unit, "appointment_id": world["own_appt"],
                       "date": "2025-03-05", "topic": "Chủ đề", "form": "truc_tiep",
                       "audience": 3},
    }


def test_garbage_is_never_a_500(client, world):
    plain = world["token"]
    for kind, body in _bodies(world).items():
        for value in GARBAGE:  # every field spoilt at once
            resp = client.post(f"{API}/{kind}", json=dict.fromkeys(body, value),
                               headers=_auth(plain))
            assert resp.status_code == 422, (kind, value, resp.status_code)
        for name in body:  # one field spoilt in a body otherwise valid
            for value in (None, 2**40, "\x00x", "x" * 5000):
                resp = client.post(f"{API}/{kind}", json={**body, name: value},
                                   headers=_auth(plain))
                allowed = (201, 422) if value is None else (422,)  # null: an optional field
                assert resp.status_code in allowed, (kind, name, value, resp.status_code)
        for query in ("page=0&per_page=9999&unit=abc&year=-5&month=2025-13&from=xx&kind=zz",
                      "unit=99999999999999999999", "person=%00", "unit=3000000000"):
            resp = client.get(f"{API}/{kind}?{query}", headers=_auth(plain))
            assert resp.status_code in (400, 422), (kind, query, resp.status_code)
        for raw in (b"{", b"[]", b'"x"'):
            resp = client.post(f"{API}/{kind}", data=raw, content_type="application/json",
                               headers=_auth(plain))
            assert resp.status_code in (400, 422), (kind, raw, resp.status_code)
    for url in (f"{API}/courses/{world['province_course']}/attendances",
                f"{API}/attendances/{world['sibling']['attendances']}"):
        for value in ({"person_ids": ["x", -1, 2**70]}, {"person_ids": []}, {"result": "z"}):
            resp = client.open(url, method="POST" if "courses" in url else "PATCH", json=value,
                               headers=_auth(plain, **{"If-Match": "*"}))
            assert resp.status_code in (404, 422), (url, value, resp.status_code)
