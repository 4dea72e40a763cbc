"""The public page to check a licence, permit or chaperone approval."""

from __future__ import annotations

from flask import Blueprint

blp = Blueprint("verify_pages", __name__)
