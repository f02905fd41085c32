"""Coverage: the share of the BCV active on a document's date who received it, per document and
per unit, on the page and in the xlsx."""
from __future__ import annotations

import datetime as dt
import io

import openpyxl
import sqlalchemy as sa

from models import AuditLog, DocumentKind, Level, Role, db
from registry.documents import coverage

START, END = dt.date(2026, 10, 1), dt.date(2026, 11, 30)


def _world(make, docs):
    p = docs["people"]
    late = make.person("Y Muộn", "Xã Đắk Hring", role=Role.BCV, level=Level.HUYEN,
                       start=dt.date(2026, 11, 10))
    a = make.document("Tỉnh Kon Tum", title="Định hướng tháng 11", issued_on=dt.date(2026, 11, 2))
    b = make.document("Huyện Đắk Hà", title="Đề cương tháng 10", issued_on=dt.date(2026, 10, 1),
                      kind=DocumentKind.DE_CUONG)
    make.document("Tỉnh Kon Tum", title="Ngoài kỳ", issued_on=dt.date(2026, 9, 30))
    got = dt.date(2026, 11, 4)
    for key, received in (("bcv_huyen", got), ("bcv_hring", got), ("bcv_hamon", None),
                          ("ttv_hring", got)):  # a TTV is no BCV
        make.distribute(a, p[key], received_on=received)
    make.distribute(a, late, received_on=dt.date(2026, 11, 12))  # not yet BCV on 02/11
    return a, b


def _figures(cell):
    return (cell.sent, cell.received, cell.bcv, cell.rate)


def test_coverage_per_document_and_unit(make, docs, as_user):
    a, b = _world(make, docs)
    province, district = make.unit("Tỉnh Kon Tum"), make.unit("Huyện Đắk Hà")
    with as_user("admin"):
        report = coverage.build(province, START, END)
    assert [(d.title, _figures(c)) for d, c in report.by_document] == [
        ("Định hướng tháng 11", (3, 2, 5, 40.0)), ("Đề cương tháng 10", (0, 0, 5, 0.0))]
    assert _figures(report.total) == (3, 2, 10, 20.0)
    assert [(label, _figures(c)) for label, c in report.by_unit] == [
        ("Tỉnh Kon Tum (trực tiếp)", (0, 0, 2, 0.0)), ("Huyện Đắk Hà", (3, 2, 6, 33.3)),
        ("Huyện Sa Thầy", (0, 0, 2, 0.0))]
    with as_user("dakha"):
        report = coverage.build(district, START, END, DocumentKind.DINH_HUONG)
    assert [(d.title, _figures(c)) for d, c in report.by_document] == [
        ("Định hướng tháng 11", (3, 2, 3, 66.7))]
    assert [(label, _figures(c)) for label, c in report.by_unit] == [
        ("Huyện Đắk Hà (trực tiếp)", (1, 1, 1, 100.0)), ("Xã Đắk Hring", (1, 1, 1, 100.0)),
        ("Xã Hà Mòn", (1, 0, 1, 0.0))]


def test_coverage_page_and_xlsx(make, docs, login):
    _world(make, docs)
    client = login("hring")
    args = "?from=01/10/2026&to=30/11/2026"
    page = client.get("/documents/coverage" + args).get_data(as_text=True)
    assert "Xã Đắk Hring (trực tiếp)" in page and "100,0%" in page
    resp = client.get("/documents/coverage.xlsx" + args)
    assert resp.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(resp.data)).active
    cells = [[c for c in row] for row in ws.iter_rows(values_only=True)]
    flat = [c for row in cells for c in row if c is not None]
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in flat and "I. Theo tài liệu" in flat
    row = next(r for r in cells if r[1] == "Định hướng tháng 11")
    assert list(row[3:7]) == [1, 1, 1, 100]
    assert any(r[1] == "Xã Đắk Hring (trực tiếp)" for r in cells)
    event = db.session.execute(sa.select(AuditLog.after).where(
        AuditLog.entity == "security", AuditLog.action == "export")).scalar_one()
    assert event["file"] == "cung-cap-thong-tin-20261001-20261130.xlsx"
