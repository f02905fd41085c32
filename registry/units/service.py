"""The unit tree: add, end-date and merge units (never rename or delete), and counts per unit."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from models import Appointment, EndReason, Person, Role, Unit, UnitFormerParent, UnitKind, db
from registry.core import access
from registry.core.rules import RuleViolation
from registry.roster.persons import transfer
from registry.units.tree import UnitTree


def add_unit(name: str, kind: UnitKind, parent: Unit | None, *, gso_code: str | None = None,
             type_label: str | None = None, valid_from: dt.date | None = None) -> Unit:
    if parent is not None:
        access.require_write(parent)
    unit = Unit(name=name.strip(), kind=kind, parent=parent, gso_code=gso_code or None,
                type_label=type_label, valid_from=valid_from, path="")
    db.session.add(unit)
    db.session.flush()
    unit.path = (parent.path if parent else "/") + f"{unit.id}/"
    db.session.flush()
    return unit


def end_unit(unit: Unit, valid_to: dt.date) -> Unit:
    access.require_write(unit)
    if unit.valid_from and valid_to < unit.valid_from:
        raise RuleViolation("valid_to", "Ngày kết thúc không được trước ngày hiệu lực.")
    if unit.valid_to is not None:
        raise RuleViolation("valid_to", "Đơn vị này đã hết hiệu lực trước đó.")
    unit.valid_to = valid_to
    db.session.flush()
    return unit


def merge_units(olds: list[Unit], successor: Unit, day: dt.date) -> int:
    """Merge `olds` into `successor` from `day`; returns how many appointments moved.

    Old units end the day before; their active appointments end with reason
    "do sắp xếp tổ chức bộ máy" and start again in the successor; their child units
    are re-attached under the successor.
    """
    if not olds:
        raise RuleViolation("units", "Chọn ít nhất một đơn vị để sáp nhập.")
    if successor in olds:
        raise RuleViolation("successor", "Đơn vị kế thừa không được là đơn vị bị sáp nhập.")
    moved = 0
    for old in olds:
        access.require_write(old)
        if old.valid_to is not None and old.valid_to < day:
            raise RuleViolation("units", f"Đơn vị «{old.name}» đã hết hiệu lực trước ngày này.")
        if successor.path.startswith(old.path):
            raise RuleViolation(
                "successor", "Đơn vị kế thừa không được nằm trong đơn vị bị sáp nhập."
            )
        moved += _move_people(old, successor, day)
        _reparent_children(old, successor, day)
        old.valid_to = day - dt.timedelta(days=1)
        old.successors.append(successor)
    db.session.flush()
    return moved


def _move_people(old: Unit, successor: Unit, day: dt.date) -> int:
    people = (
        db.session.execute(
            sa.select(Person).where(
                Person.id.in_(
                    sa.select(Appointment.person_id).where(
                        Appointment.unit_id == old.id, Appointment.active_on_clause(day)
                    )
                )
            )
        )
        .scalars()
        .all()
    )
    moved = 0
    for person in people:
        moved += len(transfer(person, successor, day, EndReason.SAP_XEP))
    for person in db.session.execute(sa.select(Person).where(Person.unit_id == old.id)).scalars():
        person.unit = successor
    return moved


def _reparent_children(old: Unit, successor: Unit, day: dt.date) -> None:
    """Valid children move under the successor from `day`; their former parent is kept so that
    a report as of an earlier date still finds them where they were."""
    for child in list(old.children):
        if child.valid_to is None:
            db.session.add(
                UnitFormerParent(
                    unit_id=child.id, parent_id=old.id, until=day - dt.timedelta(days=1)
                )
            )
            _set_parent(child, successor)


def _set_parent(unit: Unit, parent: Unit) -> None:
    old_prefix = unit.path
    unit.parent = parent
    unit.path = parent.path + f"{unit.id}/"
    for sub in db.session.execute(
        sa.select(Unit).where(Unit.path.startswith(old_prefix), Unit.id != unit.id)
    ).scalars():
        sub.path = unit.path + sub.path[len(old_prefix) :]


@dataclass
class UnitRow:
    unit: Unit
    depth: int
    bcv: int
    ttv: int
    subtree_ttv: int
    lacks_ttv: bool


def active_counts(day: dt.date) -> dict[tuple[int, Role], int]:
    """Active appointments per (unit, role) on `day`, within the current scope."""
    stmt = (
        sa.select(Appointment.unit_id, Appointment.role, sa.func.count())
        .where(Appointment.active_on_clause(day))
        .group_by(Appointment.unit_id, Appointment.role)
    )
    return {(u, r): n for u, r, n in db.session.execute(stmt)}


def tree_rows(day: dt.date | None = None, *, include_ended: bool = False,
              root: Unit | None = None) -> list[UnitRow]:
    """Visible units (of `root`'s subtree when given) in the tree as it stood on `day` (today
    when None), with active BCV/TTV counts; grassroots units lacking a TTV anywhere below them
    are flagged."""
    day = day or dt.date.today()
    tree = UnitTree(day)
    units = {u.id: u for u in db.session.execute(access.visible_units()).scalars()}
    shown = None if include_ended else day
    tops = [root.id] if root is not None else [
        i for i in units if tree.parent.get(i) not in units]
    counts = active_counts(day)
    rows: list[UnitRow] = []
    for top in sorted(tops):
        if top in units and (include_ended or units[top].is_valid_on(day)):
            _subtree_rows(tree, units, top, shown, counts, rows)
    return rows


def _subtree_rows(tree: UnitTree, units: dict[int, Unit], top: int, day: dt.date | None,
                  counts: dict, rows: list[UnitRow]) -> None:
    """Rows of `top`'s subtree in tree order (depth-first), each TTV count of its subtree."""
    first = len(rows)
    stack = [(top, 0)]
    while stack:
        unit_id, depth = stack.pop()
        unit = units.get(unit_id)
        if unit is None:
            continue
        rows.append(UnitRow(unit, depth, counts.get((unit_id, Role.BCV), 0),
                            counts.get((unit_id, Role.TTV), 0), 0, False))
        stack.extend((n.id, depth + 1) for n in reversed(tree.children(unit_id, day)))
    below = 0  # TTV of the rows after this one at a greater depth (a suffix sum per depth)
    pending: list[tuple[int, int]] = []  # (depth, running TTV) of the ancestors still open
    for row in reversed(rows[first:]):
        below = row.ttv
        while pending and pending[-1][0] > row.depth:
            below += pending.pop()[1]
        row.subtree_ttv = below
        row.lacks_ttv = row.unit.kind in (UnitKind.XA, UnitKind.THON) and below == 0
        pending.append((row.depth, below))


def writable_unit_choices(day: dt.date | None = None) -> list[tuple[int, str]]:
    """(id, indented name) of the units the actor may assign people to, valid today."""
    day = day or dt.date.today()
    # Columns, not Unit objects: every form and list page shows this select.
    units = db.session.execute(
        access.visible_units()
        .with_only_columns(Unit.id, Unit.name, Unit.path)
        .where(
            sa.or_(Unit.valid_from.is_(None), Unit.valid_from <= day),
            sa.or_(Unit.valid_to.is_(None), Unit.valid_to >= day),
        )
    ).all()
    depth = {u.id: u.path.count("/") for u in units}
    base = min(depth.values(), default=0)
    return [(u.id, "\u2003" * (depth[u.id] - base) + u.name) for u in units]
