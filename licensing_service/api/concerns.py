"""Concerns about unlicensed work or performance."""

from __future__ import annotations

from flask_smorest import Blueprint

blp = Blueprint(
    "concerns", __name__, url_prefix="/api/v1", description="Concerns about unlicensed work or performance"
)
