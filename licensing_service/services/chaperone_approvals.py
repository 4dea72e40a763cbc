"""Chaperone approvals (SPEC §4.2): an applicant applies (or staff enter a paper application), two referees
answer from emailed links, officers record the checks and the training attended, then approve — with an
approval letter and an ID card — or refuse. An approval may later be suspended, reinstated or revoked, and
ends by itself after ``CHAPERONE_VALIDITY_YEARS`` (the ``chaperone-reminders`` job).

Choices made where the specification is silent:

- The application is due a decision ``CHAPERONE_DECISION_DAYS`` (28) days after it was received: DBS,
  references and training take weeks, and the queue shows what is still outstanding.
- The references check can be recorded only once both references have arrived; the database check only
  with the applicant's recorded consent (409 otherwise). Recording a check again replaces its outcome (the
  audit log keeps every one).
- The photo is not needed to approve (the SPEC lists the checks and training only); without one the ID card
  says "No photo supplied" and the officer's page warns before deciding.
- Referees see only the applicant's name and the kind of chaperone: nothing else about them. Applicants
  see whether each reference has arrived, never what it says, and never the checks' notes.
- A suspended approval is not valid; reinstating it restores it until its original end date (409 once that
  has passed). Suspended approvals expire like approved ones.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from typing import Any
from uuid import uuid4

from flask import current_app
from sqlalchemy import Select, exists, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from licensing_service.models.chaperones import (
    ChaperoneApproval,
    ChaperoneCheck,
    ChaperoneReference,
    ChaperoneReminder,
    TrainingBooking,
    TrainingSession,
)
from licensing_service.models.links import EmailLink, LinkPurpose
from licensing_service.rules import chaperones as rules
from licensing_service.rules.chaperones import CheckKind, Outcome, Status
from licensing_service.services import access, links
from licensing_service.services import chaperone_documents as docs
from licensing_service.services.parent_part import check_photo
from shared import audit, auth, calendar, db, documents, notify, problems
from shared.db import utcnow
from shared.documents import Document
from shared.formatting import long_date
from shared.scheduler import Job
from shared.users import User

log = logging.getLogger(__name__)

OBJECT_TYPE = "chaperone_approval"
REFERENCE_OBJECT_TYPE = "chaperone_reference"
REFERENCE_PATH = "/chaperone-reference/{token}"


# --- settings -----------------------------------------------------------------------------------------


def min_age() -> int:
    return int(current_app.config["CHAPERONE_MIN_AGE"])


def validity_years() -> int:
    return int(current_app.config["CHAPERONE_VALIDITY_YEARS"])


def decision_days() -> int:
    return int(current_app.config.get("CHAPERONE_DECISION_DAYS", rules.DEFAULT_DECISION_DAYS))


def reminder_weeks() -> tuple[int, ...]:
    return rules.reminder_weeks(current_app.config["CHAPERONE_REMINDER_WEEKS"])


def reference_link_days() -> int:
    return int(current_app.config["CHAPERONE_REFERENCE_LINK_DAYS"])


def reference_url(token: str) -> str:
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + REFERENCE_PATH.format(token=token)


# --- loading ------------------------------------------------------------------------------------------


OWNED = access.Owned(ChaperoneApproval)
scope = OWNED.scope


def get_visible(approval_id: int, user: User) -> ChaperoneApproval:
    return OWNED.visible(approval_id, user)


def locked(approval_id: int, user: User | None) -> ChaperoneApproval:
    return OWNED.locked(approval_id, user)


def list_query(user: User, status: str | None = None) -> Select:
    query = scope(select(ChaperoneApproval), user)
    if status:
        query = query.where(ChaperoneApproval.status == status)
    return query.order_by(ChaperoneApproval.decision_due_on, ChaperoneApproval.id)


def is_overdue(approval: ChaperoneApproval, today: date | None = None) -> bool:
    return approval.status in rules.OPEN_STATUSES and (today or calendar.today()) > approval.decision_due_on


def _text(value: Any) -> str | None:
    text = value.strip() if isinstance(value, str) else ""
    return text or None


def _require(approval: ChaperoneApproval, allowed: Iterable[str], action: str) -> None:
    if approval.status not in tuple(allowed):
        label = rules.STATUS_LABELS.get(Status(approval.status), approval.status).lower()
        raise problems.Problem(
            409, f"Cannot {action}: the application is {label}", extra={"current_status": approval.status}
        )


# --- emails -------------------------------------------------------------------------------------------


def _sign_off() -> str:
    contact = docs.contacts()
    return f"{contact['team_name']}\n{docs.COUNCIL_NAME}\n{contact['team_email']}"


def _tell(
    approval: ChaperoneApproval, subject: str, lines: list[str], document_id: int | None = None
) -> None:
    notify.enqueue(
        approval.applicant_email,
        subject,
        "\n\n".join([f"Dear {approval.applicant_name},", *lines, _sign_off()]) + "\n",
        object_type=OBJECT_TYPE,
        object_id=approval.id,
        document_id=document_id,
    )


def _ask_referee(approval: ChaperoneApproval, reference: ChaperoneReference) -> None:
    token, link = links.issue(
        LinkPurpose.CHAPERONE_REFERENCE,
        REFERENCE_OBJECT_TYPE,
        reference.id,
        reference.email,
        reference_link_days(),
    )
    expires = long_date(link.expires_at.astimezone(calendar.LONDON).date())
    notify.enqueue(
        reference.email,
        f"Reference for {approval.applicant_name}: chaperone approval",
        "\n\n".join(
            [
                f"Dear {reference.name},",
                f"{approval.applicant_name} has applied to {docs.COUNCIL_NAME} to be approved as a chaperone "
                "for children taking part in performances, and has named you as a referee.",
                "Please tell us how you know them and whether you think they are suitable to look after "
                "children. It takes about 5 minutes:",
                reference_url(token),
                f"The link works once, only for this reference, until {expires}. If you do not know "
                f"{approval.applicant_name}, or did not expect this email, you can ignore it.",
                _sign_off(),
            ]
        )
        + "\n",
        object_type=OBJECT_TYPE,
        object_id=approval.id,
    )


# --- applying -----------------------------------------------------------------------------------------


def _renewal_of(data: dict[str, Any], user: User, applicant: dict[str, Any]) -> ChaperoneApproval | None:
    earlier_id = data.get("renewal_of")
    if earlier_id is None:
        return None
    earlier = db.session().scalar(
        scope(select(ChaperoneApproval).where(ChaperoneApproval.id == earlier_id), user)
    )
    if earlier is None:
        raise problems.invalid("renewal_of", "There is no approval with this number to renew")
    same_person = earlier.applicant_date_of_birth == applicant["date_of_birth"] and " ".join(
        earlier.applicant_name.lower().split()
    ) == " ".join(applicant["name"].lower().split())
    if not same_person:
        raise problems.invalid("renewal_of", "A renewal must be for the same person as the earlier approval")
    if earlier.status not in rules.RENEWABLE_STATUSES:
        raise problems.invalid(
            "renewal_of",
            f"Only an approved or expired approval can be renewed: this one is "
            f"{rules.STATUS_LABELS[Status(earlier.status)].lower()}",
        )
    return earlier


def _check_application(data: dict[str, Any], received_on: date) -> None:
    applicant = data["applicant"]
    if not rules.old_enough(applicant["date_of_birth"], received_on, min_age()):
        raise problems.invalid(
            "applicant.date_of_birth",
            f"A chaperone must be {min_age()} or over: the applicant was not {min_age()} on "
            f"{long_date(received_on)}, when the application was received",
        )
    if data["dbs"]["issue_date"] > received_on:
        raise problems.invalid("dbs.issue_date", "The DBS certificate's issue date must be in the past")
    errors: dict[str, list[str]] = {}
    seen: set[str] = set()
    for index, referee in enumerate(data["references"]):
        if rules.is_family(referee["relationship"]):
            errors[f"references.{index}.relationship"] = [
                "A referee must not be a member of the applicant's family"
            ]
        email = referee["email"].strip().lower()
        if email == applicant["email"].strip().lower():
            errors[f"references.{index}.email"] = ["A referee must be someone other than the applicant"]
        elif email in seen:
            errors[f"references.{index}.email"] = ["Give two different referees"]
        seen.add(email)
    if errors:
        raise problems.Problem(422, "; ".join(m for ms in errors.values() for m in ms), errors=errors)


def submit(data: dict[str, Any], user: User) -> ChaperoneApproval:
    """Record an application (``data`` as ``POST /api/v1/chaperone-approvals``) and email the referees.
    422 when the applicant is under age on the day received or a referee is family."""
    today = calendar.today()
    received_on = data.get("received_on") if user.is_staff and data.get("received_on") else today
    if received_on > today:
        raise problems.invalid("received_on", "The date received must be today or in the past")
    _check_application(data, received_on)
    applicant = data["applicant"]
    with db.transaction():
        earlier = _renewal_of(data, user, applicant)
        approval = ChaperoneApproval(
            reference=f"tmp-{uuid4().hex[:16]}",  # replaced once the id is known
            owner_id=None if user.is_staff else user.id,
            kind=data["kind"],
            applicant_name=applicant["name"].strip(),
            applicant_date_of_birth=applicant["date_of_birth"],
            applicant_address=applicant["address"].strip(),
            applicant_email=applicant["email"].strip(),
            dbs_certificate_number=data["dbs"]["certificate_number"].strip(),
            dbs_issue_date=data["dbs"]["issue_date"],
            dbs_update_service=data["dbs"]["update_service"],
            database_check_consent=data["database_check_consent"],
            renewal_of_id=earlier.id if earlier is not None else None,
            received_on=received_on,
            decision_due_on=rules.decision_due_on(received_on, decision_days()),
            status=Status.SUBMITTED.value,
            created_by=user.id,
        )
        for position, referee in enumerate(data["references"], start=1):
            approval.references.append(
                ChaperoneReference(
                    position=position,
                    name=referee["name"].strip(),
                    email=referee["email"].strip(),
                    relationship=referee["relationship"].strip(),
                )
            )
        db.session().add(approval)
        db.session().flush()
        approval.reference = f"CA-{received_on.year}-{approval.id:06d}"
        audit.record(
            "chaperone_approval.submitted",
            OBJECT_TYPE,
            approval.id,
            after={
                "reference": approval.reference,
                "status": approval.status,
                "kind": approval.kind,
                "received_on": received_on,
                "renewal_of": approval.renewal_of_id,
                "database_check_consent": approval.database_check_consent,
                "referees": [r.email for r in approval.references],
            },
        )
        for reference in approval.references:
            _ask_referee(approval, reference)
        _tell(
            approval,
            f"Chaperone approval {approval.reference}: application received",
            [
                f"We received your application to be approved as a chaperone on {long_date(received_on)}. "
                f"Your reference is {approval.reference}.",
                "We have emailed your two referees. Next we check your DBS certificate"
                + (
                    " and the council's children's services records (you consented to this)"
                    if approval.database_check_consent
                    else ""
                )
                + "."
                + (
                    ""
                    if approval.is_renewal
                    else " You also need to attend a chaperone training session: book one from your "
                    "application page."
                ),
                f"We aim to decide by {long_date(approval.decision_due_on)}.",
            ],
        )
    return approval


# --- the referee's part -------------------------------------------------------------------------------


def _open_reference(link: EmailLink) -> ChaperoneReference:
    reference = auth.visible_or_404(db.session().get(ChaperoneReference, link.object_id))
    approval = reference.approval
    if approval.status not in rules.OPEN_STATUSES:
        raise problems.Problem(
            409,
            "The application has been decided: no reference is needed now",
            extra={"current_status": approval.status},
        )
    if reference.received_at is not None:
        raise problems.Problem(409, "This reference has already been given")
    return reference


def reference_view(token: str) -> dict[str, Any]:
    """What the referee is shown: the applicant's name and kind of chaperone, nothing else about them."""
    link = links.find(token, LinkPurpose.CHAPERONE_REFERENCE)
    reference = _open_reference(link)
    approval = reference.approval
    return {
        "reference": approval.reference,
        "applicant_name": approval.applicant_name,
        "kind": approval.kind,
        "referee_name": reference.name,
        "relationship": reference.relationship,
        "expires_at": link.expires_at,
    }


