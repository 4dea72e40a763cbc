"""The officers' work queue: every open item of every kind on one page, urgent first, then soonest due,
each linking to the page where it is worked. Officers and admins only; every other role gets 403."""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for

from licensing_service.services import licensing_queue
from licensing_service.services.licensing_queue import QueueItem
from shared import auth, calendar
from shared.users import STAFF_ROLES

blp = Blueprint("work_queue", __name__, url_prefix="/officer/queue")

PAGE_SIZE = 25
MAX_PAGE = licensing_queue.MAX_DEPTH // PAGE_SIZE

# Each kind of work: its name on the page, and the page where one item is worked (endpoint, id argument).
KINDS: dict[str, tuple[str, str, str]] = {
    "performance_licence": ("Performance licence", "licence_officer.application", "licence_id"),
    "bopa_approval": ("Body of persons approval", "oversight.bopa_page", "approval_id"),
    "inspection": ("Inspection", "oversight.inspection_page", "inspection_id"),
    "chaperone_approval": ("Chaperone approval", "chaperone_officer.application", "approval_id"),
    "employment_permit": ("Employment permit", "employment_officer.permit_page", "permit_id"),
    "concern": ("Concern", "concern_officer.concern_page", "concern_id"),
}
OUTSTANDING_LABELS = {
    "parent_part": "Parent's part",
    "education": "Education check",
    "social_care": "Social care check",
    "early_help": "Early help check",
    "school_opinion": "School's opinion",
    "education_arrangements": "Approval of the education arrangements",
    "dbs": "DBS check",
    "references": "References",
    "database_check": "Children's services database check",
    "training": "Training",
    "parent_declaration": "Parent's declaration",
    "site_visit": "Site visit",
    "mash_referral": "Referral to the MASH",
}


def kind_label(kind: str) -> str:
    return KINDS[kind][0] if kind in KINDS else kind.replace("_", " ").capitalize()


def item_href(item: QueueItem) -> str | None:
    if item.kind not in KINDS:
        return None
    _label, endpoint, argument = KINDS[item.kind]
    return url_for(endpoint, **{argument: item.id})


def outstanding_label(code: str) -> str:
    return OUTSTANDING_LABELS.get(code) or code.replace("_", " ").capitalize()


@blp.get("")
@auth.page_roles(*STAFF_ROLES)
def queue():
    kind = request.args.get("kind")
    if kind not in licensing_queue.kinds():
        kind = None
    requested = request.args.get("page", 1, type=int) or 1
    page = min(max(requested, 1), MAX_PAGE)
    today = calendar.today()
    result = licensing_queue.page(page=page, page_size=PAGE_SIZE, kind=kind, today=today)
    last_page = min(max(1, -(-result["total"] // PAGE_SIZE)), MAX_PAGE)
    if page > last_page:
        page = last_page
        result = licensing_queue.page(page=page, page_size=PAGE_SIZE, kind=kind, today=today)
    counts = result["counts"] if kind is None else licensing_queue.page(page=1, page_size=1)["counts"]
    return render_template(
        "work_queue/queue.html",
        page_title="Work queue",
        items=result["items"],
        total=result["total"],
        counts=counts,
        kind=kind,
        page=page,
        last_page=last_page,
        page_size=PAGE_SIZE,
        kind_label=kind_label,
        item_href=item_href,
        outstanding_label=outstanding_label,
    )
