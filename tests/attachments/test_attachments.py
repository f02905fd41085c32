"""Attachments (issue 15 §3): the type read from the content, a size limit, one portrait at a
time, scoped and audited, and gone with their record."""
from __future__ import annotations

import io
import re

import pytest
import sqlalchemy as sa

from models import Attachment, AttachmentKind, AuditLog, Commendation, Person, StoredFile, db
from registry.attachments import service as svc
from registry.files import storage
from registry.files.storage import Upload, UploadRefused
from tests.attachments.conftest import JPEG, PDF, PNG, upload, upload_photo
from tests.documents.conftest import office_zip
from tests.factories import count

GIF = b"GIF89a" + b"\x00" * 32
HTML = b"<html><script>alert(1)</script></html>"


def _stored() -> int:
    return count(StoredFile)


def test_only_jpeg_png_and_pdf_by_their_content(folks, login):
    client, person = login("dakha"), folks["person"]
    before = (count(Attachment), _stored())
    for name, body in (("quyet-dinh.jpg", HTML), ("anh.gif", GIF),
                       ("bang.docx", office_zip("word", "wordprocessingml"))):
        page = upload(client, person.id, name, body).get_data(as_text=True)
        assert (f"Tệp «{name}» không đúng loại cho phép (ảnh JPEG, PNG hoặc PDF)."
                in page), name
        assert "chưa có gì được lưu" in page
    assert (count(Attachment), _stored()) == before
    page = upload(client, person.id, "", b"").get_data(as_text=True)
    assert "Vui lòng chọn tệp cần tải lên." in page

    for name, body in (("QĐ công nhận.pdf", PDF), ("chung-nhan.png", PNG),
                       ("scan.pdf", JPEG)):
        assert upload(client, person.id, name, body, follow=False).status_code == 302, name
    names = set(db.session.execute(sa.select(StoredFile.filename)).scalars())
    # The name follows the content: a JPEG sent as .pdf is offered back as a .jpg.
    assert {"QĐ công nhận.pdf", "chung-nhan.png", "scan.pdf.jpg"} <= names


def test_size_limits_are_said_in_plain_words(app, folks, login):
    client, person = login("dakha"), folks["person"]
    page = client.get(f"/persons/{person.id}/photo").get_data(as_text=True)
    assert "tối đa 5 MB" in page
    page = client.get(f"/persons/{person.id}/attachments/new").get_data(as_text=True)
    assert "tối đa 10 MB" in page
    # Checked without HTTP: the test client spools a large body to a file it never closes.
    with pytest.raises(UploadRefused, match=r"Tệp «to.jpg» vượt quá dung lượng cho phép \(5 MB\)"):
        storage.check(Upload("to.jpg", JPEG + b"\x00" * (5 * 1024 * 1024)), "file",
                      svc.photo_accept())
    storage.check(Upload("vua.jpg", JPEG + b"\x00" * (5 * 1024 * 1024 - len(JPEG))), "file",
                  svc.photo_accept())
    app.config["UPLOAD_MAX_BYTES"] = 1024
    try:
        page = upload(client, person.id, "lon.pdf", PDF + b"\x00" * 2000).get_data(as_text=True)
        assert "Tệp «lon.pdf» vượt quá dung lượng cho phép" in page
    finally:
        app.config["UPLOAD_MAX_BYTES"] = 10 * 1024 * 1024
    assert count(Attachment, person_id=person.id) == 0


