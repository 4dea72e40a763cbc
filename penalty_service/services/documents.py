"""Documents of the penalty service: the penalty notice, the outcome letter to the school, and their emails.

The penalty notice holds everything reg 3 of the Education (Penalty Notices) (England) Regulations 2007
(as amended in 2024) requires: recipient's name and address; the child's name and address and the school;
the authorised officer's name and official particulars; the period of the offence and the date of issue;
the amounts and the periods for paying them; the council's name and address for payment and
correspondence; how to pay; that payment discharges liability; what happens if it is not paid; and the
grounds for withdrawal.

Documents are made after the decision commits (:func:`after_issue`, called by ``services.notices.decide``
through ``db.after_commit``), one transaction per step, so a failed render never undoes a decision. Every
step checks before it creates, under a lock on the record, so running it twice (the after-commit hook and
the ``render-documents`` job at once, or two requests for the PDF) never makes two documents or two emails.
Whatever failed is left for the ``render-documents`` job, which looks for what is missing.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import String, cast, exists, select

from penalty_service.models import PenaltyNotice, PenaltyRequest
from penalty_service.rules.notices import Offence, WithdrawalGround
from shared import audit, calendar, db, documents, notify, problems
from shared.audit import AuditEvent
from shared.documents import Document
from shared.formatting import long_date, money
from shared.notify import OutboxMessage
from shared.scheduler import Job
from shared.users import User

log = logging.getLogger(__name__)

NOTICE_OBJECT, NOTICE_KIND = "penalty_notice", "notice"
REQUEST_OBJECT, LETTER_KIND = "penalty_request", "school_letter"
DECIDED = ("issued", "rejected", "other_enforcement")
BATCH_SIZE = 50  # records the render-documents job looks at per run
LETTER_LOOKBACK_DAYS = 30  # the job makes missing school letters only for requests decided this recently

COUNCIL_NAME = "Nottinghamshire County Council"
# Contact details printed on every notice. Each may be overridden by a setting of the same name.
CONTACT_DEFAULTS = {
    "PENALTY_TEAM_NAME": "Education Enforcement Team",
    "PENALTY_POSTAL_ADDRESS": "Nottinghamshire County Council, Education Enforcement Team, County Hall, "
    "West Bridgford, Nottingham NG2 7QP",
    "PENALTY_PAYMENT_WEBSITE": "www.nottinghamshire.gov.uk/pay",
    "PENALTY_PAYMENT_PHONE": "0300 500 80 80",
    "PENALTY_PHONE_HOURS": "Monday to Friday, 8am to 6pm",
    "PENALTY_TEAM_EMAIL": "education.enforcement@nottscc.gov.uk",
    "PENALTY_PRIVACY_WEBSITE": "www.nottinghamshire.gov.uk/privacy",
}
OFFICER_ROLES = {"admin": "Unit Leader for Enforcement"}
DEFAULT_OFFICER_ROLE = "Education Enforcement Officer"
LIMIT_REASON = "the limit of 2 notices to the same parent for the same child within 3 years has been reached"


def address_lines(address: str | None) -> list[str]:
    """An address stored as one text, split into lines at commas and line breaks."""
    text = (address or "").replace("\r", "\n").replace(",", "\n")
    return [line.strip() for line in text.split("\n") if line.strip()]


def contacts() -> dict[str, str]:
    config = current_app.config
    return {
        key.removeprefix("PENALTY_").lower(): config.get(key) or value
        for key, value in CONTACT_DEFAULTS.items()
    }


@dataclass(frozen=True)
class OffenceText:
    title: str
    law: str
    description: str
    prosecution: list[str]


def offence_text(offence: str | None) -> OffenceText:
    s444 = [
        "The council may prosecute you in the magistrates' court under section 444 of the Education Act "
        "1996 for failing to secure your child's regular attendance at school.",
        "If you are convicted, the court can fine you up to £1,000. For the aggravated offence (section "
        "444(1A): knowing that your child was not attending and failing to make them attend) the fine is "
        "up to £2,500 and the court can also send you to prison for up to 3 months.",
        "A conviction gives you a criminal record. The court can also make a parenting order (section 8 of "
        "the Crime and Disorder Act 1998) and order you to pay costs.",
    ]
    if offence == Offence.EXCLUDED_PUPIL_IN_PUBLIC_PLACE:
        return OffenceText(
            title="Excluded pupil present in a public place during school hours",
            law="section 103 of the Education and Inspections Act 2006",
            description=(
                "As the parent of a pupil excluded from school, you failed to ensure that your child was "
                "not present in a public place during school hours on one of the first five school days of "
                "the exclusion, contrary to section 103 of the Education and Inspections Act 2006. This "
                "notice is given under section 105 of that Act."
            ),
            prosecution=[
                "The council may prosecute you in the magistrates' court under section 103 of the Education "
                "and Inspections Act 2006.",
                "If you are convicted, the court can fine you up to £1,000. A conviction gives you a "
                "criminal record, and the court can order you to pay costs.",
            ],
        )
    if offence == Offence.LEAVE_OF_ABSENCE:
        return OffenceText(
            title="Failing to secure regular attendance at school: leave of absence in term time",
            law="section 444(1) of the Education Act 1996",
            description=(
                "As the parent of a child of compulsory school age who is a registered pupil at the "
                "school named above, you failed to secure your child's regular attendance at the school, "
                "contrary to section 444(1) of the Education Act 1996: your child was taken out of school "
                "in term time for leave of absence that the school had not authorised. This notice is given "
                "under section 444A of that Act."
            ),
            prosecution=s444,
        )
    return OffenceText(
        title="Failing to secure regular attendance at school: irregular attendance",
        law="section 444(1) of the Education Act 1996",
        description=(
            "As the parent of a child of compulsory school age who is a registered pupil at the school named "
            "above, you failed to secure your child's regular attendance at the school, contrary to section "
            "444(1) of the Education Act 1996: your child was absent without authorisation (including "
            "arriving after the register closed). This notice is given under section 444A of that Act."
        ),
        prosecution=s444,
    )


def _excluded_period(request: PenaltyRequest | None) -> tuple[date | None, date | None]:
    """An excluded pupil's sessions coded E, where the register counts no unauthorised absence."""
    days = sorted(
        date.fromisoformat(s["date"]) for s in (request.register if request else []) if s.get("code") == "E"
    )
    return (days[0], days[-1]) if days else (None, None)


