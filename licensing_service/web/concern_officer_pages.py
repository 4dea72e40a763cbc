"""Officers' pages for concerns."""

from __future__ import annotations

from flask import Blueprint

blp = Blueprint("concern_officer", __name__)
