"""Concerns about a child working or performing without a licence (SPEC §4.5): anyone reports one; officers
act on it (a letter to the employer or producer, support to apply, an unannounced visit, a MASH referral,
legal action) and close it with an outcome.

A safeguarding concern (the child is at risk of harm now) is marked for referral to the MASH the moment it
arrives: it is due that day, it is ``urgent`` on the officers' queue (first, whatever its due date) and the
officers' inbox is emailed at once. Any other concern is due ``CONCERN_RESPONSE_WORKING_DAYS`` working
days after it arrives.

Only officers and admins read concerns: the reporter gets the reference and nothing more. Logs never carry
what a concern says; emails to the officers' inbox carry the reference and a link, not the child's details.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import Any
from uuid import uuid4

from flask import current_app, has_request_context, url_for
from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import selectinload

from licensing_service.models.concerns import (
    ActionKind,
    Activity,
    Concern,
    ConcernAction,
    ConcernStatus,
    Outcome,
)
from licensing_service.models.oversight import Inspection
from licensing_service.services import concern_documents, inspections
from licensing_service.services import licence_documents as docs
from shared import audit, auth, calendar, db, documents, notify, problems
from shared.db import utcnow
from shared.formatting import long_date
from shared.users import User

log = logging.getLogger(__name__)

OBJECT_TYPE = "concern"
OPEN_STATUSES = (ConcernStatus.OPEN.value, ConcernStatus.IN_PROGRESS.value)

STATUS_LABELS = {
    ConcernStatus.OPEN.value: "New",
    ConcernStatus.IN_PROGRESS.value: "In progress",
    ConcernStatus.CLOSED.value: "Closed",
}
ACTIVITY_LABELS = {
    Activity.PERFORMING.value: "Performing",
    Activity.WORKING.value: "Working",
    Activity.NOT_SURE.value: "Not sure",
}
ACTION_LABELS = {
    ActionKind.LETTER.value: "Letter requesting information",
    ActionKind.SUPPORT_TO_APPLY.value: "Support to apply",
    ActionKind.UNANNOUNCED_VISIT.value: "Unannounced visit",
    ActionKind.MASH_REFERRAL.value: "Referral to the MASH",
    ActionKind.LEGAL_ACTION.value: "Legal action",
}
OUTCOME_LABELS = {
    Outcome.LICENCE_OR_PERMIT_OBTAINED.value: "Licence or permit obtained",
    Outcome.STOPPED.value: "The work or performance stopped",
    Outcome.ADVICE_GIVEN.value: "Advice given",
    Outcome.NO_EVIDENCE.value: "No evidence found",
    Outcome.REFERRED_ELSEWHERE.value: "Referred to another council or agency",
    Outcome.PROSECUTION.value: "Prosecution",
}
# Actions whose notes say what was done: nothing else records it.
NOTES_REQUIRED = {ActionKind.SUPPORT_TO_APPLY.value, ActionKind.LEGAL_ACTION.value}


def response_working_days() -> int:
    return int(current_app.config["CONCERN_RESPONSE_WORKING_DAYS"])


def letter_reply_days() -> int:
    return int(current_app.config["CONCERN_LETTER_REPLY_DAYS"])


def due_on(received_on: date, safeguarding: bool) -> date:
    """A safeguarding concern is due the day it arrives; any other after the set working days."""
    if safeguarding:
        return received_on
    return calendar.add_working_days(received_on, response_working_days())


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


# --- reporting ----------------------------------------------------------------------------------------


def report(data: dict[str, Any], user: User | None) -> Concern:
    """Record a concern from anyone (signed in or not); the reporter is emailed the reference if they
    gave an email address, and the officers' inbox at once for a safeguarding concern."""
    child = data.get("child") or {}
    reporter = data.get("reporter") or {}
    received_on = calendar.today()
    safeguarding = bool(data["at_risk_now"])
    with db.transaction():
        concern = Concern(
            reference=f"tmp-{uuid4().hex[:16]}",  # replaced once the id is known
            status=ConcernStatus.OPEN.value,
            safeguarding=safeguarding,
            received_on=received_on,
            due_on=due_on(received_on, safeguarding),
            child_name=_text(child.get("name")),
            child_age=child.get("age"),
            child_date_of_birth=child.get("date_of_birth"),
            child_school=_text(child.get("school")),
            activity=data["activity"],
            location=_text(data["location"]),
            organiser=_text(data.get("organiser")),
            when_happening=_text(data.get("when")),
            description=_text(data["description"]),
            reporter_name=_text(reporter.get("name")),
            reporter_email=_text(reporter.get("email")),
            reporter_phone=_text(reporter.get("phone")),
            reporter_is_professional=bool(reporter.get("professional")),
            reporter_organisation=_text(reporter.get("organisation")),
            reported_by=user.id if user is not None else None,
        )
        db.session().add(concern)
        db.session().flush()
        concern.reference = f"CON-{received_on.year}-{concern.id:06d}"
        audit.record(
            "concern.reported",
            OBJECT_TYPE,
            concern.id,
            # What the concern says stays in the record; the audit keeps what changes its handling.
            after={
                "reference": concern.reference,
                "status": concern.status,
                "safeguarding": safeguarding,
                "due_on": concern.due_on,
                "anonymous": concern.anonymous,
            },
            actor=None if user is not None else "public",
        )
        if safeguarding:
            _alert_officers(concern)
        if concern.reporter_email:
            _acknowledge(concern)
    log.info("concern %s reported (safeguarding: %s)", concern.id, safeguarding)
    return concern


