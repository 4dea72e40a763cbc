"""Body of Persons Approval (BOPA): an approval for an organisation, not a child, to put on performances
without a licence for each child (Children and Young Persons Act 1963 s37(3)(b); Children (Performances
and Activities) (England) Regulations 2014; SPEC §4.1).

An approval covers a stated period or a series of performances, only where no payment is made to the
children or to anyone else in respect of them (expenses aside) and no child is absent from school. The
organisation gives the dates, the venues and each child's name, date of birth and home authority at least
21 days before the first performance; a later application is flagged ``late`` and the officer may still
approve it, with a recorded reason.

Pure functions: dates in, verdicts out. Findings are ``{code, date, message}`` like every other rule result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from shared.calendar import end_of_compulsory_school_age, is_working_day
from shared.formatting import long_date

MIN_NOTICE_DAYS = 21

# Printed on every approval; the officer may add more.
STANDARD_CONDITIONS: tuple[str, ...] = (
    "No payment, other than for expenses, is made to any child or to anyone else in respect of a child "
    "taking part.",
    "No child is absent from school to take part in a performance or rehearsal.",
    "Each child is in the care of their parent, their usual teacher or a chaperone approved by a local "
    "authority at all times, and a chaperone has no more than 12 children in their care.",
    "The hours, breaks and rest of the Children (Performances and Activities) (England) Regulations 2014 "
    "are kept for every child.",
    "Any change of dates, venues or children is given to the council before the performance it affects.",
    "Officers of the council may enter the place of performance, rehearsal or lodging at any reasonable "
    "time, without notice, and see any child and the records kept.",
    "A register of the children taking part, with each day's times at the place of performance, is kept "
    "for 6 months and shown to an officer of the council on request.",
)


class Status(StrEnum):
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REFUSED = "refused"
    REVOKED = "revoked"


class Decision(StrEnum):
    APPROVE = "approve"
    REFUSE = "refuse"


@dataclass(frozen=True)
class Performance:
    date: date
    venue: str


@dataclass(frozen=True)
class Child:
    name: str
    date_of_birth: date
    home_authority: str


@dataclass(frozen=True)
class Finding:
    code: str
    date: date | None
    message: str


@dataclass(frozen=True)
class Notice:
    days_notice: int  # first_performance - received_on, in days
    due_by: date  # the last day the details could be received on time
    late: bool
    message: str


@dataclass(frozen=True)
class ChildCover:
    """Whether the approval can cover a child: only while they are of compulsory school age."""

    child: Child
    school_age_ends: date
    covered: bool  # on at least one performance day
    covered_until: date | None  # the last performance day covered, None if none is
    finding: Finding | None


@dataclass(frozen=True)
class Assessment:
    errors: dict[str, list[str]]  # why the application is refused outright (422); empty if it is not
    notice: Notice | None
    first_performance: date | None
    last_performance: date | None
    children: tuple[ChildCover, ...] = ()
    warnings: tuple[Finding, ...] = field(default_factory=tuple)


def notice_for(received_on: date, first_performance: date, *, min_days: int = MIN_NOTICE_DAYS) -> Notice:
    """On time when ``received_on <= first_performance - min_days``: 21 days before is on time, 20 is late."""
    due_by = first_performance - timedelta(days=min_days)
    days = (first_performance - received_on).days
    late = received_on > due_by
    if late:
        message = (
            f"The details were received {days} day{'s' if days != 1 else ''} before the first performance "
            f"on {long_date(first_performance)}: they were due by {long_date(due_by)} "
            f"({min_days} days before). "
            "The officer may still approve, giving a reason."
        )
        if days < 0:
            message = (
                f"The details were received {-days} day{'s' if days != -1 else ''} after the first "
                f"performance on {long_date(first_performance)}: they were due by {long_date(due_by)}."
            )
    else:
        message = f"Received {days} days before the first performance: on time (due by {long_date(due_by)})."
    return Notice(days_notice=days, due_by=due_by, late=late, message=message)


def child_cover(child: Child, performance_dates: Sequence[date]) -> ChildCover:
    """A child past the end of compulsory school age needs neither a licence nor an approval: such a day
    is out of scope, and a child with no day in scope is not covered at all."""
    ends = end_of_compulsory_school_age(child.date_of_birth)
    in_scope = sorted(d for d in performance_dates if d <= ends)
    out = sorted(d for d in performance_dates if d > ends)
    finding = None
    if out and not in_scope:
        finding = Finding(
            "out_of_scope_age",
            out[0],
            f"{child.name} is past compulsory school age (it ended on {long_date(ends)}) on every "
            "performance day: no approval or licence is needed and the approval does not cover them.",
        )
    elif out:
        finding = Finding(
            "out_of_scope_age",
            out[0],
            f"{child.name} is past compulsory school age from {long_date(ends + timedelta(days=1))}: the "
            f"approval covers them only until {long_date(in_scope[-1])}.",
        )
    return ChildCover(
        child=child,
        school_age_ends=ends,
        covered=bool(in_scope),
        covered_until=in_scope[-1] if in_scope else None,
        finding=finding,
    )


def _add(errors: dict[str, list[str]], name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


def assess(
    *,
    received_on: date,
    performances: Sequence[Performance],
    children: Sequence[Child],
    no_payment: bool,
    no_school_absence: bool,
    period_start: date | None = None,
    period_end: date | None = None,
    series_description: str | None = None,
    min_notice_days: int = MIN_NOTICE_DAYS,
) -> Assessment:
    """Check an application for an approval: what refuses it outright (``errors``, by field), whether its
    notice was late, and which children the approval can cover."""
    errors: dict[str, list[str]] = {}
    if not no_payment:
        _add(
            errors,
            "no_payment",
            "An approval is only for performances where no payment is made to the children or to anyone "
            "else in respect of them: apply for a performance licence for each child instead",
        )
    if not no_school_absence:
        _add(
            errors,
            "no_school_absence",
            "An approval is only for performances that need no absence from school: apply for a "
            "performance licence for each child instead",
        )
    has_period = period_start is not None or period_end is not None
    if has_period and (period_start is None or period_end is None):
        _add(errors, "period", "Give both the first and the last day of the period")
    elif period_start and period_end and period_end < period_start:
        _add(errors, "period.end", "The period must end on or after the day it starts")
    if not has_period and not (series_description or "").strip():
        _add(errors, "period", "Give the period, or describe the series of performances")
    if not performances:
        _add(errors, "performances", "Give the date and venue of each performance")
    if not children:
        _add(errors, "children", "Give each child's name, date of birth and home authority")

    seen_performances: set[tuple[date, str]] = set()
    for index, p in enumerate(performances):
        key = (p.date, " ".join(p.venue.split()).casefold())
        if key in seen_performances:
            _add(errors, f"performances.{index}", f"The performance on {p.date.isoformat()} is listed twice")
        seen_performances.add(key)
        if (
            period_start
            and period_end
            and period_start <= period_end
            and not (period_start <= p.date <= period_end)
        ):
            _add(
                errors,
                f"performances.{index}.date",
                f"{long_date(p.date)} is outside the period "
                f"{period_start.isoformat()} to {period_end.isoformat()}",
            )

    seen_children: set[tuple[str, date]] = set()
    for index, c in enumerate(children):
        key = (" ".join(c.name.split()).casefold(), c.date_of_birth)
        if key in seen_children:
            _add(errors, f"children.{index}", f"{c.name} is listed twice")
        seen_children.add(key)
        if c.date_of_birth > received_on:
            _add(errors, f"children.{index}.date_of_birth", "Date of birth must be in the past")

    dates = sorted({p.date for p in performances})
    first, last = (dates[0], dates[-1]) if dates else (None, None)
    notice = notice_for(received_on, first, min_days=min_notice_days) if first else None
    covers = tuple(child_cover(c, dates) for c in children) if dates else ()
    if covers and not errors and not any(cover.covered for cover in covers):
        _add(
            errors,
            "children",
            "Every child is past compulsory school age on every performance day: no approval is needed",
        )
    warnings: list[Finding] = []
    if notice and notice.late:
        warnings.append(Finding("late_notice", first, notice.message))
    warnings += [cover.finding for cover in covers if cover.finding]
    return Assessment(
        errors=errors,
        notice=notice,
        first_performance=first,
        last_performance=last,
        children=covers,
        warnings=tuple(warnings),
    )


def decision_due_on(first_performance: date) -> date:
    """The council decides by the last working day before the first performance."""
    day = first_performance - timedelta(days=1)
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


@dataclass(frozen=True)
class Refusal:
    status: int  # 409 not in this state, 422 invalid
    field: str
    message: str


def decision_problem(
    *,
    status: str,
    decision: str,
    late: bool,
    reason: str | None,
    approved_from: date,
    approved_until: date,
    performance_dates: Sequence[date],
) -> Refusal | None:
    """Why this decision cannot be recorded, or None if it can."""
    if status != Status.SUBMITTED:
        return Refusal(409, "decision", f"This application was already decided: it is {status}")
    has_reason = bool((reason or "").strip())
    if decision == Decision.REFUSE:
        if not has_reason:
            return Refusal(422, "reason", "Give the reason for refusing the approval")
        return None
    if late and not has_reason:
        return Refusal(
            422,
            "reason",
            "The details were received late, less than the notice needed before the first performance: give "
            "the reason for approving anyway",
        )
    if approved_until < approved_from:
        return Refusal(422, "approved_until", "The approval must end on or after the day it starts")
    outside = [d for d in performance_dates if not approved_from <= d <= approved_until]
    if outside:
        return Refusal(
            422,
            "approved_until" if outside[0] > approved_until else "approved_from",
            f"The performance on {long_date(outside[0])} is outside the approval "
            f"({approved_from.isoformat()} to {approved_until.isoformat()})",
        )
    return None


def revocation_problem(status: str) -> str | None:
    if status != Status.APPROVED:
        return f"Only an approved approval can be revoked; this one is {status}"
    return None
