"""The public concern report form."""

from __future__ import annotations

from flask import Blueprint

blp = Blueprint("concern_pages", __name__)
