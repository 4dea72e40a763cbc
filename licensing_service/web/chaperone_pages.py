"""Chaperone applicants' pages: apply, referees answer through a link, book training."""

from __future__ import annotations

from flask import Blueprint

blp = Blueprint("chaperone_pages", __name__)
