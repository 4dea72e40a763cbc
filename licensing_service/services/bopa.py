"""Body of Persons Approvals: an organisation applies, an officer approves (with conditions) or refuses, and
may later revoke. The organisation is emailed at each step; an applicant sees only its own approvals."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import uuid4

from flask import current_app
from sqlalchemy import Select, func, select

from licensing_service.models.oversight import BopaApproval
from licensing_service.rules import bopa as rules
from licensing_service.services import access
from shared import audit, auth, calendar, db, notify, problems
from shared.db import utcnow
from shared.formatting import long_date
from shared.users import User

OBJECT_TYPE = "bopa_approval"


def min_notice_days() -> int:
    return int(current_app.config["BOPA_MIN_NOTICE_DAYS"])


def _finding(f: rules.Finding) -> dict[str, Any]:
    return {"code": f.code, "date": f.date.isoformat() if f.date else None, "message": f.message}


def submit(data: dict[str, Any], user: User) -> BopaApproval:
    """Record an application; 422 without both declarations or with details that cannot be approved."""
    received_on = data.get("received_on") if user.is_staff and data.get("received_on") else calendar.today()
    organisation = data["organisation"]
    period = data.get("period") or {}
    performances = [rules.Performance(p["date"], p["venue"]) for p in data["performances"]]
    children = [rules.Child(c["name"], c["date_of_birth"], c["home_authority"]) for c in data["children"]]
    result = rules.assess(
        received_on=received_on,
        performances=performances,
        children=children,
        no_payment=data["no_payment"],
        no_school_absence=data["no_school_absence"],
        period_start=period.get("start"),
        period_end=period.get("end"),
        series_description=data.get("series_description"),
        min_notice_days=min_notice_days(),
    )
    if result.errors:
        detail = "; ".join(m for messages in result.errors.values() for m in messages)
        raise problems.Problem(422, detail, errors=result.errors)
    with db.transaction():
        approval = BopaApproval(
            reference=f"tmp-{uuid4().hex[:16]}",  # replaced once the id is known
            owner_id=user.id,
            organisation_name=organisation["name"],
            organisation_address=organisation["address"],
            organisation_contact=organisation["contact"],
            organisation_email=organisation["email"],
            organisation_phone=organisation.get("phone") or "",
            period_start=period.get("start"),
            period_end=period.get("end"),
            series_description=(data.get("series_description") or "").strip() or None,
            performances=[
                {"date": p.date.isoformat(), "venue": p.venue}
                for p in sorted(performances, key=lambda p: p.date)
            ],
            children=[
                {
                    "name": cover.child.name,
                    "date_of_birth": cover.child.date_of_birth.isoformat(),
                    "home_authority": cover.child.home_authority,
                    "school_age_ends": cover.school_age_ends.isoformat(),
                    "covered": cover.covered,
                    "covered_until": cover.covered_until.isoformat() if cover.covered_until else None,
                }
                for cover in result.children
            ],
            first_performance_on=result.first_performance,
            last_performance_on=result.last_performance,
            no_payment_declared=True,
            no_school_absence_declared=True,
            received_on=received_on,
            days_notice=result.notice.days_notice,
            late=result.notice.late,
            decision_due_on=rules.decision_due_on(result.first_performance),
            warnings=[_finding(w) for w in result.warnings],
            status=rules.Status.SUBMITTED.value,
            created_by=user.id,
        )
        db.session().add(approval)
        db.session().flush()
        approval.reference = f"BOPA-{received_on.year}-{approval.id:06d}"
        audit.record(
            "bopa_approval.submitted",
            OBJECT_TYPE,
            approval.id,
            after={
                "reference": approval.reference,
                "status": approval.status,
                "received_on": received_on,
                "first_performance_on": approval.first_performance_on,
                "late": approval.late,
                "children": len(approval.children),
            },
        )
        _tell(
            approval,
            f"Body of persons approval {approval.reference}: application received",
            [
                f"We have received your application for a body of persons approval for "
                f"{approval.organisation_name}, reference {approval.reference}.",
                f"The first performance is on {long_date(approval.first_performance_on)}. "
                f"We aim to decide by {long_date(approval.decision_due_on)}.",
                *(
                    [
                        f"The details arrived less than {min_notice_days()} days before the first "
                        "performance. We may not be able to decide in time."
                    ]
                    if approval.late
                    else []
                ),
            ],
        )
    return approval


def _tell(approval: BopaApproval, subject: str, lines: list[str]) -> None:
    notify.enqueue(
        approval.organisation_email,
        subject,
        "\n".join(
            [f"Dear {approval.organisation_contact},", "", *lines, "", "Nottinghamshire County Council"]
        ),
        object_type=OBJECT_TYPE,
        object_id=approval.id,
    )


OWNED = access.Owned(BopaApproval)
scope = OWNED.scope


def get_visible(approval_id: int, user: User, *, for_update: bool = False) -> BopaApproval:
    query = scope(select(BopaApproval).where(BopaApproval.id == approval_id), user)
    if for_update:
        query = query.with_for_update().execution_options(populate_existing=True)
    return auth.visible_or_404(db.session().scalar(query))


def list_query(user: User, status: str | None = None) -> Select:
    query = scope(select(BopaApproval), user)
    if status:
        query = query.where(BopaApproval.status == status)
    return query.order_by(BopaApproval.decision_due_on, BopaApproval.id)


def is_overdue(approval: BopaApproval, today: date | None = None) -> bool:
    return (
        approval.status == rules.Status.SUBMITTED and (today or calendar.today()) > approval.decision_due_on
    )


def decide(approval_id: int, data: dict[str, Any], user: User) -> BopaApproval:
    """Approve (with the standard conditions and any the officer adds) or refuse; 409 once decided."""
    with db.transaction():
        approval = get_visible(approval_id, user, for_update=True)
        approved_from = data.get("approved_from") or approval.period_start or approval.first_performance_on
        approved_until = data.get("approved_until") or approval.period_end or approval.last_performance_on
        reason = (data.get("reason") or "").strip() or None
        refusal = rules.decision_problem(
            status=approval.status,
            decision=data["decision"],
            late=approval.late,
            reason=reason,
            approved_from=approved_from,
            approved_until=approved_until,
            performance_dates=[date.fromisoformat(p["date"]) for p in approval.performances],
        )
        if refusal is not None:
            raise problems.Problem(refusal.status, refusal.message, errors={refusal.field: [refusal.message]})
        before = {"status": approval.status}
        approval.reason = reason
        approval.decided_by = user.id
        approval.decided_at = utcnow()
        if data["decision"] == rules.Decision.APPROVE:
            approval.status = rules.Status.APPROVED.value
            approval.approved_from, approval.approved_until = approved_from, approved_until
            approval.standard_conditions = list(rules.STANDARD_CONDITIONS)
            approval.conditions = [c.strip() for c in data.get("conditions") or [] if c.strip()]
        else:
            approval.status = rules.Status.REFUSED.value
        db.session().flush()
        audit.record(
            f"bopa_approval.{approval.status}",
            OBJECT_TYPE,
            approval.id,
            before,
            {
                "status": approval.status,
                "reason": approval.reason,
                "approved_from": approval.approved_from,
                "approved_until": approval.approved_until,
                "conditions": approval.conditions,
                "late": approval.late,
            },
        )
        _tell_decision(approval)
    return approval


def _tell_decision(approval: BopaApproval) -> None:
    if approval.status == rules.Status.APPROVED:
        conditions = [*approval.standard_conditions, *approval.conditions]
        _tell(
            approval,
            f"Body of persons approval {approval.reference}: approved",
            [
                f"Nottinghamshire County Council approves {approval.organisation_name} as a body of persons "
                "under section 37(3)(b) of the Children and Young Persons Act 1963.",
                f"The approval is for {long_date(approval.approved_from)} to "
                f"{long_date(approval.approved_until)}, for the performances and children you gave us. "
                "Children do not need individual licences for these performances while no payment is made "
                "and no child is absent from school.",
                "",
                "Conditions:",
                *(f"{n}. {c}" for n, c in enumerate(conditions, start=1)),
            ],
        )
    else:
        _tell(
            approval,
            f"Body of persons approval {approval.reference}: refused",
            [
                f"Nottinghamshire County Council has refused the application for a body of persons approval "
                f"for {approval.organisation_name}.",
                f"Reason: {approval.reason}",
                "Children may not take part in these performances without a licence for each child.",
            ],
        )


def revoke(approval_id: int, data: dict[str, Any], user: User) -> BopaApproval:
    """Revoke an approval with a reason; 409 unless it is approved."""
    with db.transaction():
        approval = get_visible(approval_id, user, for_update=True)
        problem = rules.revocation_problem(approval.status)
        if problem:
            raise problems.Problem(409, problem)
        before = {"status": approval.status}
        approval.status = rules.Status.REVOKED.value
        approval.revoked_by = user.id
        approval.revoked_at = utcnow()
        approval.revocation_reason = data["reason"].strip()
        db.session().flush()
        audit.record(
            "bopa_approval.revoked",
            OBJECT_TYPE,
            approval.id,
            before,
            {"status": approval.status, "reason": approval.revocation_reason},
        )
        _tell(
            approval,
            f"Body of persons approval {approval.reference}: revoked",
            [
                f"Nottinghamshire County Council has revoked the body of persons approval for "
                f"{approval.organisation_name} (reference {approval.reference}) from today.",
                f"Reason: {approval.revocation_reason}",
                "Children may not take part in further performances without a licence for each child.",
            ],
        )
    return approval


def exists(approval_id: int) -> bool:
    return db.session().get(BopaApproval, approval_id) is not None


def queue_rows(statuses: tuple[str, ...], limit: int, today: date) -> list[dict[str, Any]]:
    """Applications waiting for a decision, soonest due first, as the officers' queue lists them
    (the keyword arguments of ``licensing_queue.QueueItem``)."""
    rows = db.session().scalars(
        select(BopaApproval)
        .where(BopaApproval.status.in_(statuses))
        .order_by(BopaApproval.decision_due_on, BopaApproval.id)
        .limit(limit)
    )
    return [
        {
            "kind": "bopa_approval",
            "id": a.id,
            "reference": a.reference,
            "status": a.status,
            "due_on": a.decision_due_on,
            "overdue": is_overdue(a, today),
            "late": a.late,
            "summary": f"Decide: {a.organisation_name}",
        }
        for a in rows
    ]


def queue_count(statuses: tuple[str, ...]) -> int:
    return db.session().scalar(
        select(func.count()).select_from(BopaApproval).where(BopaApproval.status.in_(statuses))
    )
