"""Notice for a performance licence application: received at least 21 days before the first day
(SPEC §4.1), and when the council must decide. Pure functions.

The 21 days come from the Children (Performances and Activities) (England) Regulations 2014 reg 4: a
council may refuse an application made fewer than 21 days before the first performance or activity.
``received_on`` exactly 21 days before the first day is on time; 20 days is late. A late application is
not refused: it is flagged, and the officer may still grant it with a reason, unless the council sets a
hard stop (``LICENCE_MIN_NOTICE_DAYS_HARD``) below which it is refused automatically.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from shared.calendar import add_working_days

__all__ = ["NoticeVerdict", "notice_verdict"]


@dataclass(frozen=True)
class NoticeVerdict:
    days_notice: int  # first_day - received_on, in days
    late: bool  # received after first_day - min_days
    refuse_automatically: bool  # below the optional hard stop
    decision_due_on: date  # the last working day before the first day
    message: str  # e.g. "Received 20 days before the first day: the council may refuse"


def _days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


def _last_working_day_before(first_day: date) -> date:
    try:
        return add_working_days(first_day, -1)
    except (ValueError, OverflowError):  # the calendar runs out: the day before is the best answer
        return first_day if first_day == date.min else date.fromordinal(first_day.toordinal() - 1)


def notice_verdict(
    received_on: date, first_day: date, *, min_days: int = 21, hard_stop_days: int | None = None
) -> NoticeVerdict:
    """How much notice an application gave, whether it is late, and when the decision is due.

    ``late`` when ``received_on`` is after ``first_day - min_days`` (``days_notice < min_days``);
    ``refuse_automatically`` when a hard stop is set and ``days_notice`` is below it.
    """
    days_notice = first_day.toordinal() - received_on.toordinal()
    late = days_notice < min_days
    refuse = hard_stop_days is not None and days_notice < hard_stop_days
    if days_notice > 0:
        when = f"Received {_days(days_notice)} before the first day"
    elif days_notice == 0:
        when = "Received on the first day"
    else:
        when = f"Received {_days(-days_notice)} after the first day"
    if refuse:
        message = (
            f"{when}: fewer than the {_days(hard_stop_days)} the council needs, so the application is refused"
        )
    elif late:
        message = f"{when}: the council may refuse (at least {_days(min_days)} are needed)"
    else:
        message = f"{when}: on time"
    return NoticeVerdict(
        days_notice=days_notice,
        late=late,
        refuse_automatically=refuse,
        decision_due_on=_last_working_day_before(first_day),
        message=message,
    )
