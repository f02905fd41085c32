"""Forms of registry.documents: a document, its files, the sending criteria, a receipt date."""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from models import DocumentKind, Level, Role
from registry.core.fields import CodeSelectField, VNDateField, not_blank, required


class DocumentForm(FlaskForm):
    kind = CodeSelectField("Loại tài liệu", choices=DocumentKind.choices(),
                           validators=[required("Vui lòng chọn loại tài liệu.")])
    number = StringField("Số, ký hiệu", render_kw={"placeholder": "Ví dụ: 12-TB/BTGDVTU"},
                         validators=[Length(max=100, message="Tối đa 100 ký tự.")])
    issued_on = VNDateField("Ngày ban hành", not_future=True,
                            validators=[InputRequired("Vui lòng nhập ngày ban hành.")])
    unit_id = CodeSelectField("Đơn vị ban hành", validators=[required("Vui lòng chọn đơn vị.")])
    issuer = StringField("Cơ quan ban hành (để trống: theo đơn vị ban hành)",
                         validators=[Length(max=200, message="Tối đa 200 ký tự.")])
    title = StringField("Trích yếu (tên tài liệu)", validators=[
        not_blank("Vui lòng nhập trích yếu (tên tài liệu)."),
        Length(max=300, message="Tối đa 300 ký tự.")])
    summary = TextAreaField("Tóm tắt nội dung",
                            validators=[Length(max=4000, message="Tối đa 4000 ký tự.")])

    def document_data(self) -> dict:
        return {"kind": DocumentKind(self.kind.data), "number": self.number.data,
                "issued_on": self.issued_on.data, "issuer": self.issuer.data,
                "title": self.title.data, "summary": self.summary.data}


class UploadForm(FlaskForm):
    files = MultipleFileField("Tệp đính kèm (PDF, Word, Excel, PowerPoint, ảnh JPEG/PNG)")


class SendForm(FlaskForm):
    """The criteria; the button pressed (`action`: preview or confirm) says what to do."""

    role = CodeSelectField("Vai trò", choices=Role.choices(), blank="BCV và TTV")
    level = CodeSelectField("Cấp", choices=Level.choices(), blank="Mọi cấp")
    unit_id = CodeSelectField("Thuộc đơn vị (cả cấp dưới)", blank="Toàn bộ phạm vi của bạn")
    list_id = CodeSelectField("Trong danh sách đã lưu", blank="— không dùng —")


class ReceiptForm(FlaskForm):
    received_on = VNDateField("Ngày nhận", not_future=True)
