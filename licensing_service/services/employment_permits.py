"""Child employment permits (SPEC §4.3): an employer applies with the child's weekly hours, the parent gives
their declaration from an emailed link, an officer grants or refuses; a permit may be revoked, and ends a
year after issue.

Rules decided here where the specification is silent:

- The employer applies with their own account (role ``applicant``; they own the application) or an
  officer enters a paper application (and may give the day it was ``received_on``). An application is
  late when received more than ``EMPLOYMENT_APPLICATION_DAYS`` after the child started; the days worked
  without a permit (the start date to the day received) are recorded. The decision is due
  ``EMPLOYMENT_DECISION_DAYS`` days after receipt. A start after the end of compulsory school age is
  refused with a 422: no permit is needed.
- The hours are checked when the application arrives and again at the decision (the settings may have
  changed), under the regime and the child's age on the start date
  (:mod:`licensing_service.rules.employment`).
- The parent gets a single-purpose link (``PERMIT_PARENT_LINK_DAYS``) to confirm the details and give
  the declaration, typing their name. A grant needs the declaration and a schedule without breaches: a
  409 names each missing thing (``missing``: ``parent_declaration``, ``schedule``).
- An employer not known to the council gets an unannounced site visit at once: an inspection of the
  employer's premises, planned 5 working days after receipt for the officer with the fewest planned
  visits (the officer entering a paper application plans it for themselves). Nobody outside the council is
  told, and no employer's or parent's view shows it. It does not hold up the decision: the officer sees
  it on the queue and the permit page and decides whether to wait for it.
- The permit number is ``NCC-EP-<year of issue>-<id, 5 digits>``; it is valid to the day before the
  anniversary of issue, for that job only. The permit (or refusal letter, revocation letter) is rendered
  in the decision's transaction and emailed to the employer and the parent; each copy is recorded.
- The ``permit-reminders`` job reminds the employer and the parent ``EMPLOYMENT_REMINDER_WEEKS`` weeks
  before a permit ends (each reminder once ever, by a unique constraint) and marks ended permits expired.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, time, timedelta
from typing import Any
from uuid import uuid4

from flask import current_app
from sqlalchemy import Select, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from licensing_service.models.employment import (
    EmploymentPermit,
    PermitDistribution,
    PermitReminder,
    PermitStatus,
)
from licensing_service.models.links import EmailLink, LinkPurpose
from licensing_service.models.oversight import Inspection
from licensing_service.rules import employment as rules
from licensing_service.services import access, inspections, links
from licensing_service.services import permit_documents as docs
from shared import audit, auth, calendar, db, documents, notify, problems
from shared.db import utcnow
from shared.documents import Document
from shared.formatting import long_date
from shared.scheduler import Job
from shared.users import STAFF_ROLES, Role, User

log = logging.getLogger(__name__)

OBJECT_TYPE = "employment_permit"
NUMBER_PREFIX = "NCC-EP"
DECLARATION_PATH = "/employment-permit-declaration/{token}"
SITE_VISIT_WORKING_DAYS = 5
OPEN_STATUSES = (PermitStatus.SUBMITTED.value,)
EMPLOYER, PARENT = "employer", "parent"


# --- settings -----------------------------------------------------------------------------------------


def _hhmm(text: str, default: time) -> time:
    try:
        return time.fromisoformat(str(text).strip()) if text else default
    except ValueError:
        return default


def settings() -> rules.Settings:
    config = current_app.config
    commencement = str(config.get("CWSA2026_COMMENCEMENT") or "").strip()
    return rules.Settings(
        cwsa2026_commencement=date.fromisoformat(commencement) if commencement else None,
        school_day_starts=_hhmm(config.get("SCHOOL_DAY_STARTS"), time(8, 45)),
        school_day_ends=_hhmm(config.get("SCHOOL_DAY_ENDS"), time(15, 15)),
    )


def _days(key: str) -> int:
    return int(current_app.config[key])


def reminder_weeks() -> tuple[int, ...]:
    raw = str(current_app.config.get("EMPLOYMENT_REMINDER_WEEKS") or "")
    return tuple(sorted({int(w) for w in raw.replace(" ", "").split(",") if w.isdigit() and int(w) > 0}))


def declaration_url(token: str) -> str:
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + DECLARATION_PATH.format(token=token)


# --- the weekly pattern -------------------------------------------------------------------------------


def _t(value: Any) -> str:
    return value.strftime("%H:%M") if isinstance(value, time) else str(value)


def schedule_json(pattern: dict[str, Any]) -> dict[str, Any]:
    """A loaded weekly pattern as stored: times as ``HH:MM``, each list in day and time order."""

    def periods(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        rows = [
            {
                "day": p["day"],
                "start": _t(p["start"]),
                "end": _t(p["end"]),
                "breaks": sorted(
                    ({"start": _t(b["start"]), "end": _t(b["end"])} for b in p.get("breaks") or []),
                    key=lambda b: b["start"],
                ),
            }
            for p in items
        ]
        return sorted(rows, key=lambda p: (rules.DAYS.index(p["day"]), p["start"]))

    return {
        "term_time": periods(pattern.get("term_time") or []),
        "holidays": periods(pattern.get("holidays") or []),
        "holiday_weeks_free": bool(pattern.get("holiday_weeks_free")),
        "school_starts": _t(pattern["school_starts"]) if pattern.get("school_starts") else None,
        "school_ends": _t(pattern["school_ends"]) if pattern.get("school_ends") else None,
    }


def schedule_rules(stored: dict[str, Any]) -> rules.Schedule:
    def shifts(items: list[dict[str, Any]]) -> tuple[rules.Shift, ...]:
        return tuple(
            rules.Shift(
                p["day"],
                time.fromisoformat(p["start"]),
                time.fromisoformat(p["end"]),
                tuple((time.fromisoformat(b["start"]), time.fromisoformat(b["end"])) for b in p["breaks"]),
            )
            for p in items
        )

    return rules.Schedule(
        term_time=shifts(stored.get("term_time") or []),
        holidays=shifts(stored.get("holidays") or []),
        holiday_weeks_free=bool(stored.get("holiday_weeks_free")),
        school_starts=time.fromisoformat(stored["school_starts"]) if stored.get("school_starts") else None,
        school_ends=time.fromisoformat(stored["school_ends"]) if stored.get("school_ends") else None,
    )


def finding_json(f: rules.Finding) -> dict[str, Any]:
    return {"code": f.code, "date": f.date.isoformat() if f.date else None, "message": f.message}


def check_hours(
    date_of_birth: date, category: str, start_date: date, pattern: dict[str, Any]
) -> rules.Result:
    """The public check: the same rules and settings as an application."""
    return rules.check(
        date_of_birth, category, start_date, schedule_rules(schedule_json(pattern)), settings()
    )


def result_of(permit: EmploymentPermit) -> rules.Result:
    return rules.check(
        permit.child_date_of_birth,
        permit.job_category,
        permit.start_date,
        schedule_rules(permit.schedule),
        settings(),
    )


def weekly_minutes(stored: dict[str, Any], period: str) -> int:
    return sum(rules.shift_minutes(s) for s in schedule_rules(stored).of(rules.Period(period)))


# --- loading ------------------------------------------------------------------------------------------


OWNED = access.Owned(EmploymentPermit)
scope = OWNED.scope


def get_visible(permit_id: int, user: User) -> EmploymentPermit:
    return OWNED.visible(permit_id, user)


def _locked(permit_id: int, user: User | None) -> EmploymentPermit:
    return OWNED.locked(permit_id, user)


def list_query(user: User, status: str | None = None) -> Select:
    query = scope(select(EmploymentPermit), user)
    if status:
        query = query.where(EmploymentPermit.status == status)
    return query.order_by(EmploymentPermit.decision_due_on.desc(), EmploymentPermit.id.desc())


def is_overdue(permit: EmploymentPermit, today: date | None = None) -> bool:
    return permit.status == PermitStatus.SUBMITTED and (today or calendar.today()) > permit.decision_due_on


def site_visit(permit: EmploymentPermit) -> Inspection | None:
    """Staff only: the site visit planned for an unknown employer."""
    if permit.inspection_id is None:
        return None
    return db.session().get(Inspection, permit.inspection_id)


# --- emails -------------------------------------------------------------------------------------------


def _sign_off() -> str:
    contact = docs.contacts()
    return f"{contact['team_name']}\n{docs.COUNCIL_NAME}\n{contact['team_email']}"


def _email(
    permit: EmploymentPermit, party: str, subject: str, lines: list[str], document_id: int | None = None
) -> notify.OutboxMessage:
    name, address = (
        (permit.employer_contact, permit.employer_email)
        if party == EMPLOYER
        else (permit.parent_name, permit.parent_email)
    )
    body = "\n\n".join([f"Dear {name},", *lines, _sign_off()]) + "\n"
    return notify.enqueue(
        address, subject, body, object_type=OBJECT_TYPE, object_id=permit.id, document_id=document_id
    )


def _what(permit: EmploymentPermit) -> str:
    return f"{permit.child_name} to work for {permit.employer_name} ({permit.job_description})"


def _send_parent_link(permit: EmploymentPermit) -> None:
    days = _days("PERMIT_PARENT_LINK_DAYS")
    token, _link = links.issue(LinkPurpose.PERMIT_PARENT, OBJECT_TYPE, permit.id, permit.parent_email, days)
    _email(
        permit,
        PARENT,
        f"Confirm {permit.child_first_name}'s work permit application",
        [
            f"{permit.employer_name} has applied to {docs.COUNCIL_NAME} for a permit for your child, "
            f"{permit.child_name}, to work for them from {long_date(permit.start_date)} "
            f"(reference {permit.reference}).",
            "A child may only work with a permit, and we need you, as their parent or carer, to check the "
            "job and the hours and to give your agreement. Use this link:",
            declaration_url(token),
            f"The link works once, for {days} days. If you did not expect this email, or do not agree "
            "to your child doing this work, contact us.",
        ],
    )


# --- applying -----------------------------------------------------------------------------------------


def _visit_officer(user: User) -> int | None:
    """Who visits an unknown employer: the officer entering a paper application, or else the active
    officer with the fewest planned inspections (admins only where there is no officer)."""
    if user.is_staff:
        return user.id
    planned = (
        select(Inspection.officer_id, func.count().label("n"))
        .where(Inspection.status == inspections.Status.PLANNED.value)
        .group_by(Inspection.officer_id)
        .subquery()
    )
    return db.session().scalar(
        select(User.id)
        .outerjoin(planned, planned.c.officer_id == User.id)
        .where(User.active.is_(True), User.role.in_([r.value for r in STAFF_ROLES]))
        .order_by(User.role != Role.OFFICER.value, func.coalesce(planned.c.n, 0), User.id)
        .limit(1)
    )


def submit(data: dict[str, Any], user: User) -> EmploymentPermit:
    today = calendar.today()
    received_on = data.get("received_on") if user.is_staff and data.get("received_on") else today
    if received_on > today:
        raise problems.invalid("received_on", "The date received must be today or in the past")
    child, job = data["child"], data["job"]
    if data["start_date"] < child["date_of_birth"]:
        raise problems.invalid("start_date", "The start date must be after the child's date of birth")
    stored = schedule_json(data["schedule"])
    result = rules.check(
        child["date_of_birth"], job["category"], data["start_date"], schedule_rules(stored), settings()
    )
    out_of_scope = next((w for w in result.warnings if w.code == "out_of_scope_age"), None)
    if out_of_scope is not None:
        raise problems.invalid("child.date_of_birth", out_of_scope.message)
    window = rules.application_window(data["start_date"], received_on, _days("EMPLOYMENT_APPLICATION_DAYS"))
    employer, parent = data["employer"], data["parent"]
    with db.transaction():
        permit = EmploymentPermit(
            reference=f"tmp-{uuid4().hex[:16]}",  # replaced once the id is known
            owner_id=user.id,
            status=PermitStatus.SUBMITTED.value,
            employer_name=employer["name"].strip(),
            employer_address=employer["address"].strip(),
            employer_contact=employer["contact"].strip(),
            employer_email=employer["email"],
            employer_known=employer["known_to_council"],
            child_first_name=child["first_name"].strip(),
            child_last_name=child["last_name"].strip(),
            child_date_of_birth=child["date_of_birth"],
            child_address=child["address"].strip(),
            child_school_name=child["school_name"].strip(),
            parent_name=parent["name"].strip(),
            parent_email=parent["email"],
            parent_address=parent["address"].strip(),
            job_description=job["description"].strip(),
            job_category=job["category"],
            start_date=data["start_date"],
            schedule=stored,
            received_on=received_on,
            late=window.late,
            unpermitted_from=window.unpermitted_from,
            unpermitted_until=window.unpermitted_until,
            decision_due_on=received_on + timedelta(days=_days("EMPLOYMENT_DECISION_DAYS")),
            regime=result.regime.value,
            breaches=[finding_json(f) for f in result.breaches],
            warnings=[finding_json(f) for f in result.warnings],
            created_by=user.id,
        )
        session = db.session()
        session.add(permit)
        session.flush()
        permit.reference = f"EP-{received_on.year}-{permit.id:06d}"
        visit = None
        if not permit.employer_known:
            officer_id = _visit_officer(user)
            if officer_id is not None:
                visit = inspections.plan_within(
                    inspections.SubjectKind.EMPLOYMENT_PERMIT.value,
                    permit.id,
                    inspections.PlaceKind.EMPLOYER_PREMISES.value,
                    permit.employer_address,
                    calendar.add_working_days(max(received_on, today), SITE_VISIT_WORKING_DAYS),
                    officer_id,
                    f"Site visit: {permit.employer_name} is not known to the council "
                    f"(employment permit {permit.reference}).",
                )
                permit.inspection_id = visit.id
        audit.record(
            "employment_permit.submitted",
            OBJECT_TYPE,
            permit.id,
            after={
                "reference": permit.reference,
                "status": permit.status,
                "received_on": received_on,
                "start_date": permit.start_date,
                "late": permit.late,
                "unpermitted_from": permit.unpermitted_from,
                "unpermitted_until": permit.unpermitted_until,
                "decision_due_on": permit.decision_due_on,
                "breaches": [f["code"] for f in permit.breaches],
                "employer_known": permit.employer_known,
                "site_visit": visit.reference if visit is not None else None,
            },
        )
        _email(
            permit,
            EMPLOYER,
            f"Child employment permit application {permit.reference} received",
            [
                f"We have received your application for a permit for {_what(permit)}, reference "
                f"{permit.reference}. We aim to decide by {long_date(permit.decision_due_on)}.",
                f"We have asked {permit.parent_name}, the child's parent, to confirm the details and give "
                "their declaration: we cannot grant the permit until they do.",
                *(
                    [
                        f"The application arrived on {long_date(received_on)}, more than "
                        f"{_days('EMPLOYMENT_APPLICATION_DAYS')} days after the child started on "
                        f"{long_date(permit.start_date)}. The child has worked without a permit since then: "
                        "we have recorded this."
                    ]
                    if permit.late
                    else []
                ),
                *(
                    [
                        "The hours you gave do not keep to the law, so we cannot grant the permit as it is:",
                        *(f"- {f['message']}" for f in permit.breaches),
                    ]
                    if permit.breaches
                    else []
                ),
            ],
        )
        _send_parent_link(permit)
    return permit


def resend_parent_link(permit_id: int, user: User) -> EmploymentPermit:
    """A new link for the parent (the old one stops working); 409 once declared or decided."""
    with db.transaction():
        permit = _locked(permit_id, user)
        if permit.status != PermitStatus.SUBMITTED or permit.parent_declared:
            raise problems.Problem(409, "The parent's declaration is no longer needed")
        _send_parent_link(permit)
        audit.record(
            "employment_permit.parent_link_sent", OBJECT_TYPE, permit.id, after={"to": permit.parent_email}
        )
    return permit


# --- the parent's declaration -------------------------------------------------------------------------


def _open_for_parent(link: EmailLink, *, lock: bool = False) -> EmploymentPermit:
    permit = (
        _locked(link.object_id, None)
        if lock
        else auth.visible_or_404(db.session().get(EmploymentPermit, link.object_id))
    )
    if permit.status != PermitStatus.SUBMITTED:
        raise problems.Problem(409, f"The application is {permit.status}: nothing more is needed from you")
    if permit.parent_declared:
        raise problems.Problem(409, "You have already given your declaration")
    return permit


def declaration_view(token: str) -> dict[str, Any]:
    """What the parent is asked to confirm: the job, the employer and the hours — nothing else."""
    link = links.find(token, LinkPurpose.PERMIT_PARENT)
    permit = _open_for_parent(link)
    return {
        "permit": permit,
        "reference": permit.reference,
        "child": {
            "first_name": permit.child_first_name,
            "last_name": permit.child_last_name,
            "date_of_birth": permit.child_date_of_birth.isoformat(),
            "school_name": permit.child_school_name,
        },
        "employer": {"name": permit.employer_name, "address": permit.employer_address},
        "job": {
            "description": permit.job_description,
            "category": permit.job_category,
            "category_label": rules.CATEGORY_LABELS.get(permit.job_category, permit.job_category),
        },
        "parent_name": permit.parent_name,
        "start_date": permit.start_date,
        "schedule": permit.schedule,
        "breaches": permit.breaches,
        "expires_at": link.expires_at,
    }


def declare(token: str, data: dict[str, Any]) -> EmploymentPermit:
    name = (data.get("name") or "").strip()
    if data.get("declaration") is not True:
        raise problems.invalid("declaration", "Confirm the declaration to agree to the application")
    if not name:
        raise problems.invalid("name", "Enter your full name")
    with db.transaction():
        link = links.find(token, LinkPurpose.PERMIT_PARENT, for_update=True)
        permit = _open_for_parent(link, lock=True)
        links.use(link)
        permit.parent_declared_at = utcnow()
        permit.parent_declared_name = name[:200]
        links.revoke(OBJECT_TYPE, permit.id, LinkPurpose.PERMIT_PARENT)
        audit.record(
            "employment_permit.parent_declared",
            OBJECT_TYPE,
            permit.id,
            before={"parent_declared": False},
            after={"parent_declared": True, "name": permit.parent_declared_name},
            actor=f"parent_link:{link.id}",
        )
        _email(
            permit,
            EMPLOYER,
            f"Parent's declaration given: {permit.reference}, {permit.child_name}",
            [
                f"{permit.parent_name} has confirmed the details and given their declaration for "
                f"{_what(permit)}."
            ],
        )
        _email(
            permit,
            PARENT,
            f"We have received your declaration for {permit.child_first_name}'s work permit",
            [
                f"Thank you. We received your declaration on {long_date(calendar.today())} "
                f"({permit.reference}). We will email you and the employer when we have decided."
            ],
        )
    return permit


# --- the decision -------------------------------------------------------------------------------------


def readiness(permit: EmploymentPermit) -> tuple[list[str], dict[str, list[str]], list[dict[str, Any]]]:
    """What stands between the application and a grant: (missing, errors by field, breaches)."""
    missing: list[str] = []
    errors: dict[str, list[str]] = {}
    result = result_of(permit)
    breaches = [finding_json(f) for f in result.breaches]
    if not permit.parent_declared:
        missing.append("parent_declaration")
        errors["parent_declaration"] = ["The parent has not given their declaration yet"]
    if breaches:
        missing.append("schedule")
        errors["schedule"] = [f["message"] for f in breaches]
    return missing, errors, breaches


def _render(render: Callable[[], bytes]) -> bytes:
    try:
        return render()
    except Exception as exc:
        log.exception("rendering an employment permit document failed")
        raise problems.Problem(
            503, "The document could not be made just now, so nothing was changed: try again shortly"
        ) from exc


def _distribute(
    permit: EmploymentPermit, event: str, document: Document, lines: Callable[[str], tuple[str, list[str]]]
) -> list[PermitDistribution]:
    today = calendar.today()
    rows = []
    for party, address in ((EMPLOYER, permit.employer_email), (PARENT, permit.parent_email)):
        subject, body = lines(party)
        message = _email(permit, party, subject, body, document_id=document.id)
        db.session().flush()
        row = PermitDistribution(
            permit_id=permit.id,
            party=party,
            event=event,
            email=address,
            sent_on=today,
            document_id=document.id,
            outbox_message_id=message.id,
        )
        permit.distributions.append(row)
        rows.append(row)
    db.session().flush()
    return rows


def permit_number(permit_id: int, issued_on: date) -> str:
    return f"{NUMBER_PREFIX}-{issued_on.year}-{permit_id:05d}"


def decide(permit_id: int, data: dict[str, Any], user: User) -> EmploymentPermit:
    """Grant (409 naming each missing thing) or refuse (with a reason) a submitted application."""
    decision = data.get("decision")
    reason = (data.get("reason") or "").strip() or None
    if decision == "refuse" and reason is None:
        raise problems.invalid("reason", "Give the reason for refusing the permit")
    today = calendar.today()
    issued_on = data.get("issue_date") or today
    with db.transaction():
        permit = _locked(permit_id, user)
        if permit.status != PermitStatus.SUBMITTED:
            raise problems.Problem(
                409,
                f"Cannot decide: the application is {permit.status}",
                extra={"current_status": permit.status},
            )
        if decision == "grant":
            if issued_on > today:
                raise problems.invalid("issue_date", "The issue date must be today or in the past")
            if issued_on < permit.received_on:
                raise problems.invalid(
                    "issue_date",
                    f"The issue date must be on or after the day the application was received, "
                    f"{long_date(permit.received_on)}",
                )
            missing, errors, breaches = readiness(permit)
            if missing:
                raise problems.Problem(
                    409,
                    "The permit cannot be granted yet: " + "; ".join(m for ms in errors.values() for m in ms),
                    errors=errors,
                    extra={"current_status": permit.status, "missing": missing, "breaches": breaches},
                )
            _grant(permit, issued_on, reason, user)
        else:
            _refuse(permit, reason or "", user)
    return permit


def _officer_name(user: User) -> str:
    return (user.name or "").strip() or f"Officer no. {user.id}"


def _grant(permit: EmploymentPermit, issued_on: date, reason: str | None, user: User) -> None:
    result = result_of(permit)
    permit.status = PermitStatus.GRANTED.value
    permit.permit_number = permit_number(permit.id, issued_on)
    permit.issued_on = issued_on
    permit.valid_until = rules.permit_valid_until(issued_on)
    permit.regime = result.regime.value
    permit.breaches = []
    permit.warnings = [finding_json(f) for f in result.warnings]
    permit.decided_by = user.id
    permit.decided_at = utcnow()
    links.revoke(OBJECT_TYPE, permit.id)
    db.session().flush()
    content = _render(lambda: docs.render_permit(permit, _officer_name(user)))
    document = documents.store(
        OBJECT_TYPE, permit.id, docs.PERMIT_KIND, f"{permit.permit_number}.pdf", content
    )
    db.session().flush()
    until = long_date(permit.valid_until)

    def lines(party: str) -> tuple[str, list[str]]:
        if party == PARENT:
            return f"{permit.child_first_name}'s work permit {permit.permit_number}", [
                f"We have granted a permit for {_what(permit)}. It is valid until {until}. The permit is "
                "attached: it shows the hours your child may work and the conditions the employer must keep.",
                "If your child works other hours or does other work, or you are worried about them, "
                "contact us.",
            ]
        return f"Child employment permit {permit.permit_number} granted: {permit.child_name}", [
            f"We have granted permit {permit.permit_number} for {_what(permit)}. It is valid until {until}, "
            "for this job only. The permit is attached.",
            "Keep it at the place of work and show it to an authorised officer on request. The child may "
            "work only the hours printed on it. Tell us at once of any change to the job or the hours: the "
            "permit does not cover them. We have sent a copy to the child's parent.",
        ]

    rows = _distribute(permit, "granted", document, lines)
    audit.record(
        "employment_permit.granted",
        OBJECT_TYPE,
        permit.id,
        before={"status": PermitStatus.SUBMITTED.value},
        after={
            "status": permit.status,
            "permit_number": permit.permit_number,
            "issued_on": issued_on,
            "valid_until": permit.valid_until,
            "late": permit.late,
            "document": {"id": document.id, "sha256": document.sha256},
            "distribution": [{"party": r.party, "email": r.email} for r in rows],
        },
        note=reason,
    )


def _refuse(permit: EmploymentPermit, reason: str, user: User) -> None:
    permit.status = PermitStatus.REFUSED.value
    permit.refusal_reason = reason
    permit.decided_by = user.id
    permit.decided_at = utcnow()
    links.revoke(OBJECT_TYPE, permit.id)
    db.session().flush()
    content = _render(lambda: docs.render_refusal(permit, _officer_name(user), calendar.today()))
    document = documents.store(
        OBJECT_TYPE, permit.id, docs.REFUSAL_KIND, f"{permit.reference}-refusal.pdf", content
    )
    db.session().flush()

    def lines(party: str) -> tuple[str, list[str]]:
        subject = f"Child employment permit application {permit.reference} refused: {permit.child_name}"
        if party == PARENT:
            return subject, [
                f"We have refused the application for a permit for {_what(permit)}. Your child must not do "
                "this work. The attached letter, sent to the employer, gives the reason."
            ]
        return subject, [
            f"We have refused your application {permit.reference} for {_what(permit)}. The attached letter "
            "gives the reason and what you can do. The child must not do this work.",
            "We have told the child's parent.",
        ]

    rows = _distribute(permit, "refused", document, lines)
    audit.record(
        "employment_permit.refused",
        OBJECT_TYPE,
        permit.id,
        before={"status": PermitStatus.SUBMITTED.value},
        after={
            "status": permit.status,
            "reason": reason,
            "document": {"id": document.id, "sha256": document.sha256},
            "distribution": [{"party": r.party, "email": r.email} for r in rows],
        },
    )


def revoke(permit_id: int, data: dict[str, Any], user: User) -> EmploymentPermit:
    """Revoke a granted permit from today with a reason; the employer and parent get the letter."""
    reason = (data.get("reason") or "").strip()
    if not reason:
        raise problems.invalid("reason", "Give the reason for revoking the permit")
    with db.transaction():
        permit = _locked(permit_id, user)
        if permit.status != PermitStatus.GRANTED:
            raise problems.Problem(
                409,
                f"Only a granted permit can be revoked: this one is {permit.status}",
                extra={"current_status": permit.status},
            )
        permit.status = PermitStatus.REVOKED.value
        permit.revoked_on = calendar.today()
        permit.revoked_by = user.id
        permit.revocation_reason = reason
        db.session().flush()
        content = _render(lambda: docs.render_revocation(permit, _officer_name(user)))
        document = documents.store(
            OBJECT_TYPE, permit.id, docs.REVOCATION_KIND, f"{permit.permit_number}-revocation.pdf", content
        )
        db.session().flush()

        def lines(party: str) -> tuple[str, list[str]]:
            subject = f"Child employment permit {permit.permit_number} revoked: {permit.child_name}"
            return subject, [
                f"We have revoked permit {permit.permit_number} for {_what(permit)} from "
                f"{long_date(permit.revoked_on)}. The child must not do this work from today.",
                f"Reason: {reason}",
                "The attached letter explains what this means.",
            ]

        rows = _distribute(permit, "revoked", document, lines)
        audit.record(
            "employment_permit.revoked",
            OBJECT_TYPE,
            permit.id,
            before={"status": PermitStatus.GRANTED.value},
            after={
                "status": permit.status,
                "reason": reason,
                "revoked_on": permit.revoked_on,
                "distribution": [{"party": r.party, "email": r.email} for r in rows],
            },
        )
    return permit


def document(permit: EmploymentPermit, kind: str) -> Document:
    """The newest document of a kind (``permit``, ``refusal``, ``revocation``); 404 when there is none."""
    return auth.visible_or_404(documents.latest(OBJECT_TYPE, permit.id, kind))


def document_kinds(permit: EmploymentPermit) -> list[str]:
    found = db.session().scalars(
        select(Document.kind).where(Document.object_type == OBJECT_TYPE, Document.object_id == str(permit.id))
    )
    return sorted(set(found))


# --- verification -------------------------------------------------------------------------------------


def verification(number: str, date_of_birth: date, today: date | None = None) -> dict[str, Any] | None:
    """The public check (SPEC §4.2): valid today and until when — nothing else. None when the number and
    date of birth match no permit."""
    permit = db.session().scalar(
        select(EmploymentPermit).where(EmploymentPermit.permit_number == "".join(number.split()).upper())
    )
    if permit is None or permit.child_date_of_birth != date_of_birth:
        return None
    today = today or calendar.today()
    granted = permit.status == PermitStatus.GRANTED
    return {
        "valid": granted and permit.issued_on <= today <= permit.valid_until,
        "valid_until": permit.valid_until if granted else None,
        "kind": "employment_permit",
    }


# --- the officers' queue ------------------------------------------------------------------------------


def queue_rows(statuses: tuple[str, ...], limit: int, today: date) -> list[dict[str, Any]]:
    """Applications waiting for a decision, soonest due first (the keyword arguments of
    ``licensing_queue.QueueItem``); outstanding: the parent's declaration, a planned site visit."""
    rows = list(
        db.session().scalars(
            select(EmploymentPermit)
            .where(EmploymentPermit.status.in_(statuses))
            .order_by(EmploymentPermit.decision_due_on, EmploymentPermit.id)
            .limit(limit)
        )
    )
    visit_ids = [p.inspection_id for p in rows if p.inspection_id is not None]
    planned = set(
        db.session().scalars(
            select(Inspection.id).where(
                Inspection.id.in_(visit_ids), Inspection.status == inspections.Status.PLANNED.value
            )
        )
        if visit_ids
        else []
    )
    return [
        {
            "kind": OBJECT_TYPE,
            "id": p.id,
            "reference": p.reference,
            "status": p.status,
            "due_on": p.decision_due_on,
            "overdue": today > p.decision_due_on,
            "late": p.late,
            "outstanding": [
                *(["parent_declaration"] if not p.parent_declared else []),
                *(["site_visit"] if p.inspection_id in planned else []),
            ],
            "summary": f"Decide: {p.child_name}, {p.employer_name}",
        }
        for p in rows
    ]


