"""Documents of a chaperone approval: the approval letter, the ID card (a credit-card-sized card on an A4
page, to cut out) and the refusal letter, as text contexts for ``templates/documents/`` rendered to A4
tagged PDFs.

The card shows what someone checking a chaperone needs: the photo, the name, the approval number, the date
it is valid until and how to check it (a verification reference and a QR code for ``/verify``: the number
and the chaperone's date of birth give valid / not valid and until when). Not the date of birth itself
nor the address: a card is shown to strangers. Contexts hold text only, built from stored data (never the
clock), so the same approval renders the same bytes.
"""

from __future__ import annotations

from typing import Any

from licensing_service.models.chaperones import ChaperoneApproval
from licensing_service.services.licence_documents import (
    COUNCIL_NAME,
    SPP_ROLE,
    address_lines,
    contacts,
    photo_data_uri,
    qr_data_uri,
    verification_url,
    verify_page,
)
from shared import documents
from shared.formatting import long_date, short_date

__all__ = ["COUNCIL_NAME", "contacts"]

LETTER_KIND, CARD_KIND, REFUSAL_KIND = "approval_letter", "id_card", "refusal_letter"
KIND_LABELS = {"professional": "Professional chaperone", "volunteer": "Volunteer chaperone"}


def filename(approval: ChaperoneApproval, kind: str) -> str:
    if kind == REFUSAL_KIND:
        return f"{approval.reference}-refusal.pdf"
    suffix = "-id-card" if kind == CARD_KIND else "-approval"
    return f"{approval.approval_number}{suffix}.pdf"


def _base(approval: ChaperoneApproval) -> dict[str, Any]:
    return {
        "council": COUNCIL_NAME,
        "reference": approval.reference,
        "letter_date": long_date(approval.decided_on),
        "recipient_name": approval.applicant_name,
        "recipient_address": address_lines(approval.applicant_address),
        "kind": KIND_LABELS.get(approval.kind, approval.kind),
        "renewal": approval.renewal_of_id is not None,
        "officer_name": approval.officer_name or contacts()["team_name"],
        "officer_role": f"{SPP_ROLE}, {COUNCIL_NAME}",
        "contact": contacts(),
    }


def letter_context(approval: ChaperoneApproval) -> dict[str, Any]:
    number = approval.approval_number or ""
    url = verification_url(number)
    return {
        **_base(approval),
        "title": f"Chaperone approval {number}",
        "footer_left": f"Chaperone approval {number} — {COUNCIL_NAME}",
        "number": number,
        "valid_from": long_date(approval.valid_from),
        "valid_until": long_date(approval.valid_until),
        "verification_url": url,
        "verify_page": verify_page(),
        "qr": qr_data_uri(url),
    }


def card_context(approval: ChaperoneApproval) -> dict[str, Any]:
    number = approval.approval_number or ""
    url = verification_url(number)
    return {
        "title": f"Chaperone ID card {number}",
        "footer_left": f"Chaperone ID card {number} — {COUNCIL_NAME}",
        "council": COUNCIL_NAME,
        "name": approval.applicant_name,
        "kind": KIND_LABELS.get(approval.kind, approval.kind),
        "number": number,
        "valid_from": short_date(approval.valid_from),
        "valid_until": short_date(approval.valid_until),
        "photo": photo_data_uri(approval.photo),
        "verification_url": url,
        "verify_page": verify_page(),
        "qr": qr_data_uri(url),
        "contact": contacts(),
    }


def refusal_context(approval: ChaperoneApproval) -> dict[str, Any]:
    return {
        **_base(approval),
        "title": f"Chaperone approval application {approval.reference}: not approved",
        "footer_left": f"Application {approval.reference}, not approved — {COUNCIL_NAME}",
        "received_on": long_date(approval.received_on),
        "reason": approval.decision_reason or "",
    }


def render_letter(approval: ChaperoneApproval) -> bytes:
    return documents.render_pdf("chaperone_approval.html", **letter_context(approval))


def render_card(approval: ChaperoneApproval) -> bytes:
    return documents.render_pdf("chaperone_id_card.html", **card_context(approval))


def render_refusal(approval: ChaperoneApproval) -> bytes:
    return documents.render_pdf("chaperone_refusal.html", **refusal_context(approval))
