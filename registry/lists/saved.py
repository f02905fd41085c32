"""Saved qualification lists: create, change, delete (owned by the unit of whoever saves them)."""
from __future__ import annotations

from models import SavedList, Unit, db
from registry.core import access
from registry.core.attrs import apply_fields

FIELDS = ("name", "role", "level", "subtree_unit_id", "min_llct", "min_professional",
          "party_required", "training_months", "no_discipline", "active_on", "age_min", "age_max",
          "note")


def _check_subtree(data: dict) -> None:
    if data.get("subtree_unit_id") is not None:
        access.get_scoped_or_404(Unit, data["subtree_unit_id"])


def create(data: dict, owner: Unit) -> SavedList:
    access.require_write(owner)
    _check_subtree(data)
    saved = SavedList(unit_id=owner.id)
    apply_fields(saved, data, FIELDS)
    db.session.add(saved)
    db.session.flush()
    return saved


def update(saved: SavedList, data: dict) -> SavedList:
    access.require_write(saved.unit)
    _check_subtree(data)
    apply_fields(saved, data, FIELDS)
    db.session.flush()
    return saved


def delete(saved: SavedList) -> None:
    access.require_write(saved.unit)
    db.session.delete(saved)
    db.session.flush()