def queue_count(statuses: tuple[str, ...]) -> int:
    return db.session().scalar(
        select(func.count()).select_from(EmploymentPermit).where(EmploymentPermit.status.in_(statuses))
    )


# --- the daily job ------------------------------------------------------------------------------------


def _insert_reminder(permit_id: int, party: str, weeks: int, today: date) -> int | None:
    insert = pg_insert if db.is_postgresql() else sqlite_insert
    statement = (
        insert(PermitReminder)
        .values(permit_id=permit_id, party=party, weeks=weeks, sent_on=today)
        .on_conflict_do_nothing(index_elements=["permit_id", "party", "weeks"])
        .returning(PermitReminder.id)
    )
    return db.session().execute(statement).scalar()


def _reminder_due(valid_until: date, today: date, weeks: tuple[int, ...]) -> int | None:
    """The reminder whose window today is in: the fewest weeks with the end that near (a missed earlier
    reminder is not sent late beside a later one)."""
    left = (valid_until - today).days
    return next((w for w in weeks if 0 <= left <= w * 7), None)


def send_reminders(today: date) -> int:
    weeks = reminder_weeks()
    if not weeks:
        return 0
    candidates = db.session().execute(
        select(EmploymentPermit.id, EmploymentPermit.valid_until)
        .where(
            EmploymentPermit.status == PermitStatus.GRANTED.value,
            EmploymentPermit.valid_until >= today,
            EmploymentPermit.valid_until <= today + timedelta(weeks=max(weeks)),
        )
        .order_by(EmploymentPermit.valid_until, EmploymentPermit.id)
    )
    due = [
        (row.id, w) for row in candidates if (w := _reminder_due(row.valid_until, today, weeks)) is not None
    ]
    sent = 0
    for permit_id, w in due:
        with db.transaction():
            permit = db.session().get(EmploymentPermit, permit_id)
            until = long_date(permit.valid_until)
            for party in (EMPLOYER, PARENT):
                reminder_id = _insert_reminder(permit_id, party, w, today)
                if reminder_id is None:
                    continue
                message = _email(
                    permit,
                    party,
                    f"Child employment permit {permit.permit_number} ends on {until}",
                    [
                        f"Permit {permit.permit_number} for {_what(permit)} ends on {until}, in {w} "
                        f"week{'s' if w != 1 else ''}.",
                        "If the child is to keep working after that, the employer must apply for a new "
                        "permit before it ends. After that day the child must not work without one.",
                    ],
                )
                db.session().flush()
                db.session().execute(
                    update(PermitReminder)
                    .where(PermitReminder.id == reminder_id)
                    .values(outbox_message_id=message.id)
                )
                audit.record(
                    "employment_permit.expiry_reminder_sent",
                    OBJECT_TYPE,
                    permit_id,
                    after={"party": party, "weeks": w, "valid_until": permit.valid_until},
                )
                sent += 1
    return sent


