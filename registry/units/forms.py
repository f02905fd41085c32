"""Forms for the unit tree (admin only) and for villages added under a commune (its officers)."""
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import StringField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

from models import UnitKind
from registry.core.fields import (
    CheckboxListWidget,
    CodeSelectField,
    MultiCodeSelectField,
    VNDateField,
    not_blank,
    required,
)
from registry.units.types import kind_of, type_choices, unit_type


class UnitForm(FlaskForm):
    name = StringField(
        "Tên đơn vị", validators=[not_blank("Vui lòng nhập tên đơn vị."), Length(max=200)]
    )
    type_label = CodeSelectField("Loại (xã, phường, huyện, tỉnh…)", choices=type_choices(),
                                 blank="— theo chữ đầu tên —")
    kind = CodeSelectField("Cấp đơn vị", choices=UnitKind.choices(), blank="— theo loại —")
    # No parent: a root unit, such as a province added by hand.
    parent_id = CodeSelectField("Đơn vị cấp trên", blank="— không có (đơn vị gốc, như tỉnh) —")
    gso_code = StringField("Mã đơn vị hành chính", validators=[Length(max=10)])
    valid_from = VNDateField("Hiệu lực từ ngày")

    def validate_kind(self, field):
        if not field.data and not kind_of(unit_type(self.name.data or "", self.type_label.data)):
            raise ValidationError("Vui lòng chọn cấp đơn vị hoặc loại đơn vị.")

    def unit_kind(self) -> UnitKind:
        """The chosen level, else the level of the type (chosen or read from the name)."""
        return UnitKind.parse(self.kind.data) or kind_of(self.unit_type())

    def unit_type(self) -> str | None:
        return unit_type(self.name.data or "", self.type_label.data)


class EndUnitForm(FlaskForm):
    valid_to = VNDateField(
        "Hết hiệu lực từ ngày (ngày cuối cùng)", validators=[InputRequired("Vui lòng nhập ngày.")]
    )


class MergeForm(FlaskForm):
    units = MultiCodeSelectField("Các đơn vị bị sáp nhập", widget=CheckboxListWidget(),
                                 validators=[required("Chọn ít nhất một đơn vị bị sáp nhập.")])
    successor_id = CodeSelectField("Đơn vị kế thừa (có sẵn)")
    new_name = StringField("…hoặc tên đơn vị mới", validators=[Length(max=200)])
    new_type = CodeSelectField("Loại của đơn vị mới", choices=type_choices(),
                               blank="— theo chữ đầu tên —")
    day = VNDateField(
        "Sáp nhập từ ngày", validators=[InputRequired("Vui lòng nhập ngày sáp nhập.")]
    )

    def validate_new_name(self, field):
        if not self.successor_id.data and not (field.data or "").strip():
            raise ValidationError("Chọn đơn vị kế thừa có sẵn hoặc nhập tên đơn vị mới.")
        if self.successor_id.data and (field.data or "").strip():
            raise ValidationError("Chỉ chọn một trong hai: đơn vị có sẵn hoặc tên mới.")


class VillagesForm(FlaskForm):
    names = TextAreaField("Tên thôn, tổ dân phố (mỗi dòng một tên)",
                          render_kw={"rows": 12,
                                     "placeholder": "Thôn 1\nLàng Kon Klor\nTổ dân phố 3"})
    file = FileField("…hoặc tệp Excel .xlsx (cột đầu tiên là tên; có thể có dòng tiêu đề)")
    valid_from = VNDateField("Hiệu lực từ ngày (để trống: hôm nay)")

    def validate_names(self, field):
        has_file = bool(self.file.data and getattr(self.file.data, "filename", ""))
        if not (field.data or "").strip() and not has_file:
            raise ValidationError("Dán danh sách tên hoặc chọn một tệp .xlsx.")


class ConfirmVillagesForm(FlaskForm):
    """The preview's confirm button: the names ride along as repeated hidden `name` fields."""

    valid_from = VNDateField("Hiệu lực từ ngày")
