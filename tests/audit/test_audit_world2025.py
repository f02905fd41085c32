"""The audit page in today's tree: a commune officer reads their commune's people only; an
account left on a former district reads what that district's scope reaches."""
from __future__ import annotations

from models import UserRole


def test_commune_and_former_district_scopes(world2025, make, client, login):
    make.person("Người Xã Đăk Hà", "Xã Đăk Hà")
    make.person("Người Xã Đăk Mar", "Xã Đăk Mar")
    make.person("Người Xã Khác Tỉnh", "Phường Cẩm Thành")
    make.user("xa", UserRole.OFFICER, "Xã Đăk Mar")
    make.user("huyencu", UserRole.OFFICER, "Huyện Đắk Hà")
    login("xa")
    text = client.get("/audit").get_data(as_text=True)
    assert "Người Xã Đăk Mar" in text
    assert "Người Xã Đăk Hà" not in text and "Người Xã Khác Tỉnh" not in text
    client.post("/logout")
    login("huyencu")
    text = client.get("/audit").get_data(as_text=True)
    assert "Người Xã Đăk Hà" in text and "Người Xã Khác Tỉnh" not in text
