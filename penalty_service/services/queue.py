"""The officers' queue: every open item, soonest due first, each kind bounded so the page stays fast."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from penalty_service.models import Payment, PenaltyNotice, PenaltyRequest
from shared import calendar, db

PER_KIND = 100


@dataclass(frozen=True)
class QueueItem:
    kind: str
    id: int
    reference: str
    status: str
    due_on: date | None
    overdue: bool
    summary: str


def _requests(today: date) -> list[QueueItem]:
    rows = db.session().execute(
        select(
            PenaltyRequest.id,
            PenaltyRequest.reference,
            PenaltyRequest.status,
            PenaltyRequest.issue_due_on,
            PenaltyRequest.pupil_first_name,
            PenaltyRequest.pupil_last_name,
        )
        .where(PenaltyRequest.status == "received")
        .order_by(PenaltyRequest.issue_due_on, PenaltyRequest.id)
        .limit(PER_KIND)
    )
    return [
        QueueItem("penalty_request", i, ref, st, due, today > due, f"Decide: {first} {last}")
        for i, ref, st, due, first, last in rows
    ]


def _prosecution_review(today: date) -> list[QueueItem]:
    rows = db.session().execute(
        select(
            PenaltyNotice.id,
            PenaltyNotice.notice_number,
            PenaltyNotice.status,
            PenaltyNotice.lay_by,
            PenaltyNotice.parent_name,
        )
        .where(PenaltyNotice.status == "unpaid", PenaltyNotice.source != "legacy")
        .order_by(PenaltyNotice.lay_by, PenaltyNotice.id)
        .limit(PER_KIND)
    )
    return [
        QueueItem(
            "prosecution_review",
            i,
            number,
            st,
            lay_by,
            lay_by is not None and today > lay_by,
            f"Unpaid: prosecute or withdraw ({parent})",
        )
        for i, number, st, lay_by, parent in rows
    ]


def _unmatched_payments(today: date) -> list[QueueItem]:
    rows = db.session().execute(
        select(
            Payment.id,
            Payment.reference,
            Payment.status,
            Payment.paid_on,
            Payment.notice_number_given,
            Payment.amount_pence,
        )
        .where(Payment.status == "suspense")
        .order_by(Payment.paid_on, Payment.id)
        .limit(PER_KIND)
    )
    return [
        QueueItem(
            "unmatched_payment", i, ref, st, paid_on, False, f"Match £{amount / 100:,.2f} paid for '{given}'"
        )
        for i, ref, st, paid_on, given, amount in rows
    ]


def _late_school_copies(today: date) -> list[QueueItem]:
    rows = db.session().execute(
        select(
            PenaltyNotice.id,
            PenaltyNotice.notice_number,
            PenaltyNotice.status,
            PenaltyNotice.copy_received_on,
        )
        .where(
            PenaltyNotice.source == "school",
            PenaltyNotice.late_copy.is_(True),
            PenaltyNotice.status == "issued",
        )
        .order_by(PenaltyNotice.copy_received_on, PenaltyNotice.id)
        .limit(PER_KIND)
    )
    return [
        QueueItem("late_school_copy", i, number, st, received, True, "School's copy arrived late")
        for i, number, st, received in rows
    ]


def counts() -> dict[str, int]:
    session = db.session()
    return {
        "penalty_request": session.scalar(
            select(func.count()).select_from(PenaltyRequest).where(PenaltyRequest.status == "received")
        ),
        "prosecution_review": session.scalar(
            select(func.count())
            .select_from(PenaltyNotice)
            .where(PenaltyNotice.status == "unpaid", PenaltyNotice.source != "legacy")
        ),
        "unmatched_payment": session.scalar(
            select(func.count()).select_from(Payment).where(Payment.status == "suspense")
        ),
    }


def open_items(today: date | None = None) -> list[QueueItem]:
    today = today or calendar.today()
    items = (
        _requests(today)
        + _prosecution_review(today)
        + _unmatched_payments(today)
        + _late_school_copies(today)
    )
    return sorted(items, key=lambda item: (item.due_on or date.max, item.kind, item.id))
