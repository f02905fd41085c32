"""Response headers that keep pages from being framed, sniffed or fed foreign scripts."""
from __future__ import annotations

from flask import request

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
       "frame-ancestors 'none'")

HSTS = "max-age=31536000; includeSubDomains"


def init_app(app) -> None:
    @app.after_request
    def _headers(resp):
        resp.headers.setdefault("Content-Security-Policy", CSP)
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("X-Frame-Options", "DENY")
        resp.headers.setdefault("Referrer-Policy", "same-origin")
        if request.endpoint != "static":
            # Pages, downloads and suggestions name people: no browser or proxy keeps a copy
            # (send_file's "no-cache" still lets them store one).
            resp.headers["Cache-Control"] = "no-store"
        if app.config["SESSION_COOKIE_SECURE"]:
            # Served over https: browsers must never try plain http for this host again.
            resp.headers.setdefault("Strict-Transport-Security", HSTS)
        return resp
