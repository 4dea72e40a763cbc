"""Whether a child needs a performance licence (Children and Young Persons Act 1963 s37(2)-(3); the
"4-day rule"), and the end of compulsory school age (SPEC §4.1). Pure functions.

The law, as applied here:

- s37(2): a licence is needed for a child to take part in a performance of the kinds s37 lists, or in
  sport or work as a model where payment (other than for expenses) is made to the child or anyone else.
  Sport and modelling need a licence only when someone is paid; ``paid`` says whether they are.
- s37(3)(a), the 4-day rule: no licence is needed for a performance if, in the 6 months before it, the
  child has taken part in performances on no more than 3 days, no payment (beyond expenses) is made, and
  the child is not absent from school. So the 4th day in 6 months needs no licence; a 5th does.
- s37(3)(b): a performance under arrangements made by the child's school needs no licence when no one is
  paid. A performance under a Body of Persons Approval (BOPA) needs no licence when no one is paid and
  the child misses no school (an approval never covers absence from school; SPEC §4.1).
- Education Act 1996 s8: none of this applies after the end of compulsory school age (the last Friday in
  June of the school year in which the child turns 16); dates after it need no licence.

Counting for the 4-day rule. Each date asked about counts the earlier dates asked about that fall in the
6 months before it (from the same day-of-month 6 months earlier). ``prior_days_last_6_months`` are days
before the first date, whose exact dates are not known; they are counted for every date whose 6-month
window could reach back to them (any date less than 6 months after the first), which may find a licence
needed a little earlier than strictly necessary, never later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from shared.calendar import add_months, end_of_compulsory_school_age
from shared.formatting import long_date

__all__ = ["FOUR_DAY_RULE_DAYS", "ActivityKind", "Requirement", "licence_requirement"]

FOUR_DAY_RULE_DAYS = 3  # s37(3)(a): more than this many days in the 6 months before needs a licence
WINDOW_MONTHS = 6


class ActivityKind(StrEnum):
    PERFORMANCE = "performance"
    PAID_SPORT = "paid_sport"
    PAID_MODELLING = "paid_modelling"


@dataclass(frozen=True)
class Requirement:
    licence_required: bool
    reason: str
    compulsory_school_age_ends: date


def _csa_end(date_of_birth: date) -> date:
    try:
        return end_of_compulsory_school_age(date_of_birth)
    except (ValueError, OverflowError):  # a birth date so late the calendar ends first
        return date.max


def _months_before(d: date, months: int) -> date:
    try:
        return add_months(d, -months)
    except (ValueError, OverflowError):
        return date.min


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def _fifth_day(dates: list[date], prior: int) -> tuple[date, int] | None:
    """The first date on which the child would already have performed on more than 3 days in the 6 months
    before, and how many; None if there is none (see the module doc for the counting)."""
    for i, d in enumerate(dates):
        start = _months_before(d, WINDOW_MONTHS)
        earlier = sum(1 for e in dates[:i] if e >= start)
        before = earlier + (prior if start < dates[0] else 0)
        if before > FOUR_DAY_RULE_DAYS:
            return d, before
    return None


def licence_requirement(
    date_of_birth: date,
    dates: list[date],
    *,
    paid: bool,
    school_absence: bool,
    prior_days_last_6_months: int,
    kind: ActivityKind = ActivityKind.PERFORMANCE,
    school_arranged: bool = False,
    under_bopa: bool = False,
) -> Requirement:
    """Whether a licence is needed for these dates, and why, in plain English."""
    ends = _csa_end(date_of_birth)
    in_scope = sorted({d for d in dates if d <= ends})
    over_age = len({d for d in dates if d > ends})
    age_note = ""
    if over_age:
        age_note = (
            f" No licence is needed for the {_plural(over_age, 'date')} after {long_date(ends)}, when the "
            "child is over compulsory school age."
        )
    if dates and not in_scope:
        return Requirement(
            False,
            f"No licence is needed: compulsory school age ends on {long_date(ends)}, before "
            f"{'this date' if over_age == 1 else 'these dates'}, and the licensing rules stop there.",
            ends,
        )
    prior = max(prior_days_last_6_months, 0)

    if kind in (ActivityKind.PAID_SPORT, ActivityKind.PAID_MODELLING):
        activity = "sport" if kind == ActivityKind.PAID_SPORT else "modelling"
        if paid:
            return Requirement(
                True,
                f"A licence is needed: the child would take part in {activity} and someone would be paid "
                f"for it (beyond expenses).{age_note}",
                ends,
            )
        return Requirement(
            False,
            f"No licence is needed: {activity} needs a licence only when the child, or someone else, is "
            f"paid for it (beyond expenses).{age_note}",
            ends,
        )

    if school_arranged and not paid:
        return Requirement(
            False,
            "No licence is needed: the performance is arranged by the child's school and no one is paid "
            f"for it.{age_note}",
            ends,
        )
    if under_bopa and not paid and not school_absence:
        return Requirement(
            False,
            "No licence is needed: the performance is under a body of persons approval (BOPA), no one is "
            f"paid and the child misses no school.{age_note}",
            ends,
        )

    grounds = []
    if paid:
        grounds.append("the child, or someone else, would be paid for it (beyond expenses)")
    if school_absence:
        grounds.append("the child would be absent from school")
    if in_scope:
        fifth = _fifth_day(in_scope, prior)
        if fifth is not None:
            day, before = fifth
            grounds.append(
                f"by {long_date(day)} the child would already have performed on {before} days in the 6 "
                f"months before; more than {FOUR_DAY_RULE_DAYS} days needs a licence (the 4-day rule)"
            )
    elif prior > FOUR_DAY_RULE_DAYS:
        grounds.append(
            f"the child has performed on {prior} days in the last 6 months; more than {FOUR_DAY_RULE_DAYS} "
            "days needs a licence (the 4-day rule)"
        )
    if grounds:
        exemption = ""
        if school_arranged or under_bopa:
            arranged = "by a school" if school_arranged else "under a body of persons approval"
            exemption = f" A performance arranged {arranged} is exempt only when no one is paid" + (
                "." if school_arranged else " and the child misses no school."
            )
        return Requirement(True, f"A licence is needed because {_join(grounds)}.{exemption}{age_note}", ends)
    return Requirement(
        False,
        "No licence is needed: no one is paid, the child misses no school, and the child will not have "
        f"performed on more than {FOUR_DAY_RULE_DAYS} days in the 6 months before any of these days (the "
        f"4-day rule).{age_note}",
        ends,
    )
