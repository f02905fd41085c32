"""Forms for commendations, disciplines and oral-propaganda sessions."""
from __future__ import annotations

import datetime as dt

from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

from models import DeliveryForm, DisciplineSystem, OrgLevel
from registry.core.fields import (
    CodeSelectField,
    PositiveIntField,
    VNDateField,
    not_blank,
    required,
)


class CommendationForm(FlaskForm):
    form = CodeSelectField("Hình thức", validators=[required("Vui lòng chọn hình thức.")])
    title = StringField("Tên danh hiệu, hạng (nếu có)", validators=[Length(max=300)],
                        render_kw={"placeholder": "Chiến sĩ thi đua cơ sở; hạng Ba…"})
    issuer_level = CodeSelectField("Cấp khen", choices=OrgLevel.choices(),
                                   validators=[required("Vui lòng chọn cấp khen.")])
    issuer = StringField("Cơ quan, người ký khen", validators=[
        not_blank("Vui lòng nhập cơ quan khen thưởng."), Length(max=200)])
    decision_no = StringField("Số quyết định", validators=[Length(max=100)])
    decision_date = VNDateField("Ngày quyết định", not_future=True)
    year = PositiveIntField("Năm khen thưởng", maximum=2100)
    reason = TextAreaField("Thành tích, lý do khen", validators=[Length(max=4000)])

    def validate_year(self, field):
        if field.errors:  # malformed: its message is already there
            return
        if field.data is None:
            raise ValidationError("Vui lòng nhập năm khen thưởng.")
        if not 1945 <= field.data <= dt.date.today().year:
            raise ValidationError(f"Năm khen thưởng phải từ 1945 đến {dt.date.today().year}.")

    def record_data(self) -> dict:
        return {k: getattr(self, k).data for k in (
            "form", "title", "issuer", "decision_no", "decision_date", "year", "reason")} | {
            "issuer_level": OrgLevel(self.issuer_level.data)}


class DisciplineForm(FlaskForm):
    confirmed = HiddenField()
    system = CodeSelectField("Hệ thống", choices=DisciplineSystem.choices(),
                             validators=[required("Vui lòng chọn hệ thống kỷ luật.")])
    form = CodeSelectField("Hình thức", validators=[required("Vui lòng chọn hình thức.")])
    issuer = StringField("Cơ quan quyết định", validators=[Length(max=200)])
    decision_no = StringField("Số quyết định", validators=[Length(max=100)])
    decision_date = VNDateField("Ngày quyết định", not_future=True)
    effective_from = VNDateField("Có hiệu lực từ ngày",
                                 validators=[InputRequired("Vui lòng nhập ngày có hiệu lực.")])
    effective_until = VNDateField("Đến hết ngày (để trống: theo thời hạn mặc định)")
    summary = TextAreaField("Tóm tắt vi phạm", validators=[Length(max=4000)])

    def validate_effective_until(self, field):
        if field.data and self.effective_from.data and field.data < self.effective_from.data:
            raise ValidationError("Ngày hết hiệu lực không được trước ngày bắt đầu.")

    def record_data(self) -> dict:
        return {k: getattr(self, k).data for k in (
            "form", "issuer", "decision_no", "decision_date", "effective_from", "effective_until",
            "summary")} | {"system": DisciplineSystem(self.system.data)}


class ActivityForm(FlaskForm):
    date = VNDateField("Ngày báo cáo", not_future=True,
                       validators=[InputRequired("Vui lòng nhập ngày báo cáo.")])
    appointment_id = CodeSelectField("Với tư cách", blank="— không tính thù lao —")
    topic = StringField("Chủ đề, nội dung", validators=[
        not_blank("Vui lòng nhập chủ đề."), Length(max=300, message="Tối đa 300 ký tự.")])
    unit_id = CodeSelectField("Đơn vị nơi báo cáo", validators=[required("Vui lòng chọn đơn vị.")])
    place = StringField("Địa điểm", validators=[Length(max=300, message="Tối đa 300 ký tự.")],
                        render_kw={"placeholder": "Nhà văn hóa thôn 3…"})
    form = CodeSelectField("Hình thức", choices=DeliveryForm.choices(),
                           validators=[required("Vui lòng chọn hình thức.")])
    audience = PositiveIntField("Số người nghe", maximum=1_000_000)
    notes = TextAreaField("Ghi chú", validators=[Length(max=4000)])

    def record_data(self) -> dict:
        data = {k: getattr(self, k).data for k in ("date", "topic", "place", "audience", "notes")}
        data["form"] = DeliveryForm(self.form.data)
        data["appointment_id"] = int(self.appointment_id.data) if self.appointment_id.data else None
        return data
