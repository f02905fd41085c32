"""The `flask` command group: every command of the registry, registered on the app."""
from __future__ import annotations

from flask import Flask

from registry.cli.backup import backup, restore
from registry.cli.commands import create_user, init_db, seed_demo
from registry.exports.cli import export_roster
from registry.importing.cli import import_roster

COMMANDS = (init_db, seed_demo, create_user, import_roster, export_roster, backup, restore)


def init_app(app: Flask) -> None:
    for command in COMMANDS:
        app.cli.add_command(command)
