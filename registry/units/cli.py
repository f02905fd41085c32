"""`flask units`: the units valid on a day, for scripts and for checking a loaded catalogue."""
from __future__ import annotations

import datetime as dt
import json

import click
import sqlalchemy as sa
from sqlalchemy.orm import aliased

from models import Unit, db, unit_successors
from registry.core.dates import parse_day
from registry.units.tree import UnitTree


@click.command("units")
@click.option("--as-of", "as_of", help="Các đơn vị có hiệu lực vào ngày YYYY-MM-DD "
              "(mặc định: hôm nay).")
@click.option("--json", "as_json", is_flag=True, help="In một danh sách JSON ra stdout.")
def units(as_of: str | None, as_json: bool):
    """List the units valid on a day, with their parents then and their successors."""
    day = parse_day(as_of) if as_of else dt.date.today()
    if day is None:
        raise click.ClickException(f"Ngày «{as_of}» không hợp lệ; dùng dạng YYYY-MM-DD.")
    rows = units_on(day)
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    for row in rows:
        after = f" → {', '.join(row['successors'])}" if row["successors"] else ""
        click.echo(f"{row['name']} ({row['type']}; {row['parent'] or '-'}){after}")
    click.echo(f"Cộng: {len(rows)} đơn vị có hiệu lực ngày {day:%d/%m/%Y}.")


def units_on(day: dt.date) -> list[dict]:
    """Every unit valid on `day`, in tree order, under the parent it had that day; successors
    by name, the default one first."""
    tree = UnitTree(day)
    units = db.session.execute(sa.select(Unit)).scalars()
    valid = sorted((u for u in units if u.is_valid_on(day)), key=lambda u: tree.nodes[u.id].order)
    after = _successor_names()
    return [{
        "id": u.id, "code": u.gso_code, "name": u.name, "type": u.type_label or u.kind.label,
        "parent": tree.name(tree.parent.get(u.id)) or None,
        "valid_from": _iso(u.valid_from), "valid_to": _iso(u.valid_to),
        "successors": after.get(u.id, []),
    } for u in valid]


def _successor_names() -> dict[int, list[str]]:
    successor = aliased(Unit)
    rows = db.session.execute(
        sa.select(unit_successors.c.predecessor_id, successor.name)
        .join(successor, successor.id == unit_successors.c.successor_id)
        .order_by(unit_successors.c.is_default.desc(), successor.name))
    found: dict[int, list[str]] = {}
    for unit_id, name in rows:
        found.setdefault(unit_id, []).append(name)
    return found


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None
