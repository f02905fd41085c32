"""Attachments through the API (issue 16 × issue 15): upload by content type, list, download
(recorded), delete with If-Match, scoped as on the web; and admins revoking anyone's token."""
from __future__ import annotations

import io

import sqlalchemy as sa

from models import ApiToken, Attachment, AuditLog, StoredFile, UserRole, db
from tests.attachments.conftest import PDF
from tests.factories import count

HTML = b"<html><script>alert(1)</script></html>"


def _bearer(plain: str) -> dict:
    return {"Authorization": f"Bearer {plain}"}


def _post(client, plain: str, person_id: int, name: str, body: bytes, **fields):
    data = {"kind": "quyet_dinh", **fields, "file": (io.BytesIO(body), name)}
    return client.post(f"/api/v1/persons/{person_id}/attachments", data=data,
                       content_type="multipart/form-data", headers=_bearer(plain))


def _events(action: str) -> list[AuditLog]:
    return list(db.session.execute(sa.select(AuditLog).where(
        AuditLog.entity == "security", AuditLog.action == action)).scalars())


def test_upload_list_download_delete(client, make, folks):
    plain = _token_of(make, "dakha")
    person, commendation = folks["person"], folks["commendation"]
    resp = _post(client, plain, person.id, "QĐ công nhận.pdf", PDF, title="Quyết định",
                 record=f"commendations:{commendation.id}")
    assert resp.status_code == 201, resp.get_json()
    made = resp.get_json()
    assert made["file_name"] == "QĐ công nhận.pdf" and made["size"] == len(PDF)
    assert made["content_type"] == "application/pdf" and made["created_at"].endswith("+00:00")
    assert (made["record_table"], made["record_id"]) == ("commendations", commendation.id)

    listed = client.get(f"/api/v1/persons/{person.id}/attachments", headers=_bearer(plain))
    assert [a["id"] for a in listed.get_json()] == [made["id"]]

    exports = len(_events("export"))
    got = client.get(made["download"], headers=_bearer(plain))
    assert got.status_code == 200 and got.data == PDF
    assert got.headers["Content-Type"] == "application/pdf"
    assert len(_events("export")) == exports + 1
    assert _events("export")[-1].after["file"] == "QĐ công nhận.pdf"

    url = f"/api/v1/attachments/{made['id']}"
    assert client.delete(url, headers=_bearer(plain)).status_code == 428
    etag = client.get(url, headers=_bearer(plain)).headers["ETag"]
    assert client.delete(url, headers={**_bearer(plain), "If-Match": '"x"'}).status_code == 412
    assert client.delete(url, headers={**_bearer(plain), "If-Match": etag}).status_code == 204
    assert count(Attachment, person_id=person.id) == 0
    assert client.get(made["download"], headers=_bearer(plain)).status_code == 404


def _token_of(make, username: str, **kwargs) -> str:
    from models import User

    user = db.session.execute(sa.select(User).where(User.username == username)).scalar_one()
    return make.token(user, **kwargs)


def test_type_by_content_record_and_idempotency(client, make, folks):
    plain, person = _token_of(make, "dakha"), folks["person"]
    before = (count(Attachment), count(StoredFile))
    resp = _post(client, plain, person.id, "quyet-dinh.pdf", HTML)
    assert resp.status_code == 422
    problem = resp.get_json()
    assert "không đúng loại cho phép (ảnh JPEG, PNG hoặc PDF)" in problem["errors"]["file"][0]
    no_file = client.post(f"/api/v1/persons/{person.id}/attachments", data={"kind": "khac"},
                          content_type="multipart/form-data", headers=_bearer(plain))
    assert no_file.status_code == 422 and "file" in no_file.get_json()["errors"]
    neighbour = make.person("Lê Văn Bên", "Huyện Đắk Hà")
    for record in ("commendations:999999", "commendations:983207955784", "users:1", "rác",
                   f"commendations:{make.commendation(folks['other']).id}",
                   f"commendations:{make.commendation(neighbour).id}"):
        resp = _post(client, plain, person.id, "a.pdf", PDF, record=record)
        assert resp.status_code == 422 and "record" in resp.get_json()["errors"], record
    assert _post(client, plain, person.id, "a.pdf", PDF, kind="anh_chan_dung") \
        .status_code == 422
    assert (count(Attachment), count(StoredFile)) == before

    key = {**_bearer(plain), "Idempotency-Key": "tep-1"}
    data = lambda: {"kind": "khac", "file": (io.BytesIO(PDF), "a.pdf")}  # noqa: E731
    url = f"/api/v1/persons/{person.id}/attachments"
    first = client.post(url, data=data(), content_type="multipart/form-data", headers=key)
    again = client.post(url, data=data(), content_type="multipart/form-data", headers=key)
    assert first.status_code == again.status_code == 201
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert count(Attachment, person_id=person.id) == 1