def _officer(user_id: int | None) -> tuple[str, str]:
    """The authorised officer's name and official particulars."""
    user = db.session().get(User, user_id) if user_id is not None else None
    role = OFFICER_ROLES.get(user.role, DEFAULT_OFFICER_ROLE) if user else DEFAULT_OFFICER_ROLE
    if user is not None and user.name.strip():
        name = user.name.strip()
    else:
        name = f"Authorised officer no. {user.id}" if user else "Authorised officer"
    return name, f"{role}, {COUNCIL_NAME}"


def _amount_lines(notice: PenaltyNotice) -> dict[str, Any]:
    lower, full = notice.amount_lower_pence, notice.amount_full_pence
    lower_until, final = long_date(notice.lower_rate_until), long_date(notice.final_payment_day)
    if lower is not None:
        sentence = (
            f"{money(lower)} if paid within 21 days of receipt — by {lower_until} — or {money(full)} if "
            f"paid after 21 days but within 28 days — by {final}."
        )
        rows = [(money(lower), f"if paid by {lower_until}"), (money(full), f"if paid by {final}")]
    else:
        sentence = f"{money(full)} if paid within 28 days of receipt — by {final}."
        rows = [(money(full), f"if paid by {final}")]
    return {"sentence": sentence, "rows": rows}


def notice_context(notice: PenaltyNotice) -> dict[str, Any]:
    """Everything the notice shows, as text: the same notice always gives the same context."""
    request = db.session().get(PenaltyRequest, notice.request_id) if notice.request_id else None
    officer_name, officer_role = _officer(request.decided_by if request else None)
    period_from, period_to = notice.period_from, notice.period_to
    if period_from is None and notice.offence == Offence.EXCLUDED_PUPIL_IN_PUBLIC_PLACE:
        period_from, period_to = _excluded_period(request)
    if period_from and period_to and period_from != period_to:
        period = f"from {long_date(period_from)} to {long_date(period_to)}"
    elif period_from:
        period = f"on {long_date(period_from)}"
    else:
        period = "on the dates recorded in the school's attendance register"
    school = notice.school
    return {
        "title": f"Penalty notice {notice.notice_number}",
        "footer_left": f"Penalty notice {notice.notice_number} — {COUNCIL_NAME}",
        "notice": notice,
        "recipient_name": notice.parent_name,
        "recipient_address": address_lines(notice.parent_address),
        "child_name": notice.pupil_name,
        "child_date_of_birth": long_date(request.pupil_date_of_birth) if request else "",
        "child_address": ", ".join(address_lines(request.pupil_address)) if request else "",
        "school_name": school.name if school else "",
        "school_address": ", ".join(address_lines(school.address)) if school else "",
        "offence": offence_text(notice.offence),
        "period": period,
        "issue_date": long_date(notice.issue_date),
        "posted_on": long_date(notice.posted_on),
        "served_on": long_date(notice.served_on),
        "lower_rate_until": long_date(notice.lower_rate_until),
        "final_payment_day": long_date(notice.final_payment_day),
        "amounts": _amount_lines(notice),
        "is_second": notice.is_second and notice.amount_lower_pence is None,
        "officer_name": officer_name,
        "officer_role": officer_role,
        "withdrawal_grounds": [ground.label for ground in WithdrawalGround],
        "contact": contacts(),
        "council": COUNCIL_NAME,
    }


