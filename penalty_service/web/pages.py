"""Penalty service pages."""

from __future__ import annotations

from flask import Blueprint, render_template

from shared.users import STAFF_ROLES, Role

blp = Blueprint("pages", __name__)

# Service navigation: which roles see which links.
NAVIGATION: list[dict] = [
    {"endpoint": "officer.queue_page", "text": "Work queue", "roles": STAFF_ROLES},
    {"endpoint": "officer.dashboard_page", "text": "Dashboard", "roles": STAFF_ROLES},
    {"endpoint": "officer_actions.payments_page", "text": "Payments", "roles": STAFF_ROLES},
    {"endpoint": "officer_actions.letters_page", "text": "Letters", "roles": STAFF_ROLES},
    {"endpoint": "outbox.index", "text": "Emails", "roles": STAFF_ROLES},
    {"endpoint": "school.requests", "text": "Your requests", "roles": (Role.SCHOOL,)},
    {"endpoint": "school.new_request", "text": "Request a notice", "roles": (Role.SCHOOL,)},
    {"endpoint": "school.school_copy", "text": "Send a copy of a notice", "roles": (Role.SCHOOL,)},
]


@blp.get("/")
def start():
    return render_template("start.html", page_title=None)
