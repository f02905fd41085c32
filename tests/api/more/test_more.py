"""Part C of the API (issue 16): qualification lists, reports, exports and imports, scoped like
the web (the Đắk Hà officer's token sees only Đắk Hà), downloads recorded, the import contract."""
from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
import sqlalchemy as sa

from models import AuditLog, ImportStatus, Level, Person, Role, UserRole, db
from registry.exports.book import XLSX_MIMETYPE
from tests.paths import SAMPLES

API = "/api/v1"
SAMPLE = "S01_dakha_ttv_trichngang.xlsx"  # 18 data rows: 13 new, 5 invalid (Huyện Đắk Hà)
TODAY = dt.date.today().isoformat()


@pytest.fixture
def world(make):
    people = {
        "own": make.person("Nguyễn Văn Đắk", "Huyện Đắk Hà", role=Role.BCV, level=Level.HUYEN),
        "child": make.person("Trần Thị Hring", "Xã Đắk Hring", role=Role.TTV, level=Level.CO_SO),
        "sibling": make.person("Lê Văn Thầy", "Huyện Sa Thầy", role=Role.BCV, level=Level.HUYEN),
    }
    users = {"admin": make.user("admin", UserRole.ADMIN, "Tỉnh Kon Tum"),
             "officer": make.user("officer", UserRole.OFFICER, "Huyện Đắk Hà")}
    tokens = {name: {"Authorization": f"Bearer {make.token(u)}"} for name, u in users.items()}
    tokens["reader"] = {"Authorization": f"Bearer {make.token(users['officer'], read_only=True)}"}
    return {"people": people, "users": users, "h": tokens}


def _names(body) -> set[str]:
    return {e["full_name"] for e in body["entries"]}


def test_a_ready_list_is_the_web_list_in_the_token_scope(client, world, login):
    h = world["h"]
    admin = client.get(f"{API}/lists/ready/bcv-du-tieu-chuan", headers=h["admin"]).get_json()
    assert _names(admin) == {"Nguyễn Văn Đắk", "Lê Văn Thầy"}
    officer = client.get(f"{API}/lists/ready/bcv-du-tieu-chuan?on={TODAY}", headers=h["officer"])
    body = officer.get_json()
    assert officer.status_code == 200 and _names(body) == {"Nguyễn Văn Đắk"}
    assert body["kind"] == "persons" and body["entries"][0]["verdicts"]
    page = login("officer").get("/lists/ready/bcv-du-tieu-chuan").get_data(as_text=True)
    assert "Nguyễn Văn Đắk" in page and "Lê Văn Thầy" not in page
    units = client.get(f"{API}/lists/ready/don-vi-chua-co-ttv", headers=h["officer"]).get_json()
    assert units["kind"] == "units" and all(u["unit"] != "Xã Đắk Hring" for u in units["units"])
    sa_thay = world["people"]["sibling"].unit_id
    out = client.get(f"{API}/lists/ready/dang-ky-luat?unit={sa_thay}", headers=h["officer"])
    assert out.status_code == 422 and out.is_json


def test_a_saved_list_is_scoped(client, world, make):
    h = world["h"]
    own, other = make.saved_list("Huyện Đắk Hà"), make.saved_list("Huyện Sa Thầy")
    resp = client.get(f"{API}/lists/{own.id}", headers=h["officer"])
    assert resp.status_code == 200 and resp.get_json()["title"] == own.name
    assert client.get(f"{API}/lists/{other.id}", headers=h["officer"]).status_code == 404
    assert client.get(f"{API}/lists/{other.id}", headers=h["admin"]).status_code == 200


def test_the_team_report_counts_like_the_web(client, world):
    h = world["h"]
    province = world["users"]["admin"].unit_id
    body = client.get(f"{API}/reports/team?unit={province}&on={TODAY}",
                      headers=h["admin"]).get_json()
    assert (body["total"]["counts"]["people"], body["total"]["counts"]["bcv"],
            body["total"]["counts"]["ttv"]) == (3, 2, 1)
    assert {c["key"] for c in body["columns"]} >= {"people", "bcv", "ttv", "trained"}
    mine = client.get(f"{API}/reports/team", headers=h["officer"]).get_json()
    assert mine["unit"] == "Huyện Đắk Hà" and mine["total"]["counts"]["people"] == 2
    sa_thay = world["people"]["sibling"].unit_id
    assert client.get(f"{API}/reports/team?unit={sa_thay}",
                      headers=h["officer"]).status_code == 422
    bad = client.get(f"{API}/reports/team?start=2025-05-01&end=2025-01-01", headers=h["admin"])
    assert bad.status_code == 422 and bad.is_json


