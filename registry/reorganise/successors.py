"""Where an ended unit's people and records go: its default successor."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from models import Unit, UnitKind, db, unit_successors


@dataclass
class Ended:
    """The units ended before a day, each with its successors (default first) and the one its
    people and records go to (None: nowhere known, they stay)."""
    units: dict[int, Unit]
    successors: dict[int, list[Unit]]
    default: dict[int, Unit]

    def is_divided(self, unit_id: int) -> bool:
        return len(self.successors.get(unit_id, ())) > 1


def ended_before(day: dt.date) -> Ended:
    """Every unit ended before `day`, in two queries."""
    units = {u.id: u for u in db.session.execute(
        sa.select(Unit).where(Unit.valid_to < day).order_by(Unit.path)).scalars()}
    successors = _successors(sa.select(Unit.id).where(Unit.valid_to < day))
    return Ended(units, successors, _defaults(list(units.values()), successors))


def default_successor(unit: Unit) -> Unit | None:
    """The default successor of an ended unit: its link marked default, else its first
    successor by GSO code; for a district (no links since 2025) its province's successor."""
    chain = [unit]
    while chain[-1].parent is not None:
        chain.append(chain[-1].parent)
    successors = _successors(sa.select(Unit.id).where(Unit.id.in_([u.id for u in chain])))
    return _defaults(chain, successors).get(unit.id)


def _successors(predecessor_ids: sa.Select) -> dict[int, list[Unit]]:
    rows = db.session.execute(
        sa.select(unit_successors.c.predecessor_id, unit_successors.c.is_default, Unit)
        .join(Unit, Unit.id == unit_successors.c.successor_id)
        .where(unit_successors.c.predecessor_id.in_(predecessor_ids))).all()
    # A divided commune without a marked default lands in its first successor by code.
    rows.sort(key=lambda r: (not r.is_default, r.Unit.gso_code or "", r.Unit.id))
    found: dict[int, list[Unit]] = {}
    for predecessor_id, _default, unit in rows:
        found.setdefault(predecessor_id, []).append(unit)
    return found


def _defaults(units: list[Unit], successors: dict[int, list[Unit]]) -> dict[int, Unit]:
    default = {uid: found[0] for uid, found in successors.items() if found}
    for unit in units:
        if unit.id in default or unit.kind is not UnitKind.HUYEN:
            continue
        # Districts were abolished, not merged: what was theirs goes to the new province.
        parent = unit.parent
        while parent is not None and parent.id not in default:
            parent = parent.parent
        if parent is not None:
            default[unit.id] = default[parent.id]
    return default
