"""Officers' pages for child employment permits."""

from __future__ import annotations

from flask import Blueprint

blp = Blueprint("employment_officer", __name__)
