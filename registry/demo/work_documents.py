"""Demo data: the team's work, documents (issue 14). The province's propaganda board issues one
document a month over the last six months and sends it to the BCV active that day (one of them
to the TTV), and most recipients confirm receipt within a week; one carries a small PDF."""
from __future__ import annotations

import datetime as dt
import hashlib
import random
from typing import TYPE_CHECKING

from models import Distribution, Document, DocumentKind, Role, StoredFile, db
from registry.core.dates import add_months
from registry.documents.service import default_issuer

if TYPE_CHECKING:
    from models import Person
    from registry.demo.records import Places

TITLES = [
    (DocumentKind.DINH_HUONG, "Thông tin định hướng tuyên truyền tháng {m}/{y}", "HD/BTGDVTU"),
    (DocumentKind.THONG_BAO_NOI_BO, "Bản tin Thông báo nội bộ số {n}, tháng {m}/{y}",
     "TB/BTGDVTU"),
    (DocumentKind.TAI_LIEU, "Tài liệu tuyên truyền kỷ niệm các ngày lễ lớn tháng {m}/{y}",
     "TL/BTGDVTU"),
    (DocumentKind.DE_CUONG, "Đề cương tuyên truyền phòng, chống tin giả trên mạng xã hội",
     "ĐC/BTGDVTU"),
]
SENDER = "demo"


def tiny_pdf(text: str = "So doi ngu - tai lieu mau") -> bytes:
    """A one-page PDF with a line of text: objects, a cross-reference table with the right
    offsets, and a trailer, so that any reader opens it."""
    stream = f"BT /F1 14 Tf 72 760 Td ({text}) Tj ET".encode("ascii")
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (n, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def _recipients(people: list[Person], day: dt.date, role: Role) -> list[Person]:
    return [p for p in people if any(a.role is role for a in p.active_appointments(day))]


def _send(rng: random.Random, doc: Document, people: list[Person], today: dt.date) -> None:
    sent = min(doc.issued_on + dt.timedelta(days=rng.randint(1, 3)), today)
    share = rng.uniform(0.7, 0.9)
    for person in people:
        received = None
        if rng.random() < share:
            received = min(sent + dt.timedelta(days=rng.randint(0, 7)), today)
        db.session.add(Distribution(document_id=doc.id, person_id=person.id, sent_on=sent,
                                    sent_by=SENDER, received_on=received))


def seed(rng: random.Random, places: Places, people: list[Person], today: dt.date) -> None:
    province = places.province
    for k in range(6):
        day = add_months(today, -(5 - k)).replace(day=rng.randint(2, 8))
        day = min(day, today)
        kind, title, suffix = TITLES[k % len(TITLES)]
        doc = Document(unit=province, unit_id=province.id, kind=kind, issued_on=day,
                       number=f"{10 + k}-{suffix}", issuer=default_issuer(province, day),
                       title=title.format(m=day.month, y=day.year, n=10 + k),
                       summary="Dữ liệu mẫu: nội dung định hướng gửi báo cáo viên.")
        db.session.add(doc)
        db.session.flush()
        role = Role.TTV if kind is DocumentKind.TAI_LIEU else Role.BCV
        _send(rng, doc, _recipients(people, day, role), today)
        if k == 5:
            data = tiny_pdf()
            doc.files.append(StoredFile(
                filename="Thông tin định hướng.pdf", content_type="application/pdf",
                size=len(data), sha256=hashlib.sha256(data).hexdigest(), data=data))
    db.session.flush()
