"""Licensing service pages."""

from __future__ import annotations

from flask import Blueprint, render_template

from shared.users import STAFF_ROLES, Role

blp = Blueprint("pages", __name__)

# Service navigation: which roles see which links.
APPLICANTS = (Role.APPLICANT,)
NAVIGATION: list[dict] = [
    # The team's work, in the order a day's work goes.
    {"endpoint": "work_queue.queue", "text": "Work queue", "roles": STAFF_ROLES},
    {"endpoint": "licence_officer.queue", "text": "Licences", "roles": STAFF_ROLES},
    {"endpoint": "chaperone_officer.applications", "text": "Chaperones", "roles": STAFF_ROLES},
    {"endpoint": "employment_officer.permits_list", "text": "Employment permits", "roles": STAFF_ROLES},
    {"endpoint": "concern_officer.concerns_page", "text": "Concerns", "roles": STAFF_ROLES},
    {"endpoint": "oversight.inspections_page", "text": "Inspections", "roles": STAFF_ROLES},
    {"endpoint": "oversight.bopa_list", "text": "Approvals (BOPA)", "roles": STAFF_ROLES},
    {"endpoint": "outbox.index", "text": "Emails", "roles": STAFF_ROLES},
    # Producers, employers, organisations and chaperones: their own applications, then the checkers.
    {"endpoint": "producer.productions_page", "text": "Your productions", "roles": APPLICANTS},
    {"endpoint": "employment_pages.index", "text": "Employment permits", "roles": APPLICANTS},
    {"endpoint": "chaperone_pages.index", "text": "Chaperone approval", "roles": APPLICANTS},
    {"endpoint": "bopa_pages.index", "text": "Body of persons approvals", "roles": APPLICANTS},
    {"endpoint": "requirement.check", "text": "Do I need a licence?", "roles": APPLICANTS},
    {"endpoint": "employment_pages.check_hours", "text": "Check working hours", "roles": APPLICANTS},
]


@blp.get("/")
def start():
    return render_template("start.html", page_title=None)
