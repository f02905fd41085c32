"""Posting a bulk decision the way the roster's bar and the preview page do."""
from __future__ import annotations

import re

import sqlalchemy as sa

from models import db


def count(model, **where) -> int:
    stmt = sa.select(sa.func.count()).select_from(model).execution_options(unscoped=True)
    for key, value in where.items():
        stmt = stmt.where(getattr(model, key) == value)
    return db.session.execute(stmt).scalar()


def selection(people=(), **filter_args) -> dict:
    """Form fields of a selection: ticked `people`, or (no people) all of the filter."""
    data = {f"f-{k}": v for k, v in filter_args.items()}
    if people:
        return data | {"person_ids": [str(p.id) for p in people]}
    return data | {"all": "1"}


def preview(client, action: str, sel: dict, **fields):
    return client.post("/bulk/preview", data={"action": action, **sel, **fields})


def stamp_of(html: str) -> str:
    found = re.search(r'name="stamp" value="([0-9a-f]+)"', html)
    assert found, html[:3000]
    return found.group(1)


def decide(client, action: str, sel: dict, **fields):
    """Preview, then confirm with the preview's stamp: the response of the confirmation."""
    page = preview(client, action, sel, **fields)
    assert page.status_code == 200, page.get_data(as_text=True)[:3000]
    stamp = stamp_of(page.get_data(as_text=True))
    return client.post("/bulk/apply", data={"action": action, "stamp": stamp, **sel, **fields})


COMMEND = {"form": "giay_khen", "issuer_level": "huyen", "issuer": "Huyện ủy Đắk Hà",
           "decision_no": "123-QĐ/HU", "decision_date": "15/11/2026", "year": "2026",
           "reason": "Hoàn thành xuất sắc nhiệm vụ"}
