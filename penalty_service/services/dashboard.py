"""Figures for the enforcement dashboard, each one aggregate query."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import String, case, cast, func, select

from penalty_service.models import PenaltyNotice, PenaltyRequest
from shared import db

NOTICE_STATUSES = ("issued", "paid", "unpaid", "withdrawn", "prosecution")


@dataclass(frozen=True)
class Figures:
    requests_received: int
    requests_decided: int
    decided_on_time: int
    notices_by_status: dict[str, int]
    requests_by_month: list[tuple[str, int]]

    @property
    def on_time_percent(self) -> int | None:
        return round(100 * self.decided_on_time / self.requests_decided) if self.requests_decided else None

    @property
    def payment_rate_percent(self) -> int | None:
        """Of notices whose outcome is known (paid, unpaid or prosecuted), the share paid."""
        paid = self.notices_by_status["paid"]
        settled = paid + self.notices_by_status["unpaid"] + self.notices_by_status["prosecution"]
        return round(100 * paid / settled) if settled else None


def figures() -> Figures:
    session = db.session()
    received, decided, on_time = session.execute(
        select(
            func.count(),
            func.count(PenaltyRequest.decided_on),
            func.coalesce(
                func.sum(case((PenaltyRequest.decided_on <= PenaltyRequest.issue_due_on, 1), else_=0)), 0
            ),
        )
    ).one()
    by_status = dict.fromkeys(NOTICE_STATUSES, 0)
    for status, count in session.execute(
        select(PenaltyNotice.status, func.count())
        .where(PenaltyNotice.source != "legacy")
        .group_by(PenaltyNotice.status)
    ):
        by_status[status] = count
    month = func.substr(cast(PenaltyRequest.received_on, String), 1, 7)
    by_month = [
        (m, n)
        for m, n in session.execute(
            select(month, func.count()).group_by(month).order_by(month.desc()).limit(12)
        ).all()
    ][::-1]
    return Figures(received, decided, on_time, by_status, by_month)