def _concern_link(concern: Concern) -> str:
    base = (current_app.config.get("PUBLIC_BASE_URL") or "").rstrip("/")
    if not has_request_context():  # reported from the command line: the page's path, built by hand
        return f"{base}/officer/concerns/{concern.id}"
    return base + url_for("concern_officer.concern_page", concern_id=concern.id)


def _alert_officers(concern: Concern) -> None:
    notify.enqueue(
        docs.contacts()["team_email"],
        f"Urgent: safeguarding concern {concern.reference} — refer to the MASH today",
        "\n".join(
            [
                f"A concern reported on {long_date(concern.received_on)} says a child is at risk of harm "
                "now.",
                "",
                "Refer it to the MASH (multi-agency safeguarding hub) today, then record the referral "
                "on the concern:",
                _concern_link(concern),
                "",
                "The details are on the concern page only: sign in to read them.",
            ]
        ),
        object_type=OBJECT_TYPE,
        object_id=concern.id,
    )


def _acknowledge(concern: Concern) -> None:
    contact = docs.contacts()
    lines = [
        f"Dear {concern.reporter_name or 'Sir or Madam'},",
        "",
        f"Thank you for telling us about a child who may be working or performing without a licence. "
        f"Your reference is {concern.reference}.",
        "",
        "An officer will look into it. We may contact you if we need to know more. We will not tell the "
        "employer, the producer or the child's family who reported it.",
    ]
    if concern.safeguarding:
        lines += [
            "",
            "You told us the child is at risk of harm now. If a child is in immediate danger, call 999. "
            "To speak to Nottinghamshire Children's Services, call 0300 500 80 90.",
        ]
    lines += ["", contact["team_name"], docs.COUNCIL_NAME, contact["team_email"]]
    notify.enqueue(
        concern.reporter_email,
        f"Concern {concern.reference}: we have received your report",
        "\n".join(lines),
        object_type=OBJECT_TYPE,
        object_id=concern.id,
    )


# --- reading ------------------------------------------------------------------------------------------


def get(concern_id: int, *, for_update: bool = False) -> Concern:
    """A concern with its actions (officers only reach this)."""
    query = select(Concern).where(Concern.id == concern_id).options(selectinload(Concern.actions))
    if for_update:
        query = query.with_for_update().execution_options(populate_existing=True)
    return auth.visible_or_404(db.session().scalar(query))


