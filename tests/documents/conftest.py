"""The documents' world: a province, a district with two communes, a sibling district; BCV and
TTV in them (one with an ended appointment); an admin, officers of the district and of a
commune, and a viewer."""
from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest

from models import Level, Role, UserRole
from registry.core import access


@pytest.fixture
def docs(make):
    people = {
        "bcv_tinh": make.person("Bùi Văn Tỉnh", "Tỉnh Kon Tum", role=Role.BCV, level=Level.TINH,
                                political_theory="cao_cap"),
        "bcv_huyen": make.person("Trần Văn Huyện", "Huyện Đắk Hà", role=Role.BCV,
                                 level=Level.HUYEN, political_theory="cao_cap"),
        "bcv_hring": make.person("Y Hring Báo", "Xã Đắk Hring", role=Role.BCV,
                                 level=Level.HUYEN, political_theory="so_cap"),
        "ttv_hring": make.person("A Hring Truyền", "Xã Đắk Hring", role=Role.TTV,
                                 level=Level.CO_SO),
        "ended": make.person("Đinh Văn Nghỉ", "Xã Đắk Hring", role=Role.BCV, level=Level.HUYEN,
                             end=dt.date(2025, 6, 30)),
        "bcv_hamon": make.person("Lê Thị Hà Mòn", "Xã Hà Mòn", role=Role.BCV, level=Level.HUYEN),
        "bcv_sathay": make.person("Rơ Châm Sa Thầy", "Huyện Sa Thầy", role=Role.BCV,
                                  level=Level.HUYEN),
    }
    users = {
        "admin": make.user("admin", UserRole.ADMIN, "Tỉnh Kon Tum"),
        "dakha": make.user("dakha", UserRole.OFFICER, "Huyện Đắk Hà"),
        "hring": make.user("hring", UserRole.OFFICER, "Xã Đắk Hring"),
        "viewer": make.user("xem", UserRole.VIEWER, "Huyện Đắk Hà"),
    }
    return {"people": people, "users": users}


@pytest.fixture
def as_user(docs):
    """Run service code in a user's scope: `with as_user("dakha"): ...`."""
    def _as(name: str):
        return access.scoped(access.scope_for_user(docs["users"][name]))
    return _as


def office_zip(folder: str, word: str) -> bytes:
    """A minimal Office Open XML package: the manifest naming `word`, a part under `folder`."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml",
                    f'<Types><Override ContentType="application/vnd.openxmlformats-'
                    f'officedocument.{word}.main+xml"/></Types>')
        zf.writestr(f"{folder}/document.xml", "<x/>")
    return buf.getvalue()


def ole2(stream: str) -> bytes:
    """An OLE2 header and a directory entry naming `stream` (UTF-16, NUL-terminated)."""
    return (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
            + (stream + "\x00").encode("utf-16-le") + b"\x00" * 64)


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
