"""The API's resources, one module per kind; each exposes `blp` (a flask-smorest Blueprint)."""
from __future__ import annotations

import importlib

# Module names under registry.api.resources, in the order the document lists them.
MODULES = ("units",)


def blueprints() -> list:
    return [importlib.import_module(f"{__name__}.{name}").blp for name in MODULES]
