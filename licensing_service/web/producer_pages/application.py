"""One child's application as its producer follows it: the task list, the parent's part, where it has got
to and the decision's documents."""

from __future__ import annotations

from typing import Any

from flask import g, render_template, url_for

from licensing_service.models.licences import LicenceStatus, ParentPartState, PerformanceLicence
from licensing_service.services import licence_decisions, licences
from licensing_service.web.producer_pages.blueprint import LICENCE_ID, PRODUCERS, blp
from licensing_service.web.producer_pages.display import document_links, parent_part_label
from licensing_service.web.producer_pages.forms import ResendForm, WithdrawForm
from shared import auth
from shared.form_helpers import error_list

TASKS = (
    ("child", "Child's details", "producer.child"),
    ("days", "Performance and rehearsal days", "producer.days"),
    ("chaperone", "Chaperone", "producer.chaperone"),
    ("education", "Education", "producer.education"),
)


def _task_items(licence: PerformanceLicence) -> list[dict[str, Any]]:
    states = licences.tasks(licence)
    editable = licence.status == LicenceStatus.DRAFT
    items = []
    for key, title, endpoint in TASKS:
        done = states[key] == "completed"
        status = (
            {"text": "Completed"} if done else {"tag": {"text": "Incomplete", "classes": "govuk-tag--blue"}}
        )
        item: dict[str, Any] = {"title": {"text": title}, "status": status}
        if editable:
            item["href"] = url_for(endpoint, licence_id=licence.id)
        items.append(item)
    text, classes = parent_part_label(licence)
    parent_status = {"text": text} if not classes else {"tag": {"text": text, "classes": classes}}
    parent_item: dict[str, Any] = {"title": {"text": "Parent's part"}, "status": parent_status}
    if editable:
        parent_item["status"] = {"text": text, "classes": "govuk-task-list__status--cannot-start-yet"}
        parent_item["hint"] = {"text": "We email the parent a link when you submit"}
    elif licence.parent_part_state != ParentPartState.NOT_REQUESTED:
        parent_item["hint"] = {"text": f"Sent to {licence.parent_name} at {licence.parent_email}"}
    items.append(parent_item)
    return items


@blp.get(f"/applications/{LICENCE_ID}")
@auth.page_roles(*PRODUCERS)
def application(licence_id: int):
    return application_page(licences.get_visible(licence_id, g.current_user))


def application_page(licence: PerformanceLicence, withdraw_form: WithdrawForm | None = None):
    """The task list; with ``withdraw_form`` when withdrawing failed, its errors in the summary."""
    states = licences.tasks(licence)
    done = sum(1 for state in states.values() if state == "completed")
    errors = error_list(withdraw_form)
    return render_template(
        "producer/application.html",
        page_title=("Error: " if errors else "") + f"Application for {licence.child_name or 'a child'}",
        errors=errors,
        licence=licence,
        production=licence.production,
        tasks=_task_items(licence),
        done=done,
        total_tasks=len(states),
        ready=done == len(states),
        resend_form=ResendForm(),
        withdraw_form=withdraw_form or WithdrawForm(formdata=None),
        overdue=licences.is_overdue(licence),
        documents=document_links(_outcome(licence)),
    )


def _outcome(licence: PerformanceLicence) -> dict[str, Any] | None:
    if licence.status in (LicenceStatus.DRAFT, LicenceStatus.SUBMITTED, LicenceStatus.WITHDRAWN):
        return None
    return licence_decisions.outcome(licence)
