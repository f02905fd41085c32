"""What the commands share: the actor they write as, units named on the command line, the schema
upgrade."""
from __future__ import annotations

import click
import sqlalchemy as sa
from flask import current_app
from flask_migrate import upgrade

from models import Unit, db
from registry.core.audit import Actor


def cli_actor(name: str) -> Actor:
    return Actor(None, f"cli:{name}")


def find_unit(name: str) -> Unit:
    """A unit by its catalogue name (current units first), or a click error in Vietnamese."""
    units = db.session.execute(sa.select(Unit).where(Unit.name == name.strip())
                               .order_by(Unit.valid_to.is_not(None), Unit.id)).scalars().all()
    if not units:
        raise click.ClickException(f"Không tìm thấy đơn vị «{name}» trong danh mục.")
    return units[0]


def upgrade_schema() -> None:
    upgrade(directory=current_app.extensions["migrate"].directory)