def list_query(status: str | None = None) -> Select:
    """Open safeguarding concerns first, then by due date; closed ones after the open ones."""
    query = select(Concern)
    if status:
        query = query.where(Concern.status == status)
    closed_last = case((Concern.status == ConcernStatus.CLOSED.value, 1), else_=0)
    return query.order_by(closed_last, Concern.safeguarding.desc(), Concern.due_on, Concern.id)


def is_overdue(concern: Concern, today: date | None = None) -> bool:
    return concern.status in OPEN_STATUSES and (today or calendar.today()) > concern.due_on


def is_urgent(concern: Concern) -> bool:
    return concern.safeguarding and concern.status in OPEN_STATUSES


def inspections_of(concern_id: int) -> list[Inspection]:
    return inspections.for_subject(inspections.SubjectKind.CONCERN.value, concern_id)


def letter_document(concern_id: int, action_id: int) -> documents.Document:
    action = db.session().scalar(
        select(ConcernAction).where(ConcernAction.id == action_id, ConcernAction.concern_id == concern_id)
    )
    if action is None or action.document_id is None:
        raise problems.Problem(404, "Not found")
    return auth.visible_or_404(db.session().get(documents.Document, action.document_id))


def letter_url(concern_id: int, action_id: int) -> str:
    return url_for("concerns.ConcernLetter", concern_id=concern_id, action_id=action_id)


# --- acting -------------------------------------------------------------------------------------------


def _closed(concern: Concern) -> problems.Problem:
    return problems.Problem(
        409, f"This concern was closed ({OUTCOME_LABELS.get(concern.outcome or '', 'closed').lower()})"
    )


def _officer_name(user: User) -> str:
    return (user.name or "").strip() or f"Officer no. {user.id}"


def add_action(concern_id: int, data: dict[str, Any], user: User) -> ConcernAction:
    """Record an action. A letter is made as a PDF and kept with the action; an unannounced visit plans
    an inspection; a MASH referral records when and by whom. 409 once the concern is closed."""
    kind = data["kind"]
    taken_on = data.get("taken_on") or calendar.today()
    notes = _text(data.get("notes"))
    if taken_on > calendar.today():
        raise problems.invalid("taken_on", "The date must be today or in the past")
    if kind in NOTES_REQUIRED and not notes:
        raise problems.invalid("notes", "Describe what was done")
    concern = get(concern_id)
    if concern.status == ConcernStatus.CLOSED:
        raise _closed(concern)
    inspection = None
    if kind == ActionKind.UNANNOUNCED_VISIT:
        inspection = _plan_visit(concern, data.get("visit") or {}, notes, user)
    with db.transaction():
        concern = get(concern_id, for_update=True)
        if concern.status == ConcernStatus.CLOSED:  # closed while the visit was being planned
            if inspection is not None:
                inspections.cancel(inspection.id, {"reason": "The concern was closed"}, user)
            raise _closed(concern)
        action = ConcernAction(
            concern_id=concern.id,
            kind=kind,
            taken_on=taken_on,
            notes=notes,
            inspection_id=inspection.id if inspection is not None else None,
            details={},
            recorded_by=user.id,
        )
        if kind == ActionKind.LETTER:
            recipient = data.get("recipient") or {}
            action.recipient_name = _text(recipient.get("name"))
            action.recipient_organisation = _text(recipient.get("organisation"))
            action.recipient_address = _text(recipient.get("address"))
            action.reply_by = taken_on + timedelta(days=letter_reply_days())
            action.details = {"officer_name": _officer_name(user), "officer_role": docs.SPP_ROLE}
        db.session().add(action)
        db.session().flush()
        if kind == ActionKind.LETTER:
            content = _render_letter(concern, action)
            document = documents.store(
                OBJECT_TYPE, concern.id, "letter", concern_documents.letter_filename(concern, action), content
            )
            db.session().flush()
            action.document_id = document.id
        before = {"status": concern.status, "mash_referred_on": concern.mash_referred_on}
        if kind == ActionKind.MASH_REFERRAL:
            concern.mash_referred_on = taken_on
            concern.mash_referred_by = user.id
        if concern.status == ConcernStatus.OPEN:
            concern.status = ConcernStatus.IN_PROGRESS.value
        db.session().flush()
        audit.record(
            f"concern.action.{kind}",
            OBJECT_TYPE,
            concern.id,
            before,
            {
                "status": concern.status,
                "mash_referred_on": concern.mash_referred_on,
                "action_id": action.id,
                "kind": kind,
                "taken_on": taken_on,
                "notes": notes,
                "inspection_id": action.inspection_id,
                "document_id": action.document_id,
                "recipient": action.recipient_name,
            },
        )
    return action


