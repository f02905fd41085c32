"""The form of a saved qualification list (named criteria)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField
from wtforms.validators import Length, ValidationError

from models import Level, Role
from registry import refdata
from registry.core.fields import CodeSelectField, PositiveIntField, VNDateField, not_blank
from registry.units.service import writable_unit_choices

PARTY_CHOICES = [("1", "Bắt buộc là đảng viên"), ("0", "Không xét")]
TRAINING_CHOICES = [("0", "Không xét")] + [(str(n), f"Trong {n} tháng gần nhất")
                                           for n in (6, 12, 18, 24, 36)]


class SavedListForm(FlaskForm):
    name = StringField("Tên danh sách", validators=[
        not_blank("Vui lòng đặt tên cho danh sách."), Length(max=200, message="Tối đa 200 ký tự.")])
    role = CodeSelectField("Vai trò", choices=Role.choices(), blank="BCV và TTV")
    level = CodeSelectField("Cấp", choices=Level.choices(), blank="Mọi cấp")
    subtree_unit_id = CodeSelectField("Thuộc đơn vị (gồm đơn vị cấp dưới)",
                                      blank="Toàn bộ phạm vi của người xem")
    min_llct = CodeSelectField("Lý luận chính trị tối thiểu", blank="Theo thiết lập")
    min_professional = CodeSelectField("Chuyên môn tối thiểu", blank="Theo thiết lập")
    party_required = CodeSelectField("Đảng viên", choices=PARTY_CHOICES, blank="Theo thiết lập")
    training_months = CodeSelectField("Đã bồi dưỡng", choices=TRAINING_CHOICES,
                                      blank="Theo thiết lập")
    no_discipline = BooleanField("Không đang trong thời hạn kỷ luật (từ mức theo thiết lập)",
                                 default=True)
    active_on = VNDateField("Đang hoạt động vào ngày (để trống: ngày xem)")
    age_min = PositiveIntField("Tuổi từ", maximum=100)
    age_max = PositiveIntField("Tuổi đến", maximum=100)
    note = StringField("Ghi chú", validators=[Length(max=500, message="Tối đa 500 ký tự.")])

    def fill(self) -> SavedListForm:
        self.subtree_unit_id.choices = writable_unit_choices()
        self.min_llct.choices = refdata.choices("political_theory")
        self.min_professional.choices = refdata.choices("professional")
        return self

    def validate_age_max(self, field):
        if (field.data is not None and self.age_min.data is not None
                and field.data < self.age_min.data):
            raise ValidationError("«Tuổi đến» phải không nhỏ hơn «Tuổi từ».")

    def list_data(self) -> dict:
        party = self.party_required.data
        months = self.training_months.data
        return {"name": self.name.data.strip(), "role": Role.parse(self.role.data),
                "level": Level.parse(self.level.data),
                "subtree_unit_id": int(self.subtree_unit_id.data) if self.subtree_unit_id.data
                else None,
                "min_llct": self.min_llct.data or None,
                "min_professional": self.min_professional.data or None,
                "party_required": None if party is None else party == "1",
                "training_months": None if months is None else int(months),
                "no_discipline": bool(self.no_discipline.data), "active_on": self.active_on.data,
                "age_min": self.age_min.data, "age_max": self.age_max.data,
                "note": (self.note.data or "").strip() or None}

    def load(self, saved) -> None:
        """Show a saved list's values (GET of the edit page)."""
        self.name.data, self.note.data = saved.name, saved.note
        self.role.data = saved.role.value if saved.role else None
        self.level.data = saved.level.value if saved.level else None
        self.subtree_unit_id.data = str(saved.subtree_unit_id) if saved.subtree_unit_id else None
        self.min_llct.data = saved.min_llct
        self.min_professional.data = saved.min_professional
        self.party_required.data = (None if saved.party_required is None
                                    else "1" if saved.party_required else "0")
        self.training_months.data = (None if saved.training_months is None
                                     else str(saved.training_months))
        self.no_discipline.data = saved.no_discipline
        self.active_on.data = saved.active_on
        self.age_min.data, self.age_max.data = saved.age_min, saved.age_max
