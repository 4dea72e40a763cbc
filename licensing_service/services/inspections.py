"""Unannounced inspections: planned by an officer, then done (with an outcome and findings) or cancelled.

Only officers and admins ever reach these functions (the API and pages refuse every other role). Nobody
outside the council is emailed about an inspection: it is unannounced, before and after.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any
from uuid import uuid4

from sqlalchemy import Select, Table, case, func, select

from licensing_service.models.oversight import Inspection
from shared import audit, auth, calendar, db, problems
from shared.db import utcnow
from shared.users import STAFF_ROLES, User

OBJECT_TYPE = "inspection"


class SubjectKind(StrEnum):
    PERFORMANCE_LICENCE = "performance_licence"
    EMPLOYMENT_PERMIT = "employment_permit"
    BOPA = "bopa"
    PRODUCTION = "production"
    CONCERN = "concern"  # a report of a child working or performing without a licence


class PlaceKind(StrEnum):
    VENUE = "venue"
    LODGINGS = "lodgings"
    EMPLOYER_PREMISES = "employer_premises"


class Status(StrEnum):
    PLANNED = "planned"
    DONE = "done"
    CANCELLED = "cancelled"


class Outcome(StrEnum):
    COMPLIANT = "compliant"
    ADVICE_GIVEN = "advice_given"
    BREACH_FOUND = "breach_found"
    CHILD_REMOVED = "child_removed"


SUBJECT_LABELS = {
    SubjectKind.PERFORMANCE_LICENCE: "Performance licence",
    SubjectKind.EMPLOYMENT_PERMIT: "Employment permit",
    SubjectKind.BOPA: "Body of persons approval",
    SubjectKind.PRODUCTION: "Production",
    SubjectKind.CONCERN: "Concern",
}
PLACE_LABELS = {
    PlaceKind.VENUE: "Performance venue",
    PlaceKind.LODGINGS: "Lodgings",
    PlaceKind.EMPLOYER_PREMISES: "Employer's premises",
}
OUTCOME_LABELS = {
    Outcome.COMPLIANT: "Compliant",
    Outcome.ADVICE_GIVEN: "Advice given",
    Outcome.BREACH_FOUND: "Breach found",
    Outcome.CHILD_REMOVED: "Child removed",
}

# The table each kind of subject lives in; every kind has one, so a subject that is not there is a 422.
SUBJECT_TABLES = {
    SubjectKind.PERFORMANCE_LICENCE: "performance_licences",
    SubjectKind.EMPLOYMENT_PERMIT: "employment_permits",
    SubjectKind.BOPA: "bopa_approvals",
    SubjectKind.PRODUCTION: "productions",
    SubjectKind.CONCERN: "concerns",
}


def _subject_table(kind: str) -> Table:
    name = SUBJECT_TABLES[SubjectKind(kind)]
    return next(t for t in db.tables_for("licensing_service") if t.name == name)


def subject_exists(kind: str, subject_id: int) -> bool:
    table = _subject_table(kind)
    return db.session().scalar(select(table.c.id).where(table.c.id == subject_id)) is not None


def subject_label(kind: str, subject_id: int) -> str:
    """How officers name the subject: its reference or name where the record has one."""
    label = SUBJECT_LABELS.get(kind, kind)
    if kind in SUBJECT_TABLES:
        table = _subject_table(kind)
        for column in ("licence_number", "permit_number", "reference", "name"):
            if column in table.c:
                value = db.session().scalar(select(table.c[column]).where(table.c.id == subject_id))
                if value:
                    return f"{label} {value}"
    return f"{label} {subject_id}"


def place_problem(subject_kind: str, place_kind: str) -> str | None:
    """Employers' premises go with employment permits, and only there; performances have venues and
    lodgings. A concern may be about either, so any place goes with it."""
    if subject_kind == SubjectKind.CONCERN:
        return None
    is_permit = subject_kind == SubjectKind.EMPLOYMENT_PERMIT
    if is_permit and place_kind != PlaceKind.EMPLOYER_PREMISES:
        return "A child's employment is inspected at the employer's premises"
    if not is_permit and place_kind == PlaceKind.EMPLOYER_PREMISES:
        return "Employer's premises are inspected for an employment permit: choose a venue or lodgings"
    return None


def _officer(officer_id: int | None, user: User) -> int:
    if officer_id is None or officer_id == user.id:
        return user.id
    officer = db.session().get(User, officer_id)
    if officer is None or not officer.active or officer.role not in STAFF_ROLES:
        raise problems.invalid("officer_id", "Choose an officer of the council")
    return officer.id


def plan(data: dict[str, Any], user: User) -> Inspection:
    """Plan an unannounced inspection; 422 when the subject does not exist or the place does not fit it."""
    kind, subject_id = data["subject_kind"], data["subject_id"]
    if not subject_exists(kind, subject_id):
        raise problems.invalid(
            "subject_id", f"There is no {SUBJECT_LABELS[SubjectKind(kind)].lower()} {subject_id}"
        )
    problem = place_problem(kind, data["place_kind"])
    if problem:
        raise problems.invalid("place_kind", problem)
    with db.transaction():
        inspection = Inspection(
            reference=f"tmp-{uuid4().hex[:16]}",  # replaced once the id is known
            subject_kind=kind,
            subject_id=subject_id,
            place_kind=data["place_kind"],
            address=data["address"].strip(),
            planned_on=data["planned_on"],
            officer_id=_officer(data.get("officer_id"), user),
            unannounced=True,
            notes=(data.get("notes") or "").strip(),
            status=Status.PLANNED.value,
            created_by=user.id,
        )
        db.session().add(inspection)
        db.session().flush()
        inspection.reference = f"INS-{inspection.planned_on.year}-{inspection.id:06d}"
        audit.record(
            "inspection.planned",
            OBJECT_TYPE,
            inspection.id,
            after={
                "reference": inspection.reference,
                "subject_kind": kind,
                "subject_id": subject_id,
                "place_kind": inspection.place_kind,
                "planned_on": inspection.planned_on,
                "officer_id": inspection.officer_id,
                "unannounced": True,
                "status": inspection.status,
            },
        )
    return inspection


def plan_within(
    kind: str, subject_id: int, place_kind: str, address: str, planned_on: date, officer_id: int, notes: str
) -> Inspection:
    """Plan an inspection as part of the caller's transaction, for a subject the caller has just created
    (a site visit to an employer unknown to the council, planned when the permit application arrives)."""
    inspection = Inspection(
        reference=f"tmp-{uuid4().hex[:16]}",
        subject_kind=kind,
        subject_id=subject_id,
        place_kind=place_kind,
        address=address.strip(),
        planned_on=planned_on,
        officer_id=officer_id,
        unannounced=True,
        notes=notes,
        status=Status.PLANNED.value,
        created_by=None,  # planned by the service, not by a person
    )
    db.session().add(inspection)
    db.session().flush()
    inspection.reference = f"INS-{planned_on.year}-{inspection.id:06d}"
    audit.record(
        "inspection.planned",
        OBJECT_TYPE,
        inspection.id,
        after={
            "reference": inspection.reference,
            "subject_kind": kind,
            "subject_id": subject_id,
            "place_kind": place_kind,
            "planned_on": planned_on,
            "officer_id": officer_id,
            "unannounced": True,
            "status": inspection.status,
        },
    )
    return inspection


def get(inspection_id: int, *, for_update: bool = False) -> Inspection:
    query = select(Inspection).where(Inspection.id == inspection_id)
    if for_update:
        query = query.with_for_update().execution_options(populate_existing=True)
    return auth.visible_or_404(db.session().scalar(query))


def _not_planned(inspection: Inspection) -> problems.Problem:
    if inspection.status == Status.CANCELLED:
        return problems.Problem(409, "This inspection was cancelled: plan a new one")
    when = inspection.visited_on.isoformat() if inspection.visited_on else "an earlier visit"
    return problems.Problem(409, f"The outcome of this inspection was already recorded (visit on {when})")


def record_outcome(inspection_id: int, data: dict[str, Any], user: User) -> Inspection:
    """Record what the visit found; 409 once recorded or cancelled, 422 for a future visit."""
    findings = (data.get("findings") or "").strip()
    with db.transaction():
        inspection = get(inspection_id, for_update=True)
        if inspection.status != Status.PLANNED:
            raise _not_planned(inspection)
        if data["visited_on"] > calendar.today():
            raise problems.invalid("visited_on", "The date of the visit must be today or in the past")
        if data["outcome"] != Outcome.COMPLIANT and not findings:
            raise problems.invalid("findings", "Describe what the visit found")
        before = {"status": inspection.status}
        inspection.status = Status.DONE.value
        inspection.outcome = data["outcome"]
        inspection.findings = findings
        inspection.visited_on = data["visited_on"]
        inspection.recorded_by = user.id
        inspection.recorded_at = utcnow()
        db.session().flush()
        audit.record(
            "inspection.outcome_recorded",
            OBJECT_TYPE,
            inspection.id,
            before,
            {
                "status": inspection.status,
                "outcome": inspection.outcome,
                "visited_on": inspection.visited_on,
                "findings": inspection.findings,
            },
        )
    return inspection


def cancel(inspection_id: int, data: dict[str, Any], user: User) -> Inspection:
    with db.transaction():
        inspection = get(inspection_id, for_update=True)
        if inspection.status != Status.PLANNED:
            raise _not_planned(inspection)
        before = {"status": inspection.status}
        inspection.status = Status.CANCELLED.value
        inspection.cancellation_reason = data["reason"].strip()
        inspection.cancelled_by = user.id
        inspection.cancelled_at = utcnow()
        db.session().flush()
        audit.record(
            "inspection.cancelled",
            OBJECT_TYPE,
            inspection.id,
            before,
            {"status": inspection.status, "reason": inspection.cancellation_reason},
        )
    return inspection


def list_query(filters: dict[str, Any] | None = None) -> Select:
    """Planned inspections first, soonest first; then done and cancelled ones by date."""
    filters = filters or {}
    query = select(Inspection)
    for name in ("status", "subject_kind", "subject_id", "officer_id", "outcome", "place_kind"):
        if filters.get(name) is not None:
            query = query.where(getattr(Inspection, name) == filters[name])
    if filters.get("planned_from"):
        query = query.where(Inspection.planned_on >= filters["planned_from"])
    if filters.get("planned_to"):
        query = query.where(Inspection.planned_on <= filters["planned_to"])
    planned_first = case((Inspection.status == Status.PLANNED.value, 0), else_=1)
    return query.order_by(planned_first, Inspection.planned_on, Inspection.id)


def for_subject(kind: str, subject_id: int) -> list[Inspection]:
    return list(db.session().scalars(list_query({"subject_kind": kind, "subject_id": subject_id}).limit(200)))


def is_overdue(inspection: Inspection, today: date | None = None) -> bool:
    return inspection.status == Status.PLANNED and (today or calendar.today()) > inspection.planned_on


def queue_rows(statuses: tuple[str, ...], limit: int, today: date) -> list[dict[str, Any]]:
    """Planned inspections, soonest first, as the officers' queue lists them (the keyword arguments of
    ``licensing_queue.QueueItem``)."""
    rows = db.session().scalars(
        select(Inspection)
        .where(Inspection.status.in_(statuses))
        .order_by(Inspection.planned_on, Inspection.id)
        .limit(limit)
    )
    return [
        {
            "kind": "inspection",
            "id": i.id,
            "reference": i.reference,
            "status": i.status,
            "due_on": i.planned_on,
            "overdue": is_overdue(i, today),
            "late": False,
            "summary": f"Visit: {PLACE_LABELS.get(i.place_kind, i.place_kind)}, {i.address}",
        }
        for i in rows
    ]


def queue_count(statuses: tuple[str, ...]) -> int:
    return db.session().scalar(
        select(func.count()).select_from(Inspection).where(Inspection.status.in_(statuses))
    )
