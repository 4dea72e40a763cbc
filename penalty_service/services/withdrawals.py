"""Withdrawing a notice (2007 Regulations regs 8-9): money paid goes back, the school and parent are told."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from penalty_service.models import PenaltyNotice
from penalty_service.rules.notices import WithdrawalGround
from penalty_service.services import access, payments
from shared import audit, auth, calendar, db, notify, problems
from shared.users import User

NOT_WITHDRAWABLE = {
    "withdrawn": "This notice was already withdrawn on {withdrawn_on}",
    "prosecution": (
        "This notice has been referred for prosecution: record the decision on the prosecution case instead"
    ),
}


def _pounds(pence: int) -> str:
    return f"£{pence / 100:,.2f}"


def withdraw(notice_id: int, data: dict[str, Any], user: User, today: date | None = None) -> PenaltyNotice:
    """Withdraw a notice today with a ground and notes; 409 if withdrawn already or with the prosecutor."""
    today = today or calendar.today()
    ground = WithdrawalGround(data["ground"])
    session = db.session()
    with db.transaction():
        query = access.scope_notices(select(PenaltyNotice).where(PenaltyNotice.id == notice_id), user)
        notice = auth.visible_or_404(
            session.scalar(query.with_for_update(of=PenaltyNotice).execution_options(populate_existing=True))
        )
        if notice.status in NOT_WITHDRAWABLE:
            detail = NOT_WITHDRAWABLE[notice.status].format(withdrawn_on=notice.withdrawn_on)
            raise problems.Problem(409, detail)
        before = {
            "status": notice.status,
            "refund_due_pence": notice.refund_due_pence,
            "paid_on": notice.paid_on,
        }
        notice.status = "withdrawn"
        notice.withdrawn_on = today
        notice.withdrawal_ground = ground.value
        notice.withdrawal_notes = data["notes"]
        session.flush()
        # Every payment applied to it is now to be given back.
        payments.reassess([notice.id], today, audit_notices=False)
        session.refresh(notice)
        audit.record(
            "penalty_notice.withdrawn",
            "penalty_notice",
            notice.id,
            before=before,
            after={
                "status": notice.status,
                "withdrawn_on": today,
                "ground": ground.value,
                "notes": notice.withdrawal_notes,
                "refund_due_pence": notice.refund_due_pence,
            },
        )
        _tell(notice, ground)
    return notice


def _tell(notice: PenaltyNotice, ground: WithdrawalGround) -> None:
    subject = f"Penalty notice {notice.notice_number} withdrawn"
    refund = (
        f"Money already paid ({_pounds(notice.refund_due_pence)}) will be refunded."
        if notice.refund_due_pence
        else "No money had been paid."
    )
    if notice.school is not None and notice.school.email:
        notify.enqueue(
            notice.school.email,
            subject,
            "\n".join(
                [
                    f"Penalty notice {notice.notice_number}, issued on {notice.issue_date.isoformat()} to "
                    f"{notice.parent_name} for {notice.pupil_name}, was withdrawn on "
                    f"{notice.withdrawn_on.isoformat() if notice.withdrawn_on else ''}.",
                    "",
                    f"Reason: {ground.label}.",
                    refund,
                    "No prosecution will follow for the period the notice covered.",
                ]
            ),
            object_type="penalty_notice",
            object_id=notice.id,
        )
    if notice.parent_email:
        notify.enqueue(
            notice.parent_email,
            subject,
            "\n".join(
                [
                    f"Dear {notice.parent_name},",
                    "",
                    f"Nottinghamshire County Council has withdrawn penalty notice {notice.notice_number}, "
                    f"issued on {notice.issue_date.isoformat()} about {notice.pupil_name}'s attendance.",
                    "You do not need to pay it, and you will not be prosecuted for the absence it covered.",
                    f"Reason: {ground.label}.",
                    refund,
                ]
            ),
            object_type="penalty_notice",
            object_id=notice.id,
        )
