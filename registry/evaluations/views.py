"""Views of registry.evaluations (issue 14)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("evaluations", __name__)
