"""Forms for courses and attendance."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

from models import CourseKind, DeliveryForm, OrgLevel, TrainingResult
from registry.core.fields import (
    CodeSelectField,
    PositiveIntField,
    VNDateField,
    not_blank,
    required,
)


def kind_choices(current: CourseKind | None = None) -> list[tuple[str, str]]:
    """The kinds a course may take: conferences of BCV have their own pages (registry.conferences),
    so that kind is offered only to an old course that already has it."""
    return [(value, label) for value, label in CourseKind.choices()
            if value != CourseKind.HOI_NGHI_BCV.value or current is CourseKind.HOI_NGHI_BCV]


class CourseForm(FlaskForm):
    name = StringField("Tên khóa học, hội nghị", validators=[
        not_blank("Vui lòng nhập tên khóa học."), Length(max=300, message="Tối đa 300 ký tự.")])
    kind = CodeSelectField("Loại", choices=kind_choices(),
                           validators=[required("Vui lòng chọn loại.")])
    unit_id = CodeSelectField("Đơn vị tổ chức", validators=[required("Vui lòng chọn đơn vị.")])
    level = CodeSelectField("Cấp tổ chức", choices=OrgLevel.choices(),
                            validators=[required("Vui lòng chọn cấp tổ chức.")])
    organiser = StringField("Cơ quan tổ chức (như ghi trên giấy chứng nhận)",
                            validators=[Length(max=200, message="Tối đa 200 ký tự.")])
    start_date = VNDateField("Từ ngày", validators=[InputRequired("Vui lòng nhập ngày bắt đầu.")])
    end_date = VNDateField("Đến ngày (để trống nếu trong một ngày)")
    place = StringField("Địa điểm", validators=[Length(max=300, message="Tối đa 300 ký tự.")])
    form = CodeSelectField("Hình thức", choices=DeliveryForm.choices(),
                           validators=[required("Vui lòng chọn hình thức.")])
    hours = PositiveIntField("Số giờ", maximum=2000)
    note = TextAreaField("Ghi chú", validators=[Length(max=4000, message="Tối đa 4000 ký tự.")])

    def validate_end_date(self, field):
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError("Ngày kết thúc không được trước ngày bắt đầu.")

    def course_data(self) -> dict:
        return {"name": self.name.data, "kind": CourseKind(self.kind.data),
                "level": OrgLevel(self.level.data), "organiser": self.organiser.data,
                "start_date": self.start_date.data, "end_date": self.end_date.data,
                "place": self.place.data, "form": DeliveryForm(self.form.data),
                "hours": self.hours.data, "note": self.note.data}


class AttendanceForm(FlaskForm):
    result = CodeSelectField("Kết quả", choices=TrainingResult.choices(),
                             blank="— chưa có kết quả —")
    certificate_no = StringField("Số giấy chứng nhận",
                                 validators=[Length(max=100, message="Tối đa 100 ký tự.")])
    note = StringField("Ghi chú", validators=[Length(max=300, message="Tối đa 300 ký tự.")])

    def attendance_data(self) -> dict:
        return {"result": TrainingResult.parse(self.result.data),
                "certificate_no": self.certificate_no.data, "note": self.note.data}


class NewAttendanceForm(AttendanceForm):
    """Adding one person to a course from the person's page."""

    course_id = CodeSelectField("Khóa học", validators=[required("Vui lòng chọn khóa học.")])


class BulkAddForm(FlaskForm):
    """Tick and add: the ticked ids come as `person_ids`; `all_matching` adds the whole filter."""

    result = CodeSelectField("Kết quả ghi cho tất cả", choices=TrainingResult.choices(),
                             blank="— chưa có kết quả —")
