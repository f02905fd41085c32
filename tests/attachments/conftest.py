"""The attachments' world: a person of Huyện Đắk Hà with a commendation, one of the sibling
Huyện Sa Thầy with a file; an officer and a viewer of Đắk Hà."""
from __future__ import annotations

import io

import pytest

from models import UserRole

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


@pytest.fixture
def folks(make):
    person = make.person("Nguyễn Văn Tệp", "Huyện Đắk Hà")
    other = make.person("Rơ Châm Khác", "Huyện Sa Thầy")
    make.user("dakha", UserRole.OFFICER, "Huyện Đắk Hà")
    make.user("xem", UserRole.VIEWER, "Huyện Đắk Hà")
    return {"person": person, "commendation": make.commendation(person),
            "other": other, "other_file": make.attachment(other)}


def upload(client, person_id: int, name: str, body: bytes, *, follow: bool = True, **fields):
    """POST the attachment form (kind: a decision unless given); `follow`: to the person page."""
    data = {"kind": "quyet_dinh", **fields, "file": (io.BytesIO(body), name)}
    return client.post(f"/persons/{person_id}/attachments/new", data=data,
                       content_type="multipart/form-data", follow_redirects=follow)


def upload_photo(client, person_id: int, name: str, body: bytes):
    return client.post(f"/persons/{person_id}/photo", data={"file": (io.BytesIO(body), name)},
                       content_type="multipart/form-data", follow_redirects=True)
