"""The API's extension: flask-smorest's Api without its app-wide error handlers (the app's own
answer in JSON under /api/, registry.core.errors), its document at /api/v1/openapi.json."""
from __future__ import annotations

from flask_smorest import Api as _Api

from registry.core.errors import API_PREFIX, render_error

API_CONFIG = {
    "API_TITLE": "Sổ đội ngũ API",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api/v1",
    "OPENAPI_JSON_PATH": "openapi.json",
    "API_RATE_PER_MINUTE": 600,
    "API_SPEC_OPTIONS": {
        "info": {"description": "Dữ liệu đội ngũ báo cáo viên, tuyên truyền viên; mỗi khóa "
                                "truy cập chỉ thấy và sửa được những gì tài khoản của nó thấy "
                                "trên web."},
        "components": {"securitySchemes": {
            "token": {"type": "http", "scheme": "bearer",
                      "description": "Khóa truy cập cá nhân (sdn_…), tạo ở trang Tài khoản "
                                     "hoặc bằng `flask create-token`."}}},
        "security": [{"token": []}],
    },
}


class Api(_Api):
    def _register_error_handlers(self):
        """None: the app answers every error itself, as JSON under /api/."""


class _BlindToApi:
    """Mixed into the app's session interface: under /api/ the cookie's session is never
    opened nor written (a fresh empty one instead), so no cookie, a live or a logged-out one,
    takes part in an API call; Flask-Login's session protection cannot refuse a token either."""

    def open_session(self, app, request):
        if request.path.startswith(API_PREFIX):
            blind = self.session_class()
            blind.api_blind = True
            return blind
        return super().open_session(app, request)

    def save_session(self, app, session, response):
        if getattr(session, "api_blind", False):
            return None
        return super().save_session(app, session, response)


def init_app(app) -> None:
    from registry.api import auth, docs, messages, resources
    from registry.auth.views import csrf, login_manager

    for key, value in API_CONFIG.items():
        app.config.setdefault(key, value)
    base = type(app.session_interface)
    app.session_interface = type(f"Api{base.__name__}", (_BlindToApi, base), {})()
    api = Api(app)  # one per app: a test process makes many apps
    app.extensions["sodoingu_api"] = api
    login_manager.request_loader(auth.load_user)

    @app.errorhandler(422)
    def _unprocessable(exc):
        data = getattr(exc, "data", None) or {}
        if "messages" not in data:  # flask_smorest.abort(422, message=…, errors=…), refuse()
            return render_error(422, data.get("message") or "Một số trường không hợp lệ.",
                                data.get("errors"))
        return render_error(422, "Một số trường không hợp lệ.", messages.field_errors(exc))

    for blp in resources.blueprints():
        csrf.exempt(blp)
        if auth.before_api_request not in blp.before_request_funcs.get(None, []):
            blp.before_request(auth.before_api_request)  # blueprints are module-level: once
        api.register_blueprint(blp, url_prefix=f"/api/v1{blp.url_prefix or ''}")
    app.register_blueprint(docs.bp)


def current_api() -> Api:
    """The Api of the running app (its spec is the document /api/v1/openapi.json serves)."""
    from flask import current_app

    return current_app.extensions["sodoingu_api"]
