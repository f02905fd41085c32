from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField
from wtforms.validators import ValidationError

from registry.core.fields import CodeSelectField, required


class UploadForm(FlaskForm):
    file = FileField("Tệp danh sách (.xlsx, .xls, .csv)")
    unit_id = CodeSelectField("Đơn vị tải lên",
                              validators=[required("Vui lòng chọn đơn vị tải lên.")])

    def validate_file(self, field):
        if not field.data or not getattr(field.data, "filename", ""):
            raise ValidationError("Vui lòng chọn tệp cần nhập.")


class ConfirmImportForm(FlaskForm):
    all_or_nothing = BooleanField("Chỉ nhập khi tất cả các dòng đều hợp lệ (tất cả hoặc không)")
