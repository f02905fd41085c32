"""The form of one person's rating for one year."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Length, ValidationError

from models import EvaluationRating
from registry.core.fields import CodeSelectField, PositiveIntField, required
from registry.evaluations.bulk import NOTE_MAX
from registry.evaluations.service import FIRST_YEAR, last_year_allowed


class EvaluationForm(FlaskForm):
    year = PositiveIntField("Năm đánh giá", maximum=9999)
    rating = CodeSelectField("Xếp loại", choices=EvaluationRating.choices(),
                             validators=[required("Vui lòng chọn xếp loại.")])
    note = StringField("Ghi chú", validators=[
        Length(max=NOTE_MAX, message=f"Tối đa {NOTE_MAX} ký tự.")])

    def validate_year(self, field):
        if field.errors:  # malformed: its message is already there
            return
        last = last_year_allowed()
        if field.data is None or not FIRST_YEAR <= field.data <= last:
            raise ValidationError(f"Năm đánh giá phải từ {FIRST_YEAR} đến {last}.")

    def evaluation_data(self) -> dict:
        return {"year": self.year.data, "rating": EvaluationRating(self.rating.data),
                "note": self.note.data}