def give_reference(token: str, data: dict[str, Any]) -> ChaperoneReference:
    """The referee's answers: ``known_for``, ``capacity``, ``suitable``, ``comments``, ``declaration``."""
    if data.get("declaration") is not True:
        raise problems.invalid("declaration", "Confirm the declaration to give the reference")
    comments = _text(data.get("comments"))
    if data.get("suitable") is False and comments is None:
        raise problems.invalid(
            "comments", "Tell us why you think they are not suitable to look after children"
        )
    with db.transaction():
        link = links.find(token, LinkPurpose.CHAPERONE_REFERENCE, for_update=True)
        reference = _open_reference(link)
        approval = locked(reference.approval_id, None)
        links.use(link)
        reference.known_for = data["known_for"].strip()
        reference.capacity = data["capacity"].strip()
        reference.suitable = bool(data["suitable"])
        reference.comments = comments
        reference.received_at = utcnow()
        db.session().flush()
        received = sum(1 for r in approval.references if r.received_at is not None)
        audit.record(
            "chaperone_approval.reference_received",
            OBJECT_TYPE,
            approval.id,
            after={
                "position": reference.position,
                "referee": reference.email,
                "suitable": reference.suitable,
                "references_received": received,
            },
            actor=f"referee_link:{link.id}",
        )
        _tell(
            approval,
            f"Chaperone approval {approval.reference}: reference received",
            [
                f"{reference.name} has sent us a reference for you. We have now received {received} of "
                f"{rules.REFERENCES_NEEDED} references.",
            ],
        )
    return reference


