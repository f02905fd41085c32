"""Forms for the unit tree (admin only)."""
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import InputRequired, Length, ValidationError

from models import UnitKind
from registry.core.fields import (
    CodeSelectField,
    MultiCodeSelectField,
    VNDateField,
    not_blank,
    required,
)


class UnitForm(FlaskForm):
    name = StringField(
        "Tên đơn vị", validators=[not_blank("Vui lòng nhập tên đơn vị."), Length(max=200)]
    )
    kind = CodeSelectField("Loại đơn vị", choices=UnitKind.choices(),
                           validators=[required("Vui lòng chọn loại đơn vị.")])
    parent_id = CodeSelectField("Đơn vị cấp trên",
                                validators=[required("Vui lòng chọn đơn vị cấp trên.")])
    gso_code = StringField("Mã đơn vị hành chính (GSO)", validators=[Length(max=10)])
    valid_from = VNDateField("Hiệu lực từ ngày")


class EndUnitForm(FlaskForm):
    valid_to = VNDateField(
        "Hết hiệu lực từ ngày (ngày cuối cùng)", validators=[InputRequired("Vui lòng nhập ngày.")]
    )


class MergeForm(FlaskForm):
    units = MultiCodeSelectField("Các đơn vị bị sáp nhập",
                                 validators=[required("Chọn ít nhất một đơn vị bị sáp nhập.")])
    successor_id = CodeSelectField("Đơn vị kế thừa (có sẵn)")
    new_name = StringField("…hoặc tên đơn vị mới", validators=[Length(max=200)])
    day = VNDateField(
        "Sáp nhập từ ngày", validators=[InputRequired("Vui lòng nhập ngày sáp nhập.")]
    )

    def validate_new_name(self, field):
        if not self.successor_id.data and not (field.data or "").strip():
            raise ValidationError("Chọn đơn vị kế thừa có sẵn hoặc nhập tên đơn vị mới.")
        if self.successor_id.data and (field.data or "").strip():
            raise ValidationError("Chỉ chọn một trong hai: đơn vị có sẵn hoặc tên mới.")
