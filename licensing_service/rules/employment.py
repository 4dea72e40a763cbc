"""Child employment: the job and the weekly hours a permit may allow (SPEC §4.3).

Pure functions: dates and times in, findings out. Each finding has a ``code`` from the API contract (SPEC
§6), the ``date`` it concerns (None for something about the weekly pattern rather than one day) and a
plain-English ``message`` with the figures. Pattern findings also name the ``period`` (term time or
holidays) and ``day``, so a form can put the message next to the row it is about.

Sources: Children and Young Persons Act 1933 s18 as amended, and the Nottinghamshire byelaws on the
employment of children:

- no child under 13 is employed; a child of 13 or 14 only in light work of the kinds in the byelaws (the
  ``LIGHT_WORK`` categories); some work no child may do (``PROHIBITED``). Work of another kind (``other``)
  is refused at 13 or 14 (``not_light_work``) and allowed at 15 or over, flagged for the officer to review
  (``job_review``);
- a child is a child until the end of compulsory school age (the last Friday in June of the school year in
  which they turn 16): a start after that needs no permit (``out_of_scope_age``, a warning, nothing else
  checked);
- regime ``CYPA1933`` (the law now): not before 07:00 or after 19:00; on a school day at most 2 hours, of
  which at most 1 hour before school, and never during school hours; on a Sunday at most 2 hours; on any
  other day at most 5 hours under 15, 8 hours at 15 or over; at most 12 hours in a term-time week; at most
  25 hours in a holiday week under 15, 35 at 15 or over; never more than 4 hours without a rest break of
  at least 1 hour; 2 consecutive weeks without work in the school holidays;
- regime ``CWSA2026`` (Children's Wellbeing and Schools Act 2026 s28), from its commencement date: the same
  but 07:00 to 20:00 and no separate Sunday limit (a Sunday is a non-school day like a Saturday).

How the pattern is read. ``term_time`` and ``holidays`` are the child's usual week in each; Monday to
Friday in term time are school days. A day may have more than one working period (a paper round before
school and another after it). Breaks inside a period are not working time. A stretch of work counts as
continuous until a gap of at least 1 hour — a break, or the time between two periods — so two shorter
breaks do not make a 1-hour break. Times are on one day: a period ends after it starts, on the same day.

The regime and the child's age are those of the start date. The permit lasts a year, so where the regime
changes or the child turns 15 during that year a warning says what applies from then.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from enum import StrEnum

from shared.calendar import add_months, age_on, birthday_in_year, end_of_compulsory_school_age
from shared.formatting import long_date

__all__ = [
    "CATEGORY_LABELS",
    "DAYS",
    "LIGHT_WORK",
    "PROHIBITED",
    "Finding",
    "Period",
    "Regime",
    "Result",
    "Schedule",
    "Settings",
    "Shift",
    "application_window",
    "check",
    "format_duration",
    "permit_valid_until",
    "regime_on",
    "shift_minutes",
]

MINIMUM_AGE = 13
OLDER_AGE = 15  # the limits for "15 and over" apply from the 15th birthday
BREAK_AFTER_MINUTES = 4 * 60
BREAK_MINUTES = 60
SCHOOL_DAY_MAX = 2 * 60
BEFORE_SCHOOL_MAX = 60
SUNDAY_MAX = 2 * 60
TERM_WEEK_MAX = 12 * 60

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DAY_NAMES = {d: d.capitalize() for d in DAYS}
SCHOOL_DAYS = frozenset(DAYS[:5])

LIGHT_WORK = {
    "newspaper_delivery": "Newspaper delivery",
    "shop": "Shop work",
    "office": "Office work",
    "agriculture": "Agricultural or horticultural work",
    "hairdressing": "Work in a hairdressing salon",
    "cafe_restaurant": "Café or restaurant work",
    "riding_stables": "Work at riding stables",
    "hotel_domestic": "Domestic work in a hotel",
    "car_washing_private": "Hand car-washing at a private home",
}
PROHIBITED = {
    "industrial": "Industrial work",
    "commercial_kitchen": "Work in a commercial kitchen",
    "alcohol": "Selling or delivering alcohol (unsealed)",
    "milk_or_fuel_delivery": "Delivering milk or fuel",
    "refuse": "Collecting or sorting refuse",
    "work_at_height": "Work more than 3 metres above the ground",
    "fairground": "Work at a fairground",
    "amusement_arcade": "Work in an amusement arcade",
    "betting_bingo_club": "Work in a betting shop, bingo hall or club",
    "door_to_door": "Door-to-door selling without supervision",
    "telephone_sales": "Telephone sales",
    "slaughterhouse": "Work in a slaughterhouse or butcher's",
    "adult_material": "Work with adult material",
    "cinema_theatre_nightclub": "Work in a cinema, theatre or nightclub",
}
OTHER = "other"
CATEGORY_LABELS = {**LIGHT_WORK, **PROHIBITED, OTHER: "Other work"}


class Regime(StrEnum):
    CYPA1933 = "CYPA1933"
    CWSA2026 = "CWSA2026"


REGIME_NAMES = {
    Regime.CYPA1933: "the Children and Young Persons Act 1933",
    Regime.CWSA2026: "the Children's Wellbeing and Schools Act 2026",
}
EARLIEST = time(7, 0)
LATEST = {Regime.CYPA1933: time(19, 0), Regime.CWSA2026: time(20, 0)}


class Period(StrEnum):
    TERM_TIME = "term_time"
    HOLIDAYS = "holidays"


PERIOD_NAMES = {Period.TERM_TIME: "term time", Period.HOLIDAYS: "the school holidays"}
PERIOD_LABELS = {Period.TERM_TIME: "Term time", Period.HOLIDAYS: "School holidays"}


@dataclass(frozen=True)
class Shift:
    """One working period on a day of the week, with its breaks (not working time)."""

    day: str
    start: time
    end: time
    breaks: tuple[tuple[time, time], ...] = ()


@dataclass(frozen=True)
class Schedule:
    term_time: tuple[Shift, ...] = ()
    holidays: tuple[Shift, ...] = ()
    # The employer confirms the child has 2 consecutive weeks without work in the school holidays.
    holiday_weeks_free: bool = False
    school_starts: time | None = None  # this child's school day, where it is not the council's default
    school_ends: time | None = None

    def of(self, period: Period) -> tuple[Shift, ...]:
        return self.term_time if period == Period.TERM_TIME else self.holidays


@dataclass(frozen=True)
class Settings:
    """What the council sets: when the 2026 Act's hours start (None: not in force) and the usual school
    day (``SCHOOL_DAY_STARTS``, ``SCHOOL_DAY_ENDS``)."""

    cwsa2026_commencement: date | None = None
    school_day_starts: time = time(8, 45)
    school_day_ends: time = time(15, 15)


@dataclass(frozen=True)
class Finding:
    code: str
    date: date | None
    message: str
    period: str | None = None
    day: str | None = None


@dataclass(frozen=True)
class Result:
    breaches: tuple[Finding, ...] = ()
    warnings: tuple[Finding, ...] = field(default=())
    regime: Regime = Regime.CYPA1933
    age: int = 0

    @property
    def ok(self) -> bool:
        return not self.breaches


# Dates --------------------------------------------------------------------------------------------------


def regime_on(on: date, settings: Settings) -> Regime:
    commencement = settings.cwsa2026_commencement
    return Regime.CWSA2026 if commencement is not None and on >= commencement else Regime.CYPA1933


def permit_valid_until(issued_on: date, years: int = 1) -> date:
    """The day before the anniversary of issue (an issue on 29 February: the anniversary is 28 February,
    SPEC §3's months rule, so the permit ends on 27 February)."""
    return add_months(issued_on, 12 * years) - timedelta(days=1)


@dataclass(frozen=True)
class Window:
    due_by: date  # the last day an application is on time
    late: bool
    unpermitted_from: date | None  # the days the child worked without a permit, both included
    unpermitted_until: date | None


def application_window(start_date: date, received_on: date, days: int = 7) -> Window:
    """The employer applies within ``days`` days of the child starting: started on Monday 2 November,
    received by Monday 9 November is on time. A later application is late, and the child worked without
    a permit from the start date to the day it was received."""
    due_by = start_date + timedelta(days=days)
    late = received_on > due_by
    return Window(due_by, late, start_date if late else None, received_on if late else None)


def _csa_end(date_of_birth: date) -> date:
    try:
        return end_of_compulsory_school_age(date_of_birth)
    except (ValueError, OverflowError):
        return date.max


def _birthday(date_of_birth: date, age: int) -> date | None:
    try:
        return birthday_in_year(date_of_birth, date_of_birth.year + age)
    except (ValueError, OverflowError):
        return None


def _age(date_of_birth: date, on: date) -> int:
    return age_on(date_of_birth, on) if on >= date_of_birth else -1


# Times --------------------------------------------------------------------------------------------------


def _m(t: time) -> int:
    return t.hour * 60 + t.minute


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def format_duration(minutes: int) -> str:
    """'2 hours 30 minutes', '1 hour', '45 minutes', '0 minutes'."""
    minutes = max(minutes, 0)
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if rest or not hours:
        parts.append(f"{rest} minute{'s' if rest != 1 else ''}")
    return " ".join(parts)


def _working(shift: Shift) -> list[tuple[int, int]]:
    """The minutes worked in a period: start to end, less its breaks (clipped to the period)."""
    start, end = _m(shift.start), _m(shift.end)
    pieces = [(start, end)] if end > start else []
    for b_start, b_end in sorted((_m(a), _m(b)) for a, b in shift.breaks):
        cut = []
        for s, e in pieces:
            if b_end <= s or b_start >= e:
                cut.append((s, e))
                continue
            if b_start > s:
                cut.append((s, b_start))
            if b_end < e:
                cut.append((b_end, e))
        pieces = cut
    return pieces


def shift_minutes(shift: Shift) -> int:
    return sum(e - s for s, e in _working(shift))


def _day_pieces(shifts: Sequence[Shift]) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for s, e in sorted(p for shift in shifts for p in _working(shift)):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return [(s, e) for s, e in merged]


def _longest_without_break(pieces: Sequence[tuple[int, int]]) -> tuple[int, int, int]:
    """The most minutes worked with no gap of a full hour between them: (minutes, from, to)."""
    best = (0, 0, 0)
    run_start, run_minutes, last_end = None, 0, None
    for s, e in pieces:
        if last_end is None or s - last_end >= BREAK_MINUTES:
            run_start, run_minutes = s, 0
        run_minutes += e - s
        last_end = e
        if run_minutes > best[0]:
            best = (run_minutes, run_start, e)
    return best


# The checks ---------------------------------------------------------------------------------------------


def _job_findings(category: str, age: int, start: date) -> tuple[list[Finding], list[Finding]]:
    if category in PROHIBITED:
        return [
            Finding(
                "prohibited_work",
                start,
                f"{PROHIBITED[category]} is work no child may do, at any age.",
            )
        ], []
    if category == OTHER:
        if age < OLDER_AGE:
            return [
                Finding(
                    "not_light_work",
                    start,
                    f"A child of {age} may do only light work from the council's list (such as newspaper "
                    "delivery, shop or café work). Work of another kind is allowed from 15.",
                )
            ], []
        return [], [
            Finding(
                "job_review",
                start,
                "The job is not on the light-work list. A child of 15 or over may do it if it is not "
                "harmful: an officer will review the job description.",
            )
        ]
    return [], []


def _period_findings(
    schedule: Schedule, period: Period, regime: Regime, older: bool, settings: Settings
) -> list[Finding]:
    found: list[Finding] = []
    where = PERIOD_LABELS[period]
    latest = _m(LATEST[regime])
    school_starts = _m(schedule.school_starts or settings.school_day_starts)
    school_ends = _m(schedule.school_ends or settings.school_day_ends)
    week_total = 0
    shifts = schedule.of(period)
    for day in DAYS:
        todays = [s for s in shifts if s.day == day]
        if not todays:
            continue
        label = f"{where}, {DAY_NAMES[day]}"

        def add(code: str, message: str, _day: str = day) -> None:
            found.append(Finding(code, None, message, period.value, _day))

        pieces = _day_pieces(todays)
        if not pieces:
            continue
        first, last = pieces[0][0], pieces[-1][1]
        total = sum(e - s for s, e in pieces)
        week_total += total
        if first < _m(EARLIEST):
            add(
                "earliest_time",
                f"{label}: work starts at {_clock(first)}. A child may not work before 07:00.",
            )
        if last > latest:
            add(
                "latest_time",
                f"{label}: work ends at {_clock(last)}. A child may not work after {_clock(latest)}.",
            )
        school_day = period == Period.TERM_TIME and day in SCHOOL_DAYS
        if school_day:
            during = sum(max(0, min(e, school_ends) - max(s, school_starts)) for s, e in pieces)
            if during:
                add(
                    "school_hours",
                    f"{label}: {format_duration(during)} of work falls in school hours "
                    f"({_clock(school_starts)} to {_clock(school_ends)}). A child may not work during "
                    "school hours.",
                )
            before = sum(max(0, min(e, school_starts) - s) for s, e in pieces)
            if before > BEFORE_SCHOOL_MAX:
                add(
                    "before_school_hours",
                    f"{label}: {format_duration(before)} of work before school (which starts at "
                    f"{_clock(school_starts)}). The most on a school day is 1 hour before school.",
                )
            if total > SCHOOL_DAY_MAX:
                add(
                    "school_day_hours",
                    f"{label}: {format_duration(total)} of work on a school day. The most is 2 hours.",
                )
        elif day == "sunday" and regime == Regime.CYPA1933:
            if total > SUNDAY_MAX:
                add(
                    "sunday_hours",
                    f"{label}: {format_duration(total)} of work on a Sunday. The most is 2 hours.",
                )
        else:
            most = 8 * 60 if older else 5 * 60
            if total > most:
                add(
                    "daily_hours",
                    f"{label}: {format_duration(total)} of work on a day without school. The most "
                    f"{'at 15 or over' if older else 'under 15'} is {format_duration(most)}.",
                )
        run, run_from, run_to = _longest_without_break(pieces)
        if run > BREAK_AFTER_MINUTES:
            add(
                "break_required",
                f"{label}: {format_duration(run)} of work from {_clock(run_from)} to {_clock(run_to)} "
                "without a break of at least 1 hour. A child must have a 1-hour break after 4 hours.",
            )
    most = TERM_WEEK_MAX if period == Period.TERM_TIME else (35 if older else 25) * 60
    if week_total > most:
        found.append(
            Finding(
                "weekly_hours",
                None,
                f"{where}: {format_duration(week_total)} of work a week. The most in a "
                f"{'term-time' if period == Period.TERM_TIME else 'holiday'} week is "
                f"{format_duration(most)}"
                + ("" if period == Period.TERM_TIME else f" {'at 15 or over' if older else 'under 15'}")
                + ".",
                period.value,
            )
        )
    return found


def check(
    date_of_birth: date,
    category: str,
    start_date: date,
    schedule: Schedule,
    settings: Settings | None = None,
) -> Result:
    """Breaches and warnings for a child starting this job with this weekly pattern on ``start_date``."""
    settings = settings or Settings()
    regime = regime_on(start_date, settings)
    age = _age(date_of_birth, start_date)
    ends = _csa_end(date_of_birth)
    if start_date > ends:
        return Result(
            warnings=(
                Finding(
                    "out_of_scope_age",
                    start_date,
                    f"The child's compulsory school age ended on {long_date(ends)}, before the start date: "
                    "they are no longer a child for these rules, so no permit is needed.",
                ),
            ),
            regime=regime,
            age=age,
        )
    breaches: list[Finding] = []
    warnings: list[Finding] = []
    if age < MINIMUM_AGE:
        thirteenth = _birthday(date_of_birth, MINIMUM_AGE)
        breaches.append(
            Finding(
                "minimum_age",
                start_date,
                f"The child is {max(age, 0)} on the start date, {long_date(start_date)}. A child may not be "
                "employed until they are 13"
                + (f": they turn 13 on {long_date(thirteenth)}." if thirteenth else "."),
            )
        )
    job_breaches, job_warnings = _job_findings(category, age, start_date)
    breaches += job_breaches
    warnings += job_warnings
    older = age >= OLDER_AGE
    for period in Period:
        breaches += _period_findings(schedule, period, regime, older, settings)
    if schedule.holidays and not schedule.holiday_weeks_free:
        breaches.append(
            Finding(
                "holiday_weeks_free",
                None,
                "The child must have 2 weeks in a row without any work during the school summer holidays: "
                "confirm that they will.",
                Period.HOLIDAYS.value,
            )
        )
    year_end = permit_valid_until(start_date)
    fifteenth = _birthday(date_of_birth, OLDER_AGE)
    if not older and fifteenth is not None and start_date < fifteenth <= min(year_end, ends):
        warnings.append(
            Finding(
                "age_changes",
                fifteenth,
                f"The child turns 15 on {long_date(fifteenth)}. From then the limits for 15 and over apply: "
                "up to 8 hours on a day without school and 35 hours in a holiday week.",
            )
        )
    commencement = settings.cwsa2026_commencement
    if regime == Regime.CYPA1933 and commencement is not None and start_date < commencement <= year_end:
        warnings.append(
            Finding(
                "regime_changes",
                commencement,
                f"From {long_date(commencement)} the hours under the Children's Wellbeing and Schools Act "
                "2026 apply: work until 20:00 is allowed and Sundays have no separate limit. The hours "
                "here are checked under the law on the start date.",
            )
        )
    if start_date <= ends <= year_end:
        warnings.append(
            Finding(
                "school_age_ends",
                ends,
                f"The child's compulsory school age ends on {long_date(ends)}: after that the limits here "
                "no longer apply.",
            )
        )
    return Result(tuple(breaches), tuple(warnings), regime, age)
