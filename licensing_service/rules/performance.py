"""Performance schedules: the limits of the Children (Performances and Activities) (England) Regulations
2014 checked day by day (SPEC §4.1).

Pure functions: dates and times in, findings out. Each finding has a ``code`` from the API contract
(SPEC §6), the ``date`` it concerns (None where no single day applies) and a plain-English ``message``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal
from enum import StrEnum


class DayKind(StrEnum):
    PERFORMANCE = "performance"
    REHEARSAL = "rehearsal"


@dataclass(frozen=True)
class Interval:
    """A stretch of performing on one day. ``end`` earlier than ``start`` means it ends after midnight."""

    start: time
    end: time


@dataclass(frozen=True)
class Day:
    """One day at the place of performance or rehearsal. ``leave`` earlier than ``arrive`` means the child
    leaves after midnight (the next calendar day)."""

    date: date
    kind: DayKind
    arrive: time
    leave: time
    performing: tuple[Interval, ...] = ()


@dataclass(frozen=True)
class Chaperone:
    """Who looks after the child: an approved chaperone (``approval_number``) or a parent."""

    approval_number: str | None = None
    is_parent: bool = False
    children_in_care: int = 1
    also_private_teacher: bool = False


@dataclass(frozen=True)
class ApprovalPeriod:
    """When a chaperone's approval is valid, both days included; None for a number the council does not
    know (a finding, not a crash)."""

    valid_from: date
    valid_until: date


@dataclass(frozen=True)
class Tutor:
    name: str
    hours_per_day: Decimal
    pupils: int
    similar_standard: bool = False


@dataclass(frozen=True)
class Education:
    school_days_missed: int
    tutor: Tutor | None = None


@dataclass(frozen=True)
class Limits:
    """Numbers the council may set (config ``CHAPERONE_*``)."""

    chaperone_max_children: int = 12
    chaperone_max_children_as_teacher: int = 3
    chaperone_recommended_max: int = 8


@dataclass(frozen=True)
class Finding:
    code: str
    date: date | None
    message: str


@dataclass(frozen=True)
class ScheduleResult:
    breaches: tuple[Finding, ...] = ()
    warnings: tuple[Finding, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not self.breaches


def check_schedule(
    date_of_birth: date,
    days: list[Day] | tuple[Day, ...],
    *,
    night_work: bool = False,
    chaperone: Chaperone | None = None,
    education: Education | None = None,
    limits: Limits = Limits(),
    chaperone_approval: ApprovalPeriod | None = None,
    check_chaperone_approval: bool = False,
) -> ScheduleResult:
    """Every breach and warning for a child's schedule, in date order.

    ``check_chaperone_approval`` turns on the ``chaperone_approval`` check (approval valid on every day);
    with it on, ``chaperone_approval`` None means the number is not a current approval.
    """
    raise NotImplementedError
