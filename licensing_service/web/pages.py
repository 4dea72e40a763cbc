"""Licensing service pages."""

from __future__ import annotations

from flask import Blueprint, render_template

from shared.users import STAFF_ROLES, Role

blp = Blueprint("pages", __name__)

# Service navigation: which roles see which links.
NAVIGATION: list[dict] = [
    {"endpoint": "work_queue.queue", "text": "Work queue", "roles": STAFF_ROLES},
    {"endpoint": "licence_officer.queue", "text": "Licence queue", "roles": STAFF_ROLES},
    {"endpoint": "oversight.inspections_page", "text": "Inspections", "roles": STAFF_ROLES},
    {"endpoint": "oversight.bopa_list", "text": "Approvals (BOPA)", "roles": STAFF_ROLES},
    {"endpoint": "outbox.index", "text": "Emails", "roles": STAFF_ROLES},
    {"endpoint": "producer.productions_page", "text": "Your productions", "roles": (Role.APPLICANT,)},
    {"endpoint": "bopa_pages.index", "text": "Body of persons approvals", "roles": (Role.APPLICANT,)},
    {"endpoint": "requirement.check", "text": "Do I need a licence?", "roles": tuple(Role)},
]


@blp.get("/")
def start():
    return render_template("start.html", page_title=None)
