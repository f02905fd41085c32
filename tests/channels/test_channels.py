"""Online channels: the list and its totals, counts one a date, posts following their channel's
unit, scoping."""
import datetime as dt

import sqlalchemy as sa

from models import Channel, ChannelCount, ChannelPlatform, ChannelPost, UserRole, db
from tests.factories import count

D = dt.date


def _channel(unit_id, **over) -> dict:
    return {"name": "Nhóm Zalo TTV xã Đắk La", "platform": "zalo", "unit_id": unit_id,
            "url": "https://zalo.me/g/abc", "admin_name": "", "admin_person_id": "",
            "active": "y", "note": ""} | over


def test_create_edit_and_posts_follow_the_channel(officer, make):
    la, ha_mon = make.unit("Xã Đắk La"), make.unit("Xã Hà Mòn")
    admin = make.person("A Thút", la)
    other = make.person("Y Blô", ha_mon)
    resp = officer.post("/channels/new", data=_channel(la.id, admin_person_id=other.id))
    assert resp.status_code == 200
    assert "Người được chọn không thuộc Xã Đắk La." in resp.get_data(as_text=True)
    assert count(Channel) == 0
    resp = officer.post("/channels/new", data=_channel(la.id, admin_person_id=admin.id,
                                                       admin_name="Tên gõ thêm"))
    assert resp.status_code == 302
    channel = db.session.execute(sa.select(Channel)).scalar_one()
    assert (channel.admin_person_id, channel.admin_name, channel.unit_id) == (admin.id, None, la.id)
    resp = officer.post(f"/channels/{channel.id}/posts/new", data={
        "date": "02/09/2025", "topic": "Kỷ niệm Quốc khánh", "posts": "4", "reach": "1.200",
        "person_id": admin.id})
    assert resp.status_code == 302
    post = db.session.execute(sa.select(ChannelPost)).scalar_one()
    assert (post.unit_id, post.posts, post.reach, post.person_id) == (la.id, 4, 1200, admin.id)
    resp = officer.post(f"/channels/{channel.id}/edit", data=_channel(
        ha_mon.id, name="Nhóm Zalo TTV xã Hà Mòn", admin_name="Chị Hoa", admin_person_id=""))
    assert resp.status_code == 302
    db.session.expire_all()
    channel = db.session.get(Channel, channel.id)
    assert (channel.unit_id, channel.admin_person_id, channel.admin_name) == (
        ha_mon.id, None, "Chị Hoa")
    assert db.session.get(ChannelPost, post.id).unit_id == ha_mon.id
    resp = officer.post(f"/channels/{channel.id}/posts/{post.id}/edit", data={
        "date": "01/01/2999", "topic": "", "posts": "0"})
    html = resp.get_data(as_text=True)
    assert "Ngày này không được ở tương lai" in html and "Vui lòng nhập chủ đề" in html
    assert officer.post(f"/channels/{channel.id}/posts/{post.id}/delete").status_code == 302
    assert count(ChannelPost) == 0
    assert officer.post(f"/channels/{channel.id}/delete").status_code == 302
    assert count(Channel) == 0


def test_one_count_a_date(officer, make):
    channel = make.channel("Xã Đắk La")
    other = make.channel("Xã Hà Mòn", name="Fanpage Hà Mòn")
    foreign = make.channel_count(other, 50)
    url = f"/channels/{channel.id}/counts"
    assert officer.post(url, data={"counted_on": "30/06/2025", "members": "120"}).status_code == 302
    resp = officer.post(url, data={"counted_on": "30/06/2025", "members": "130"})
    assert resp.status_code == 200 and "Ngày này đã có số thành viên" in resp.get_data(as_text=True)
    resp = officer.post(url, data={"counted_on": "xx", "members": "-3"})
    assert "không hợp lệ" in resp.get_data(as_text=True)
    assert officer.post(url, data={"counted_on": "31/12/2025", "members": "150"}).status_code == 302
    assert [c.members for c in db.session.execute(
        sa.select(ChannelCount).where(ChannelCount.channel_id == channel.id)
        .order_by(ChannelCount.counted_on)).scalars()] == [120, 150]
    html = officer.get("/channels").get_data(as_text=True)
    assert "150" in html and "31/12/2025" in html
    # A count is reached only through its own channel.
    assert officer.post(f"/channels/{channel.id}/counts/{foreign.id}/delete").status_code == 404
    first = db.session.execute(sa.select(ChannelCount.id).where(
        ChannelCount.channel_id == channel.id, ChannelCount.members == 120)).scalar()
    assert officer.post(f"/channels/{channel.id}/counts/{first}/delete").status_code == 302
    assert count(ChannelCount) == 2


