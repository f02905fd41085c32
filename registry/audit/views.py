"""/audit: the audit trail, filtered and paged, and its xlsx download."""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, render_template, request

from registry.audit import service
from registry.audit import xlsx as audit_xlsx
from registry.core.downloads import record_download
from registry.core.errors import render_error
from registry.exports.download import send_xlsx

bp = Blueprint("audit", __name__)


@bp.route("/audit")
def index():
    f = service.AuditFilter.from_args(request.args)
    page = service.page_of(f)
    return render_template("audit/index.html", f=f, page=page, choices=service.choices(),
                           export_args=f.args()), 400 if f.problems else 200


@bp.route("/audit/export.xlsx")
def export():
    f = service.AuditFilter.from_args(request.args)
    if f.problems:
        return render_error(400, " ".join(f.problems))
    file, count = audit_xlsx.build(f)
    name = audit_xlsx.filename(dt.date.today())
    record_download("Nhật ký thay đổi", f.args(), count, name)
    return send_xlsx(file, name)