def test_the_period_report_in_json(client, world):
    h = world["h"]
    resp = client.get(f"{API}/reports/period?from=2025-01-01&to={TODAY}", headers=h["officer"])
    body = resp.get_json()
    assert resp.status_code == 200 and body["unit"] == "Huyện Đắk Hà"
    figures = {f["key"]: f["value"] for f in body["figures"]}
    assert figures["people"] == 2 and figures["bcv"] == 1 and figures["ttv"] == 1
    bad = client.get(f"{API}/reports/period?from=2025-05-01&to=2025-01-01", headers=h["officer"])
    assert bad.status_code == 422 and bad.is_json


def _exports() -> list[AuditLog]:
    return db.session.execute(sa.select(AuditLog).where(AuditLog.action == "export")
                              .order_by(AuditLog.id)).scalars().all()


def test_the_roster_export_is_scoped_and_recorded(client, world):
    resp = client.get(f"{API}/exports/roster.xlsx?layout=full", headers=world["h"]["officer"])
    assert resp.status_code == 200 and resp.mimetype == XLSX_MIMETYPE
    cells = {c for row in openpyxl.load_workbook(io.BytesIO(resp.data)).active.values
             for c in row if isinstance(c, str)}
    assert {"Nguyễn Văn Đắk", "Trần Thị Hring"} <= cells and "Lê Văn Thầy" not in cells
    record = _exports()[-1]
    assert record.user_id == world["users"]["officer"].id
    assert record.after["what"] == "Danh sách đội ngũ" and record.after["rows"] == 2
    list_file = client.get(f"{API}/lists/ready/bcv-du-tieu-chuan/export.xlsx",
                           headers=world["h"]["officer"])
    assert list_file.status_code == 200 and len(_exports()) == 2
    for query in ("layout=nope", "on=31/02/2025"):
        bad = client.get(f"{API}/exports/roster.xlsx?{query}", headers=world["h"]["officer"])
        assert bad.status_code == 422 and bad.is_json
    assert len(_exports()) == 2


def test_the_document_declares_the_workbooks(client):
    paths = client.get(f"{API}/openapi.json").get_json()["paths"]
    for path in (f"{API}/exports/roster.xlsx", f"{API}/lists/{{list_id}}/export.xlsx"):
        content = paths[path]["get"]["responses"]["200"]["content"]
        assert content[XLSX_MIMETYPE]["schema"] == {"type": "string", "format": "binary"}
    assert "multipart/form-data" in paths[f"{API}/imports"]["post"]["requestBody"]["content"]


def _upload(client, headers, name: str = SAMPLE, **form):
    data = {"file": (io.BytesIO((SAMPLES / name).read_bytes()), name), **form}
    return client.post(f"{API}/imports", data=data, headers=headers,
                       content_type="multipart/form-data")


def test_an_import_previews_then_confirms_once(client, world):
    h = world["h"]["officer"]
    resp = _upload(client, h)
    assert resp.status_code == 201, resp.get_data(as_text=True)
    batch = resp.get_json()
    assert batch["status"] == "previewed" and batch["unit"] == "Huyện Đắk Hà"
    preview = batch["preview"]
    assert set(preview) == {"file", "error", "encoding", "sheets", "counts"}
    assert preview["counts"]["new"] == 13 and preview["counts"]["invalid"] == 5
    again = client.get(resp.headers["Location"], headers=h).get_json()
    assert again["preview"] == preview
    done = client.post(f"{API}/imports/{batch['id']}/confirm", json={}, headers=h)
    assert done.status_code == 200, done.get_data(as_text=True)
    assert done.get_json()["inserted"] == 13 and done.get_json()["batch"]["status"] == "committed"
    assert db.session.execute(sa.select(sa.func.count(Person.id))).scalar() == 3 + 13
    twice = client.post(f"{API}/imports/{batch['id']}/confirm", json={}, headers=h)
    assert twice.status_code == 409 and "một lần" in twice.get_json()["message"]


def test_a_confirm_with_an_idempotency_key_is_answered_once(client, world):
    h = world["h"]["officer"]
    batch_id = _upload(client, h).get_json()["id"]
    keyed = {**h, "Idempotency-Key": "xac-nhan-1"}
    first = client.post(f"{API}/imports/{batch_id}/confirm", json={}, headers=keyed)
    second = client.post(f"{API}/imports/{batch_id}/confirm", json={}, headers=keyed)
    assert first.status_code == second.status_code == 200
    assert second.headers["Idempotent-Replayed"] == "true"
    assert first.get_json() == second.get_json()


def test_imports_are_scoped_and_read_only_tokens_cannot_write(client, world, make):
    h = world["h"]
    assert _upload(client, h["reader"]).status_code == 403
    sa_thay = world["people"]["sibling"].unit_id
    wrong = _upload(client, h["officer"], unit_id=str(sa_thay))
    assert wrong.status_code == 422 and wrong.is_json
    theirs = make.batch("Huyện Sa Thầy")
    assert client.get(f"{API}/imports/{theirs.id}", headers=h["officer"]).status_code == 404
    assert client.post(f"{API}/imports/{theirs.id}/confirm", json={},
                       headers=h["officer"]).status_code == 404
    mine = _upload(client, h["officer"]).get_json()["id"]
    assert client.get(f"{API}/imports/{mine}", headers=h["reader"]).status_code == 200
    assert client.post(f"{API}/imports/{mine}/confirm", json={},
                       headers=h["reader"]).status_code == 403
    assert db.session.get(type(theirs), mine).status is ImportStatus.PREVIEWED


