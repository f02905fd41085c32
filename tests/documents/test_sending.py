"""Sending by criteria (role, level, subtree, saved list; active today only; duplicates
skipped), preview then confirm, who may send what, and receipt one by one or in bulk."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from models import Distribution, Level, Role, db
from registry.core.rules import RuleViolation
from registry.documents import sending


def _names(make, docs, doc, choice, user):
    from registry.core import access

    with access.scoped(access.scope_for_user(docs["users"][user])):
        found = sending.recipients(doc, choice)
        return {p.full_name for p in sending.people(found.ids)}, len(found.already)


def test_criteria_choose_active_people_in_scope(make, docs):
    doc = make.document("Tỉnh Kon Tum")
    hring, district = make.unit("Xã Đắk Hring"), make.unit("Huyện Đắk Hà")
    everyone, _ = _names(make, docs, doc, sending.Choice(), "admin")
    assert "Đinh Văn Nghỉ" not in everyone and len(everyone) == 6  # the ended BCV is left out
    bcv, _ = _names(make, docs, doc, sending.Choice(role=Role.BCV, unit=district), "admin")
    assert bcv == {"Trần Văn Huyện", "Y Hring Báo", "Lê Thị Hà Mòn"}
    tinh, _ = _names(make, docs, doc, sending.Choice(level=Level.TINH), "admin")
    assert tinh == {"Bùi Văn Tỉnh"}
    commune, _ = _names(make, docs, doc, sending.Choice(unit=hring), "dakha")
    assert commune == {"Y Hring Báo", "A Hring Truyền"}
    # A commune officer's criteria reach their own people only: a unit above is nobody.
    mine, _ = _names(make, docs, doc, sending.Choice(), "hring")
    assert mine == {"Y Hring Báo", "A Hring Truyền"}
    assert _names(make, docs, doc, sending.Choice(unit=district), "hring")[0] == set()
    saved = make.saved_list("Huyện Đắk Hà", role=Role.BCV, level=Level.HUYEN, min_llct="trung_cap",
                            party_required=False, training_months=0, no_discipline=False)
    listed, _ = _names(make, docs, doc, sending.Choice(role=Role.BCV, saved=saved), "dakha")
    assert listed == {"Trần Văn Huyện"}  # the others lack the list's LLCT
    make.distribute(doc, docs["people"]["bcv_hamon"])
    again, skipped = _names(make, docs, doc, sending.Choice(role=Role.BCV, unit=district), "dakha")
    assert len(again) == 3 and skipped == 1


def test_preview_then_confirm_skips_those_already_sent(make, docs, login):
    doc = make.document("Tỉnh Kon Tum", title="Thông tin định hướng tháng 12")
    district = make.unit("Huyện Đắk Hà")
    make.distribute(doc, docs["people"]["bcv_hamon"])
    client = login("dakha")
    assert "Gửi tài liệu" in client.get(f"/documents/{doc.id}").get_data(as_text=True)
    criteria = {"role": "BCV", "unit_id": district.id}
    page = client.post(f"/documents/{doc.id}/send",
                       data={**criteria, "action": "preview"}).get_data(as_text=True)
    assert "<strong>3</strong> người phù hợp, trong đó 1 người đã được gửi" in page
    assert "Y Hring Báo" in page and "Xác nhận gửi cho 2 người" in page
    assert db.session.execute(sa.select(sa.func.count(Distribution.id))).scalar() == 1
    resp = client.post(f"/documents/{doc.id}/send", data={**criteria, "action": "confirm"},
                       follow_redirects=True)
    assert ("Đã gửi tài liệu cho 2 người; bỏ qua 1 người đã được gửi trước đó."
            in resp.get_data(as_text=True))
    rows = db.session.execute(sa.select(Distribution).where(
        Distribution.sent_by == "dakha")).scalars().all()
    assert {d.sent_on for d in rows} == {dt.date.today()} and len(rows) == 2
    page = client.post(f"/documents/{doc.id}/send", data={**criteria, "action": "confirm"},
                       follow_redirects=True).get_data(as_text=True)
    assert "Cả 3 người phù hợp đều đã được gửi tài liệu này" in page
    assert login("xem").post(f"/documents/{doc.id}/send", data=criteria).status_code == 403


def test_commune_forwards_a_province_document_and_sees_only_its_people(make, docs, login):
    doc = make.document("Tỉnh Kon Tum")
    make.distribute(doc, docs["people"]["bcv_hamon"])
    other = make.distribute(doc, docs["people"]["bcv_huyen"])
    client = login("hring")
    resp = client.post(f"/documents/{doc.id}/send", data={"action": "confirm"},
                       follow_redirects=True)
    assert "Đã gửi tài liệu cho 2 người." in resp.get_data(as_text=True)
    page = client.get(f"/documents/{doc.id}").get_data(as_text=True)
    assert "Y Hring Báo" in page and "A Hring Truyền" in page
    assert "Lê Thị Hà Mòn" not in page and "Trần Văn Huyện" not in page
    assert client.post(f"/distributions/{other.id}/receive").status_code == 404


def test_receipt_one_by_one_in_bulk_and_undone(make, docs, login, as_user):
    doc = make.document("Huyện Đắk Hà")
    sent = dt.date.today() - dt.timedelta(days=3)
    rows = {k: make.distribute(doc, docs["people"][k], sent_on=sent)
            for k in ("bcv_huyen", "bcv_hring", "ttv_hring", "bcv_hamon")}
    client = login("dakha")
    client.post(f"/distributions/{rows['bcv_huyen'].id}/receive")
    ids = [rows["bcv_hring"].id, rows["ttv_hring"].id]
    too_early = (sent - dt.timedelta(days=1)).strftime("%d/%m/%Y")
    page = client.post(f"/documents/{doc.id}/receipts",
                       data={"distribution_ids": ids, "received_on": too_early},
                       follow_redirects=True).get_data(as_text=True)
    assert "trước ngày gửi" in page and "chưa ghi nhận cho ai" in page
    on = (sent + dt.timedelta(days=1)).strftime("%d/%m/%Y")
    page = client.post(f"/documents/{doc.id}/receipts",
                       data={"distribution_ids": ids, "received_on": on},
                       follow_redirects=True).get_data(as_text=True)
    assert "Đã ghi nhận 2 người đã nhận tài liệu." in page
    page = client.get(f"/documents/{doc.id}?status=pending").get_data(as_text=True)
    assert "Lê Thị Hà Mòn" in page and "Y Hring Báo" not in page
    page = client.post(f"/documents/{doc.id}/receipts",
                       data={"everyone": "1", "status": "pending"},
                       follow_redirects=True).get_data(as_text=True)
    assert "Đã ghi nhận 1 người đã nhận tài liệu." in page
    client.post(f"/distributions/{rows['bcv_huyen'].id}/undo")
    got = {k: db.session.get(Distribution, d.id) for k, d in rows.items()}
    for d in got.values():
        db.session.refresh(d)
    assert got["bcv_huyen"].received_on is None
    assert got["bcv_hring"].received_on == sent + dt.timedelta(days=1)
    assert got["bcv_hamon"].received_on == dt.date.today()
    with as_user("dakha"), pytest.raises(RuleViolation, match="tương lai"):
        sending.mark_received([got["bcv_huyen"]], dt.date.today() + dt.timedelta(days=1))
    db.session.rollback()
    # The commune marks its own people; the district's rows are not theirs to tick.
    hring = login("hring")
    hring.post(f"/documents/{doc.id}/receipts", data={
        "distribution_ids": [rows["bcv_huyen"].id], "action": "receive"})
    db.session.refresh(got["bcv_huyen"])
    assert got["bcv_huyen"].received_on is None
    assert hring.post(f"/documents/{doc.id}/receipts",
                      data={"everyone": "1", "action": "undo"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Distribution, rows["bcv_hring"].id).received_on is None
    assert db.session.get(Distribution, rows["bcv_hamon"].id).received_on is not None