# --- checks -------------------------------------------------------------------------------------------


def _check(approval: ChaperoneApproval, kind: str) -> ChaperoneCheck | None:
    return next((c for c in approval.checks if c.kind == kind), None)


def references_received(approval: ChaperoneApproval) -> int:
    return sum(1 for r in approval.references if r.received_at is not None)


def record_check(approval_id: int, data: dict[str, Any], user: User) -> ChaperoneApproval:
    """Record a check's outcome (``{kind, outcome, notes}``). 409 when decided, for the database check
    without consent, or for the references check before both references have arrived; 422 for concerns
    without notes."""
    kind, outcome = CheckKind(data["kind"]), Outcome(data["outcome"])
    notes = _text(data.get("notes")) or ""
    if outcome == Outcome.CONCERNS and not notes:
        raise problems.invalid("notes", "Describe the concerns")
    with db.transaction():
        approval = locked(approval_id, user)
        _require(approval, rules.OPEN_STATUSES, "record a check")
        if kind == CheckKind.DATABASE_CHECK and not approval.database_check_consent:
            raise problems.Problem(
                409,
                "The applicant has not consented to the children's services database check",
                errors={"kind": ["The applicant has not consented to the database check"]},
            )
        if kind == CheckKind.REFERENCES and references_received(approval) < rules.REFERENCES_NEEDED:
            raise problems.Problem(
                409,
                f"Only {references_received(approval)} of {rules.REFERENCES_NEEDED} references have been "
                "received",
                errors={"kind": ["Wait for both references before recording the references check"]},
            )
        check = _check(approval, kind)
        before = {"status": approval.status, "outcome": check.outcome if check else None}
        if check is None:
            check = ChaperoneCheck(kind=kind.value)
            approval.checks.append(check)
        check.outcome = outcome.value
        check.notes = notes
        check.recorded_on = calendar.today()
        check.recorded_by = user.id
        check.recorded_at = utcnow()
        approval.status = Status.CHECKS_IN_PROGRESS.value
        db.session().flush()
        audit.record(
            "chaperone_approval.check_recorded",
            OBJECT_TYPE,
            approval.id,
            before=before,
            after={"status": approval.status, "kind": kind.value, "outcome": outcome.value},
            note=notes or None,
        )
    return approval