def test_a_big_file_is_read_in_the_background(client, world, app):
    before = app.config["IMPORT_BACKGROUND_BYTES"]
    app.config["IMPORT_BACKGROUND_BYTES"] = 0
    try:
        resp = _upload(client, world["h"]["officer"])
    finally:
        app.config["IMPORT_BACKGROUND_BYTES"] = before
    assert resp.status_code == 202 and resp.get_json()["status"] == "queued"
    state = client.get(resp.headers["Location"], headers=world["h"]["officer"]).get_json()
    assert state["status"] in {"queued", "previewed"}


def test_garbage_never_500(client, world):
    h = world["h"]["officer"]
    asks = [
        ("get", "/lists/ready/khong-co", 404), ("get", "/lists/ready/dang-ky-luat?on=abc", 422),
        ("get", "/lists/ready/dang-ky-luat?unit=-5", 422), ("get", "/lists/999999", 404),
        ("get", "/reports/team?on=2025-13-45", 422), ("get", "/reports/team?unit=x", 422),
        ("get", "/reports/period?from=9999-01-01", 422),
        ("get", "/reports/period?from=1990-01-01&to=2025-01-01", 422),
        ("get", "/imports/99999999", 404), ("post", "/imports/99999999/confirm", 404),
    ]
    for method, path, code in asks:
        resp = getattr(client, method)(f"{API}{path}", headers=h)
        assert (resp.status_code, resp.is_json) == (code, True), (path, resp.get_data()[:300])
    assert client.post(f"{API}/imports", data={}, headers=h).status_code == 422
    not_excel = _upload(client, h, "S08_khong_phai_excel.xlsx")
    assert not_excel.status_code == 201 and not_excel.get_json()["status"] == "rejected"
    assert not_excel.get_json()["preview"]["error"]["message"]
    batch_id = _upload(client, h).get_json()["id"]
    bad = client.post(f"{API}/imports/{batch_id}/confirm", data="[1,", headers=h,
                      content_type="application/json")
    assert bad.status_code in (400, 422) and bad.is_json


def test_work_records_are_read_in_the_token_scope(client, world, make):
    h, people = world["h"], world["people"]
    docs = {rel: make.document(people[rel].unit, title=f"Tài liệu {rel}") for rel in people}
    make.distribute(docs["own"], people["own"])
    conf = make.conference("Huyện Sa Thầy")
    make.attend_conference(people["sibling"], conf, make.point(conf, "Huyện Sa Thầy"))
    channel = make.channel("Huyện Đắk Hà")
    make.channel_count(channel), make.channel_post(channel, person_id=people["own"].id)
    make.exemplary("Huyện Đắk Hà", [people["own"]]), make.evaluation(people["sibling"])

    def get(path, who="officer"):
        resp = client.get(f"{API}/work/{path}", headers=h[who])
        assert resp.is_json, path
        return resp.status_code, resp.get_json()

    code, listed = get("documents?per_page=1")
    assert code == 200 and listed["meta"]["total"] == 2 and len(listed["items"]) == 1
    assert get("documents", "admin")[1]["meta"]["total"] == 3
    assert get(f"documents/{docs['sibling'].id}")[0] == 404
    code, sent = get(f"documents/{docs['own'].id}/distributions")
    assert code == 200 and sent["items"][0]["person_name"] == "Nguyễn Văn Đắk"
    assert get("conferences")[1]["meta"]["total"] == 0
    assert get(f"conferences/{conf.id}")[0] == get(f"conferences/{conf.id}/attendance")[0] == 404
    code, detail = get(f"conferences/{conf.id}", "admin")
    assert code == 200 and detail["points"][0]["unit"] == "Huyện Sa Thầy"
    assert get(f"conferences/{conf.id}/attendance", "admin")[1]["meta"]["total"] == 1
    code, found = get(f"channels/{channel.id}")
    assert code == 200 and found["counts"][0]["members"] == 120 and found["platform"]
    assert get(f"channels/{channel.id}/posts")[1]["items"][0]["posts"] == 3
    assert get("exemplary")[1]["items"][0]["person_ids"] == [people["own"].id]
    assert get("evaluations")[1]["meta"]["total"] == 0
    assert get("evaluations", "admin")[1]["items"][0]["rating"]
    assert get("documents?page=0&per_page=-3")[0] in (200, 422)  # never a negative OFFSET
    assert get("evaluations/0")[0] == 404
