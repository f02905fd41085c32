"""Views of registry.exemplary (issue 14)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("exemplary", __name__)
