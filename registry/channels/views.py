"""Views of registry.channels (issue 14)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("channels", __name__)
