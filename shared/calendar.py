"""Calendar rules for England and Wales (time zone Europe/London).

Pure functions: working days, statutory periods, ages and the end of compulsory school age.

Bank holidays come from the GOV.UK list shipped with ``govuk-bank-holidays`` (read offline, never
downloaded). For a year that list does not cover, they are computed by the ``holidays`` package, so an
unknown year is never treated as having no bank holidays.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import holidays
from govuk_bank_holidays.bank_holidays import BankHolidays

__all__ = [
    "add_months",
    "add_working_days",
    "age_on",
    "bank_holidays",
    "birthday_in_year",
    "days_beginning_with",
    "end_of_compulsory_school_age",
    "is_bank_holiday",
    "is_working_day",
    "last_weekday_of_month",
    "next_working_day",
    "school_year_start",
    "today",
    "week_start",
    "working_days_between",
]

LONDON = ZoneInfo("Europe/London")
FRIDAY = 4
_ONE_DAY = timedelta(days=1)


@functools.cache
def _govuk_bank_holidays() -> dict[int, frozenset[date]]:
    """England-and-Wales bank holidays from the GOV.UK data bundled with the package, by year.

    A year is "covered" when it has at least one entry. The division is always passed explicitly: without
    it the library returns only the holidays common to every UK nation.
    """
    by_year: defaultdict[int, set[date]] = defaultdict(set)
    govuk = BankHolidays(use_cached_holidays=True)
    for holiday in govuk.get_holidays(division=BankHolidays.ENGLAND_AND_WALES):
        by_year[holiday["date"].year].add(holiday["date"])
    return {year: frozenset(days) for year, days in by_year.items()}


def _computed_bank_holidays(year: int) -> frozenset[date]:
    """England bank holidays computed by the ``holidays`` package, weekdays only.

    The package also lists the nominal date of a holiday that falls at a weekend (e.g. Boxing Day on a
    Saturday) beside its substitute day; GOV.UK lists only the substitute, the day actually taken, so
    weekend dates are dropped to match.
    """
    computed = holidays.country_holidays("GB", subdiv="ENG", years=year)
    days = frozenset(d for d in computed if d.year == year and d.weekday() < 5)
    if not days:
        raise ValueError(f"no bank holiday data for {year}")
    return days


@functools.cache
def bank_holidays(year: int) -> frozenset[date]:
    """Bank holidays in England and Wales in ``year`` (Banking and Financial Dealings Act 1971).

    GOV.UK's published list where it covers the year, otherwise the computed ``holidays`` calendar.
    Substitute days are included; the weekend dates they replace are not.
    """
    published = _govuk_bank_holidays().get(year)
    return published if published is not None else _computed_bank_holidays(year)


def is_bank_holiday(d: date) -> bool:
    """True if ``d`` is a bank holiday in England and Wales."""
    return d in bank_holidays(d.year)


def is_working_day(d: date) -> bool:
    """True if ``d`` is Monday to Friday and not an England-and-Wales bank holiday."""
    return d.weekday() < 5 and d not in bank_holidays(d.year)


def add_working_days(d: date, n: int) -> date:
    """The ``n``th working day after ``d``: day 1 is the first working day after ``d``.

    ``d`` itself never counts, even if it is a working day. ``n == 0`` returns ``d`` unchanged; a negative
    ``n`` counts backwards (day 1 is the first working day before ``d``).
    """
    step = _ONE_DAY if n > 0 else -_ONE_DAY
    for _ in range(abs(n)):
        d += step
        while not is_working_day(d):
            d += step
    return d


def _weekdays_up_to(d: date) -> int:
    """Count of Mondays to Fridays from 1 January AD 1 (a Monday) to ``d`` inclusive."""
    weeks, extra = divmod(d.toordinal(), 7)
    return 5 * weeks + min(extra, 5)


def _working_days_in(after: date, through: date) -> int:
    """Count of working days in the half-open range (``after``, ``through``]; requires after <= through."""
    count = _weekdays_up_to(through) - _weekdays_up_to(after)
    for year in range(after.year, through.year + 1):
        count -= sum(1 for h in bank_holidays(year) if after < h <= through and h.weekday() < 5)
    return count


def working_days_between(start: date, end: date) -> int:
    """Working days from ``start`` to ``end``, the inverse of :func:`add_working_days`.

    For ``end >= start``: the number of working days in (start, end]. For ``end < start``: minus the number
    of working days in [end, start). So ``add_working_days(start, working_days_between(start, end)) == end``
    whenever ``end`` is a working day, in either direction and whatever ``start`` is, and
    ``working_days_between(d, add_working_days(d, n)) == n`` for every ``n``. (It is therefore not exactly
    antisymmetric when ``start`` or ``end`` is not a working day.)
    """
    if end >= start:
        return _working_days_in(start, end)
    return -_working_days_in(end - _ONE_DAY, start - _ONE_DAY)


def next_working_day(d: date) -> date:
    """The first working day strictly after ``d``."""
    return add_working_days(d, 1)


def days_beginning_with(d: date, n: int) -> date:
    """The last day of a period of ``n`` days beginning with ``d``: ``d`` is day 1, so day n is d + n - 1."""
    if n < 1:
        raise ValueError("a period beginning with a day must be at least 1 day long")
    return d + timedelta(days=n - 1)


def _days_in_month(year: int, month: int) -> int:
    first_of_next = date(year + month // 12, month % 12 + 1, 1)
    return (first_of_next - _ONE_DAY).day


def add_months(d: date, n: int) -> date:
    """The same day of the month ``n`` months after ``d`` (``n`` may be negative).

    If that day does not exist the period ends on the last day of that month
    (31 January + 1 month = 28 or 29 February).
    """
    years, month_index = divmod(d.month - 1 + n, 12)
    year, month = d.year + years, month_index + 1
    return date(year, month, min(d.day, _days_in_month(year, month)))


def week_start(d: date) -> date:
    """The Monday of the Monday-to-Sunday week containing ``d``."""
    return d - timedelta(days=d.weekday())


def birthday_in_year(date_of_birth: date, year: int) -> date:
    """The anniversary of birth in ``year``.

    A person born on 29 February has their birthday on 1 March in a non-leap year: the conventional
    treatment in England, applying Family Law Reform Act 1969 s9 (an age is attained at the commencement of
    the relevant anniversary of the date of birth).
    """
    try:
        return date_of_birth.replace(year=year)
    except ValueError:  # 29 February in a non-leap year
        return date(year, 3, 1)


def age_on(date_of_birth: date, on: date) -> int:
    """Age in completed years on ``on`` (Family Law Reform Act 1969 s9; 29 February births: 1 March).

    Raises ValueError if ``on`` is before the date of birth.
    """
    if on < date_of_birth:
        raise ValueError("date is before the date of birth")
    age = on.year - date_of_birth.year
    return age - 1 if on < birthday_in_year(date_of_birth, on.year) else age


def school_year_start(d: date) -> date:
    """The 1 September on or before ``d``: school years run 1 September to 31 August."""
    return date(d.year if d.month >= 9 else d.year - 1, 9, 1)


def last_weekday_of_month(year: int, month: int, weekday: int) -> date:
    """The last ``weekday`` (Monday 0 .. Sunday 6) of the month."""
    if not 0 <= weekday <= 6:
        raise ValueError("weekday must be 0 (Monday) to 6 (Sunday)")
    last = date(year, month, _days_in_month(year, month))
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def end_of_compulsory_school_age(date_of_birth: date) -> date:
    """The day a child ceases to be of compulsory school age (Education Act 1996 s8).

    The school leaving date is the last Friday in June of the school year (1 September - 31 August) in which
    the child turns 16, whether the birthday falls before or after that Friday (Education (School Leaving
    Date) Order 1997). A 29 February birthday counts as 1 March in a non-leap year (see birthday_in_year).
    """
    sixteenth = birthday_in_year(date_of_birth, date_of_birth.year + 16)
    return last_weekday_of_month(school_year_start(sixteenth).year + 1, 6, FRIDAY)


def today() -> date:
    """Today's date in Europe/London, whatever the machine's local time zone."""
    return datetime.now(LONDON).date()
