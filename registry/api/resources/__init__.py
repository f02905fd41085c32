"""The API's resources, one module per kind; each exposes `blp` (a flask-smorest Blueprint).
Every module of this package is registered, in name order."""
from __future__ import annotations

import importlib
import pkgutil


def blueprints() -> list:
    names = sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))
    return [importlib.import_module(f"{__name__}.{name}").blp for name in names]