# --- training attended --------------------------------------------------------------------------------


def training_of(approval_ids: list[int]) -> dict[int, list[tuple[TrainingBooking, TrainingSession]]]:
    """Each application's bookings with their sessions, by date (one query for many applications)."""
    found: dict[int, list[tuple[TrainingBooking, TrainingSession]]] = {i: [] for i in approval_ids}
    if not approval_ids:
        return found
    rows = db.session().execute(
        select(TrainingBooking, TrainingSession)
        .join(TrainingSession, TrainingSession.id == TrainingBooking.session_id)
        .where(TrainingBooking.approval_id.in_(approval_ids))
        .order_by(TrainingSession.held_on, TrainingSession.id)
    )
    for booking, session in rows:
        found[booking.approval_id].append((booking, session))
    return found


def attended_training(approval_id: int) -> bool:
    return (
        db.session().scalar(
            select(TrainingBooking.id).where(
                TrainingBooking.approval_id == approval_id, TrainingBooking.attended.is_(True)
            )
        )
        is not None
    )


# --- readiness and decisions --------------------------------------------------------------------------


def readiness(approval: ChaperoneApproval, reason: str | None = None) -> rules.Readiness:
    return rules.readiness(
        checks={c.kind: c.outcome for c in approval.checks},
        references_received=references_received(approval),
        consent=approval.database_check_consent,
        renewal=approval.is_renewal,
        training_attended=attended_training(approval.id),
        reason=reason,
    )


def outstanding(approval: ChaperoneApproval) -> list[str]:
    if approval.status not in rules.OPEN_STATUSES:
        return []
    return rules.outstanding(
        checks={c.kind: c.outcome for c in approval.checks},
        references_received=references_received(approval),
        consent=approval.database_check_consent,
        renewal=approval.is_renewal,
        training_attended=attended_training(approval.id),
    )


def _officer_name(user: User) -> str:
    return (user.name or "").strip() or f"Officer no. {user.id}"


def _render(render: Callable[[], bytes]) -> bytes:
    try:
        return render()
    except Exception as exc:
        log.exception("rendering a chaperone document failed")
        raise problems.Problem(
            503, "The document could not be made just now, so nothing was changed: try again shortly"
        ) from exc


def _store(approval: ChaperoneApproval, kind: str, content: bytes) -> Document:
    document = documents.store(OBJECT_TYPE, approval.id, kind, docs.filename(approval, kind), content)
    db.session().flush()
    return document


def decide(approval_id: int, data: dict[str, Any], user: User) -> ChaperoneApproval:
    """Approve or refuse (``{decision, reason?, approved_on?}``). 409 when already decided or, to approve,
    with anything missing (``missing`` and ``errors`` name each item); 422 for a refusal without a reason
    or an approval date in the future or before the application was received."""
    decision = rules.Decision(data["decision"])
    reason = _text(data.get("reason"))
    today = calendar.today()
    if decision == rules.Decision.REFUSE and reason is None:
        raise problems.invalid("reason", "Give the reason for refusing the application")
    with db.transaction():
        approval = locked(approval_id, user)
        _require(approval, rules.OPEN_STATUSES, "decide")
        before = {"status": approval.status}
        approval.decision_reason = reason
        approval.decided_by = user.id
        approval.decided_at = utcnow()
        approval.officer_name = _officer_name(user)
        for reference in approval.references:
            links.revoke(REFERENCE_OBJECT_TYPE, reference.id, LinkPurpose.CHAPERONE_REFERENCE)
        if decision == rules.Decision.APPROVE:
            _approve(approval, data.get("approved_on") or today, reason, before)
        else:
            _refuse(approval, today, before)
    return approval


