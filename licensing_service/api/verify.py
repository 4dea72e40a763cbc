"""Public verification of licences, permits and chaperone approvals."""

from __future__ import annotations

from flask_smorest import Blueprint

blp = Blueprint(
    "verify",
    __name__,
    url_prefix="/api/v1",
    description="Public verification of licences, permits and chaperone approvals",
)