def _blocked_reasons(request: PenaltyRequest) -> dict[str, str]:
    """Why a parent got no notice, as recorded with the decision (the audit log keeps the verdicts)."""
    event = db.session().scalar(
        select(AuditEvent)
        .where(
            AuditEvent.action == "penalty_request.decided",
            AuditEvent.object_type == "penalty_request",
            AuditEvent.object_id == str(request.id),
        )
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
    blocked = (event.after or {}).get("blocked", []) if event else []
    return {b.get("parent_name", ""): b.get("reason", "") for b in blocked if isinstance(b, dict)}


def letter_context(request: PenaltyRequest) -> dict[str, Any]:
    """The outcome letter to the school: the notices issued, or why none (or not all) were."""
    notices = (
        db.session()
        .scalars(
            select(PenaltyNotice).where(PenaltyNotice.request_id == request.id).order_by(PenaltyNotice.id)
        )
        .all()
    )
    blocked = []
    if request.status != "rejected":  # every parent without a notice was stopped by the 3-year limit
        issued_to = {n.parent_name for n in notices}
        reasons = _blocked_reasons(request)
        blocked = [
            {"parent_name": parent.name, "reason": reasons.get(parent.name) or LIMIT_REASON}
            for parent in request.parents
            if parent.name not in issued_to
        ]
    officer_name, officer_role = _officer(request.decided_by)
    rows = []
    for n in notices:
        if n.amount_lower_pence is not None:
            amount = (
                f"{money(n.amount_lower_pence)} by {long_date(n.lower_rate_until)}, "
                f"otherwise {money(n.amount_full_pence)}"
            )
        else:
            amount = f"{money(n.amount_full_pence)} (second notice: no lower amount)"
        rows.append(
            {
                "parent_name": n.parent_name,
                "notice_number": n.notice_number,
                "amount": amount,
                "served_on": long_date(n.served_on),
                "final_payment_day": long_date(n.final_payment_day),
            }
        )
    school = request.school
    return {
        "title": f"Penalty notice request {request.reference}: outcome",
        "footer_left": f"Request {request.reference} — {COUNCIL_NAME}",
        "request": request,
        "school_name": school.name,
        "school_address": address_lines(school.address),
        "pupil_name": request.pupil_name,
        "pupil_date_of_birth": long_date(request.pupil_date_of_birth),
        "offence": offence_text(request.offence),
        "received_on": long_date(request.received_on),
        "decided_on": long_date(request.decided_on),
        "period_from": long_date(request.first_absence_on),
        "period_to": long_date(request.last_absence_on),
        "status": request.status,
        "reason": request.decision_reason or "",
        "notices": rows,
        "blocked": blocked,
        "officer_name": officer_name,
        "officer_role": officer_role,
        "contact": contacts(),
        "council": COUNCIL_NAME,
    }


# --- storing, once ---------------------------------------------------------------------------------


def _documents_of(object_type: str, object_id: int, kind: str):
    return select(Document.id).where(
        Document.object_type == object_type, Document.object_id == str(object_id), Document.kind == kind
    )


def _store_once(
    model: type[PenaltyNotice] | type[PenaltyRequest],
    record_id: int,
    object_type: str,
    kind: str,
    filename: str,
    render: Callable[[], bytes],
) -> tuple[Document, bool]:
    """The record's document of ``kind`` and whether it was made now: the stored one, or rendered, stored
    and audited (its own transaction). Rendering happens outside the lock; the check is repeated under it."""
    existing = documents.latest(object_type, record_id, kind)
    if existing is not None:
        return existing, False
    try:
        content = render()
    except Exception as exc:
        log.exception("rendering %s %s %s failed", object_type, record_id, kind)
        raise problems.Problem(503, "The document could not be made just now: try again later") from exc
    with db.transaction():
        db.lock_row(model, record_id)
        existing = documents.latest(object_type, record_id, kind)
        if existing is not None:
            return existing, False
        document = documents.store(object_type, record_id, kind, filename, content)
        db.session().flush()
        audit.record(
            "document.created",
            object_type,
            record_id,
            after={
                "document_id": document.id,
                "kind": kind,
                "filename": filename,
                "sha256": document.sha256,
                "size": document.size,
            },
        )
    return document, True


def notice_pdf(notice: PenaltyNotice) -> Document:
    """The notice's PDF, made and stored on first use (``<notice number>.pdf``).

    Commits its own transaction: call it outside one. Only notices the council issued have one.
    """
    return _notice_document(notice)[0]


def school_letter_pdf(request: PenaltyRequest) -> Document:
    """The outcome letter to the school for a decided request, made and stored on first use."""
    return _school_letter(request)[0]


def _notice_document(notice: PenaltyNotice) -> tuple[Document, bool]:
    if notice.source != "council" or notice.served_on is None:
        raise problems.Problem(
            404, "This notice was not issued by the council, so it has no council document"
        )
    return _store_once(
        PenaltyNotice,
        notice.id,
        NOTICE_OBJECT,
        NOTICE_KIND,
        f"{notice.notice_number}.pdf",
        lambda: documents.render_pdf("penalty_notice.html", **notice_context(notice)),
    )


def _school_letter(request: PenaltyRequest) -> tuple[Document, bool]:
    if request.status not in DECIDED:
        raise problems.Problem(409, "This request has not been decided yet, so there is no outcome letter")
    return _store_once(
        PenaltyRequest,
        request.id,
        REQUEST_OBJECT,
        LETTER_KIND,
        f"{request.reference}-outcome.pdf",
        lambda: documents.render_pdf("school_outcome_letter.html", **letter_context(request)),
    )


def _email_once(
    model: type[PenaltyNotice] | type[PenaltyRequest],
    record_id: int,
    object_type: str,
    kind: str,
    compose: Callable[[], tuple[str, str, str] | None],
    document: Document,
) -> bool:
    """Queue the email carrying the record's document, unless one already carries a document of that
    kind for that record. ``compose`` gives (to, subject, body), or None when there is no one to send to."""
    with db.transaction():
        db.lock_row(model, record_id)
        sent = db.session().scalar(
            select(OutboxMessage.id)
            .where(OutboxMessage.document_id.in_(_documents_of(object_type, record_id, kind)))
            .limit(1)
        )
        if sent is not None:
            return False
        message = compose()
        if message is None:
            return False
        to, subject, body = message
        notify.enqueue(
            to, subject, body, object_type=object_type, object_id=record_id, document_id=document.id
        )
    return True


def _parent_email(notice_id: int) -> tuple[str, str, str] | None:
    notice = db.session().get(PenaltyNotice, notice_id, populate_existing=True)
    if notice is None or not notice.parent_email or notice.status != "issued":
        return None
    c = contacts()
    amounts = _amount_lines(notice)["sentence"]
    body = (
        f"Dear {notice.parent_name},\n\n"
        f"{COUNCIL_NAME} has issued you a penalty notice about {notice.pupil_name}'s attendance at "
        f"{notice.school.name if notice.school else 'school'}. The notice is attached to this email and "
        "has also been sent to you by first-class post.\n\n"
        f"Notice number (your payment reference): {notice.notice_number}\n"
        f"Treated as received on: {long_date(notice.served_on)}\n"
        f"Amount: {amounts}\n\n"
        f"Pay online at {c['payment_website']} or by telephone on {c['payment_phone']} "
        f"({c['phone_hours']}), quoting the notice number.\n\n"
        "Please read the notice: it explains what paying means, what happens if you do not pay, and when "
        "the notice can be withdrawn.\n\n"
        f"{c['team_name']}\n{COUNCIL_NAME}\n"
    )
    return notice.parent_email, f"Penalty notice {notice.notice_number} for {notice.pupil_name}", body


def _school_email(request_id: int) -> tuple[str, str, str] | None:
    request = db.session().get(PenaltyRequest, request_id, populate_existing=True)
    if request is None or request.school is None or not request.school.email:
        return None
    any_notice = db.session().scalar(
        select(PenaltyNotice.id).where(PenaltyNotice.request_id == request.id).limit(1)
    )
    if request.status == "rejected":
        outcome = "We have decided not to issue a penalty notice."
    elif any_notice is None:
        outcome = "No penalty notice could be issued; we will consider other enforcement action."
    else:
        outcome = "We have issued penalty notices; the attached letter lists them."
    body = (
        f"Dear {request.school.name},\n\n"
        f"Your request {request.reference} for penalty notices for {request.pupil_name} has been decided. "
        f"{outcome}\n\nThe attached letter gives the details. We will tell you when each notice is paid, "
        "withdrawn or referred for prosecution.\n\n"
        f"{contacts()['team_name']}\n{COUNCIL_NAME}\n"
    )
    return request.school.email, f"Penalty notice request {request.reference}: outcome", body


# --- after the decision, and the retry job ----------------------------------------------------------


def _attempt(counts: Counter, name: str, step: Callable[[], object]) -> object | None:
    """Run one step; a failure is logged and counted, never raised (the job retries what is missing)."""
    try:
        return step()
    except Exception:
        db.session().rollback()
        counts["failed"] += 1
        log.exception("penalty documents: %s failed; the render-documents job will retry", name)
        return None


def _notice_steps(counts: Counter, notice_id: int) -> int | None:
    notice = db.session().get(PenaltyNotice, notice_id)
    if notice is None or notice.source != "council":
        return None
    made = _attempt(counts, f"notice {notice_id} PDF", lambda: _notice_document(notice))
    if made is None:
        return notice.request_id
    document, created = made
    counts["notice_documents"] += int(created)
    if _attempt(
        counts,
        f"notice {notice_id} email",
        lambda: _email_once(
            PenaltyNotice, notice_id, NOTICE_OBJECT, NOTICE_KIND, lambda: _parent_email(notice_id), document
        ),
    ):
        counts["parent_emails"] += 1
    return notice.request_id


def _request_steps(counts: Counter, request_id: int) -> None:
    request = db.session().get(PenaltyRequest, request_id)
    if request is None or request.status not in DECIDED:
        return
    made = _attempt(counts, f"request {request_id} letter", lambda: _school_letter(request))
    if made is None:
        return
    document, created = made
    counts["school_letters"] += int(created)
    if _attempt(
        counts,
        f"request {request_id} email",
        lambda: _email_once(
            PenaltyRequest,
            request_id,
            REQUEST_OBJECT,
            LETTER_KIND,
            lambda: _school_email(request_id),
            document,
        ),
    ):
        counts["school_emails"] += 1


def after_issue(notice_ids: Iterable[int], request_ids: Iterable[int] = ()) -> dict[str, int]:
    """Make each notice's PDF and email it to the parent, then one letter and email per request to the
    school. Each step is its own transaction and is skipped when already done; failures are logged."""
    counts: Counter = Counter()
    requests: dict[int, None] = {}
    for notice_id in dict.fromkeys(notice_ids):
        request_id = _notice_steps(counts, notice_id)
        if request_id is not None:
            requests[request_id] = None
    for request_id in request_ids:
        requests[request_id] = None
    for request_id in requests:
        _request_steps(counts, request_id)
    return {
        key: counts[key]
        for key in ("notice_documents", "parent_emails", "school_letters", "school_emails", "failed")
    }


def render_missing(today: date | None = None, batch_size: int = BATCH_SIZE) -> dict[str, int]:
    """The ``render-documents`` job: notices the council issued that have no PDF yet, and requests
    decided in the last 30 days with no outcome letter yet, a bounded batch of each per run."""
    today = today or calendar.today()
    session = db.session()
    notice_has_document = exists().where(
        Document.object_type == NOTICE_OBJECT,
        Document.object_id == cast(PenaltyNotice.id, String),
        Document.kind == NOTICE_KIND,
    )
    notice_ids = session.scalars(
        select(PenaltyNotice.id)
        .where(PenaltyNotice.source == "council", PenaltyNotice.status == "issued", ~notice_has_document)
        .order_by(PenaltyNotice.id)
        .limit(batch_size)
    ).all()
    request_has_letter = exists().where(
        Document.object_type == REQUEST_OBJECT,
        Document.object_id == cast(PenaltyRequest.id, String),
        Document.kind == LETTER_KIND,
    )
    request_ids = session.scalars(
        select(PenaltyRequest.id)
        .where(
            PenaltyRequest.status.in_(DECIDED),
            PenaltyRequest.decided_on >= today - timedelta(days=LETTER_LOOKBACK_DAYS),
            ~request_has_letter,
        )
        .order_by(PenaltyRequest.id)
        .limit(batch_size)
    ).all()
    session.commit()  # end the read: each step below is its own transaction
    result = after_issue(notice_ids, request_ids)
    return {"notices_checked": len(notice_ids), "requests_checked": len(request_ids), **result}


RENDER_JOB = Job(
    "render-documents",
    render_missing,
    trigger="interval",
    schedule={"minutes": 5},
    description="Make penalty notice PDFs and school letters that are missing (a failed render is retried)",
    daily=False,
)

__all__ = [
    "RENDER_JOB",
    "after_issue",
    "letter_context",
    "long_date",
    "money",
    "notice_context",
    "notice_pdf",
    "render_missing",
    "school_letter_pdf",
]
