"""File-level errors of the importer: a code for programs, a Vietnamese message for people."""
from __future__ import annotations

from dataclasses import dataclass

# code -> default Vietnamese message (callers may pass a more specific one).
MESSAGES: dict[str, str] = {
    "not_a_spreadsheet": "Tệp tải lên không phải bảng tính Excel (.xlsx, .xls) hoặc CSV.",
    "corrupt_file": "Tệp Excel bị hỏng hoặc tải lên chưa trọn vẹn; hãy mở bằng Excel, lưu lại "
    "rồi tải lên lại.",
    "encrypted": "Tệp đang được đặt mật khẩu; hãy gỡ mật khẩu trong Excel rồi tải lên lại.",
    "too_large": "Tệp quá lớn để nhập.",
    "empty_workbook": "Tệp không có dữ liệu (các trang tính đều trống).",
    "no_header": "Không tìm thấy dòng tiêu đề của danh sách (cần có cột «Họ và tên» và ít nhất "
    "hai cột khác như «Ngày sinh», «Giới tính», «Đơn vị»…) trong 40 dòng đầu.",
    "no_data_rows": "Đã tìm thấy dòng tiêu đề nhưng bên dưới không có dòng dữ liệu nào.",
}


@dataclass(frozen=True, slots=True)
class FileError:
    """Why a whole upload was rejected."""

    code: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


class ImportFileError(Exception):
    """Raised inside the reading stages; the pipeline turns it into a FileError."""

    def __init__(self, code: str, message: str | None = None) -> None:
        super().__init__(code)
        self.error = FileError(code, message or MESSAGES.get(code, MESSAGES["corrupt_file"]))


def file_error(code: str, message: str | None = None) -> FileError:
    return FileError(code, message or MESSAGES.get(code, MESSAGES["corrupt_file"]))


def reader_panicked(exc: BaseException) -> bool:
    """python-calamine's Rust reader panics on some damaged files (a .xls cut inside its sector
    table). pyo3 raises that as PanicException: a BaseException, so no `except Exception` sees it,
    and a class no module exports, so it is known by name. It means: a damaged file."""
    kind = type(exc)
    return kind.__name__ == "PanicException" and kind.__module__ == "pyo3_runtime"
