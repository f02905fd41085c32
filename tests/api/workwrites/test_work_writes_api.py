"""Writes of the team's work records in the API (issue 16): yearly evaluations and exemplary
models created, read with their ETag, changed with If-Match and deleted through the web's forms
and services; scoped like the web; read-only tokens refused; refusals in Vietnamese by field."""
from __future__ import annotations

import datetime as dt

import pytest

from models import Level, Role, UserRole

API = "/api/v1/work"
YEAR = dt.date.today().year


def _auth(plain: str, **headers) -> dict:
    return {"Authorization": f"Bearer {plain}", **headers}


@pytest.fixture
def world(make):
    own = make.person("Nguyễn Văn An", "Huyện Đắk Hà", role=Role.BCV, level=Level.HUYEN)
    sibling = make.person("Lê Văn Dũng", "Huyện Sa Thầy")
    officer = make.user("dakha", UserRole.OFFICER, "Huyện Đắk Hà")
    return {"own": own.id, "dakha": own.unit_id, "sathay": sibling.unit_id,
            "sib_evaluation": make.evaluation(sibling, year=YEAR - 1).id,
            "sib_exemplary": make.exemplary("Huyện Sa Thầy", [sibling], year=YEAR).id,
            "token": make.token(officer), "read_only": make.token(officer, read_only=True)}


def _crud(client, plain: str, kind: str, body: dict, patch: dict, check: dict) -> None:
    """POST, GET (ETag), PATCH without, with a stale and with the right If-Match, DELETE."""
    resp = client.post(f"{API}/{kind}", json=body, headers=_auth(plain))
    assert resp.status_code == 201, resp.get_json()
    item = resp.get_json()
    url = f"{API}/{kind}/{item['id']}"
    got = client.get(url, headers=_auth(plain))
    assert got.status_code == 200 and got.get_json() == item
    etag = got.headers["ETag"]
    assert client.patch(url, json=patch, headers=_auth(plain)).status_code == 428
    stale = client.patch(url, json=patch, headers=_auth(plain, **{"If-Match": '"x"'}))
    assert stale.status_code == 412
    done = client.patch(url, json=patch, headers=_auth(plain, **{"If-Match": etag}))
    assert done.status_code == 200, done.get_json()
    for key, value in check.items():
        assert done.get_json()[key] == value, key
    assert done.headers["ETag"] != etag
    assert client.get(url, headers=_auth(plain)).headers["ETag"] == done.headers["ETag"]
    assert client.delete(url, headers=_auth(plain, **{"If-Match": etag})).status_code == 412
    gone = client.delete(url, headers=_auth(plain, **{"If-Match": done.headers["ETag"]}))
    assert gone.status_code == 204
    assert client.get(url, headers=_auth(plain)).status_code == 404


def test_an_evaluation_created_changed_and_deleted(client, world):
    _crud(client, world["token"], "evaluations",
          {"person_id": world["own"], "year": YEAR, "rating": "tot", "note": "Tích cực"},
          {"rating": "xuat_sac"}, {"rating": "xuat_sac", "note": "Tích cực", "year": YEAR})


def test_an_exemplary_model_created_changed_and_deleted(client, world):
    _crud(client, world["token"], "exemplary",
          {"name": "Loa thôn bản", "unit_id": world["dakha"], "year": YEAR,
           "person_ids": [world["own"]]},
          {"name": "Loa thôn bản số", "person_ids": []},
          {"name": "Loa thôn bản số", "person_ids": [], "unit_id": world["dakha"]})


def test_refusals_are_vietnamese_by_field(client, world):
    plain, own = world["token"], world["own"]
    body = {"person_id": own, "year": YEAR, "rating": "tot"}
    assert client.post(f"{API}/evaluations", json=body, headers=_auth(plain)).status_code == 201
    again = client.post(f"{API}/evaluations", json=body, headers=_auth(plain))
    assert again.status_code == 422
    assert "đã có đánh giá năm" in again.get_json()["errors"]["year"][0]
    future = client.post(f"{API}/evaluations", json={**body, "year": YEAR + 1},
                         headers=_auth(plain))
    assert future.status_code == 422
    assert future.get_json()["errors"]["year"] == [f"Năm đánh giá phải từ 2000 đến {YEAR}."]
    blank = client.post(f"{API}/exemplary", json={"name": " ", "unit_id": world["dakha"],
                                                  "year": YEAR}, headers=_auth(plain))
    assert blank.status_code == 422
    assert blank.get_json()["errors"]["name"] == ["Vui lòng nhập tên mô hình."]


def test_another_district_and_read_only_tokens_are_refused(client, world):
    plain, ro = world["token"], world["read_only"]
    for kind, key in (("evaluations", "sib_evaluation"), ("exemplary", "sib_exemplary")):
        url = f"{API}/{kind}/{world[key]}"
        assert client.patch(url, json={"year": YEAR}, headers=_auth(
            plain, **{"If-Match": '"x"'})).status_code == 404
        assert client.delete(url, headers=_auth(plain, **{"If-Match": '"x"'})).status_code == 404
    other = client.post(f"{API}/exemplary", json={"name": "X", "unit_id": world["sathay"],
                                                  "year": YEAR}, headers=_auth(plain))
    assert other.status_code == 422 and "unit_id" in other.get_json()["errors"]
    body = {"person_id": world["own"], "year": YEAR, "rating": "tot"}
    refused = client.post(f"{API}/evaluations", json=body, headers=_auth(ro))
    assert refused.status_code == 403 and refused.get_json()["code"] == 403
    mine = {"name": "X", "unit_id": world["dakha"], "year": YEAR}
    assert client.post(f"{API}/exemplary", json=mine, headers=_auth(ro)).status_code == 403
