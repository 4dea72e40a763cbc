"""Requests from schools, school-issued copies and attendance enforcement letters.

Sources: the council's penalty notice code of conduct (Education (Penalty Notices) (England) Regulations
2007 regs 14-18) and its service standards (seeds 1b5, 2a13, 3e4): a request is decided within 10 working
days; it should arrive within 3 weeks of the pupil's return; a school that issues its own notice sends the
council a copy within a week; enforcement letters follow each other at 4-week intervals. Magistrates' Courts
Act 1980 s127 for the prosecution time limit.

Pure functions: no I/O.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

from penalty_service.rules.notices import final_payment_day, lay_by, served_on
from shared.calendar import add_working_days
from shared.formatting import long_date

__all__ = [
    "DECISION_WORKING_DAYS",
    "RETURN_GOOD_PRACTICE_DAYS",
    "SCHOOL_COPY_DAYS",
    "STEP_INTERVAL_DAYS",
    "EnforcementStep",
    "issue_due_on",
    "next_step",
    "next_step_due",
    "request_warnings",
    "school_copy_is_late",
]

DECISION_WORKING_DAYS = 10
RETURN_GOOD_PRACTICE_DAYS = 21
SCHOOL_COPY_DAYS = 7
STEP_INTERVAL_DAYS = 28


def issue_due_on(received_on: date) -> date:
    """Decision due: 10 working days after receipt (day 1 is the first working day after it)."""
    return add_working_days(received_on, DECISION_WORKING_DAYS)


def request_warnings(
    received_on: date,
    returned_to_school_on: date | None,
    last_absence_date: date | None,
    posted_on_estimate: date | None = None,
) -> list[str]:
    """Warnings (never refusals) for a request.

    - Good practice: the request should arrive within 21 days of the pupil's return to school
      (``received_on <= returned + 21 days``); later, a warning giving the number of days.
    - s127: an unpaid notice can be prosecuted only if an information can be laid after the payment period
      and by :func:`notices.lay_by`. The posting date is ``posted_on_estimate`` or, by default, the day
      the decision is due (the latest an on-time decision would post it). A warning when that notice's
      final payment day would be on or after the last day to lay an information.
    """
    warnings = []
    if returned_to_school_on is not None:
        days = (received_on - returned_to_school_on).days
        if days > RETURN_GOOD_PRACTICE_DAYS:
            warnings.append(
                f"The request arrived {days} days after the pupil returned to school on "
                f"{long_date(returned_to_school_on)}: requests should arrive within "
                f"{RETURN_GOOD_PRACTICE_DAYS} days (3 weeks) of the return"
            )
    if last_absence_date is not None:
        last_day = lay_by(last_absence_date)
        posted = posted_on_estimate or issue_due_on(received_on)
        final = final_payment_day(served_on(posted))
        if received_on > last_day:
            warnings.append(
                f"The last absence was on {long_date(last_absence_date)}: the last day to lay an "
                f"information was {long_date(last_day)}, so an unpaid notice could not be prosecuted"
            )
        elif final >= last_day:
            warnings.append(
                f"If the notice is posted on {long_date(posted)}, its payment period ends on "
                f"{long_date(final)}, but an information must be laid by {long_date(last_day)} (6 months "
                f"after the last absence on {long_date(last_absence_date)}): an unpaid notice could not "
                "be prosecuted"
            )
    return warnings


def school_copy_is_late(issued_on: date, received_on: date, days: int = SCHOOL_COPY_DAYS) -> bool:
    """A school's copy of a notice it issued is late if received more than ``days`` days after issue."""
    return received_on > issued_on + timedelta(days=days)


class EnforcementStep(StrEnum):
    """Attendance enforcement letters in order (seeds 3e4), ending in prosecution under s444."""

    NOTICE_TO_ATTEND = "notice_to_attend"
    FORMAL_WARNING = "formal_warning"
    COURT_ACTION = "court_action"
    PROSECUTION = "prosecution"

    @property
    def label(self) -> str:
        return {
            EnforcementStep.NOTICE_TO_ATTEND: "Notice to Attend",
            EnforcementStep.FORMAL_WARNING: "Formal Warning Letter",
            EnforcementStep.COURT_ACTION: "Court Action Letter",
            EnforcementStep.PROSECUTION: "Prosecution",
        }[self]


_STEPS = list(EnforcementStep)


def next_step(step: EnforcementStep | str) -> EnforcementStep | None:
    """The step after ``step``, or None after prosecution."""
    index = _STEPS.index(EnforcementStep(step))
    return _STEPS[index + 1] if index + 1 < len(_STEPS) else None


def next_step_due(step: EnforcementStep | str, step_date: date) -> date:
    """When the next step is due: 4 weeks (28 days) after ``step_date``. No step follows prosecution."""
    if next_step(step) is None:
        raise ValueError("no enforcement step follows prosecution")
    return step_date + timedelta(days=STEP_INTERVAL_DAYS)
