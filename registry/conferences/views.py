"""Views of registry.conferences (issue 14)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("conferences", __name__)
