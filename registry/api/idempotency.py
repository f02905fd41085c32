"""Idempotency-Key on POST: the first answer to a (token, key) is kept and replayed for the same
request; the same key on a different request is refused. Put `@idempotent` right below
`@blp.route(...)`, above flask-smorest's `arguments`/`response` (it wraps the finished Response)."""
from __future__ import annotations

import functools
import hashlib

import sqlalchemy as sa
from flask import make_response, request

from models import IdempotencyKey, db
from registry.api.auth import current_token
from registry.core.errors import render_error

HEADER = "Idempotency-Key"
KEPT_HEADERS = ("Content-Type", "Location", "ETag")


def _request_hash() -> str:
    body = request.get_data(cache=True) or b""
    return hashlib.sha256(request.method.encode() + b" " + request.full_path.encode()
                          + b"\n" + body).hexdigest()


def _replay(row: IdempotencyKey):
    response = make_response(row.body, row.status_code)
    for name, value in (row.headers or {}).items():
        response.headers[name] = value
    response.headers["Idempotent-Replayed"] = "true"
    return response


def idempotent(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        key, token = request.headers.get(HEADER), current_token()
        if key is None or token is None:
            return view(*args, **kwargs)
        if not 1 <= len(key) <= 200:
            return render_error(400, f"Tiêu đề {HEADER} phải dài từ 1 đến 200 ký tự.")
        digest = _request_hash()
        row = db.session.execute(sa.select(IdempotencyKey).where(
            IdempotencyKey.token_id == token.id, IdempotencyKey.key == key)).scalar_one_or_none()
        if row is not None:
            if row.request_hash != digest:
                return render_error(422, f"{HEADER} «{key[:40]}» đã dùng cho một yêu cầu khác.")
            return _replay(row)
        response = make_response(view(*args, **kwargs))
        if response.status_code < 500:
            _keep(token.id, key, digest, response)
        return response
    return wrapper


def _keep(token_id: int, key: str, digest: str, response) -> None:
    headers = {h: response.headers[h] for h in KEPT_HEADERS if h in response.headers}
    db.session.add(IdempotencyKey(token_id=token_id, key=key, request_hash=digest,
                                  status_code=response.status_code,
                                  body=response.get_data(as_text=True), headers=headers))
    try:
        db.session.commit()
    except sa.exc.IntegrityError:  # the same key sent twice at once: the first one is kept
        db.session.rollback()


def describe() -> dict:
    """The header's OpenAPI parameter, for `@blp.doc(parameters=[...])`."""
    return {"in": "header", "name": HEADER, "required": False,
            "schema": {"type": "string", "maxLength": 200},
            "description": "Gửi lại cùng khóa thì nhận lại đúng câu trả lời cũ, không tạo thêm."}