def _approve(approval: ChaperoneApproval, approved_on: date, reason: str | None, before: dict) -> None:
    today = calendar.today()
    if approved_on > today:
        raise problems.invalid("approved_on", "The approval date must be today or in the past")
    if approved_on < approval.received_on:
        raise problems.invalid(
            "approved_on", "The approval date must be on or after the day the application was received"
        )
    ready = readiness(approval, reason)
    if not ready.ready:
        raise problems.Problem(
            409,
            "The application cannot be approved yet: "
            + "; ".join(m for ms in ready.errors.values() for m in ms),
            errors=ready.errors,
            extra={"current_status": approval.status, "missing": ready.missing},
        )
    approval.status = Status.APPROVED.value
    approval.decided_on = approved_on
    approval.approval_number = rules.approval_number(approval.id, approved_on)
    approval.valid_from, approval.valid_until = rules.validity(approved_on, validity_years())
    db.session().flush()
    letter = _store(approval, docs.LETTER_KIND, _render(lambda: docs.render_letter(approval)))
    card = _store(approval, docs.CARD_KIND, _render(lambda: docs.render_card(approval)))
    audit.record(
        "chaperone_approval.approved",
        OBJECT_TYPE,
        approval.id,
        before=before,
        after={
            "status": approval.status,
            "approval_number": approval.approval_number,
            "valid_from": approval.valid_from,
            "valid_until": approval.valid_until,
            "concerns": ready.concerns,
            "documents": {"letter": letter.sha256, "id_card": card.sha256},
        },
        note=reason,
    )
    period = f"from {long_date(approval.valid_from)} to {long_date(approval.valid_until)}"
    _tell(
        approval,
        f"You are approved as a chaperone: {approval.approval_number}",
        [
            f"{docs.COUNCIL_NAME} has approved you as a chaperone for children taking part in performances "
            f"and activities. Your approval number is {approval.approval_number}. It is valid {period}.",
            "Your approval letter is attached. We are sending your ID card in a separate email: print it, "
            "or keep it on your phone, and carry it whenever you act as a chaperone.",
            "Tell us at once of anything that might affect your approval, such as a change to your DBS "
            "certificate. We will remind you to renew before your approval ends.",
        ],
        document_id=letter.id,
    )
    _tell(
        approval,
        f"Your chaperone ID card: {approval.approval_number}",
        [
            f"Your chaperone ID card is attached. It shows your photo, your approval number "
            f"{approval.approval_number} and the date it is valid until ({long_date(approval.valid_until)}).",
            "Anyone can check that your approval is valid on our website using the number on the card and "
            "your date of birth.",
        ],
        document_id=card.id,
    )


def _refuse(approval: ChaperoneApproval, today: date, before: dict) -> None:
    approval.status = Status.REFUSED.value
    approval.decided_on = today
    db.session().flush()
    letter = _store(approval, docs.REFUSAL_KIND, _render(lambda: docs.render_refusal(approval)))
    audit.record(
        "chaperone_approval.refused",
        OBJECT_TYPE,
        approval.id,
        before=before,
        after={"status": approval.status, "document": letter.sha256},
        note=approval.decision_reason,
    )
    _tell(
        approval,
        f"Chaperone approval {approval.reference}: not approved",
        [
            "We have decided not to approve you as a chaperone. The attached letter gives the reason.",
            f"Reason: {approval.decision_reason}",
            "You must not act as a chaperone for children taking part in performances or activities "
            "licensed by a council. If you think we have made a mistake, reply to this email.",
        ],
        document_id=letter.id,
    )


# --- suspension, reinstatement and revocation ---------------------------------------------------------

STATUS_CHANGES = {
    # action: (from statuses, to status, verb for messages)
    "suspend": ((Status.APPROVED.value,), Status.SUSPENDED.value, "suspend the approval"),
    "reinstate": ((Status.SUSPENDED.value,), Status.APPROVED.value, "reinstate the approval"),
    "revoke": ((Status.APPROVED.value, Status.SUSPENDED.value), Status.REVOKED.value, "revoke the approval"),
}


