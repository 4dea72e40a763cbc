"""Officers' pages for chaperone approvals and training sessions."""

from __future__ import annotations

from flask import Blueprint

blp = Blueprint("chaperone_officer", __name__)
