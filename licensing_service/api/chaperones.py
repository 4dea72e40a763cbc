"""Chaperone approvals and training sessions."""

from __future__ import annotations

from flask_smorest import Blueprint

blp = Blueprint(
    "chaperones", __name__, url_prefix="/api/v1", description="Chaperone approvals and training sessions"
)
