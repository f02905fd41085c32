"""Reference data shipped with the app and loaded by `flask init-db` (idempotent)."""
from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa
from flask import g, has_app_context
from sqlalchemy.orm import Session

from imports.text import fold_case, fold_case_and_diacritics
from models import RefItem, Unit, UnitKind, db
from registry.refdata import lists

HERE = Path(__file__).parent
PROVINCE = "Tỉnh Kon Tum"
_KIND = {"tỉnh": UnitKind.TINH, "huyện": UnitKind.HUYEN, "thành phố": UnitKind.HUYEN,
         "xã": UnitKind.XA, "phường": UnitKind.XA, "thị trấn": UnitKind.XA}
RANKED_LISTS = {
    "political_theory": lists.POLITICAL_THEORY,
    "education": lists.EDUCATION,
    "professional": lists.PROFESSIONAL,
    "state_management": lists.STATE_MANAGEMENT,
    "commendation_form": lists.COMMENDATION_FORMS,
    "discipline_form": lists.DISCIPLINE_FORMS,
}


def unit_catalogue() -> list[dict]:
    return json.loads((HERE / "kontum_units.json").read_text("utf-8"))["units"]


def ethnicities() -> list[dict]:
    return json.loads((HERE / "ethnicities.json").read_text("utf-8"))["ethnicities"]


def load_all() -> dict[str, int]:
    """Insert whatever reference rows are missing; existing rows are left as they are."""
    return {"units": load_units(), "ref_items": load_ref_items()}


def has_legacy_tree() -> bool:
    """Whether the units table holds the pre-2025 Kon Tum tree this module loads (undated)."""
    return db.session.execute(sa.select(Unit.id).where(
        Unit.parent_id.is_(None), Unit.name == PROVINCE, Unit.valid_to.is_(None))
        .limit(1)).first() is not None


def load_units() -> int:
    existing = {(u.name, u.parent_id) for u in db.session.execute(sa.select(Unit)).scalars()}
    by_name: dict[str, Unit] = {
        u.name: u for u in db.session.execute(
            sa.select(Unit).where(Unit.kind.in_([UnitKind.TINH, UnitKind.HUYEN]))).scalars()}
    added = 0
    for row in unit_catalogue():
        parent = _parent_of(row, by_name)
        key = (row["name"], parent.id if parent else None)
        if key in existing:
            continue
        unit = Unit(name=row["name"], kind=_KIND[row["type"]], type_label=row["type"],
                    gso_code=_gso(row), parent=parent, path="")
        db.session.add(unit)
        db.session.flush()
        unit.path = (parent.path if parent else "/") + f"{unit.id}/"
        if unit.kind in (UnitKind.TINH, UnitKind.HUYEN):
            by_name[unit.name] = unit
        added += 1
    db.session.flush()
    return added


def _parent_of(row: dict, by_name: dict[str, Unit]) -> Unit | None:
    if row["type"] == "tỉnh":
        return None
    if row["type"] in ("huyện", "thành phố"):
        return by_name[PROVINCE]
    return by_name[row["district"]]


def _gso(row: dict) -> str | None:
    return lists.GSO_CODES.get(row["name"]) if row["type"] in ("tỉnh", "huyện", "thành phố") \
        else lists.GSO_CODES.get((row["district"], row["name"]))


def load_ref_items() -> int:
    have = set(db.session.execute(sa.select(RefItem.kind, RefItem.code)).tuples())
    items = [RefItem(kind="ethnicity", code=e["code"], name=e["name"], ordinal=int(e["code"]),
                     aliases=e["aliases"]) for e in ethnicities()]
    for kind, rows in RANKED_LISTS.items():
        items += [RefItem(kind=kind, code=c, name=n, ordinal=o, aliases=a) for c, n, o, a in rows]
    items += [RefItem(kind="religion", code=f"{i:02d}", name=n, ordinal=i)
              for i, n in enumerate(lists.RELIGIONS)]
    new = [i for i in items if (i.kind, i.code) not in have]
    if has_app_context():
        g.pop("_ref_items", None)
        g.pop("_ref_labels", None)
    db.session.add_all(new)
    db.session.flush()
    return len(new)


def choices(kind: str) -> list[tuple[str, str]]:
    """(code, name) pairs of a reference list, in its order."""
    return [(c, n) for c, _o, n in ranked(kind)]


def personal_discipline_choices() -> list[tuple[str, str]]:
    """The discipline forms a person can be given: giải tán dissolves an organisation."""
    return [(c, n) for c, n in choices("discipline_form") if c != "giai_tan"]


def names(kind: str) -> dict[str, str]:
    return dict(choices(kind))


def ranked(kind: str) -> list[tuple[str, int, str]]:
    """(code, ordinal, name) of a reference list, in its order. Every list is read in one
    query, once per request: a person's page shows six of them."""
    found = g.get("_ref_items") if has_app_context() else None
    if found is None:
        found = {}
        for k, c, o, n in db.session.execute(sa.select(
                RefItem.kind, RefItem.code, RefItem.ordinal, RefItem.name)
                .order_by(RefItem.kind, RefItem.ordinal, RefItem.name)):
            found.setdefault(k, []).append((c, o, n))
        if has_app_context():
            g._ref_items = found
    return found.get(kind, [])


def ref_codes(s: Session, kind: str, *, with_codes: bool = False) -> dict[str, str]:
    """Folded name or alias -> code, for a reference list; `with_codes` adds each code itself,
    for columns that hold a code or a label."""
    lookup = {}
    for item in s.execute(sa.select(RefItem).where(RefItem.kind == kind)).scalars():
        own = (item.code,) if with_codes else ()
        for label in (*own, item.name, *(item.aliases or [])):
            lookup[fold_case(label)] = item.code
    return lookup


def labels(kind: str) -> list[tuple[str, str]]:
    """(folded label, code) for the code, name and aliases of a reference list, longest label
    first so that a prefix match takes the most specific one; read once per request."""
    cache = g.setdefault("_ref_labels", {}) if has_app_context() else {}
    if kind not in cache:
        found = {}
        for code, name, aliases in db.session.execute(sa.select(
                RefItem.code, RefItem.name, RefItem.aliases).where(RefItem.kind == kind)):
            for label in (code, name, *(aliases or [])):
                found[fold_case_and_diacritics(label)] = code
        cache[kind] = sorted(found.items(), key=lambda item: -len(item[0]))
    return cache[kind]
