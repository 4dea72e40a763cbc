"""The letter about a concern: to the employer or producer named in a "letter" action, asking for
information about the child and the work or performance (SPEC §7, concern letters).

The letter says what the council has been told about the activity, never who told it: the reporter is
not named or described. The context holds text only, built from stored data (the officer's name as
printed is kept on the action), so the same action always renders the same bytes.
"""

from __future__ import annotations

from typing import Any

from licensing_service.models.concerns import Activity, Concern, ConcernAction
from licensing_service.services import licence_documents as docs
from shared import documents
from shared.formatting import long_date

TEMPLATE = "concern_letter.html"
ACTIVITY_TEXT = {
    Activity.PERFORMING.value: "taking part in a performance",
    Activity.WORKING.value: "working",
    Activity.NOT_SURE.value: "working or taking part in a performance",
}


def letter_filename(concern: Concern, action: ConcernAction) -> str:
    return f"{concern.reference}-letter-{action.id}.pdf"


def letter_context(concern: Concern, action: ConcernAction) -> dict[str, Any]:
    details = action.details or {}
    return {
        "title": f"Request for information about a child: {concern.reference}",
        "footer_left": f"Concern {concern.reference}, request for information — {docs.COUNCIL_NAME}",
        "council": docs.COUNCIL_NAME,
        "reference": concern.reference,
        "letter_date": long_date(action.taken_on),
        "reply_by": long_date(action.reply_by),
        "recipient_name": action.recipient_name or "",
        "recipient_organisation": action.recipient_organisation or "",
        "recipient_address": docs.address_lines(action.recipient_address),
        "child_name": concern.child_name,
        "activity": concern.activity,
        "activity_text": ACTIVITY_TEXT.get(concern.activity, ACTIVITY_TEXT[Activity.NOT_SURE.value]),
        "location": concern.location,
        "when": concern.when_happening,
        "performing": concern.activity in (Activity.PERFORMING.value, Activity.NOT_SURE.value),
        "working": concern.activity in (Activity.WORKING.value, Activity.NOT_SURE.value),
        "officer_name": details.get("officer_name", ""),
        "officer_role": details.get("officer_role", docs.SPP_ROLE),
        "contact": docs.contacts(),
    }


def render_letter(concern: Concern, action: ConcernAction) -> bytes:
    return documents.render_pdf(TEMPLATE, **letter_context(concern, action))
