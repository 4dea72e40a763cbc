"""Performance schedules: the limits of the Children (Performances and Activities) (England) Regulations
2014 checked day by day (SPEC §4.1).

Pure functions: dates and times in, findings out. Each finding has a ``code`` from the API contract
(SPEC §6), the ``date`` it concerns (None where no single day applies) and a plain-English ``message``.

Sources, regulation numbers as in SI 2014/3309:

- reg 13 (education): a private teacher teaches at most 6 children at a time, 12 if all are of a similar
  standard; the child is taught at least 3 hours on each day they would have to attend school, or, deemed
  equivalent, at least 6 hours a week and, in each complete 4-week period (or a shorter final period), no
  less in total than the 3 hours a day would give.
- reg 15 (chaperones): unless with a parent (or their usual teacher), a child is in the care of a chaperone
  approved by a council, who has at most 12 children in their care, or 3 if also their private teacher.
- regs 21 and 22 (earliest and latest times; time at the place, time performing, continuous performing) by
  age on the day: 0-4, 5-8, 9 until the end of compulsory school age (the table in SPEC §4.1).
- reg 24 (minimum breaks overnight): 12 hours between leaving the place one day and arriving the next.
- reg 26: no more than 6 consecutive days of performances or rehearsals.
- reg 27 (break in performances): see :func:`_fourteen_day_break` for how it is read.
- reg 28 (night work): a council may permit a child to take part in a performance before the earliest or
  after the latest time; the time performing then still counts towards the daily limits, and the child
  takes part in no other performance or rehearsal until 16 hours after their part ends.
- Children and Young Persons Act 1963 s37 and Education Act 1996 s8: none of this applies to a day after
  the end of compulsory school age (the last Friday in June of the school year in which the child turns
  16); that day gets an ``out_of_scope_age`` warning instead.

How a day is read. Times are clock times on the day's date. A ``leave`` earlier than ``arrive`` is after
midnight; on such a day any performing time earlier than ``arrive`` is after midnight too. An interval
whose ``end`` is earlier than its ``start`` ends after midnight. Touching or overlapping intervals are one
stretch of performing (a "break" of no minutes is no break), and are counted once. The schemas refuse
impossible days (performing outside the time at the place, overlapping intervals, the same date twice);
given one anyway these functions still answer, and never raise.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from shared.calendar import age_on, end_of_compulsory_school_age, is_working_day, week_start
from shared.formatting import long_date

__all__ = [
    "BANDS",
    "EARLIEST",
    "MAX_CONSECUTIVE_DAYS",
    "ApprovalPeriod",
    "Band",
    "Chaperone",
    "Day",
    "DayKind",
    "Education",
    "Finding",
    "Interval",
    "Limits",
    "ScheduleResult",
    "Timeline",
    "Tutor",
    "band_for_age",
    "check_schedule",
    "compulsory_school_age_ends",
    "format_duration",
    "timeline",
]

MINUTES_A_DAY = 24 * 60
EARLIEST = time(7, 0)
MAX_CONSECUTIVE_DAYS = 6  # reg 26
OVERNIGHT_REST_MINUTES = 12 * 60  # reg 24
NIGHT_WORK_REST_MINUTES = 16 * 60  # reg 28(2)(b)
BREAK_AFTER_WEEKS = 8  # reg 27(1)
BREAK_CLEAR_DAYS = 14  # reg 27(1)
BREAK_MIN_LICENCE_DAYS = 60  # reg 27(2)
TUTOR_MAX_PUPILS = 6  # reg 13(3)(d)
TUTOR_MAX_PUPILS_SIMILAR_STANDARD = 12
TUTOR_HOURS_A_SCHOOL_DAY = Decimal(3)  # reg 13(3)(e)
TUTOR_HOURS_A_WEEK = Decimal(6)  # reg 13(4)(a)
TUTOR_PERIOD_DAYS = 28  # reg 13(4)(b)


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
    """Who looks after the child: an approved chaperone (``approval_number``), a parent, or the child's
    usual teacher (``is_usual_teacher``, named with their school)."""

    approval_number: str | None = None
    is_parent: bool = False
    is_usual_teacher: bool = False
    usual_teacher_name: str | None = None
    usual_teacher_school: str | None = None
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


# Age bands (regs 21 and 22) ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Band:
    """The limits for one age band; durations in minutes."""

    name: str
    min_age: int
    latest: time
    max_at_place: int
    max_performing: int
    max_continuous: int


BANDS: tuple[Band, ...] = (
    Band("0 to 4", 0, time(22, 0), 5 * 60, 2 * 60, 30),
    Band("5 to 8", 5, time(23, 0), 8 * 60, 3 * 60, 2 * 60 + 30),
    Band("9 and over", 9, time(23, 0), 9 * 60 + 30, 5 * 60, 2 * 60 + 30),
)


def band_for_age(age: int) -> Band:
    """The band for a child of ``age`` completed years (a negative age reads as 0)."""
    return next(b for b in reversed(BANDS) if age >= b.min_age or b.min_age == 0)


def compulsory_school_age_ends(date_of_birth: date) -> date:
    """The last day of compulsory school age (``date.max`` where the calendar runs out first)."""
    try:
        return end_of_compulsory_school_age(date_of_birth)
    except (ValueError, OverflowError):
        return date.max


def _age(date_of_birth: date, on: date) -> int:
    return age_on(date_of_birth, on) if on >= date_of_birth else 0


def _working(d: date) -> bool:
    try:
        return is_working_day(d)
    except (ValueError, OverflowError):  # a year no bank-holiday calendar covers: Monday to Friday
        return d.weekday() < 5


# Reading a day -----------------------------------------------------------------------------------------


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


@dataclass(frozen=True)
class Timeline:
    """A day in minutes from midnight at the start of its date (values past 1440 are after midnight).

    ``performing`` is the union of the intervals, sorted, touching or overlapping stretches merged.
    """

    arrive: int
    leave: int
    performing: tuple[tuple[int, int], ...]
    intervals: tuple[tuple[int, int], ...]  # each interval as given, in the same order

    @property
    def at_place(self) -> int:
        return self.leave - self.arrive

    @property
    def performing_total(self) -> int:
        return sum(end - start for start, end in self.performing)

    @property
    def longest_stretch(self) -> tuple[int, int] | None:
        return max(self.performing, key=lambda s: s[1] - s[0], default=None)


def timeline(day: Day) -> Timeline:
    """The day's times on one line of minutes, after-midnight times moved past 1440 (see module doc)."""
    arrive, leave = _minutes(day.arrive), _minutes(day.leave)
    crosses = leave < arrive
    if crosses:
        leave += MINUTES_A_DAY

    def anchored(t: time) -> int:
        m = _minutes(t)
        return m + MINUTES_A_DAY if crosses and m < arrive else m

    intervals = []
    for interval in day.performing:
        start, end = anchored(interval.start), anchored(interval.end)
        if end < start:
            end += MINUTES_A_DAY
        intervals.append((start, end))
    merged: list[list[int]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return Timeline(arrive, leave, tuple((s, e) for s, e in merged), tuple(intervals))


# Wording -----------------------------------------------------------------------------------------------


def format_duration(minutes: int) -> str:
    """'9 hours 30 minutes', '1 hour', '45 minutes', '0 minutes'."""
    minutes = max(minutes, 0)
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if rest or not hours:
        parts.append(f"{rest} minute{'s' if rest != 1 else ''}")
    return " ".join(parts)


def _clock(minutes: int) -> str:
    days, rest = divmod(minutes, MINUTES_A_DAY)
    shown = f"{rest // 60:02d}:{rest % 60:02d}"
    return shown + (" the next day" if days == 1 else f" {days} days later" if days > 1 else "")


def _at_age(age: int) -> str:
    return "for a child under 1" if age < 1 else f"at age {age}"


def _days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


def _school_days(n: int) -> str:
    return f"{n} school day{'s' if n != 1 else ''}"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _hours(value: Decimal) -> str:
    """Decimal hours as a duration ('2 hours 30 minutes')."""
    return format_duration(int((value * 60).to_integral_value()))


def _long(ordinal: int) -> str:
    """The long date of a day number, or a plain description where it is outside the calendar."""
    if 1 <= ordinal <= date.max.toordinal():
        return long_date(date.fromordinal(ordinal))
    return "a day outside the calendar"


def _from_ordinal(ordinal: int) -> date | None:
    return date.fromordinal(ordinal) if 1 <= ordinal <= date.max.toordinal() else None


# The checks --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Checked:
    """A day in the scope of the regulations, with what the checks need to know about it."""

    day: Day
    age: int
    band: Band
    line: Timeline
    night_work: bool  # the child performs outside the earliest and latest times, as the licence permits

    @property
    def ordinal(self) -> int:
        return self.day.date.toordinal()

    @property
    def start(self) -> int:
        """Minutes on the schedule's clock when the child arrives."""
        return self.ordinal * MINUTES_A_DAY + self.line.arrive

    @property
    def end(self) -> int:
        return self.ordinal * MINUTES_A_DAY + self.line.leave

    @property
    def part_starts(self) -> int:
        """When the child starts taking part (first performing, or arrival if no times are given)."""
        first = self.line.performing[0][0] if self.line.performing else self.line.arrive
        return self.ordinal * MINUTES_A_DAY + first

    @property
    def part_ends(self) -> int:
        last = self.line.performing[-1][1] if self.line.performing else self.line.leave
        return self.ordinal * MINUTES_A_DAY + last


def _outside_hours(band: Band, start: int, end: int) -> bool:
    return start < _minutes(EARLIEST) or end > _minutes(band.latest)


def _is_night_work(day: Day, band: Band, line: Timeline, night_work: bool) -> bool:
    """Performing outside the earliest and latest times on a performance day, with night work permitted.

    reg 28 permits taking part in a *performance* at night, so a rehearsal day never counts, and being at
    the place outside the times without performing then is not night work. A day with no performing times
    given is read as performing throughout the time at the place.
    """
    if not night_work or day.kind != DayKind.PERFORMANCE:
        return False
    stretches = line.performing or ((line.arrive, line.leave),)
    return any(_outside_hours(band, start, end) for start, end in stretches)


def _day_findings(c: _Checked, night_work: bool) -> list[Finding]:
    day, band, line, at = c.day, c.band, c.line, _at_age(c.age)
    on = long_date(day.date)
    found: list[Finding] = []
    if not c.night_work:
        why_not = ""
        if night_work:
            why_not = (
                "; night work covers performing at night, not rehearsals"
                if day.kind == DayKind.REHEARSAL
                else "; night work covers performing at night, not being at the place without performing"
            )
        if line.arrive < _minutes(EARLIEST):
            found.append(
                Finding(
                    "earliest_time",
                    day.date,
                    f"On {on} the child would arrive at the place at {_clock(line.arrive)}; the earliest "
                    f"time {at} is {EARLIEST:%H:%M}{why_not}.",
                )
            )
        if line.leave > _minutes(band.latest):
            found.append(
                Finding(
                    "latest_time",
                    day.date,
                    f"On {on} the child would leave the place at {_clock(line.leave)}; the latest time {at} "
                    f"is {band.latest:%H:%M}{why_not}.",
                )
            )
    if line.at_place > band.max_at_place:
        found.append(
            Finding(
                "max_time_at_place",
                day.date,
                f"On {on} the child would be at the place for {format_duration(line.at_place)}; the limit "
                f"{at} is {format_duration(band.max_at_place)}.",
            )
        )
    if line.performing_total > band.max_performing:
        night = " (performing at night counts too)" if c.night_work else ""
        found.append(
            Finding(
                "max_performing",
                day.date,
                f"On {on} the child would perform for {format_duration(line.performing_total)}{night}; the "
                f"limit {at} is {format_duration(band.max_performing)}.",
            )
        )
    longest = line.longest_stretch
    if longest and longest[1] - longest[0] > band.max_continuous:
        found.append(
            Finding(
                "max_continuous_performing",
                day.date,
                f"On {on} the child would perform for {format_duration(longest[1] - longest[0])} without a "
                f"break, from {_clock(longest[0])} to {_clock(longest[1])}; the limit {at} is "
                f"{format_duration(band.max_continuous)}.",
            )
        )
    return found


def _rest_findings(days: Sequence[_Checked]) -> list[Finding]:
    """reg 24 (12 hours overnight) and reg 28(2)(b) (16 hours after night work), between each day and the
    next day in the schedule."""
    found = []
    for before, after in zip(days, days[1:], strict=False):
        gap = after.start - before.end
        if gap < OVERNIGHT_REST_MINUTES:
            rest = (
                f"{format_duration(gap)} later"
                if gap >= 0
                else f"{format_duration(-gap)} before leaving the day before"
            )
            found.append(
                Finding(
                    "overnight_rest",
                    after.day.date,
                    f"The child would leave the place at {_clock(before.line.leave)} on "
                    f"{long_date(before.day.date)} and arrive at {_clock(after.line.arrive)} on "
                    f"{long_date(after.day.date)}, {rest}; at least 12 hours are needed between leaving "
                    "one day and arriving the next.",
                )
            )
        if before.night_work:
            rest = after.part_starts - before.part_ends
            if rest < NIGHT_WORK_REST_MINUTES:
                when = f"{format_duration(rest)} later" if rest >= 0 else "before that part ends"
                found.append(
                    Finding(
                        "night_work_rest",
                        after.day.date,
                        f"After night work on {long_date(before.day.date)} the child's part would end at "
                        f"{_clock(before.part_ends - before.ordinal * MINUTES_A_DAY)}, and the next "
                        f"performance or rehearsal would start at "
                        f"{_clock(after.part_starts - after.ordinal * MINUTES_A_DAY)} on "
                        f"{long_date(after.day.date)}, {when}; at least 16 hours are needed after night "
                        "work.",
                    )
                )
    return found


def _runs(ordinals: Sequence[int]) -> list[tuple[int, int]]:
    """Runs of consecutive day numbers, as (first, last), from sorted unique day numbers."""
    runs: list[tuple[int, int]] = []
    for n in ordinals:
        if runs and n == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    return runs


def _consecutive_days(ordinals: Sequence[int]) -> list[Finding]:
    """reg 26: a run of more than 6 consecutive days, dated the 7th day (one finding a run)."""
    found = []
    for first, last in _runs(ordinals):
        length = last - first + 1
        if length > MAX_CONSECUTIVE_DAYS:
            seventh = first + MAX_CONSECUTIVE_DAYS
            found.append(
                Finding(
                    "consecutive_days",
                    _from_ordinal(seventh),
                    f"{_long(seventh)} would be the {_ordinal(MAX_CONSECUTIVE_DAYS + 1)} consecutive day of "
                    f"performances or rehearsals ({length} days in a row, from {_long(first)} to "
                    f"{_long(last)}); the limit is {MAX_CONSECUTIVE_DAYS} consecutive days.",
                )
            )
    return found


def _fourteen_day_break(ordinals: Sequence[int]) -> list[Finding]:
    """reg 27: 14 clear days after 8 consecutive weeks of performing on the maximum consecutive days.

    reg 27(1): a child who takes part in performances on the maximum number of consecutive days permitted
    by reg 26 (6) for a period of 8 consecutive weeks must not take part in any performance or rehearsal
    during the 14 days following the last performance. reg 27(2): not where the licence specifies fewer
    than 60 days on which the child may perform.

    Read here as follows.
    - A "week" is any 7 days in a row, not only Monday to Sunday: the regulation names no calendar week,
      and a fixed week would let a schedule escape by starting on a Wednesday.
    - A week "on the maximum number of consecutive days" holds 6 consecutive days of performances or
      rehearsals. Rehearsal days count because reg 26's maximum counts them.
    - The 8 weeks are back to back (56 days). "The last performance" is the last day of performance or
      rehearsal in them; the next may be no sooner than the 15th day after it.
    - The 60 days are the days of the schedule within compulsory school age.
    - One finding for each stretch of schedule without 14 clear days in it, dated the first day that
      falls inside the required break.
    """
    if len(ordinals) < BREAK_MIN_LICENCE_DAYS:
        return []
    on = set(ordinals)
    week = 7
    span = BREAK_AFTER_WEEKS * week

    def six_from(n: int) -> bool:
        return all(n + i in on for i in range(MAX_CONSECUTIVE_DAYS))

    def full_week(start: int) -> bool:
        return any(six_from(start + offset) for offset in range(week - MAX_CONSECUTIVE_DAYS + 1))

    candidates: dict[int, tuple[int, int]] = {}  # first day inside a break -> (first, last) of the 8 weeks
    starts = sorted({n - offset for n in ordinals for offset in range(week - MAX_CONSECUTIVE_DAYS + 1)})
    for start in starts:
        if not all(full_week(start + k * week) for k in range(BREAK_AFTER_WEEKS)):
            continue
        last = ordinals[bisect.bisect_right(ordinals, start + span - 1) - 1]
        following = bisect.bisect_right(ordinals, last)
        if following < len(ordinals) and ordinals[following] <= last + BREAK_CLEAR_DAYS:
            first = ordinals[bisect.bisect_left(ordinals, start)]
            candidates.setdefault(ordinals[following], (first, last))
    found = []
    reported: int | None = None
    for inside in sorted(candidates):
        if reported is not None and not _clear_gap_between(ordinals, reported, inside):
            continue
        reported = inside
        start, last = candidates[inside]
        found.append(
            Finding(
                "fourteen_day_break",
                _from_ordinal(inside),
                f"On {_long(inside)} the child would perform or rehearse {_days(inside - last)} after "
                f"{_long(last)}, the end of {BREAK_AFTER_WEEKS} consecutive weeks (from {_long(start)}) "
                f"of performing on {MAX_CONSECUTIVE_DAYS} consecutive days a week; the child must then have "
                f"{BREAK_CLEAR_DAYS} clear days, so nothing before {_long(last + BREAK_CLEAR_DAYS + 1)}.",
            )
        )
    return found


def _clear_gap_between(ordinals: Sequence[int], first: int, later: int) -> bool:
    """True if the schedule has 14 clear days somewhere between days ``first`` and ``later``."""
    i = bisect.bisect_left(ordinals, first)
    j = bisect.bisect_left(ordinals, later)
    return any(ordinals[k + 1] - ordinals[k] - 1 >= BREAK_CLEAR_DAYS for k in range(i, j))


def _chaperone_findings(
    chaperone: Chaperone | None,
    days: Sequence[_Checked],
    limits: Limits,
    approval: ApprovalPeriod | None,
    check_approval: bool,
    approved_elsewhere: bool = False,
) -> tuple[list[Finding], list[Finding]]:
    """reg 15: breaches and warnings about who looks after the child.

    No chaperone at all (None), or one without an approval number, is a ``chaperone_approval`` breach
    with no date: a child not with a parent or their usual teacher must be in the care of an approved
    chaperone on every day, and a licence cannot be granted until one is named.
    """
    breaches: list[Finding] = []
    warnings: list[Finding] = []
    if chaperone is not None and (chaperone.is_parent or chaperone.is_usual_teacher):
        return breaches, warnings
    if chaperone is None or not (chaperone.approval_number or "").strip():
        breaches.append(
            Finding(
                "chaperone_approval",
                None,
                "No approved chaperone is named. Unless a parent or their usual teacher looks after the "
                "child, the child must be in the care of a chaperone approved by a council on every day.",
            )
        )
    if chaperone is not None:
        n = chaperone.children_in_care
        limit = (
            limits.chaperone_max_children_as_teacher
            if chaperone.also_private_teacher
            else limits.chaperone_max_children
        )
        if n > limit:
            role = " while also being their private teacher" if chaperone.also_private_teacher else ""
            breaches.append(
                Finding(
                    "chaperone_ratio",
                    None,
                    f"The chaperone would look after {n} children{role}; the limit is {limit}.",
                )
            )
        elif n > limits.chaperone_recommended_max:
            warnings.append(
                Finding(
                    "chaperone_ratio",
                    None,
                    f"The chaperone would look after {n} children; the council recommends no more than "
                    f"{limits.chaperone_recommended_max}. This is allowed (the limit is {limit}).",
                )
            )
    named = chaperone is not None and (chaperone.approval_number or "").strip()
    if named and approved_elsewhere:
        # Approved by the council where the chaperone lives: only that council's records can say.
        warnings.append(
            Finding(
                "chaperone_approval",
                None,
                f"The chaperone's approval {chaperone.approval_number.strip()} was given by another council. "
                f"The council will confirm with them that it is valid from {long_date(days[0].day.date)} to "
                f"{long_date(days[-1].day.date)}.",
            )
        )
    elif check_approval and named:
        uncovered = [
            c.day.date
            for c in days
            if approval is None or not approval.valid_from <= c.day.date <= approval.valid_until
        ]
        if uncovered:
            others = len(uncovered) - 1
            more = f" or {_days(others)} after it" if others else ""
            if approval is None:
                reason = "The chaperone's approval number is not a current approval"
            else:
                reason = (
                    f"The chaperone's approval is valid from {long_date(approval.valid_from)} to "
                    f"{long_date(approval.valid_until)}"
                )
            breaches.append(
                Finding(
                    "chaperone_approval",
                    uncovered[0],
                    f"{reason}, so it does not cover {long_date(uncovered[0])}{more}. The approval must "
                    "be valid on every day of the licence.",
                )
            )
    return breaches, warnings


def _decimal(value: object) -> Decimal:
    """A finite, non-negative Decimal from what a caller passed as hours (anything odd reads as 0)."""
    try:
        d = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return Decimal(0)
    return d if d.is_finite() and d > 0 else Decimal(0)


def _education_findings(
    education: Education | None, days: Sequence[_Checked]
) -> tuple[list[Finding], list[Finding]]:
    """reg 13: the private teacher's pupils and the hours the child is taught.

    School days missed. The schedule's weekdays that are not bank holidays (``is_working_day``) are the
    days the child could miss school; the application's ``school_days_missed`` is the number the child
    will actually miss, because only the applicant and the school know the term dates, training days and
    which days the child is at the place in school hours. The declared number is used; where it differs
    from the count of working days a ``school_days_missed`` warning asks the officer to check it against
    the school's term dates. The missed days are taken to fall evenly over the schedule's working days.

    Hours taught. The tutor teaches ``hours_per_day`` on each working day of the schedule (at the place,
    where the child is). reg 13(3)(e) is met if that is at least 3 hours. Otherwise the deemed-equivalent
    test of reg 13(4) applies, and each failure is a ``tutor_hours`` breach: every Monday-to-Sunday week
    with lessons must have at least 6 hours, and each 4-week period from the first day (the last may be
    shorter) must have no fewer hours than 3 for each school day missed in it.

    School days missed with no tutor named is an ``education_arrangements`` warning: the council approves
    the arrangements, which may be work set by the school rather than a private teacher.
    """
    breaches: list[Finding] = []
    warnings: list[Finding] = []
    if education is None or not days:
        return breaches, warnings
    tutor = education.tutor
    if tutor is not None:
        limit = TUTOR_MAX_PUPILS_SIMILAR_STANDARD if tutor.similar_standard else TUTOR_MAX_PUPILS
        if tutor.pupils > limit:
            standard = (
                " when all are of a similar standard"
                if tutor.similar_standard
                else f" ({TUTOR_MAX_PUPILS_SIMILAR_STANDARD} if all are of a similar standard)"
            )
            breaches.append(
                Finding(
                    "tutor_pupils",
                    None,
                    f"The tutor would teach {tutor.pupils} children at once; the limit is {limit}{standard}.",
                )
            )
    working = [c.day.date for c in days if _working(c.day.date)]
    missed = max(education.school_days_missed, 0)
    if missed != len(working):
        warnings.append(
            Finding(
                "school_days_missed",
                None,
                f"The application says the child will miss {_school_days(missed)}; "
                f"the schedule has {len(working)} weekday{'s' if len(working) != 1 else ''} that "
                f"{'are not bank holidays' if len(working) != 1 else 'is not a bank holiday'}. Check the "
                "days against the school's term dates.",
            )
        )
    if missed == 0:
        return breaches, warnings
    if tutor is None:
        warnings.append(
            Finding(
                "education_arrangements",
                None,
                f"The child would miss {_school_days(missed)} and no tutor is named: the "
                "council must approve how the child will be educated.",
            )
        )
        return breaches, warnings
    hours = _decimal(tutor.hours_per_day)
    if hours >= TUTOR_HOURS_A_SCHOOL_DAY:
        return breaches, warnings
    if not working:
        breaches.append(
            Finding(
                "tutor_hours",
                days[0].day.date,
                f"The child would miss {_school_days(missed)}, but the schedule has no weekday for "
                "lessons; the child needs at least 3 hours of teaching for each school day missed.",
            )
        )
        return breaches, warnings
    breaches += _weekly_hours(working, hours)
    breaches += _period_hours(working, hours, missed, days[0].day.date)
    return breaches, warnings


def _weekly_hours(working: Sequence[date], hours: Decimal) -> list[Finding]:
    found = []
    weeks: dict[date, list[date]] = {}
    for d in working:
        weeks.setdefault(week_start(d), []).append(d)
    for monday, lesson_days in weeks.items():
        taught = hours * len(lesson_days)
        if taught < TUTOR_HOURS_A_WEEK:
            found.append(
                Finding(
                    "tutor_hours",
                    lesson_days[0],
                    f"In the week beginning {long_date(monday)} the tutor would teach {_hours(taught)} "
                    f"({_hours(hours)} on each of {_days(len(lesson_days))}); the child needs at least 3 "
                    "hours on each school day missed or, instead, at least 6 hours a week.",
                )
            )
    return found


def _period_hours(working: Sequence[date], hours: Decimal, missed: int, first: date) -> list[Finding]:
    found = []
    periods: dict[int, list[date]] = {}
    for d in working:
        periods.setdefault((d - first).days // TUTOR_PERIOD_DAYS, []).append(d)
    for index, lesson_days in periods.items():
        taught = hours * len(lesson_days)
        missed_here = Decimal(missed) * len(lesson_days) / len(working)
        needed = TUTOR_HOURS_A_SCHOOL_DAY * missed_here
        if taught < needed:
            period_start = _long(first.toordinal() + index * TUTOR_PERIOD_DAYS)
            shown = (
                f"{missed_here.normalize():f}"
                if missed_here == missed_here.to_integral_value()
                else (f"about {missed_here.quantize(Decimal('0.1'))}")
            )
            found.append(
                Finding(
                    "tutor_hours",
                    lesson_days[0],
                    f"In the 4 weeks from {period_start} the tutor would teach {_hours(taught)}; "
                    f"the child would miss {shown} school days then, so at least {_hours(needed)} are "
                    "needed (3 hours for each school day missed).",
                )
            )
    return found


def _sorted(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """In date order; findings about the whole schedule (no date) first. The sort is stable."""
    return tuple(sorted(findings, key=lambda f: (f.date is not None, f.date or date.min)))


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
    chaperone_approved_elsewhere: bool = False,
) -> ScheduleResult:
    """Every breach and warning for a child's schedule, in date order.

    ``check_chaperone_approval`` turns on the ``chaperone_approval`` check (approval valid on every day);
    with it on, ``chaperone_approval`` None means the number is not a current approval. A chaperone
    ``chaperone_approved_elsewhere`` (by another council) gets a warning to confirm with that council.

    Days after the end of compulsory school age get an ``out_of_scope_age`` warning and take no part in
    any other check. Chaperone and education checks run only when at least one day is in scope.
    """
    ends = compulsory_school_age_ends(date_of_birth)
    breaches: list[Finding] = []
    warnings: list[Finding] = []
    checked: list[_Checked] = []
    for day in sorted(days, key=lambda d: (d.date, _minutes(d.arrive))):
        if day.date > ends:
            warnings.append(
                Finding(
                    "out_of_scope_age",
                    day.date,
                    f"On {long_date(day.date)} the child is over compulsory school age (it ended on "
                    f"{long_date(ends)}), so no licence is needed for that day and these limits do not "
                    "apply to it.",
                )
            )
            continue
        age = _age(date_of_birth, day.date)
        band = band_for_age(age)
        line = timeline(day)
        checked.append(_Checked(day, age, band, line, _is_night_work(day, band, line, night_work)))

    for c in checked:
        breaches += _day_findings(c, night_work)
    breaches += _rest_findings(checked)
    ordinals = sorted({c.ordinal for c in checked})
    breaches += _consecutive_days(ordinals)
    breaches += _fourteen_day_break(ordinals)
    if checked:
        more_breaches, more_warnings = _chaperone_findings(
            chaperone,
            checked,
            limits,
            chaperone_approval,
            check_chaperone_approval,
            chaperone_approved_elsewhere,
        )
        breaches += more_breaches
        warnings += more_warnings
        more_breaches, more_warnings = _education_findings(education, checked)
        breaches += more_breaches
        warnings += more_warnings
    return ScheduleResult(breaches=_sorted(breaches), warnings=_sorted(warnings))
