"""``GET /_status``: is the service up and can it reach its database."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from sqlalchemy.exc import SQLAlchemyError

from shared import db

blp = Blueprint("status", __name__)


@blp.get("/_status")
def status():
    try:
        db.ping()
    except (SQLAlchemyError, OSError):
        current_app.logger.warning("status check: database unreachable")
        body = {"status": "error", "database": "unreachable", "service": current_app.config["SERVICE_NAME"]}
        return jsonify(body), 503
    return jsonify({"status": "ok", "database": "ok", "service": current_app.config["SERVICE_NAME"]})
