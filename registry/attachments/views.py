"""Views of registry.attachments (issue 15)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("attachments", __name__)
