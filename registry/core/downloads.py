"""Every download of personal data leaves a security event: what, filters, rows, file name."""
from __future__ import annotations

from models import db
from registry.core.audit import security_event


def record_download(what: str, filters: dict | None, rows: int | None, filename: str) -> None:
    """Record that the logged-in user is downloading `filename` (`what`: the kind of list,
    `filters`: the query that chose the rows, `rows`: how many; None when the file has no
    count of its own) and commit it: a GET otherwise commits nothing, and the record must stay
    even when the client drops the connection before the file arrives."""
    details = {"what": what, "filters": _plain(filters or {}), "rows": rows, "file": filename}
    security_event(db.session, "export", details)
    db.session.commit()


def _plain(filters: dict) -> dict:
    # Query strings give MultiDicts and lists; the audit column stores JSON.
    return {str(k): (v if isinstance(v, (str, int, float, bool, type(None))) else str(v))
            for k, v in filters.items() if v not in ("", None)}