def change_status(approval_id: int, action: str, data: dict[str, Any], user: User) -> ChaperoneApproval:
    """Suspend, reinstate or revoke an approval with a reason (``{reason}``); the chaperone is emailed.
    409 from the wrong status, or to reinstate an approval whose period has ended."""
    allowed, to_status, verb = STATUS_CHANGES[action]
    reason = _text(data.get("reason"))
    if reason is None:
        raise problems.invalid("reason", f"Give the reason to {verb.removesuffix(' the approval')}")
    today = calendar.today()
    with db.transaction():
        approval = locked(approval_id, user)
        _require(approval, allowed, verb)
        if action == "reinstate" and approval.valid_until is not None and approval.valid_until < today:
            raise problems.Problem(
                409, f"The approval ended on {long_date(approval.valid_until)}: it cannot be reinstated"
            )
        before = {"status": approval.status}
        approval.status = to_status
        approval.status_reason = reason
        approval.status_changed_on = today
        db.session().flush()
        audit.record(
            f"chaperone_approval.{to_status}" if action != "reinstate" else "chaperone_approval.reinstated",
            OBJECT_TYPE,
            approval.id,
            before=before,
            after={"status": approval.status, "on": today},
            note=reason,
        )
        number = approval.approval_number
        if action == "suspend":
            subject = f"Your chaperone approval {number} is suspended"
            lines = [
                f"We have suspended your chaperone approval {number} from {long_date(today)}. While it is "
                "suspended you must not act as a chaperone.",
                f"Reason: {reason}",
                "We will write to you again when we have finished looking into this.",
            ]
        elif action == "reinstate":
            subject = f"Your chaperone approval {number} is reinstated"
            lines = [
                f"We have lifted the suspension of your chaperone approval {number}. You may act as a "
                f"chaperone again. Your approval is valid until {long_date(approval.valid_until)}.",
                f"Reason: {reason}",
            ]
        else:
            subject = f"Your chaperone approval {number} is revoked"
            lines = [
                f"We have revoked your chaperone approval {number} from {long_date(today)}. You must not "
                "act as a chaperone, and your ID card is no longer valid.",
                f"Reason: {reason}",
                "If you think we have made a mistake, reply to this email.",
            ]
        _tell(approval, subject, lines)
    return approval


# --- photo --------------------------------------------------------------------------------------------


def upload_photo(approval_id: int, content: bytes, user: User) -> ChaperoneApproval:
    """The applicant's photo for the ID card: a JPEG or PNG, checked as the parent's photo of a child is.
    409 once the application is decided."""
    with db.transaction():
        approval = locked(approval_id, user)
        _require(approval, rules.OPEN_STATUSES, "change the photo")
        photo = check_photo(content)
        before = {"photo": approval.photo_content_type is not None}
        approval.photo = content
        approval.photo_content_type = photo.content_type
        approval.photo_width, approval.photo_height = photo.width, photo.height
        db.session().flush()
        audit.record(
            "chaperone_approval.photo_uploaded",
            OBJECT_TYPE,
            approval.id,
            before=before,
            after={"photo": True, "type": photo.content_type, "size": len(content)},
        )
    return approval


# --- documents ----------------------------------------------------------------------------------------


def document(approval: ChaperoneApproval, kind: str) -> Document:
    """A stored letter or ID card; made again (and kept) when no longer held. 404 when there is none."""
    wanted = {
        docs.LETTER_KIND: approval.approval_number is not None,
        docs.CARD_KIND: approval.approval_number is not None,
        docs.REFUSAL_KIND: approval.status == Status.REFUSED,
    }
    if not wanted.get(kind):
        raise problems.Problem(404, "There is no such document for this application")
    found = documents.latest(OBJECT_TYPE, approval.id, kind)
    if found is not None:
        return found
    render = {docs.LETTER_KIND: docs.render_letter, docs.CARD_KIND: docs.render_card}.get(
        kind, docs.render_refusal
    )
    content = _render(lambda: render(approval))
    with db.transaction():
        stored = _store(approval, kind, content)
    return stored


def document_links(approval: ChaperoneApproval) -> list[dict[str, str]]:
    base = f"/api/v1/chaperone-approvals/{approval.id}/documents"
    if approval.approval_number is not None:
        return [
            {"kind": docs.LETTER_KIND, "url": f"{base}/{docs.LETTER_KIND}.pdf"},
            {"kind": docs.CARD_KIND, "url": f"{base}/{docs.CARD_KIND}.pdf"},
        ]
    if approval.status == Status.REFUSED:
        return [{"kind": docs.REFUSAL_KIND, "url": f"{base}/{docs.REFUSAL_KIND}.pdf"}]
    return []


# --- what the API shows -------------------------------------------------------------------------------


