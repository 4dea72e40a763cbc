"""Child employment permits."""

from __future__ import annotations

from flask_smorest import Blueprint

blp = Blueprint("employment_permits", __name__, url_prefix="/api/v1", description="Child employment permits")
