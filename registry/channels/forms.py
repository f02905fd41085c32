"""Forms of online channels: the channel, a member count on a date, online activity."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from models import ChannelPlatform
from registry.core.fields import CodeSelectField, PositiveIntField, VNDateField, not_blank, required


def _id(value) -> int | None:
    return int(value) if value else None


class ChannelForm(FlaskForm):
    name = StringField("Tên kênh", validators=[not_blank("Vui lòng nhập tên kênh."),
                                               Length(max=200, message="Tối đa 200 ký tự.")],
                       render_kw={"placeholder": "Nhóm Zalo «Tuyên truyền viên xã …»"})
    platform = CodeSelectField("Nền tảng", choices=ChannelPlatform.choices(),
                               validators=[required("Vui lòng chọn nền tảng.")])
    unit_id = CodeSelectField("Đơn vị quản lý", validators=[required("Vui lòng chọn đơn vị.")])
    url = StringField("Địa chỉ (đường dẫn)", validators=[Length(max=300, message="Tối đa 300 ký "
                                                                               "tự.")])
    admin_person_id = CodeSelectField("Người quản trị (trong danh sách đội ngũ)",
                                      blank="— không có trong danh sách —")
    admin_name = StringField("hoặc tên người quản trị",
                             validators=[Length(max=200, message="Tối đa 200 ký tự.")])
    active = BooleanField("Đang hoạt động", default=True)
    note = TextAreaField("Ghi chú", validators=[Length(max=4000)])

    def channel_data(self) -> dict:
        data = {k: getattr(self, k).data for k in ("name", "url", "admin_name", "active", "note")}
        return data | {"platform": ChannelPlatform(self.platform.data),
                       "admin_person_id": _id(self.admin_person_id.data)}


class CountForm(FlaskForm):
    counted_on = VNDateField("Ngày ghi nhận", not_future=True,
                             validators=[InputRequired("Vui lòng nhập ngày ghi nhận.")])
    members = PositiveIntField("Số thành viên, người theo dõi", maximum=100_000_000,
                               validators=[InputRequired("Vui lòng nhập số thành viên.")])


class PostForm(FlaskForm):
    date = VNDateField("Ngày đăng (hoặc ngày cuối của đợt)", not_future=True,
                       validators=[InputRequired("Vui lòng nhập ngày đăng.")])
    topic = StringField("Chủ đề", validators=[not_blank("Vui lòng nhập chủ đề."),
                                              Length(max=300, message="Tối đa 300 ký tự.")])
    posts = PositiveIntField("Số bài đăng", maximum=100_000,
                             validators=[InputRequired("Vui lòng nhập số bài đăng.")])
    reach = PositiveIntField("Lượt tiếp cận (xem, tương tác)", maximum=1_000_000_000)
    person_id = CodeSelectField("Người đăng (nếu có)", blank="— không ghi —")

    def post_data(self) -> dict:
        return {k: getattr(self, k).data for k in ("date", "topic", "posts", "reach")} | {
            "person_id": _id(self.person_id.data)}
