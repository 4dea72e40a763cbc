"""Notices: issued one per parent per child, with their dates and amounts, and their payment position."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace
from typing import Any

from sqlalchemy import select

from penalty_service.models import Payment, PenaltyNotice, PenaltyRequest
from penalty_service.rules import limits
from penalty_service.rules import notices as notice_rules
from penalty_service.services import access, documents
from penalty_service.services import requests as request_service
from shared import audit, auth, calendar, db, problems
from shared.users import User


@dataclass
class Decision:
    request: PenaltyRequest
    notices: list[PenaltyNotice]
    blocked: list[dict[str, str]]

    @property
    def status(self) -> str:
        return self.request.status


def prior_notices(upn: str, parent_key: str) -> list[limits.PriorNotice]:
    rows = db.session().execute(
        select(PenaltyNotice.issue_date, PenaltyNotice.status).where(
            PenaltyNotice.pupil_upn == upn, PenaltyNotice.parent_key == parent_key
        )
    )
    return [limits.PriorNotice(issued_on=d, withdrawn=status == "withdrawn") for d, status in rows]


def parent_key(upn: str, name: str) -> str:
    return limits.same_parent_key(upn, name)[1]


def decide(request_id: int, data: dict[str, Any], user: User) -> Decision:
    """Issue one notice per parent (or reject), once: the request row is locked while deciding."""
    today = calendar.today()
    issue_date = data["issue_date"] or today
    posted_on = data["posted_on"] or issue_date
    with db.transaction():
        request = request_service.get_visible(request_id, user, for_update=True)
        if request.status != "received":
            raise problems.Problem(
                409, f"This request was already decided: it is {request.status.replace('_', ' ')}"
            )
        before = {"status": request.status}
        issued: list[PenaltyNotice] = []
        blocked: list[dict[str, str]] = []
        if data["decision"] == "reject":
            request.status = "rejected"
        else:
            issued, blocked = _issue(request, issue_date, posted_on)
            request.status = "issued" if issued else "other_enforcement"
        request.decision_reason = data.get("reason")
        request.decided_on = today
        request.decided_by = user.id
        audit.record(
            "penalty_request.decided",
            "penalty_request",
            request.id,
            before=before,
            after={
                "status": request.status,
                "reason": request.decision_reason,
                "notices": [n.notice_number for n in issued],
                "blocked": blocked,
            },
        )
        db.after_commit(lambda ids=[n.id for n in issued]: documents.after_issue(ids))
    return Decision(request, issued, blocked)


def _issue(
    request: PenaltyRequest, issue_date: date, posted_on: date
) -> tuple[list[PenaltyNotice], list[dict[str, str]]]:
    session = db.session()
    served = notice_rules.served_on(posted_on)
    final_day = notice_rules.final_payment_day(served)
    lay_by = notice_rules.lay_by(request.last_absence_on) if request.last_absence_on else None
    issued, blocked = [], []
    for parent in request.parents:
        key = parent_key(request.pupil_upn, parent.name)
        verdict = limits.limit_verdict(prior_notices(request.pupil_upn, key), issue_date)
        if not verdict.allowed:
            blocked.append({"parent_name": parent.name, "reason": verdict.reason or ""})
            continue
        first_absence = request.first_absence_on or issue_date
        lower, full = notice_rules.amounts(request.offence, first_absence, verdict.prior_count)
        notice = PenaltyNotice(
            notice_number=f"tmp-{request.id}-{parent.id}",
            source="council",
            request_id=request.id,
            school_id=request.school_id,
            offence=request.offence,
            pupil_upn=request.pupil_upn,
            pupil_name=request.pupil_name,
            parent_name=parent.name,
            parent_key=key,
            parent_address=parent.address,
            parent_email=parent.email,
            issue_date=issue_date,
            posted_on=posted_on,
            served_on=served,
            lower_rate_until=notice_rules.lower_rate_until(served),
            final_payment_day=final_day,
            amount_lower_pence=lower,
            amount_full_pence=full,
            is_second=verdict.is_second,
            lay_by=lay_by,
            period_from=request.first_absence_on,
            period_to=request.last_absence_on,
            warnings=notice_rules.warnings_for_notice(final_day, lay_by) if lay_by else [],
            status="issued",
        )
        session.add(notice)
        session.flush()
        notice.notice_number = f"PN-{issue_date.year}-{notice.id:07d}"
        audit.record(
            "penalty_notice.issued",
            "penalty_notice",
            notice.id,
            after={
                "notice_number": notice.notice_number,
                "request": request.reference,
                "amount_lower_pence": lower,
                "amount_full_pence": full,
                "served_on": served,
                "final_payment_day": final_day,
            },
        )
        issued.append(notice)
    return issued, blocked


def get_visible(notice_id: int, user: User) -> PenaltyNotice:
    query = access.scope_notices(select(PenaltyNotice).where(PenaltyNotice.id == notice_id), user)
    return auth.visible_or_404(db.session().scalar(query))


def list_query(user: User, status: str | None = None, school_urn: str | None = None):
    query = access.scope_notices(select(PenaltyNotice), user, school_urn)
    if status:
        query = query.where(PenaltyNotice.status == status)
    return query.order_by(PenaltyNotice.id.desc())


def position(notice: PenaltyNotice, today: date | None = None) -> notice_rules.PaymentPosition | None:
    """The notice's payment position today, from the payments applied to it (None for legacy notices)."""
    if notice.served_on is None or notice.amount_full_pence is None:
        return None
    payments = db.session().scalars(
        select(Payment).where(Payment.notice_id == notice.id).order_by(Payment.paid_on, Payment.id)
    )
    return notice_rules.payment_position(
        [notice_rules.Payment(p.paid_on, p.amount_pence, p.reference) for p in payments],
        notice.amount_lower_pence,
        notice.amount_full_pence,
        notice.served_on,
        today or calendar.today(),
    )


def detail(notice: PenaltyNotice, today: date | None = None) -> SimpleNamespace:
    """The notice with what is due today, what has been paid and what is to be refunded."""
    pos = position(notice, today)
    values = {c.key: getattr(notice, c.key) for c in PenaltyNotice.__table__.columns}
    values["school"] = notice.school
    if pos is None:
        return SimpleNamespace(**values, amount_due_pence=None, balance_pence=0, paid_pence=0)
    if notice.status == "withdrawn":  # withdrawn: nothing is due and every penny paid goes back
        return SimpleNamespace(
            **{**values, "refund_due_pence": pos.paid_pence},
            amount_due_pence=None,
            balance_pence=0,
            paid_pence=pos.paid_pence,
        )
    return SimpleNamespace(
        **{**values, "refund_due_pence": pos.refund_due_pence},
        amount_due_pence=pos.due_pence,
        balance_pence=pos.balance_pence,
        paid_pence=pos.paid_pence,
    )
