"""Choices for the template's drop-down lists, within the uploader's scope."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from models import RefItem, UnitKind
from registry.core import access


def template_lists(s: Session) -> dict[str, list[str]]:
    units = s.execute(access.visible_units()).scalars().all()
    ref = lambda kind: s.execute(sa.select(RefItem.name).where(RefItem.kind == kind)  # noqa: E731
                                 .order_by(RefItem.ordinal)).scalars().all()
    return {
        "gender": ["Nam", "Nữ"],
        "ethnicity": ref("ethnicity"),
        "religion": ref("religion"),
        "role": ["BCV", "TTV"],
        "level": ["Xã", "Huyện", "Tỉnh"],
        "district": sorted({u.name for u in units if u.kind is UnitKind.HUYEN}),
        "unit": [u.name for u in units if u.kind is UnitKind.XA and u.valid_to is None],
        "political_theory": ref("political_theory"),
    }
