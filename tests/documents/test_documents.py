"""Documents: create, edit, delete (with their files and distributions), the list's filters,
garbage in the query string, the person page."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from models import Distribution, Document, DocumentKind, StoredFile, db
from tests.documents.conftest import PDF


def test_create_edit_delete_with_vietnamese_messages(make, docs, login):
    client = login("dakha")
    district = make.unit("Huyện Đắk Hà")
    bad = client.post("/documents/new", data={"kind": "x", "issued_on": "31/02/2026",
                                              "unit_id": district.id, "title": " "})
    page = bad.get_data(as_text=True)
    for message in ("Giá trị được chọn không hợp lệ.", "Ngày «31/02/2026» không hợp lệ",
                    "Vui lòng nhập trích yếu (tên tài liệu)."):
        assert message in page
    sibling = make.unit("Huyện Sa Thầy")
    data = {"kind": "thong_bao_noi_bo", "number": "12-TB/HU", "issued_on": "02/11/2026",
            "unit_id": sibling.id, "title": "Thông báo nội bộ số 12"}
    assert client.post("/documents/new", data=data).status_code in (200, 404)  # not offered
    resp = client.post("/documents/new", data={**data, "unit_id": district.id})
    assert resp.status_code == 302
    doc = db.session.execute(sa.select(Document)).scalar_one()
    # The issuer defaults to the issuing unit's Party committee.
    assert (doc.issuer, doc.kind, doc.issued_on) == ("Huyện ủy Đắk Hà",
                                                     DocumentKind.THONG_BAO_NOI_BO,
                                                     dt.date(2026, 11, 2))
    client.post(f"/documents/{doc.id}/edit", data={**data, "unit_id": district.id,
                                                    "issuer": "Ban Tuyên giáo Huyện ủy"})
    db.session.refresh(doc)
    assert doc.issuer == "Ban Tuyên giáo Huyện ủy"

    make.document_file(doc, PDF)
    make.distribute(doc, docs["people"]["bcv_hring"])
    make.distribute(doc, docs["people"]["bcv_sathay"])  # sent by the province, out of scope
    assert login("hring").post(f"/documents/{doc.id}/delete").status_code == 403
    resp = login("dakha").post(f"/documents/{doc.id}/delete", follow_redirects=True)
    page = resp.get_data(as_text=True)
    assert "Đã xóa tài liệu «Thông báo nội bộ số 12»." in page
    # The send outside Đắk Hà is deleted with the document (registry/documents/service.py
    # all_distributions, unscoped), and never named to the district's officer.
    assert docs["people"]["bcv_sathay"].full_name not in page
    for model in (Document, Distribution, StoredFile):
        assert db.session.execute(sa.select(sa.func.count(model.id))
                                  .execution_options(unscoped=True)).scalar() == 0


def test_list_filters_paging_and_garbage(app, make, docs, login):
    for n in range(1, 5):
        make.document("Tỉnh Kon Tum", title=f"Định hướng tháng {n}",
                      issued_on=dt.date(2025 + n % 2, n, 5))
    make.document("Huyện Đắk Hà", title="Đề cương Đắk Hà", kind=DocumentKind.DE_CUONG,
                  number="05-ĐC/HU")
    make.document("Huyện Sa Thầy", title="Đề cương Sa Thầy", kind=DocumentKind.DE_CUONG)
    client = login("hring")
    page = client.get("/documents").get_data(as_text=True)
    assert "Đề cương Đắk Hà" in page and "Định hướng tháng 4" in page
    assert "Sa Thầy" not in page  # a sibling district's documents stay theirs
    page = client.get("/documents?kind=de_cuong&q=05-ĐC").get_data(as_text=True)
    assert "Đề cương Đắk Hà" in page and "Định hướng" not in page
    page = client.get("/documents?year=2026").get_data(as_text=True)
    assert "Định hướng tháng 1" in page and "Định hướng tháng 2" not in page
    app.config["PAGE_SIZE"] = 2
    try:
        page = client.get("/documents?page=3").get_data(as_text=True)
    finally:
        app.config["PAGE_SIZE"] = 50
    assert "Trang 3 / 3" in page and "Định hướng tháng 2" in page  # oldest last
    for url in ("/documents?year=abc&unit=-1&kind=zzz&q=%27%22<x>",
                "/documents/coverage?from=99/99/9999&to=abc&unit=-1&kind=1",
                "/documents/coverage.xlsx?from=99/99/9999", "/documents?page=0",
                "/documents?page=99999999999", "/documents/1?status=zz&page=abc"):
        resp = client.get(url)
        assert resp.status_code in (200, 400, 404), url
        assert resp.status_code != 400 or "không hợp lệ" in resp.get_data(as_text=True), url


def test_person_page_lists_the_documents_received(make, docs, login):
    person = docs["people"]["bcv_hring"]
    doc = make.document("Tỉnh Kon Tum", title="Thông tin định hướng tháng 11", number="7-HD/BTG")
    make.distribute(doc, person, received_on=dt.date(2026, 11, 5))
    make.distribute(make.document("Huyện Đắk Hà", title="Tài liệu chưa nhận"), person)
    page = login("hring").get(f"/persons/{person.id}").get_data(as_text=True)
    assert "Tài liệu được cung cấp (2)" in page
    assert "7-HD/BTG" in page and "05/11/2026" in page and "chưa nhận" in page
