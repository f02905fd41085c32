"""Forms for conferences and their connection points."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

from models import DeliveryForm, OrgLevel, UnitKind
from registry.core.fields import CodeSelectField, PositiveIntField, VNDateField, not_blank, required

# The level a unit's conference is held at, when the officer has not said otherwise.
LEVEL_OF_UNIT = {UnitKind.TINH: OrgLevel.TINH, UnitKind.HUYEN: OrgLevel.HUYEN,
                 UnitKind.XA: OrgLevel.XA}


def _max(n: int):
    return Length(max=n, message=f"Tối đa {n} ký tự.")


class ConferenceForm(FlaskForm):
    topic = StringField("Chủ đề, nội dung hội nghị", validators=[
        not_blank("Vui lòng nhập chủ đề hội nghị."), _max(300)])
    date = VNDateField("Ngày họp", validators=[InputRequired("Vui lòng nhập ngày họp.")])
    end_date = VNDateField("Đến ngày (để trống nếu trong một ngày)")
    unit_id = CodeSelectField("Đơn vị tổ chức", validators=[required("Vui lòng chọn đơn vị.")])
    level = CodeSelectField("Cấp hội nghị", choices=OrgLevel.choices(),
                            validators=[required("Vui lòng chọn cấp hội nghị.")])
    form = CodeSelectField("Hình thức", choices=DeliveryForm.choices(),
                           validators=[required("Vui lòng chọn hình thức.")])
    presenter = StringField("Người báo cáo", validators=[_max(200)])
    organiser = StringField("Cơ quan tổ chức (như ghi trên giấy mời)", validators=[_max(200)])
    hours = PositiveIntField("Số giờ", maximum=200)
    note = TextAreaField("Ghi chú", validators=[_max(4000)])

    def validate_end_date(self, field):
        if field.data and self.date.data and field.data < self.date.data:
            raise ValidationError("Ngày kết thúc không được trước ngày họp.")

    def conference_data(self) -> dict:
        return {"topic": self.topic.data, "date": self.date.data, "end_date": self.end_date.data,
                "level": OrgLevel(self.level.data), "form": DeliveryForm(self.form.data),
                "presenter": self.presenter.data, "organiser": self.organiser.data,
                "hours": self.hours.data, "note": self.note.data}


class NewConferenceForm(ConferenceForm):
    place = StringField("Địa điểm tại đơn vị tổ chức (điểm cầu chính; có thể để trống)",
                        validators=[_max(300)])


class PointForm(FlaskForm):
    """What the point's own unit may change: the place and how many took part."""

    place = StringField("Địa điểm", validators=[_max(300)])
    participants = PositiveIntField("Số người dự tại điểm cầu", maximum=100_000)

    def point_data(self) -> dict:
        return {"place": self.place.data, "participants": self.participants.data}


class OrganiserPointForm(PointForm):
    """The organiser's form: also which unit the point is."""

    unit_id = CodeSelectField("Đơn vị (điểm cầu)", validators=[required("Vui lòng chọn đơn vị.")])
