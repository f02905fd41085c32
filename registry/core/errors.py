"""Vietnamese error pages for every HTTP error; a 500 rolls the session back."""
from __future__ import annotations

from typing import NoReturn

from flask import abort, has_request_context, jsonify, make_response, render_template, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from models import db
from registry.core.access import AccessDenied

MESSAGES = {
    400: ("Yêu cầu không hợp lệ", "Dữ liệu gửi lên không hợp lệ hoặc biểu mẫu đã hết hạn. "
                                  "Vui lòng tải lại trang và thử lại."),
    401: ("Chưa xác thực", "Cần đăng nhập hoặc khóa truy cập hợp lệ."),
    403: ("Không có quyền", "Bạn không có quyền thực hiện thao tác này."),
    404: ("Không tìm thấy", "Trang hoặc hồ sơ bạn tìm không tồn tại, hoặc nằm ngoài phạm vi "
                            "đơn vị bạn được xem."),
    405: ("Thao tác không hợp lệ", "Phương thức yêu cầu không được hỗ trợ tại địa chỉ này."),
    409: ("Xung đột", "Dữ liệu vừa được người khác thay đổi; hãy tải lại rồi thử lại."),
    412: ("Phiên bản không khớp", "Bản ghi đã thay đổi kể từ lần đọc (If-Match không khớp)."),
    413: ("Tệp quá lớn", "Tệp tải lên vượt quá dung lượng cho phép."),
    422: ("Dữ liệu không hợp lệ", "Một số trường không hợp lệ."),
    428: ("Thiếu If-Match", "Cần gửi tiêu đề If-Match với ETag của bản ghi để sửa."),
    429: ("Quá nhiều yêu cầu", "Bạn đã gửi quá nhiều yêu cầu. Vui lòng thử lại sau."),
    500: ("Lỗi hệ thống", "Đã có lỗi ngoài ý muốn; không có dữ liệu nào bị lưu dở dang. "
                          "Vui lòng thử lại."),
}


API_PREFIX = "/api/"


def render_error(code: int, detail: str | None = None, errors: dict | None = None):
    """The error page, or under /api/ the same words as JSON ({"code", "status", "message",
    and "errors": field → messages when a form-like input was refused})."""
    title, message = MESSAGES.get(code, (f"Lỗi {code}", "Đã có lỗi xảy ra."))
    if has_request_context() and request.path.startswith(API_PREFIX):
        body = {"code": code, "status": title, "message": detail or message}
        if errors:
            body["errors"] = errors
        return jsonify(body), code
    return render_template("errors/error.html", code=code, title=title,
                           message=detail or message), code


def abort_bad_request(detail: str) -> NoReturn:
    """End the request with a 400 page saying `detail`, from a parsing helper deep in a view."""
    abort(make_response(render_error(400, detail)))


def init_app(app) -> None:
    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        if exc.response is not None:  # made for this refusal (the login throttle's 429 page)
            return exc.response
        if isinstance(exc, RequestEntityTooLarge):
            return render_error(413)
        if exc.code == 400 and getattr(exc, "description", "") and "CSRF" in exc.description:
            return render_error(400, "Phiên làm việc của biểu mẫu đã hết hạn hoặc không hợp lệ. "
                                     "Vui lòng tải lại trang rồi gửi lại.")
        data = getattr(exc, "data", None) or {}  # flask_smorest.abort(code, message=...)
        return render_error(exc.code or 500, data.get("message"), data.get("errors"))

    @app.errorhandler(AccessDenied)
    def _denied(_exc):
        db.session.rollback()
        return render_error(403)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        db.session.rollback()
        app.logger.exception("Unhandled error on %s", request.path)
        return render_error(500)
