"""The `flask` command group: every command of the registry, registered on the app."""
from __future__ import annotations

from flask import Flask

from registry.api.cli import create_token
from registry.cli.backup import backup, restore
from registry.cli.commands import create_user, init_db, seed_demo
from registry.cli.jobs import run_jobs
from registry.exports.cli import export_roster
from registry.importing.cli import import_roster, purge_imports
from registry.reorganise.cli import reorganise
from registry.units.cli import units

COMMANDS = (init_db, seed_demo, create_user, import_roster, purge_imports, export_roster, backup,
            restore, run_jobs, units, reorganise, create_token)


def init_app(app: Flask) -> None:
    for command in COMMANDS:
        app.cli.add_command(command)