def _plan_visit(concern: Concern, visit: dict[str, Any], notes: str, user: User) -> Inspection:
    """The inspection the visit is, planned (and audited) by the inspections service."""
    return inspections.plan(
        {
            "subject_kind": inspections.SubjectKind.CONCERN.value,
            "subject_id": concern.id,
            "place_kind": visit["place_kind"],
            "address": visit["address"],
            "planned_on": visit["planned_on"],
            "officer_id": visit.get("officer_id"),
            "notes": notes,
        },
        user,
    )


def _render_letter(concern: Concern, action: ConcernAction) -> bytes:
    try:
        return concern_documents.render_letter(concern, action)
    except Exception as exc:
        log.exception("rendering a concern letter failed")
        raise problems.Problem(
            503, "The letter could not be made just now, so nothing was recorded: try again shortly"
        ) from exc


def close(concern_id: int, data: dict[str, Any], user: User) -> Concern:
    """Close a concern with an outcome; 409 once closed."""
    notes = _text(data.get("notes"))
    with db.transaction():
        concern = get(concern_id, for_update=True)
        if concern.status == ConcernStatus.CLOSED:
            raise _closed(concern)
        before = {"status": concern.status}
        concern.status = ConcernStatus.CLOSED.value
        concern.outcome = data["outcome"]
        concern.outcome_notes = notes
        concern.closed_by = user.id
        concern.closed_at = utcnow()
        db.session().flush()
        audit.record(
            "concern.closed",
            OBJECT_TYPE,
            concern.id,
            before,
            {"status": concern.status, "outcome": concern.outcome, "notes": notes},
        )
    return concern


# --- the officers' queue ------------------------------------------------------------------------------


def queue_rows(statuses: tuple[str, ...], limit: int, today: date) -> list[dict[str, Any]]:
    """Open concerns, safeguarding ones first, then soonest due, as the officers' queue lists them (the
    keyword arguments of ``licensing_queue.QueueItem``)."""
    rows = db.session().execute(
        select(
            Concern.id,
            Concern.reference,
            Concern.status,
            Concern.safeguarding,
            Concern.due_on,
            Concern.activity,
            Concern.mash_referred_on,
        )
        .where(Concern.status.in_(statuses))
        .order_by(Concern.safeguarding.desc(), Concern.due_on, Concern.id)
        .limit(limit)
    )
    items = []
    for row in rows:
        if row.safeguarding and row.mash_referred_on is None:
            summary = "Safeguarding: refer to the MASH"
        elif row.safeguarding:
            summary = "Safeguarding concern: referred to the MASH"
        else:
            summary = f"Concern: child {ACTIVITY_LABELS.get(row.activity, row.activity).lower()}"
        items.append(
            {
                "kind": "concern",
                "id": row.id,
                "reference": row.reference,
                "status": row.status,
                "due_on": row.due_on,
                "overdue": today > row.due_on,
                "late": False,
                "outstanding": ["mash_referral"] if row.safeguarding and row.mash_referred_on is None else [],
                "summary": summary,
                "urgent": bool(row.safeguarding),
            }
        )
    return items


def queue_count(statuses: tuple[str, ...]) -> int:
    return db.session().scalar(select(func.count()).select_from(Concern).where(Concern.status.in_(statuses)))
