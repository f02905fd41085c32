"""One short form per bulk action. Each reuses the fields and checks of the one-person form
(records, terms) and adds `fill()` (its choices) and `values()` (what the action takes)."""
from __future__ import annotations

import sqlalchemy as sa
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import InputRequired, Length, ValidationError

from models import Course, EndReason, Level, Role, Unit, db
from registry import refdata
from registry.core import access
from registry.core.fields import CodeSelectField, VNDateField, required
from registry.records import service as records
from registry.records.forms import CommendationForm, DisciplineForm
from registry.terms.forms import ReappointForm
from registry.units.service import writable_unit_choices

# Forms whose one-person page asks, person by person, to confirm ending appointments (a
# removal from the list, and the removal proposed after a khai trừ): not given in bulk.
PER_PERSON_FORMS = (records.REMOVAL, records.EXPULSION)


class BulkCommendationForm(CommendationForm):
    def fill(self) -> None:
        self.form.choices = refdata.choices("commendation_form")

    def values(self) -> dict:
        return self.record_data()


class BulkDisciplineForm(DisciplineForm):
    def fill(self) -> None:
        self.form.choices = refdata.personal_discipline_choices()

    def validate_form(self, field):
        if field.data in PER_PERSON_FORMS:
            name = refdata.names("discipline_form").get(field.data, field.data)
            raise ValidationError(f"Hình thức «{name}» kết thúc bổ nhiệm của từng người và cần "
                                  "xác nhận riêng: hãy ghi từ trang hồ sơ của từng người.")

    def values(self) -> dict:
        return self.record_data()


class EndTermForm(FlaskForm):
    role = CodeSelectField("Chỉ vai trò", choices=Role.choices(), blank="Mọi vai trò")
    level = CodeSelectField("Chỉ cấp", choices=Level.choices(), blank="Mọi cấp")
    end_date = VNDateField("Ngày kết thúc",
                           validators=[InputRequired("Vui lòng nhập ngày kết thúc.")])
    end_reason = CodeSelectField("Lý do", choices=EndReason.choices(),
                                 default=EndReason.HET_NHIEM_KY.value,
                                 validators=[required("Vui lòng chọn lý do kết thúc.")])
    end_decision_no = StringField("Số quyết định kết thúc", validators=[
        Length(max=100, message="Tối đa 100 ký tự.")])
    end_decision_date = VNDateField("Ngày quyết định kết thúc", not_future=True)

    def fill(self) -> None:
        pass

    def values(self) -> dict:
        return {"role": Role.parse(self.role.data), "level": Level.parse(self.level.data),
                "end_date": self.end_date.data, "end_reason": EndReason(self.end_reason.data),
                "end_decision_no": (self.end_decision_no.data or "").strip() or None,
                "end_decision_date": self.end_decision_date.data}


class BulkReappointForm(ReappointForm):
    def fill(self) -> None:
        pass

    def values(self) -> dict:
        return {"decision": self.decision()}


class CourseForm(FlaskForm):
    course_id = CodeSelectField("Khóa bồi dưỡng", validators=[
        required("Vui lòng chọn khóa bồi dưỡng.")])

    def fill(self) -> None:
        self.course_id.choices = writable_courses()

    def values(self) -> dict:
        course = access.get_scoped_or_404(Course, self.course_id.data)
        access.require_write(course.unit)
        return {"course": course}


def writable_courses() -> list[tuple[int, str]]:
    """Courses the actor sees and may write (organised inside their scope), newest first."""
    rows = db.session.execute(sa.select(Course).order_by(Course.start_date.desc(), Course.id.desc())
                              .limit(300)).scalars()
    return [(c.id, f"{c.name} ({c.start_date:%d/%m/%Y})") for c in rows
            if access.unit_in_scope(c.unit)]


class MoveForm(FlaskForm):
    unit_id = CodeSelectField("Chuyển đến đơn vị", validators=[
        required("Vui lòng chọn đơn vị.")])
    day = VNDateField("Ngày chuyển", validators=[InputRequired("Vui lòng nhập ngày chuyển.")])

    def fill(self) -> None:
        self.unit_id.choices = writable_unit_choices()

    def validate_day(self, field):
        unit = db.session.get(Unit, access.parse_id(self.unit_id.data) or 0)
        if field.data and unit is not None and not unit.is_valid_on(field.data):
            raise ValidationError(f"Đơn vị {unit.name} không có hiệu lực ngày "
                                  f"{field.data:%d/%m/%Y}.")

    def values(self) -> dict:
        unit = access.get_scoped_or_404(Unit, self.unit_id.data)
        access.require_write(unit)
        return {"unit": unit, "day": self.day.data}

