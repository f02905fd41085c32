"""The form of an exemplary model (mô hình hay, điển hình tiên tiến)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import Length

from registry.core.fields import (
    CodeSelectField,
    MultiCodeSelectField,
    PositiveIntField,
    VNDateField,
    not_blank,
    required,
)


class ExemplaryForm(FlaskForm):
    name = StringField("Tên mô hình, điển hình", validators=[
        not_blank("Vui lòng nhập tên mô hình."), Length(max=300, message="Tối đa 300 ký tự.")])
    unit_id = CodeSelectField("Đơn vị", validators=[required("Vui lòng chọn đơn vị.")])
    field = StringField("Lĩnh vực", validators=[Length(max=200, message="Tối đa 200 ký tự.")],
                        render_kw={"placeholder": "Tuyên truyền miệng ở cơ sở; dân vận khéo…",
                                   "list": "fields-in-use"})
    year = PositiveIntField("Năm công nhận", maximum=9999)
    decision_no = StringField("Số quyết định công nhận",
                              validators=[Length(max=100, message="Tối đa 100 ký tự.")])
    decision_date = VNDateField("Ngày quyết định", not_future=True)
    recognised_by = StringField("Cơ quan công nhận",
                                validators=[Length(max=200, message="Tối đa 200 ký tự.")])
    person_ids = MultiCodeSelectField("Người thực hiện (giữ Ctrl để chọn nhiều người)")
    description = TextAreaField("Mô tả, kết quả", validators=[
        Length(max=8000, message="Tối đa 8000 ký tự.")])

    def model_data(self) -> dict:
        return {k: getattr(self, k).data for k in (
            "name", "field", "year", "decision_no", "decision_date", "recognised_by",
            "description")}

    def chosen_ids(self) -> list[int]:
        return [int(v) for v in self.person_ids.data if str(v).isdigit()]
