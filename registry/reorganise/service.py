"""Reorganising a registry's data onto the units of 01-7-2025 (`apply`), whether it still needs
that (`status`), and where an ended unit's people go (`default_successor`).

`apply` runs in one savepoint: a dry run is the same run rolled back, so its preview is exactly
what the run will do. The caller commits a real run (the view, or the CLI).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app

from models import Appointment, Level, Reorganisation, Role, Unit, UnitKind, db, unit_successors
from registry import refdata
from registry.core import access
from registry.core.rules import RuleViolation
from registry.refdata import units2025
from registry.reorganise.people import move_people
from registry.reorganise.records import accounts, move_records, place_children
from registry.reorganise.successors import Ended, default_successor, ended_before
from registry.units.catalogue2025 import UnitsNotEmpty, adopt_legacy, loaded_province

__all__ = ["REFORM_DAY", "Status", "apply", "default_successor", "status"]

REFORM_DAY = dt.date(2025, 7, 1)
LISTS = ("units", "moved_units", "unmatched_units", "appointments", "divided", "rerecognise",
         "records", "accounts")


@dataclass
class Status:
    needs_run: bool
    last_run: Reorganisation | None
    reason: str


def apply(day: dt.date, *, actor: str, dry_run: bool = False) -> dict:
    """Move the registry onto the units valid from `day` (see the module); returns the summary.

    :raise AccessDenied: the actor is not an admin.
    :raise RuleViolation: no catalogue fits the registry's units, or not for that day.
    """
    access.require_admin()
    savepoint = db.session.begin_nested()
    try:
        summary = _run(day, actor, dry_run)
    except BaseException:
        savepoint.rollback()
        raise
    if dry_run:
        savepoint.rollback()
    else:
        savepoint.commit()
    return summary


class _RunRow:
    """The Reorganisation row, written only when the run changes something."""

    def __init__(self, day: dt.date, province: str, actor: str):
        self.fields = {"day": day, "province": province, "actor": actor}
        self.row: Reorganisation | None = None

    def get(self) -> Reorganisation:
        if self.row is None:
            self.row = Reorganisation(summary={}, **self.fields)
            db.session.add(self.row)
            db.session.flush()
        return self.row


def _run(day: dt.date, actor: str, dry_run: bool) -> dict:
    province, added, adopted = _catalogue(day)
    ended = ended_before(day)
    run = _RunRow(day, province, actor)
    moves = move_people(ended, day, run.get)
    records = move_records(ended, day, moves.replaced, moves.touched)
    moved_units, unmatched = place_children(ended, day, moves.touched)
    touched = moves.touched | set(adopted)
    summary = {
        "day": day.isoformat(), "province": province, "dry_run": dry_run,
        "changed": bool(added or touched),
        "units": [_unit_row(u, ended) for u in ended.units.values() if u.id in touched],
        "moved_units": moved_units, "unmatched_units": unmatched,
        "appointments": moves.appointments, "divided": moves.divided,
        "rerecognise": moves.rerecognise, "records": records,
        "accounts": accounts(ended, day),
    }
    summary["counts"] = {key: len(summary[key]) for key in LISTS} | {"new_units": added}
    if summary["changed"]:
        run.get().summary = summary
        db.session.flush()
    return summary


def _catalogue(day: dt.date) -> tuple[str, int, dict]:
    """The province whose units the registry holds, after loading its catalogue over a legacy
    tree: (its name, units added, legacy units adopted)."""
    if not refdata.has_legacy_tree():
        return loaded_province() or _root_name(), 0, {}
    province = current_app.config.get("PROVINCE") or units2025.DEFAULT_PROVINCE
    try:
        catalogue = units2025.load(province)
    except LookupError as exc:
        raise RuleViolation("province", f"Không có danh mục đơn vị của tỉnh «{province}».") \
            from exc
    if day != catalogue.valid_from:
        raise RuleViolation("day", f"Danh mục đơn vị của {catalogue.name} có hiệu lực từ ngày "
                                   f"{catalogue.valid_from:%d/%m/%Y}; hãy chọn ngày đó.")
    try:
        adoption = adopt_legacy(province)
    except UnitsNotEmpty as exc:
        raise RuleViolation("province", f"Cây đơn vị hiện có không thuộc các tỉnh hợp thành "
                                        f"{catalogue.name}; kiểm tra biến PROVINCE.") from exc
    return catalogue.name, adoption.added, adoption.adopted


def _root_name() -> str:
    return db.session.execute(sa.select(Unit.name).where(
        Unit.parent_id.is_(None), Unit.valid_to.is_(None)).order_by(Unit.id).limit(1)
    ).scalar() or ""


def _unit_row(unit: Unit, ended: Ended) -> dict:
    default = ended.default.get(unit.id)
    return {"id": unit.id, "name": unit.name, "type": unit.type_label or unit.kind.label,
            "successors": [u.name for u in ended.successors.get(unit.id, ())],
            "default": default.name if default else None}


def status(today: dt.date | None = None) -> Status:
    """Whether the registry still needs the run (for the admin banner): two small queries."""
    today = today or dt.date.today()
    last = db.session.execute(sa.select(Reorganisation).order_by(
        Reorganisation.id.desc()).limit(1)).scalar()
    if today >= REFORM_DAY and refdata.has_legacy_tree():
        return Status(True, last, "Dữ liệu còn theo cây đơn vị trước ngày 01/7/2025: chạy sắp "
                                  "xếp lại đơn vị.")
    stuck = _stuck_appointments(today) if today >= REFORM_DAY else 0
    if stuck:
        return Status(True, last, f"Còn {stuck} bổ nhiệm đang hoạt động ở đơn vị đã hết hiệu "
                                  "lực: chạy sắp xếp lại đơn vị.")
    return Status(False, last, "")


def _stuck_appointments(today: dt.date) -> int:
    """Active appointments on units ended with somewhere to go (a successor, or a district's
    province); BCV cấp huyện stay on their district by design."""
    movable = sa.select(Unit.id).where(Unit.valid_to < today, sa.or_(
        Unit.kind == UnitKind.HUYEN,
        Unit.id.in_(sa.select(unit_successors.c.predecessor_id))))
    return db.session.execute(sa.select(sa.func.count(Appointment.id)).where(
        Appointment.active_on_clause(today), Appointment.unit_id.in_(movable),
        sa.not_(sa.and_(Appointment.role == Role.BCV, Appointment.level == Level.HUYEN)))
    ).scalar_one()
