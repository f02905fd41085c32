"""GET /api/v1/docs: the API's OpenAPI document as a page of the app's own (no CDN, no Swagger
UI): the operations grouped by tag, with their parameters, bodies, answers and a curl example,
then the schemas they name."""
from __future__ import annotations

import json

from flask import Blueprint, render_template, request

from registry.api.setup import current_api

bp = Blueprint("api_docs", __name__)
METHODS = ("get", "post", "put", "patch", "delete")
# The document's standard answers (flask-smorest writes them in English), said in Vietnamese.
STATUS_WORDS = {
    "200": "Thành công", "201": "Đã tạo", "204": "Đã xong, không có nội dung",
    "304": "Không đổi (ETag khớp)", "400": "Yêu cầu sai",
    "401": "Thiếu khóa hoặc khóa không dùng được",
    "403": "Không được phép", "404": "Không tìm thấy (hoặc ngoài phạm vi)",
    "409": "Xung đột: dữ liệu đã đổi", "412": "ETag không khớp (If-Match)",
    "422": "Dữ liệu không hợp lệ", "428": "Thiếu If-Match", "429": "Quá giới hạn yêu cầu",
    "default": "Lỗi khác",
}


@bp.route("/api/v1/docs", endpoint="page")
def page():
    spec = current_api().spec.to_dict()
    return render_template("api/docs.html", spec=spec, tags=_operations(spec),
                           schemas=spec.get("components", {}).get("schemas", {}),
                           base=request.host_url.rstrip("/"))


def _operations(spec: dict) -> list[dict]:
    """[{name, description, operations: [{method, path, summary, ..., curl}]}] in the document's
    tag order (untagged operations last, under "Khác")."""
    described = {t["name"]: t.get("description", "") for t in spec.get("tags", [])}
    groups: dict[str, list[dict]] = {name: [] for name in described}
    for path, item in spec.get("paths", {}).items():
        shared = item.get("parameters", [])
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            entry = {"method": method.upper(), "path": path, "op": op,
                     "parameters": [_resolve(spec, p) for p in shared + op.get("parameters", [])],
                     "body": _body(op), "responses": _responses(spec, op)}
            entry["curl"] = _curl(entry)
            for tag in op.get("tags") or ["Khác"]:
                groups.setdefault(tag, []).append(entry)
    return [{"name": name, "description": described.get(name, ""), "operations": ops}
            for name, ops in groups.items() if ops]


def _resolve(spec: dict, obj: dict) -> dict:
    ref = obj.get("$ref") if isinstance(obj, dict) else None
    if not ref:
        return obj
    node = spec
    for part in ref.lstrip("#/").split("/"):
        node = node.get(part, {})
    return node


def _body(op: dict) -> dict | None:
    content = (op.get("requestBody") or {}).get("content") or {}
    for media, value in content.items():
        return {"media": media, "schema": value.get("schema", {}),
                "required": op["requestBody"].get("required", False)}
    return None


def _responses(spec: dict, op: dict) -> list[dict]:
    out = []
    for code, resp in (op.get("responses") or {}).items():
        resp = _resolve(spec, resp)
        content = resp.get("content") or {}
        media, schema = next(((m, v.get("schema")) for m, v in content.items()), (None, None))
        words = STATUS_WORDS.get(code, resp.get("description", ""))
        out.append({"code": code, "description": words, "media": media, "schema": schema})
    return sorted(out, key=lambda r: (r["code"] == "default", r["code"]))


def _curl(entry: dict) -> str:
    path = entry["path"]
    for p in entry["parameters"]:
        if p.get("in") == "path":
            path = path.replace("{" + p["name"] + "}", "1")
    parts = ["curl"]
    if entry["method"] != "GET":
        parts.append(f"-X {entry['method']}")
    parts.append('-H "Authorization: Bearer $SDN_TOKEN"')
    body = entry["body"]
    if body and body["media"] == "application/json":
        parts.append("-H 'Content-Type: application/json'")
        parts.append("-d '" + json.dumps(_example(body["schema"]), ensure_ascii=False) + "'")
    elif body and body["media"] == "multipart/form-data":
        parts.append("-F file=@danh-sach.xlsx")
    if entry["method"] == "POST":
        parts.append('-H "Idempotency-Key: $(uuidgen)"')
    if entry["method"] in ("PUT", "PATCH", "DELETE"):
        parts.append("-H 'If-Match: \"<ETag của lần GET>\"'")
    parts.append(f'"$SDN_URL{path}"')
    return " \\\n  ".join(parts)


def _example(schema: dict) -> dict:
    """A placeholder body naming the required fields (or all fields) of a body schema."""
    ref = schema.get("$ref", "")
    component = current_api().spec.to_dict().get("components", {}).get("schemas", {}).get(
        ref.rsplit("/", 1)[-1], schema) if ref else schema
    props = component.get("properties", {})
    names = component.get("required") or list(props)
    return {name: _placeholder(props.get(name, {})) for name in names[:6]}


def _placeholder(prop: dict):
    kind, fmt = prop.get("type"), prop.get("format")
    if fmt == "date":
        return "2025-07-01"
    if kind == "integer":
        return 1
    if kind == "boolean":
        return False
    if kind == "array":
        return []
    return "…"
