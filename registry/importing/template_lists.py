"""Choices for the template's drop-down lists, within the uploader's scope."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session

from models import Appointment, RefItem, UnitKind
from registry.core import access

# Terms offered in the template (other text is allowed): the current and the previous one.
TERMS = ["2025-2030", "2020-2025"]


def template_lists(s: Session) -> dict[str, list[str]]:
    today = dt.date.today()
    units = [u for u in s.execute(access.visible_units()).scalars() if u.is_valid_on(today)]
    districts = sorted({u.name for u in units if u.kind is UnitKind.HUYEN})
    ref = lambda kind: s.execute(sa.select(RefItem.name).where(RefItem.kind == kind)  # noqa: E731
                                 .order_by(RefItem.ordinal)).scalars().all()
    return {
        "gender": ["Nam", "Nữ"],
        "ethnicity": ref("ethnicity"),
        "religion": ref("religion"),
        "role": ["BCV", "TTV"],
        # Today's tree has no districts (01-7-2025): neither a district column nor cấp huyện to
        # offer; a registry still on the legacy tree keeps both until it is reorganised.
        "level": ["Xã", "Huyện", "Tỉnh"] if districts else ["Xã", "Tỉnh"],
        "district": districts,
        "unit": [u.name for u in units if u.kind is UnitKind.XA],
        "political_theory": ref("political_theory"),
        "decision_body": decision_bodies(s),
        "term": TERMS,
    }


def decision_bodies(s: Session, limit: int = 200) -> list[str]:
    """The bodies already named on the appointments the uploader sees, most used first: the
    template suggests them so that one body is written one way."""
    count = sa.func.count(Appointment.id)
    stmt = (sa.select(Appointment.decision_body).where(Appointment.decision_body.is_not(None))
            .group_by(Appointment.decision_body).order_by(count.desc(), Appointment.decision_body)
            .limit(limit))
    return list(s.execute(stmt).scalars())
