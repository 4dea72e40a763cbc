"""Notice for a performance licence application: received at least 21 days before the first day
(SPEC §4.1), and when the council must decide. Pure functions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class NoticeVerdict:
    days_notice: int  # first_day - received_on, in days
    late: bool  # received after first_day - min_days
    refuse_automatically: bool  # below the optional hard stop
    decision_due_on: date  # the last working day before the first day
    message: str  # e.g. "Received 20 days before the first day: the council may refuse"


def notice_verdict(
    received_on: date, first_day: date, *, min_days: int = 21, hard_stop_days: int | None = None
) -> NoticeVerdict:
    raise NotImplementedError