def detail(approval: ChaperoneApproval, user: User, today: date | None = None) -> dict[str, Any]:
    """An application as its applicant or an officer sees it (the checks and references' answers are
    for staff only)."""
    staff = user.is_staff
    training = training_of([approval.id])[approval.id]
    return {
        "id": approval.id,
        "reference": approval.reference,
        "status": approval.status,
        "kind": approval.kind,
        "applicant": {
            "name": approval.applicant_name,
            "date_of_birth": approval.applicant_date_of_birth,
            "address": approval.applicant_address,
            "email": approval.applicant_email,
        },
        "dbs": {
            "certificate_number": approval.dbs_certificate_number,
            "issue_date": approval.dbs_issue_date,
            "update_service": approval.dbs_update_service,
        },
        "database_check_consent": approval.database_check_consent,
        "renewal_of": approval.renewal_of_id,
        "received_on": approval.received_on,
        "decision_due_on": approval.decision_due_on,
        "overdue": is_overdue(approval, today),
        "references": [
            {
                "name": r.name,
                "email": r.email,
                "relationship": r.relationship,
                "received": r.received_at is not None,
                **(
                    {
                        "received_at": r.received_at,
                        "known_for": r.known_for,
                        "capacity": r.capacity,
                        "suitable": r.suitable,
                        "comments": r.comments,
                    }
                    if staff
                    else {}
                ),
            }
            for r in approval.references
        ],
        "checks": [
            {"kind": c.kind, "outcome": c.outcome, "notes": c.notes, "recorded_on": c.recorded_on}
            for c in approval.checks
        ]
        if staff
        else None,
        "training": [
            {
                "session_id": s.id,
                "date": s.held_on,
                "place": s.place,
                "attended": b.attended,
            }
            for b, s in training
        ],
        "training_needed": not approval.is_renewal,
        "outstanding": outstanding(approval),
        "photo": approval.photo_content_type is not None,
        "approval_number": approval.approval_number,
        "valid_from": approval.valid_from,
        "valid_until": approval.valid_until,
        "decided_on": approval.decided_on,
        "reason": approval.decision_reason if staff or approval.status == Status.REFUSED else None,
        "status_reason": approval.status_reason,
        "status_changed_on": approval.status_changed_on,
        "documents": document_links(approval),
    }


# --- the public check and other services --------------------------------------------------------------


def _by_number(number: str) -> ChaperoneApproval | None:
    text = (number or "").strip().upper()
    if not text.startswith(rules.NUMBER_PREFIX + "-") or len(text) > 20:
        return None
    return db.session().scalar(select(ChaperoneApproval).where(ChaperoneApproval.approval_number == text))


def verification(number: str, date_of_birth: date, today: date | None = None) -> dict[str, Any] | None:
    """The public check (SPEC §4.2): the approval number and the chaperone's date of birth give whether the
    approval is valid today and until when — nothing else. None when they match no approval."""
    approval = _by_number(number)
    if approval is None or approval.applicant_date_of_birth != date_of_birth:
        return None
    today = today or calendar.today()
    return {
        "valid": rules.is_valid_on(approval.status, approval.valid_from, approval.valid_until, today),
        "valid_until": approval.valid_until,
        "kind": "chaperone_approval",
    }


def validity(number: str) -> dict[str, Any] | None:
    """An approval's status and period, for checking a performance licence's chaperone on each day: valid
    on a day when ``status == "approved"`` and ``valid_from <= day <= valid_until``. None when unknown."""
    approval = _by_number(number)
    if approval is None:
        return None
    return {"status": approval.status, "valid_from": approval.valid_from, "valid_until": approval.valid_until}


# --- the officers' queue ------------------------------------------------------------------------------


def queue_rows(statuses: tuple[str, ...], limit: int, today: date) -> list[dict[str, Any]]:
    """Open applications, soonest due first, with what is still outstanding (four queries in all)."""
    rows = list(
        db.session().scalars(
            select(ChaperoneApproval)
            .where(ChaperoneApproval.status.in_(statuses))
            .order_by(ChaperoneApproval.decision_due_on, ChaperoneApproval.id)
            .limit(limit)
        )
    )
    ids = [a.id for a in rows]
    checks: dict[int, dict[str, str]] = {i: {} for i in ids}
    received: dict[int, int] = dict.fromkeys(ids, 0)
    attended: set[int] = set()
    if ids:
        for approval_id, kind, outcome in db.session().execute(
            select(ChaperoneCheck.approval_id, ChaperoneCheck.kind, ChaperoneCheck.outcome).where(
                ChaperoneCheck.approval_id.in_(ids)
            )
        ):
            checks[approval_id][kind] = outcome
        for approval_id, count in db.session().execute(
            select(ChaperoneReference.approval_id, func.count())
            .where(ChaperoneReference.approval_id.in_(ids), ChaperoneReference.received_at.is_not(None))
            .group_by(ChaperoneReference.approval_id)
        ):
            received[approval_id] = count
        attended = set(
            db.session().scalars(
                select(TrainingBooking.approval_id).where(
                    TrainingBooking.approval_id.in_(ids), TrainingBooking.attended.is_(True)
                )
            )
        )
    return [
        {
            "kind": OBJECT_TYPE,
            "id": a.id,
            "reference": a.reference,
            "status": a.status,
            "due_on": a.decision_due_on,
            "overdue": today > a.decision_due_on,
            "late": False,
            "outstanding": rules.outstanding(
                checks[a.id], received[a.id], a.database_check_consent, a.is_renewal, a.id in attended
            ),
            "summary": f"Decide: chaperone {a.applicant_name}" + (" (renewal)" if a.is_renewal else ""),
        }
        for a in rows
    ]


