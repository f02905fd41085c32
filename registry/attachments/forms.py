"""Forms of registry.attachments: a scan or certificate, and the portrait photo."""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import StringField
from wtforms.validators import Length

from models import AttachmentKind
from registry.core.fields import CodeSelectField, required

SCAN_KINDS = [(k.value, k.label) for k in AttachmentKind if k is not AttachmentKind.PHOTO]


class AttachmentForm(FlaskForm):
    record = CodeSelectField("Thuộc về", blank="Hồ sơ chung của người này")
    kind = CodeSelectField("Loại tệp", choices=SCAN_KINDS,
                           validators=[required("Vui lòng chọn loại tệp.")])
    title = StringField("Tên, nội dung tệp", render_kw={
        "placeholder": "Ví dụ: Quyết định công nhận báo cáo viên"},
        validators=[Length(max=200, message="Tối đa 200 ký tự.")])
    file = FileField("Tệp (bản chụp, bản quét)")


class PhotoForm(FlaskForm):
    file = FileField("Ảnh chân dung")
