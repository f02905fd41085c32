"""The form of a session given by several presenters, entered once."""
from __future__ import annotations

from wtforms import TextAreaField
from wtforms.validators import Length

from models import DeliveryForm
from registry.core.fields import not_blank
from registry.records.forms import ActivityForm


class SessionForm(ActivityForm):
    # Each presenter's capacity is their own appointment on the day, found by the service.
    appointment_id = None
    presenters = TextAreaField(
        "Người báo cáo (mỗi người một dòng)",
        validators=[not_blank("Vui lòng ghi tên những người báo cáo."),
                    Length(max=6000, message="Danh sách quá dài.")],
        render_kw={"rows": 6, "placeholder": "Nguyễn Văn A\nY Blô (Xã Đắk La)"})

    def record_data(self) -> dict:
        data = {k: getattr(self, k).data for k in ("date", "topic", "place", "audience", "notes")}
        data["form"] = DeliveryForm(self.form.data)
        return data