def test_scoped_as_the_web_and_read_only_tokens(client, make, folks):
    plain = _token_of(make, "dakha")
    other, theirs = folks["other"], folks["other_file"]
    for url in (f"/api/v1/persons/{other.id}/attachments", f"/api/v1/attachments/{theirs.id}",
                f"/api/v1/attachments/{theirs.id}/file"):
        resp = client.get(url, headers=_bearer(plain))
        assert resp.status_code == 404 and resp.is_json, url
        assert other.full_name not in resp.get_data(as_text=True)
    assert _post(client, plain, other.id, "a.pdf", PDF).status_code == 404
    assert client.delete(f"/api/v1/attachments/{theirs.id}",
                         headers={**_bearer(plain), "If-Match": "*"}).status_code == 404
    assert not _events("export")

    person, mine = folks["person"], make.attachment(folks["person"])
    read_only = _token_of(make, "dakha", read_only=True)
    viewer = _token_of(make, "xem")
    for token in (read_only, viewer):
        assert client.get(f"/api/v1/attachments/{mine.id}", headers=_bearer(token)) \
            .status_code == 200
        assert _post(client, token, person.id, "a.pdf", PDF).status_code == 403
        assert client.delete(f"/api/v1/attachments/{mine.id}",
                             headers={**_bearer(token), "If-Match": "*"}).status_code == 403
    assert count(Attachment, person_id=person.id) == 1


def test_an_admin_revokes_anyones_token_an_officer_cannot(app, client, make, login):
    make.user("admin", UserRole.ADMIN, "Tỉnh Kon Tum")
    make.user("dakha", UserRole.OFFICER, "Huyện Đắk Hà")
    officer = make.user("khac", UserRole.OFFICER, "Huyện Đắk Hà")
    plain = make.token(officer)
    token = db.session.execute(sa.select(ApiToken)).scalar_one()

    login("dakha")  # an officer: not their page, not their token
    assert client.get(f"/accounts/{officer.id}/edit").status_code == 403
    assert client.post(f"/accounts/{officer.id}/tokens/revoke",
                       data={"token_id": token.id}).status_code == 403
    client.post("/logout")
    api = app.test_client()  # a program using the token carries no session cookie
    assert api.get("/api/v1/units", headers=_bearer(plain)).status_code == 200

    login("admin")
    page = client.get(f"/accounts/{officer.id}/edit").get_data(as_text=True)
    assert "Khóa truy cập API" in page and token.name in page and f"{token.prefix}…" in page
    resp = client.post(f"/accounts/{officer.id}/tokens/revoke", data={"token_id": token.id},
                       follow_redirects=True)
    assert f"Đã thu hồi khóa «{token.name}» của khac" in resp.get_data(as_text=True)
    db.session.refresh(token)
    assert token.revoked_at is not None
    (event,) = _events("api_token_revoked")
    assert event.actor == "admin" and event.after["username"] == "khac"
    assert api.get("/api/v1/units", headers=_bearer(plain)).status_code == 401
    # A token of another account is not revoked from this one's page.
    theirs = make.token(make.user("ba", UserRole.VIEWER, "Huyện Đắk Hà"))
    row = db.session.execute(sa.select(ApiToken).where(ApiToken.prefix == theirs[:12])) \
        .scalar_one()
    client.post(f"/accounts/{officer.id}/tokens/revoke", data={"token_id": row.id})
    db.session.refresh(row)
    assert row.revoked_at is None