def test_list_filters_and_period_totals(officer, make):
    zalo = make.channel("Xã Đắk La")
    page = make.channel("Huyện Đắk Hà", name="Fanpage Huyện Đắk Hà",
                        platform=ChannelPlatform.FANPAGE, active=False)
    make.channel("Huyện Sa Thầy", name="Nhóm Sa Thầy")
    make.channel_post(zalo, D(2025, 3, 2), posts=3, reach=400)
    make.channel_post(zalo, D(2025, 5, 2), posts=2, reach=None)
    make.channel_post(page, D(2025, 3, 9), posts=5, reach=1000)
    html = officer.get("/channels?from=01/01/2025&to=31/03/2025").get_data(as_text=True)
    assert "<strong>2</strong> kênh" in html and "Nhóm Sa Thầy" not in html
    assert "<strong>8</strong> bài đăng, <strong>1.400</strong> lượt tiếp cận" in html
    html = officer.get("/channels?from=01/01/2025&to=31/12/2025&platform=zalo").get_data(
        as_text=True)
    assert "<strong>1</strong> kênh" in html and "<strong>5</strong> bài đăng" in html
    assert "<strong>1</strong> kênh" in officer.get("/channels?active=0").get_data(as_text=True)
    html = officer.get(f"/channels?unit={make.unit('Xã Đắk La').id}").get_data(as_text=True)
    assert "Fanpage Huyện Đắk Hà" not in html
    for query in ("unit=-1&platform=x&active=7&from=99/99/9999&to=abc&page=0",
                  "from=31/12/2025&to=01/01/2025", "unit=" + "9" * 30):
        assert officer.get(f"/channels?{query}").status_code == 200


def test_another_communes_channel_is_not_found(client, login, make):
    make.user("xa", UserRole.OFFICER, "Xã Đắk La")
    theirs = make.channel("Xã Hà Mòn", name="Nhóm Hà Mòn")
    post = make.channel_post(theirs)
    mine = make.channel("Xã Đắk La")
    login("xa")
    for method, path in (("GET", ""), ("GET", "/edit"), ("POST", "/delete"),
                         ("POST", "/counts"), ("GET", "/posts/new"),
                         ("GET", f"/posts/{post.id}/edit"), ("POST", f"/posts/{post.id}/delete")):
        assert client.open(f"/channels/{theirs.id}{path}", method=method).status_code == 404
    # A post reached through another channel's URL is not found either.
    assert client.get(f"/channels/{mine.id}/posts/{post.id}/edit").status_code == 404
    assert "Nhóm Hà Mòn" not in client.get("/channels").get_data(as_text=True)
    assert count(Channel) == 2 and count(ChannelPost) == 1


def test_demo_channels_and_shared_sessions(ctx, make):
    import random

    from models import Activity
    from registry.demo import work_channels
    from registry.demo.records import Places

    province = make.unit("Tỉnh Kon Tum")
    people = [make.person(f"Người Mẫu {i}", "Xã Đắk La") for i in range(3)]
    today = D(2026, 12, 7)
    places = Places(province=province, past_province=province, local=[], paying=province)
    work_channels.seed(random.Random(7), places, people, today)
    ctx.flush()
    channels = ctx.execute(sa.select(Channel).order_by(Channel.id)).scalars().all()
    assert [(c.unit.name, c.platform) for c in channels] == [
        ("Tỉnh Kon Tum", ChannelPlatform.ZALO), ("Tỉnh Kon Tum", ChannelPlatform.FANPAGE),
        ("Xã Đắk La", ChannelPlatform.ZALO), ("Xã Đắk La", ChannelPlatform.FANPAGE)]
    assert all(len(c.counts) == 4 and c.posts for c in channels)
    assert all(p.unit_id == c.unit_id and D(2026, 7, 1) <= p.date <= today
               for c in channels for p in c.posts)
    assert channels[2].admin_person in people and channels[0].admin_name
    shared = ctx.execute(sa.select(Activity)).scalars().all()
    keys = {a.session_key for a in shared}
    assert len(keys) == 2 and len(shared) >= 4
    assert all(len({a.person_id for a in shared if a.session_key == k}) >= 2 for k in keys)
