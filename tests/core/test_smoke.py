from models import UserRole


def test_login_and_pages(make, login):
    make.user("off", UserRole.OFFICER, "Huyện Đắk Hà")
    p = make.person("Nguyễn Văn An", "Xã Đắk Hring")
    c = login("off")
    for url in [
        "/",
        "/roster",
        "/units",
        f"/persons/{p.id}",
        f"/persons/{p.id}/edit",
        "/persons/new",
    ]:
        r = c.get(url)
        assert r.status_code == 200, (url, r.get_data(as_text=True)[:3000])
