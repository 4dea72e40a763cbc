"""Whether an unpaid notice may go to prosecution (Education Act 1996 s444; Magistrates' Courts Act 1980
s127), and the events of a case once it does.

The council prosecutes only where the local code of conduct was followed in full and payments (matched
and in suspense) and correspondence were re-checked; otherwise it withdraws. Once the last day to lay an
information has passed, the notice can only be withdrawn.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from shared.formatting import long_date


class CaseEvent(StrEnum):
    INFORMATION_LAID = "information_laid"
    HEARING_LISTED = "hearing_listed"
    OUTCOME = "outcome"


class CourtOutcome(StrEnum):
    FINE = "fine"
    CONDITIONAL_DISCHARGE = "conditional_discharge"
    PARENTING_ORDER = "parenting_order"
    ACQUITTED = "acquitted"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    status: int  # the HTTP status that explains a refusal: 409 wrong state, 422 missing checks
    reason: str | None = None


def prosecution_verdict(
    *,
    notice_status: str,
    decision: str,
    today: date,
    lay_by: date | None,
    code_of_conduct_followed: bool,
    payments_rechecked: bool,
) -> Verdict:
    """May the officer record this prosecute-or-withdraw decision for this notice today?"""
    if notice_status != "unpaid":
        return Verdict(
            False, 409, f"Only an unpaid notice can be reviewed for prosecution; this one is {notice_status}"
        )
    if decision == "withdraw":
        return Verdict(True, 200)
    if lay_by is None or today > lay_by:
        when = f" on {long_date(lay_by)}" if lay_by else ""
        return Verdict(
            False, 409, f"The time limit to lay an information passed{when}: the notice can only be withdrawn"
        )
    if not code_of_conduct_followed:
        return Verdict(False, 409, "The code of conduct was not followed in full: withdraw the notice")
    if not payments_rechecked:
        return Verdict(
            False, 422, "Re-check payments (matched and in suspense) and correspondence before prosecuting"
        )
    return Verdict(True, 200)


def event_problem(
    event: str, event_date: date, lay_by: date, *, laid: bool, closed: bool, today: date
) -> str | None:
    """Why this case event cannot be recorded, or None if it can."""
    if closed:
        return "The case is closed: its outcome is recorded"
    if event_date > today:
        return "The date cannot be in the future"
    if event == CaseEvent.INFORMATION_LAID:
        if laid:
            return "The information was already laid"
        if event_date > lay_by:
            return f"An information must be laid by {long_date(lay_by)} (6 months after the last absence)"
    elif not laid:
        return "Record the information being laid first"
    return None
