"""Forms of the reorganisation pages: the day of the new structure, and the one decision a bulk
re-recognition of BCV cấp huyện is made under. Row selections travel as plain lists of ids."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Length, ValidationError

from registry.core.crud import int_list
from registry.core.fields import CodeSelectField, VNDateField, not_blank, required
from registry.reorganise.followup import DEFAULT_TERM, Decision
from registry.reorganise.service import REFORM_DAY


class DayForm(FlaskForm):
    """Preview and confirm: only the day travels; the preview is recomputed from it."""

    day = VNDateField("Ngày bắt đầu cơ cấu mới", default=REFORM_DAY,
                      validators=[required("Vui lòng nhập ngày bắt đầu cơ cấu mới.")])


class SelectionForm(FlaskForm):
    """A bulk form: the ticked rows come from request.form (`selected`)."""

    def selected(self, formdata, name: str) -> list[int]:
        return int_list(formdata.getlist(name))


ACTIONS = [("end", "Kết thúc (không công nhận lại)"),
           ("tinh", "Công nhận lại ở cấp tỉnh"),
           ("xa", "Công nhận lại ở cấp xã (chọn xã)")]


class RerecognitionForm(SelectionForm):
    action = CodeSelectField("Xử lý", choices=ACTIONS,
                             validators=[required("Vui lòng chọn cách xử lý.")])
    unit_id = CodeSelectField("Xã, phường, đặc khu (khi công nhận ở cấp xã)")
    decision_no = StringField("Số quyết định", validators=[
        not_blank("Vui lòng nhập số quyết định."), Length(max=100)])
    decision_date = VNDateField("Ngày quyết định", validators=[
        required("Vui lòng nhập ngày quyết định.")], not_future=True)
    decision_body = StringField("Cơ quan quyết định", validators=[
        not_blank("Vui lòng nhập cơ quan ra quyết định."), Length(max=200)])
    start_date = VNDateField("Ngày bắt đầu (để trống: ngày quyết định)")
    term = StringField("Nhiệm kỳ (khi công nhận lại)", default=DEFAULT_TERM,
                       validators=[Length(max=40)])

    def validate_unit_id(self, field):
        if self.action.data == "xa" and not field.data:
            raise ValidationError("Vui lòng chọn xã, phường hoặc đặc khu.")

    def decision(self) -> Decision:
        return Decision(number=self.decision_no.data.strip(), date=self.decision_date.data,
                        body=self.decision_body.data.strip(),
                        start=self.start_date.data or self.decision_date.data,
                        term=(self.term.data or "").strip() or DEFAULT_TERM)
