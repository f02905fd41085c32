"""The decider's two forms: approve from a date, or reject with a reason. Both carry the
version the page was read at (a stale page is refused, registry/transfers/service.py)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField
from wtforms.validators import InputRequired, Length

from registry.core.fields import VNDateField, required


class _Decision(FlaskForm):
    version = HiddenField()

    def expected_version(self) -> int:
        """The version the form was read at; -1 (never a version) for anything else."""
        try:
            return int(self.version.data)
        except (TypeError, ValueError):
            return -1


class ApproveForm(_Decision):
    transfer_date = VNDateField(
        "Ngày chuyển công tác (bắt đầu ở đơn vị mới)",
        validators=[required("Vui lòng nhập ngày chuyển công tác.")], not_future=True)


class RejectForm(_Decision):
    reason = TextAreaField("Lý do từ chối", validators=[
        InputRequired("Vui lòng nhập lý do từ chối."),
        Length(max=2000, message="Lý do dài quá 2.000 ký tự.")])