def queue_count(statuses: tuple[str, ...]) -> int:
    return db.session().scalar(
        select(func.count()).select_from(ChaperoneApproval).where(ChaperoneApproval.status.in_(statuses))
    )


# --- the daily job ------------------------------------------------------------------------------------


def _insert_reminder(approval_id: int, weeks: int, today: date, valid_until: date) -> bool:
    """Record a reminder unless one for these weeks exists already; True when this call recorded it."""
    values = {"approval_id": approval_id, "weeks": weeks, "sent_on": today, "valid_until": valid_until}
    insert = pg_insert if db.is_postgresql() else sqlite_insert
    statement = (
        insert(ChaperoneReminder)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["approval_id", "weeks"])
        .returning(ChaperoneReminder.id)
    )
    return db.session().execute(statement).scalar() is not None


def send_reminders(today: date) -> int:
    """Renewal reminders due today (``CHAPERONE_REMINDER_WEEKS`` before the end), each at most once ever;
    none for an approval whose renewal is already under way or approved."""
    weeks = reminder_weeks()
    if not weeks:
        return 0
    horizon = today + timedelta(weeks=max(weeks))
    renewal = ChaperoneApproval.__table__.alias("renewal")
    candidates = db.session().execute(
        select(ChaperoneApproval.id, ChaperoneApproval.valid_until)
        .where(
            ChaperoneApproval.status == Status.APPROVED,
            ChaperoneApproval.valid_until >= today,
            ChaperoneApproval.valid_until <= horizon,
            ~exists().where(
                renewal.c.renewal_of_id == ChaperoneApproval.id,
                renewal.c.status.in_([*rules.OPEN_STATUSES, Status.APPROVED.value]),
            ),
        )
        .order_by(ChaperoneApproval.valid_until, ChaperoneApproval.id)
    )
    due = [(row.id, row.valid_until, rules.reminder_due(row.valid_until, today, weeks)) for row in candidates]
    due = [(i, until, w) for i, until, w in due if w is not None]
    sent = 0
    for approval_id, valid_until, w in due:
        with db.transaction():
            if not _insert_reminder(approval_id, w, today, valid_until):
                continue
            approval = db.session().get(ChaperoneApproval, approval_id)
            audit.record(
                "chaperone_approval.renewal_reminder_sent",
                OBJECT_TYPE,
                approval_id,
                after={"weeks": w, "valid_until": valid_until},
            )
            _tell(
                approval,
                f"Your chaperone approval {approval.approval_number} ends on {long_date(valid_until)}",
                [
                    f"Your chaperone approval {approval.approval_number} ends on {long_date(valid_until)}, "
                    f"in {w} week{'s' if w != 1 else ''}.",
                    "To keep acting as a chaperone, apply to renew it now: sign in and choose "
                    '"Chaperone approval", then apply again and say it is a renewal. You will need an '
                    "up-to-date enhanced DBS certificate and two new references; you do not need to attend "
                    "training again.",
                ],
            )
            sent += 1
    return sent


def expire(today: date) -> int:
    """Approved or suspended approvals whose period has ended become ``expired`` (each audited)."""
    session = db.session()
    with db.transaction():
        ended = list(
            session.execute(
                select(ChaperoneApproval.id, ChaperoneApproval.status, ChaperoneApproval.valid_until)
                .where(
                    ChaperoneApproval.status.in_([Status.APPROVED.value, Status.SUSPENDED.value]),
                    ChaperoneApproval.valid_until < today,
                )
                .with_for_update()
            )
        )
        if not ended:
            return 0
        session.execute(
            update(ChaperoneApproval)
            .where(
                ChaperoneApproval.id.in_([row.id for row in ended]),
                ChaperoneApproval.status.in_([Status.APPROVED.value, Status.SUSPENDED.value]),
            )
            .values(status=Status.EXPIRED.value, status_changed_on=today)
            .execution_options(synchronize_session=False)
        )
        for row in ended:
            audit.record(
                "chaperone_approval.expired",
                OBJECT_TYPE,
                row.id,
                before={"status": row.status},
                after={"status": Status.EXPIRED.value, "valid_until": row.valid_until},
            )
    return len(ended)


def run_job(today: date) -> dict[str, int]:
    """The ``chaperone-reminders`` job: expire what has ended, then send the reminders due."""
    expired = expire(today)
    return {"expired": expired, "reminders": send_reminders(today)}


OPEN_STATUSES = rules.OPEN_STATUSES
REMINDER_JOB = Job(
    "chaperone-reminders",
    run_job,
    schedule={"hour": 6, "minute": 30},
    description="Expire chaperone approvals past their end; send renewal reminders 8 and 2 weeks before",
)