def expire(today: date) -> int:
    """Granted permits whose year has ended become ``expired`` (each audited)."""
    session = db.session()
    with db.transaction():
        ended = list(
            session.execute(
                select(EmploymentPermit.id, EmploymentPermit.valid_until)
                .where(
                    EmploymentPermit.status == PermitStatus.GRANTED.value,
                    EmploymentPermit.valid_until < today,
                )
                .with_for_update()
            )
        )
        if not ended:
            return 0
        session.execute(
            update(EmploymentPermit)
            .where(
                EmploymentPermit.id.in_([row.id for row in ended]),
                EmploymentPermit.status == PermitStatus.GRANTED.value,
            )
            .values(status=PermitStatus.EXPIRED.value)
            .execution_options(synchronize_session=False)
        )
        for row in ended:
            audit.record(
                "employment_permit.expired",
                OBJECT_TYPE,
                row.id,
                before={"status": PermitStatus.GRANTED.value},
                after={"status": PermitStatus.EXPIRED.value, "valid_until": row.valid_until},
            )
    return len(ended)


def run_job(today: date) -> dict[str, int]:
    """The ``permit-reminders`` job: expire what has ended, then send the reminders due."""
    expired = expire(today)
    return {"expired": expired, "reminders": send_reminders(today)}


REMINDER_JOB = Job(
    "permit-reminders",
    run_job,
    trigger="cron",
    schedule={"hour": 6, "minute": 15},
    description="Employment permits: expiry reminders to employer and parent; ended permits become expired",
)