def test_one_portrait_replaced_and_shown_on_the_person_page(folks, login):
    client, person = login("dakha"), folks["person"]
    page = upload_photo(client, person.id, "cv.pdf", PDF).get_data(as_text=True)
    assert "không đúng loại cho phép (ảnh JPEG hoặc PNG)" in page
    assert "Đã lưu ảnh chân dung." in upload_photo(client, person.id, "a.jpg", JPEG).get_data(
        as_text=True)
    first_file = _stored()
    page = upload_photo(client, person.id, "b.png", PNG).get_data(as_text=True)
    photos = db.session.execute(sa.select(Attachment).where(
        Attachment.kind == AttachmentKind.PHOTO)).scalars().all()
    assert len(photos) == 1 and photos[0].file.filename == "b.png"
    assert _stored() == first_file  # the old photo's bytes went with it
    img = re.search(r'<img class="portrait" src="([^"]+)" alt="Ảnh chân dung Nguyễn Văn Tệp">',
                    page)
    assert img, page[:2000]
    resp = client.get(img.group(1))
    assert resp.status_code == 200 and resp.data == PNG and resp.mimetype == "image/png"
    assert resp.headers["Content-Disposition"].startswith("inline;")
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in resp.headers["Cache-Control"]

    # A decision scan opened through the image route goes to the (recorded) download.
    upload(client, person.id, "qd.pdf", PDF)
    scan = db.session.execute(sa.select(Attachment.id).where(
        Attachment.kind == AttachmentKind.DECISION, Attachment.person_id == person.id)).scalar()
    resp = client.get(f"/attachments/{scan}/view")
    assert resp.status_code == 302 and resp.location.endswith(f"/attachments/{scan}")


def test_a_file_on_a_record_from_its_row(folks, login):
    client, person, comm = login("dakha"), folks["person"], folks["commendation"]
    page = client.get(f"/persons/{person.id}").get_data(as_text=True)
    link = f"/persons/{person.id}/attachments/new?record=commendations:{comm.id}"
    assert f'href="{link}"' in page
    form = client.get(link).get_data(as_text=True)
    assert f'<option value="commendations:{comm.id}" selected>Khen thưởng 2024' in form
    page = upload(client, person.id, "qd.pdf", PDF, record=f"commendations:{comm.id}",
                  title="QĐ tặng giấy khen").get_data(as_text=True)
    assert "Đã đính kèm tệp." in page
    att = db.session.execute(sa.select(Attachment).where(
        Attachment.person_id == person.id)).scalars().one()
    assert (att.record_table, att.record_id, att.created_by) == ("commendations", comm.id,
                                                                 "dakha")
    assert f'href="/attachments/{att.id}" title="Bản chụp quyết định">Tệp: QĐ tặng giấy khen' \
        in page
    edit = client.get(f"/commendations/{comm.id}/edit").get_data(as_text=True)
    assert f'href="{link}">+ Đính kèm tệp' in edit
    assert f'<a href="/attachments/{att.id}">QĐ tặng giấy khen</a>' in edit
    appt = person.appointments[0].id
    edit = client.get(f"/appointments/{appt}/edit").get_data(as_text=True)
    assert f"record=appointments:{appt}" in edit and "Chưa có bản chụp quyết định" in edit
    # A record of somebody else, or a made-up one, is refused beside the field.
    for forged in (f"commendations:{comm.id + 99}", "persons:1", "<b>x</b>"):
        page = upload(client, person.id, "qd.pdf", PDF, record=forged).get_data(as_text=True)
        assert "Giá trị được chọn không hợp lệ." in page, forged
    assert count(Attachment, person_id=person.id) == 1


def test_scoped_for_reading_and_writing(folks, login, client):
    other_file, person = folks["other_file"], folks["person"]
    login("dakha")
    for method, url in (("GET", f"/attachments/{other_file.id}"),
                        ("GET", f"/attachments/{other_file.id}/view"),
                        ("POST", f"/attachments/{other_file.id}/delete"),
                        ("GET", f"/persons/{folks['other'].id}/photo"),
                        ("POST", f"/persons/{folks['other'].id}/attachments/new")):
        assert client.open(url, method=method).status_code == 404, url
    assert count(Attachment, id=other_file.id) == 1
    mine = upload(client, person.id, "qd.pdf", PDF)
    att_id = db.session.execute(sa.select(Attachment.id).where(
        Attachment.person_id == person.id)).scalar_one()
    assert mine.status_code == 200

    client.get("/logout")
    login("xem")
    page = client.get(f"/persons/{person.id}").get_data(as_text=True)
    assert f'href="/attachments/{att_id}"' in page  # a viewer downloads...
    assert "/attachments/new" not in page and f"/attachments/{att_id}/delete" not in page
    assert "/photo" not in page
    assert client.get(f"/persons/{person.id}/attachments/new").status_code == 403
    assert client.post(f"/attachments/{att_id}/delete").status_code == 403
    resp = client.post(f"/persons/{person.id}/photo",
                       data={"file": (io.BytesIO(JPEG), "a.jpg")},
                       content_type="multipart/form-data")
    assert resp.status_code == 403 and count(Attachment, person_id=person.id) == 1
    resp = client.get(f"/attachments/{att_id}")
    assert resp.status_code == 200 and resp.data == PDF
    assert resp.headers["Content-Disposition"].startswith('attachment; filename="qd.pdf"')


