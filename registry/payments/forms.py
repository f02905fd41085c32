"""Forms for rates and payments."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField
from wtforms.validators import InputRequired, Length, ValidationError

from models import Level, PaymentKind, Role
from registry.core.fields import (
    CodeSelectField,
    MoneyField,
    MonthField,
    PositiveIntField,
    VNDateField,
    required,
)


class RateForm(FlaskForm):
    role = CodeSelectField("Vai trò", choices=Role.choices(),
                           validators=[required("Vui lòng chọn vai trò.")])
    level = CodeSelectField("Cấp", choices=Level.choices(),
                            validators=[required("Vui lòng chọn cấp.")])
    kind = CodeSelectField("Loại chế độ", choices=PaymentKind.choices(),
                           validators=[required("Vui lòng chọn loại chế độ.")])
    amount = MoneyField("Mức (đồng)", validators=[InputRequired("Vui lòng nhập số tiền.")])
    valid_from = VNDateField("Áp dụng từ ngày",
                             validators=[InputRequired("Vui lòng nhập ngày áp dụng.")])
    valid_to = VNDateField("Đến hết ngày (để trống nếu còn hiệu lực)")
    basis = StringField("Văn bản căn cứ", validators=[Length(max=300)],
                        render_kw={"placeholder": "Nghị quyết số …/NQ-HĐND"})
    note = StringField("Ghi chú", validators=[Length(max=300)])

    def validate_valid_to(self, field):
        if field.data and self.valid_from.data and field.data < self.valid_from.data:
            raise ValidationError("Ngày hết hiệu lực không được trước ngày bắt đầu.")

    def rate_data(self) -> dict:
        return {"role": Role(self.role.data), "level": Level(self.level.data),
                "kind": PaymentKind(self.kind.data), "amount": self.amount.data,
                "valid_from": self.valid_from.data, "valid_to": self.valid_to.data,
                "basis": self.basis.data, "note": self.note.data}


class PaymentEditForm(FlaskForm):
    amount = MoneyField("Số tiền (đồng)", validators=[InputRequired("Vui lòng nhập số tiền.")])
    sessions = PositiveIntField("Số buổi", maximum=1000)
    basis = StringField("Căn cứ", validators=[Length(max=300)])
    paid_date = VNDateField("Ngày chi", not_future=True)
    note = StringField("Ghi chú", validators=[Length(max=300)])

    def payment_data(self) -> dict:
        keys = ("amount", "sessions", "basis", "paid_date", "note")
        return {k: getattr(self, k).data for k in keys}


class PaymentForm(PaymentEditForm):
    """A payment entered by hand (e.g. a one-off hỗ trợ)."""

    kind = CodeSelectField("Loại chế độ", choices=PaymentKind.choices(),
                           validators=[required("Vui lòng chọn loại chế độ.")])
    period = MonthField("Tháng", validators=[InputRequired("Vui lòng nhập tháng.")])
    unit_id = CodeSelectField("Đơn vị chi trả", validators=[required("Vui lòng chọn đơn vị.")])

    def payment_data(self) -> dict:
        return super().payment_data() | {"kind": PaymentKind(self.kind.data),
                                          "period": self.period.data}


class PaidForm(FlaskForm):
    paid_date = VNDateField("Ngày chi", not_future=True,
                            validators=[InputRequired("Vui lòng nhập ngày chi.")])


class GenerateForm(FlaskForm):
    token = HiddenField()
