"""The one decision that re-appoints the ticked appointments for the new term."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import InputRequired, Length

from registry.core.fields import VNDateField, not_blank
from registry.roster.forms import term_field
from registry.terms.service import DEFAULT_TERM, Decision


class ReappointForm(FlaskForm):
    """Ticked ids come as `appointment_ids`; `all_matching` takes the whole filter."""

    decision_no = StringField("Số quyết định", validators=[
        not_blank("Vui lòng nhập số quyết định."), Length(max=100, message="Tối đa 100 ký tự.")])
    decision_date = VNDateField("Ngày quyết định", not_future=True, validators=[
        InputRequired("Vui lòng nhập ngày quyết định.")])
    decision_body = StringField("Cơ quan ra quyết định", validators=[
        not_blank("Vui lòng nhập cơ quan ra quyết định."),
        Length(max=200, message="Tối đa 200 ký tự.")])
    term = StringField("Nhiệm kỳ mới", default=DEFAULT_TERM, validators=[
        not_blank("Vui lòng nhập nhiệm kỳ."), Length(max=40, message="Tối đa 40 ký tự.")])
    start_date = VNDateField("Ngày bắt đầu (để trống: ngày quyết định)")

    def validate_term(self, field):
        term_field(field)

    def decision(self) -> Decision:
        return Decision(decision_no=self.decision_no.data.strip(),
                        decision_date=self.decision_date.data,
                        decision_body=self.decision_body.data.strip(),
                        term=self.term.data,
                        start_date=self.start_date.data or self.decision_date.data)