def test_audited_uploads_downloads_and_deletes(folks, login):
    client, person = login("dakha"), folks["person"]
    upload(client, person.id, "qd.pdf", PDF)
    att_id = db.session.execute(sa.select(Attachment.id)
                                .where(Attachment.person_id == person.id)).scalar_one()
    client.get(f"/attachments/{att_id}")
    client.post(f"/attachments/{att_id}/delete", follow_redirects=True)
    entries = db.session.execute(sa.select(AuditLog.action, AuditLog.entity_id, AuditLog.actor)
                                 .where(AuditLog.entity == "attachments",
                                        AuditLog.actor == "dakha")).all()
    assert sorted(entries) == [("create", att_id, "dakha"), ("delete", att_id, "dakha")]
    download = db.session.execute(sa.select(AuditLog.after).where(
        AuditLog.entity == "security", AuditLog.action == "export")).scalars().one()
    assert download["file"] == "qd.pdf" and download["filters"]["attachment"] == att_id
    assert count(StoredFile) == 1  # the sibling's file alone


def test_files_go_with_their_record_and_their_person(folks, make, login):
    client, person, comm = login("dakha"), folks["person"], folks["commendation"]
    keep = make.commendation(person, year=2023)
    make.attachment(person, record=comm)
    make.attachment(person, record=comm, kind=AttachmentKind.CERTIFICATE)
    make.attachment(person, record=keep)
    make.attachment(person, record=person.appointments[0])
    make.attachment(person)
    stored = _stored()
    page = client.post(f"/commendations/{comm.id}/delete", follow_redirects=True)
    assert page.status_code == 200
    assert count(Commendation, id=comm.id) == 0
    assert count(Attachment, record_table="commendations", record_id=comm.id) == 0
    assert count(Attachment, person_id=person.id) == 3 and _stored() == stored - 2
    deleted = db.session.execute(sa.select(sa.func.count(AuditLog.id)).where(
        AuditLog.entity == "attachments", AuditLog.action == "delete")).scalar()
    assert deleted == 2

    upload_photo(client, person.id, "a.jpg", JPEG)
    client.post(f"/persons/{person.id}/delete", follow_redirects=True)
    assert count(Person, id=person.id) == 0
    assert count(Attachment) == 1 and _stored() == 1  # the sibling's file alone


def test_garbage_never_a_500(folks, login):
    client, person = login("dakha"), folks["person"]
    for url in (f"/persons/{person.id}/attachments/new?record=xyz&page=0&unit=-1",
                f"/persons/{person.id}/attachments/new?record=commendations:99999999999999999999",
                f"/persons/{person.id}/photo?year=abc&from=99/99/9999"):
        assert client.get(url).status_code == 200, url
    for url in ("/attachments/99999999999999999999", "/attachments/0/view"):
        assert client.get(url).status_code == 404
    resp = client.post(f"/persons/{person.id}/attachments/new",
                       data={"kind": "anh_chan_dung", "title": "x" * 300, "record": "a:b"})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "Tối đa 200 ký tự." in page
    assert page.count("Giá trị được chọn không hợp lệ.") == 2  # the photo kind, the record
    resp = client.post(f"/persons/{person.id}/photo", data={"file": "not a file"})
    assert resp.status_code == 200
    assert "Vui lòng chọn tệp cần tải lên." in resp.get_data(as_text=True)
    assert count(Attachment, person_id=person.id) == 0
