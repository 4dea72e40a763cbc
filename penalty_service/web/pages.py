"""Penalty service pages."""

from __future__ import annotations

from flask import Blueprint, render_template

from shared.users import STAFF_ROLES

blp = Blueprint("pages", __name__)

# Service navigation: which roles see which links.
NAVIGATION: list[dict] = [
    {"endpoint": "officer.queue_page", "text": "Work queue", "roles": STAFF_ROLES},
    {"endpoint": "outbox.index", "text": "Emails", "roles": STAFF_ROLES},
]


@blp.get("/")
def start():
    return render_template("start.html", page_title=None)
