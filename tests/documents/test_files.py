"""Files of documents: the type is read from the content, the size is limited, a download is
safe and scoped through its document."""
from __future__ import annotations

import io

import sqlalchemy as sa

from models import AuditLog, StoredFile, db
from registry.files import sniff
from tests.documents.conftest import PDF, PNG, office_zip, ole2


def test_types_are_read_from_the_content_not_the_name():
    assert sniff.sniff(PDF) is sniff.PDF
    assert sniff.sniff(PNG) is sniff.PNG
    assert sniff.sniff(b"\xff\xd8\xff\xe0" + b"\x00" * 20) is sniff.JPEG
    assert sniff.sniff(office_zip("word", "wordprocessingml")) is sniff.DOCX
    assert sniff.sniff(office_zip("xl", "spreadsheetml")) is sniff.XLSX
    assert sniff.sniff(office_zip("ppt", "presentationml")) is sniff.PPTX
    assert sniff.sniff(ole2("WordDocument")) is sniff.DOC
    assert sniff.sniff(ole2("Workbook")) is sniff.XLS
    forged = [
        b"MZ\x90\x00" + b"\x00" * 60,                      # a Windows program
        b"<html><script>alert(1)</script></html>",         # a web page
        office_zip("word", "spreadsheetml"),               # folder and manifest disagree
        office_zip("other", "wordprocessingml"),           # no word/ folder
        b"PK\x03\x04 not really a zip",                    # a broken zip
        ole2("Nothing"),                                   # OLE2 of another program
        b"",
    ]
    assert [sniff.sniff(data) for data in forged] == [None] * len(forged)


def _upload(client, doc_id, *files):
    data = {"files": [(io.BytesIO(body), name) for name, body in files]}
    return client.post(f"/documents/{doc_id}/files", data=data,
                       content_type="multipart/form-data", follow_redirects=True)


def test_upload_checks_every_file_and_keeps_all_or_none(app, make, docs, login):
    client = login("admin")
    doc = make.document("Tỉnh Kon Tum")
    resp = _upload(client, doc.id, ("Đề cương.pdf", PDF), ("virus.pdf", b"MZ\x90\x00rest"))
    page = resp.get_data(as_text=True)
    assert ("Tệp «virus.pdf» không đúng loại cho phép (PDF, Word, Excel, PowerPoint, "
            "ảnh JPEG/PNG).") in page
    assert "Chưa tệp nào được lưu." in page
    assert db.session.execute(sa.select(sa.func.count(StoredFile.id))).scalar() == 0

    app.config["UPLOAD_MAX_BYTES"] = 1024
    try:
        resp = _upload(client, doc.id, ("lon.png", PNG + b"\x00" * 2000))
    finally:
        app.config["UPLOAD_MAX_BYTES"] = 10 * 1024 * 1024
    assert "Tệp «lon.png» vượt quá dung lượng cho phép" in resp.get_data(as_text=True)

    resp = _upload(client, doc.id, ("Đề cương.pdf", PDF), ("ảnh.png", PNG),
                   ("bang.xls", office_zip("xl", "spreadsheetml")))
    assert "Đã tải lên 3 tệp." in resp.get_data(as_text=True)
    names = set(db.session.execute(sa.select(StoredFile.filename)).scalars())
    # The extension follows the content: an xlsx sent as .xls is offered back as one.
    assert names == {"Đề cương.pdf", "ảnh.png", "bang.xls.xlsx"}
    assert _upload(client, doc.id).status_code == 200  # nothing chosen: a message, no error


def test_download_is_safe_recorded_and_scoped_through_its_document(make, docs, login):
    province = make.document("Tỉnh Kon Tum")
    pdf = make.document_file(province, PDF, filename="Thông báo số 5.pdf")
    sibling = make.document("Huyện Sa Thầy", title="Tài liệu Sa Thầy")
    hidden = make.document_file(sibling, PDF)
    client = login("hring")
    resp = client.get(f"/documents/{province.id}/files/{pdf.id}")
    assert resp.status_code == 200 and resp.data == PDF
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.mimetype == "application/pdf"
    disposition = resp.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="Thong bao so 5.pdf"')
    assert "filename*=UTF-8''Th%C3%B4ng%20b%C3%A1o%20s%E1%BB%91%205.pdf" in disposition
    events = db.session.execute(sa.select(AuditLog.after).where(
        AuditLog.entity == "security", AuditLog.action == "export")).scalars().all()
    assert [e["file"] for e in events] == ["Thông báo số 5.pdf"]
    # A file of a document the commune cannot see, even through a document it sees: 404.
    assert client.get(f"/documents/{sibling.id}/files/{hidden.id}").status_code == 404
    assert client.get(f"/documents/{province.id}/files/{hidden.id}").status_code == 404
    # Seeing the province's document is not changing it.
    assert client.post(f"/documents/{province.id}/files/{pdf.id}/delete").status_code == 403

    admin = login("admin")
    resp = admin.post(f"/documents/{province.id}/files/{pdf.id}/delete", follow_redirects=True)
    assert "Đã xóa tệp «Thông báo số 5.pdf»." in resp.get_data(as_text=True)
    assert db.session.get(StoredFile, pdf.id) is None
