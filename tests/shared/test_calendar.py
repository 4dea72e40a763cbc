"""Tests for shared.calendar against the real 2024-2028 calendars of England and Wales."""

from datetime import UTC, date, datetime, timedelta

import govuk_bank_holidays.bank_holidays as govuk_module
import pytest
import time_machine
from govuk_bank_holidays.bank_holidays import BankHolidays
from hypothesis import given, settings
from hypothesis import strategies as st

import shared.calendar as cal
from shared.calendar import (
    add_months,
    add_working_days,
    age_on,
    bank_holidays,
    birthday_in_year,
    days_beginning_with,
    end_of_compulsory_school_age,
    is_bank_holiday,
    is_working_day,
    last_weekday_of_month,
    next_working_day,
    school_year_start,
    today,
    week_start,
    working_days_between,
)

D = date.fromisoformat
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


@pytest.fixture
def fresh_caches():
    """Empty the holiday caches before and after a test that patches the data sources."""
    bank_holidays.cache_clear()
    cal._govuk_bank_holidays.cache_clear()
    yield
    bank_holidays.cache_clear()
    cal._govuk_bank_holidays.cache_clear()


# --- bank holidays ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "day",
    [
        "2025-12-25",
        "2025-12-26",
        "2026-01-01",
        "2026-04-03",  # Good Friday
        "2026-04-06",  # Easter Monday
        "2026-05-04",  # early May
        "2026-05-25",  # spring
        "2026-08-31",  # summer
        "2026-12-25",  # Friday
        "2026-12-28",  # substitute for Boxing Day (Saturday 26th)
        "2027-03-26",  # Good Friday 2027
        "2027-12-27",  # substitute for Christmas Day (Saturday 25th)
        "2027-12-28",  # substitute for Boxing Day (Sunday 26th)
    ],
)
def test_england_and_wales_bank_holidays(day):
    assert is_bank_holiday(D(day))
    assert not is_working_day(D(day))


@pytest.mark.parametrize(
    "day",
    [
        "2026-01-02",  # Scotland: 2 January
        "2026-08-03",  # Scotland: summer bank holiday
        "2026-11-30",  # Scotland: St Andrew's Day
        "2026-03-17",  # Northern Ireland: St Patrick's Day
        "2026-07-13",  # Northern Ireland: Battle of the Boyne (substitute)
    ],
)
def test_other_nations_holidays_are_england_and_wales_working_days(day):
    assert not is_bank_holiday(D(day))
    assert is_working_day(D(day))


def test_bank_holidays_2026_exactly():
    assert bank_holidays(2026) == {
        D(s)
        for s in (
            "2026-01-01",
            "2026-04-03",
            "2026-04-06",
            "2026-05-04",
            "2026-05-25",
            "2026-08-31",
            "2026-12-25",
            "2026-12-28",
        )
    }


def test_weekend_date_of_a_substituted_holiday_is_not_listed():
    assert not is_bank_holiday(D("2026-12-26"))  # Saturday; the holiday is Monday 28th
    assert not is_working_day(D("2026-12-26"))


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2026-01-02", True),  # Friday
        ("2026-01-03", False),  # Saturday
        ("2026-01-04", False),  # Sunday
        ("2026-01-05", True),  # Monday
        ("2026-04-03", False),  # Good Friday
    ],
)
def test_is_working_day(day, expected):
    assert is_working_day(D(day)) is expected


# --- fallback to the computed calendar --------------------------------------------------------------------


@pytest.mark.parametrize(
    "day",
    [
        "2031-01-01",
        "2031-04-11",
        "2031-04-14",
        "2031-05-05",
        "2031-05-26",
        "2031-08-25",
        "2031-12-25",
        "2031-12-26",
    ],
)
def test_year_beyond_govuk_data_still_has_holidays(day):
    assert 2031 not in cal._govuk_bank_holidays()
    assert is_bank_holiday(D(day))


def test_year_before_govuk_data_uses_the_computed_calendar():
    assert 1999 not in cal._govuk_bank_holidays()
    assert is_bank_holiday(D("1999-12-31"))  # Millennium
    assert is_bank_holiday(D("1999-12-28"))  # Boxing Day substitute


def test_govuk_coverage_is_decided_per_year():
    covered = cal._govuk_bank_holidays()
    assert {2025, 2026, 2027} <= covered.keys()
    assert 2031 not in covered
    assert all(covered.values())


def test_fallback_is_used_only_for_uncovered_years(fresh_caches, monkeypatch):
    calls = []
    real = cal.holidays.country_holidays

    def spy(*args, **kwargs):
        calls.append(kwargs["years"])
        return real(*args, **kwargs)

    monkeypatch.setattr(cal.holidays, "country_holidays", spy)
    assert D("2026-12-28") in bank_holidays(2026)
    assert calls == []
    assert D("2031-04-11") in bank_holidays(2031)
    assert calls == [2031]


@pytest.mark.parametrize("year", [2025, 2026, 2027])
def test_sources_agree_on_covered_years(year):
    assert cal._computed_bank_holidays(year) == cal._govuk_bank_holidays()[year] == bank_holidays(year)


def test_a_year_with_no_known_holidays_is_an_error_not_a_holiday_free_year():
    with pytest.raises(ValueError):
        cal._computed_bank_holidays(1800)


def test_govuk_data_is_read_offline(fresh_caches, monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("network used")

    monkeypatch.setattr(govuk_module.requests, "get", no_network)
    assert D("2026-04-03") in bank_holidays(2026)


# --- working days -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # Christmas and New Year 2025/26
        ("2025-12-15", 10, "2025-12-31"),
        ("2025-12-24", 1, "2025-12-29"),
        ("2025-12-31", 1, "2026-01-02"),
        ("2025-12-23", 2, "2025-12-29"),
        # Easter 2026
        ("2026-04-02", 1, "2026-04-07"),
        ("2026-04-01", 3, "2026-04-08"),
        # May 2026
        ("2026-05-01", 1, "2026-05-05"),
        ("2026-05-22", 1, "2026-05-26"),
        ("2026-05-01", 20, "2026-06-02"),
        # August 2026, and Scottish holidays that are not skipped
        ("2026-08-28", 1, "2026-09-01"),
        ("2026-07-31", 1, "2026-08-03"),
        ("2026-11-27", 1, "2026-11-30"),
        # Christmas 2026 with the 28 December substitute
        ("2026-12-24", 1, "2026-12-29"),
        ("2026-12-24", 3, "2026-12-31"),
        ("2026-12-31", 1, "2027-01-04"),
        # starting on a weekend or a holiday
        ("2026-01-03", 1, "2026-01-05"),
        ("2026-01-03", 5, "2026-01-09"),
        ("2026-04-03", 1, "2026-04-07"),
        ("2025-12-25", 1, "2025-12-29"),
        ("2025-12-25", 3, "2025-12-31"),
        # a working-day start does not count
        ("2026-01-05", 1, "2026-01-06"),
        # n = 0 returns the date unchanged, working day or not
        ("2026-12-26", 0, "2026-12-26"),
        ("2026-04-03", 0, "2026-04-03"),
        ("2026-01-05", 0, "2026-01-05"),
        # negative n counts backwards
        ("2026-01-02", -1, "2025-12-31"),
        ("2026-04-07", -1, "2026-04-02"),
        ("2025-12-29", -1, "2025-12-24"),
        ("2025-12-31", -10, "2025-12-15"),
        ("2026-12-29", -1, "2026-12-24"),
        ("2026-01-04", -1, "2026-01-02"),
        ("2026-01-01", -1, "2025-12-31"),
    ],
)
def test_add_working_days(start, n, expected):
    assert add_working_days(D(start), n) == D(expected)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2025-12-24", "2025-12-29"),
        ("2026-01-02", "2026-01-05"),
        ("2026-04-02", "2026-04-07"),
        ("2026-12-24", "2026-12-29"),
        ("2026-06-10", "2026-06-11"),
    ],
)
def test_next_working_day(day, expected):
    assert next_working_day(D(day)) == D(expected)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2025-12-15", "2025-12-31", 10),
        ("2025-12-24", "2025-12-29", 1),
        ("2025-12-24", "2025-12-28", 0),
        ("2026-04-02", "2026-04-07", 1),
        ("2026-04-02", "2026-04-02", 0),
        ("2026-01-02", "2026-01-03", 0),
        ("2025-12-31", "2026-12-31", 253),  # 261 weekdays in 2026, 8 bank holidays
        ("2025-12-31", "2025-12-15", -10),
        ("2026-01-03", "2026-01-02", -1),  # from a Saturday back to the Friday
        ("2026-04-07", "2026-04-02", -1),
    ],
)
def test_working_days_between(start, end, expected):
    assert working_days_between(D(start), D(end)) == expected


# --- periods ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        ("2026-03-01", 21, "2026-03-21"),
        ("2024-02-15", 28, "2024-03-13"),  # across 29 February 2024
        ("2026-02-15", 28, "2026-03-14"),
        ("2025-12-20", 14, "2026-01-02"),
        ("2026-03-01", 1, "2026-03-01"),
    ],
)
def test_days_beginning_with(start, n, expected):
    assert days_beginning_with(D(start), n) == D(expected)


@pytest.mark.parametrize("n", [0, -1])
def test_days_beginning_with_needs_at_least_one_day(n):
    with pytest.raises(ValueError):
        days_beginning_with(D("2026-03-01"), n)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        ("2026-01-31", 1, "2026-02-28"),
        ("2024-01-31", 1, "2024-02-29"),
        ("2026-08-31", 6, "2027-02-28"),
        ("2025-11-30", 6, "2026-05-30"),
        ("2025-12-15", 1, "2026-01-15"),
        ("2026-01-15", -1, "2025-12-15"),
        ("2026-03-31", -1, "2026-02-28"),
        ("2024-02-29", 12, "2025-02-28"),
        ("2026-05-31", 0, "2026-05-31"),
        ("2025-08-31", 24, "2027-08-31"),
    ],
)
def test_add_months(start, n, expected):
    assert add_months(D(start), n) == D(expected)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2026-01-01", "2025-12-29"),  # Thursday
        ("2026-01-04", "2025-12-29"),  # Sunday
        ("2026-01-05", "2026-01-05"),  # Monday
        ("2024-03-02", "2024-02-26"),  # Saturday, across 29 February
    ],
)
def test_week_start(day, expected):
    assert week_start(D(day)) == D(expected)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2026-08-31", "2025-09-01"),
        ("2026-09-01", "2026-09-01"),
        ("2026-01-15", "2025-09-01"),
        ("2025-12-31", "2025-09-01"),
    ],
)
def test_school_year_start(day, expected):
    assert school_year_start(D(day)) == D(expected)


@pytest.mark.parametrize(
    ("year", "month", "weekday", "expected"),
    [
        (2026, 6, FRI, "2026-06-26"),
        (2027, 6, FRI, "2027-06-25"),
        (2028, 6, FRI, "2028-06-30"),  # the last day of the month
        (2026, 5, MON, "2026-05-25"),  # spring bank holiday
        (2026, 8, MON, "2026-08-31"),  # summer bank holiday
        (2026, 2, SUN, "2026-02-22"),
        (2024, 2, THU, "2024-02-29"),
    ],
)
def test_last_weekday_of_month(year, month, weekday, expected):
    assert last_weekday_of_month(year, month, weekday) == D(expected)


def test_last_weekday_of_month_rejects_a_bad_weekday():
    with pytest.raises(ValueError):
        last_weekday_of_month(2026, 6, 7)


# --- ages -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("born", "on", "expected"),
    [
        ("2012-02-29", "2026-02-28", 13),
        ("2012-02-29", "2026-03-01", 14),
        ("2012-02-29", "2024-02-28", 11),
        ("2012-02-29", "2024-02-29", 12),
        ("2012-02-29", "2025-02-28", 12),
        ("2012-02-29", "2025-03-01", 13),
        ("2010-08-31", "2026-08-30", 15),
        ("2010-08-31", "2026-08-31", 16),
        ("2010-09-01", "2026-08-31", 15),
        ("2010-09-01", "2026-09-01", 16),
        ("2026-05-01", "2026-05-01", 0),
    ],
)
def test_age_on(born, on, expected):
    assert age_on(D(born), D(on)) == expected


def test_age_on_before_birth_is_an_error():
    with pytest.raises(ValueError):
        age_on(D("2026-05-01"), D("2026-04-30"))


@pytest.mark.parametrize(
    ("born", "year", "expected"),
    [
        ("2012-02-29", 2025, "2025-03-01"),
        ("2012-02-29", 2028, "2028-02-29"),
        ("2010-08-31", 2026, "2026-08-31"),
    ],
)
def test_birthday_in_year(born, year, expected):
    assert birthday_in_year(D(born), year) == D(expected)


@pytest.mark.parametrize(
    ("born", "expected"),
    [
        ("2010-08-31", "2026-06-26"),  # turns 16 on the last day of the 2025/26 school year
        ("2010-09-01", "2027-06-25"),  # turns 16 on the first day of the 2026/27 school year
        ("2009-09-01", "2026-06-26"),  # turned 16 at the start of the 2025/26 school year
        ("2010-06-26", "2026-06-26"),  # turns 16 on the leaving date itself
        ("2010-06-27", "2026-06-26"),  # turns 16 after the leaving date: still that date
        ("2010-01-15", "2026-06-26"),
        ("2012-02-29", "2028-06-30"),  # 16 on 29 February 2028, school year 2027/28
        ("2008-02-29", "2024-06-28"),  # 16 on 29 February 2024, school year 2023/24
    ],
)
def test_end_of_compulsory_school_age(born, expected):
    assert end_of_compulsory_school_age(D(born)) == D(expected)


# --- today ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("instant_utc", "expected"),
    [
        (datetime(2026, 6, 30, 23, 30, tzinfo=UTC), "2026-07-01"),  # 00:30 BST
        (datetime(2026, 1, 15, 23, 30, tzinfo=UTC), "2026-01-15"),  # 23:30 GMT
        (datetime(2026, 3, 28, 23, 59, tzinfo=UTC), "2026-03-28"),  # eve of the clocks going forward
    ],
)
def test_today_is_the_london_date(instant_utc, expected):
    with time_machine.travel(instant_utc, tick=False):
        assert today() == D(expected)


# --- properties -------------------------------------------------------------------------------------------

dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31))
counts = st.integers(min_value=0, max_value=60)
positive_counts = st.integers(min_value=1, max_value=60)
births = st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31))
props = settings(deadline=None, max_examples=300)


def _last_working_day_on_or_before(d: date) -> date:
    while not is_working_day(d):
        d -= timedelta(days=1)
    return d


def _first_working_day_on_or_after(d: date) -> date:
    while not is_working_day(d):
        d += timedelta(days=1)
    return d


@props
@given(dates, positive_counts)
def test_result_is_a_working_day_strictly_after_the_start(d, n):
    result = add_working_days(d, n)
    assert is_working_day(result)
    assert result > d
    back = add_working_days(d, -n)
    assert is_working_day(back)
    assert back < d


@props
@given(dates, counts)
def test_working_days_between_inverts_add_working_days(d, n):
    assert working_days_between(d, add_working_days(d, n)) == n
    assert working_days_between(d, add_working_days(d, -n)) == -n


@props
@given(dates, positive_counts)
def test_going_forward_then_back_lands_on_the_last_working_day_on_or_before(d, n):
    round_trip = add_working_days(add_working_days(d, n), -n)
    assert round_trip <= d
    assert round_trip == _last_working_day_on_or_before(d)


@props
@given(dates, positive_counts)
def test_going_back_then_forward_lands_on_the_first_working_day_on_or_after(d, n):
    round_trip = add_working_days(add_working_days(d, -n), n)
    assert round_trip >= d
    assert round_trip == _first_working_day_on_or_after(d)


@props
@given(dates, positive_counts, counts)
def test_working_days_compose_from_a_working_day(d, a, b):
    assert add_working_days(add_working_days(d, a), b) == add_working_days(d, a + b)


@props
@given(dates, counts)
def test_consecutive_counts_are_consecutive_working_days(d, n):
    assert add_working_days(d, n + 1) == next_working_day(add_working_days(d, n))


@props
@given(dates, st.integers(min_value=-120, max_value=120))
def test_working_days_between_matches_counting_day_by_day(start, offset):
    end = start + timedelta(days=offset)
    if end >= start:
        span = [start + timedelta(days=i) for i in range(1, offset + 1)]  # (start, end]
        expected = sum(map(is_working_day, span))
    else:
        span = [end + timedelta(days=i) for i in range(-offset)]  # [end, start)
        expected = -sum(map(is_working_day, span))
    assert working_days_between(start, end) == expected
    if is_working_day(end):
        assert add_working_days(start, working_days_between(start, end)) == end


@props
@given(st.dates(min_value=date(2012, 1, 1), max_value=date(2028, 12, 31)))
def test_is_working_day_agrees_with_govuk_for_england_and_wales(d):
    govuk = BankHolidays(use_cached_holidays=True)
    assert is_working_day(d) == govuk.is_work_day(d, division=BankHolidays.ENGLAND_AND_WALES)


@props
@given(dates)
def test_week_start_is_the_monday_of_the_week(d):
    monday = week_start(d)
    assert monday.weekday() == MON
    assert 0 <= (d - monday).days < 7


@props
@given(dates, st.integers(min_value=-120, max_value=120))
def test_add_months_keeps_the_day_or_clamps_to_month_end(d, n):
    result = add_months(d, n)
    assert (result.year * 12 + result.month) - (d.year * 12 + d.month) == n
    assert result.day == d.day or (result.day < d.day and (result + timedelta(days=1)).day == 1)


@props
@given(births, st.integers(min_value=1, max_value=20))
def test_age_changes_on_the_birthday(born, years):
    birthday = birthday_in_year(born, born.year + years)
    assert age_on(born, birthday) == years
    assert age_on(born, birthday - timedelta(days=1)) == years - 1


@props
@given(births)
def test_school_leaving_date_is_the_last_june_friday_of_the_year_the_child_turns_16(born):
    leaving = end_of_compulsory_school_age(born)
    assert leaving.weekday() == FRI and leaving.month == 6 and (leaving + timedelta(days=7)).month == 7
    year_start = school_year_start(leaving)
    assert year_start <= birthday_in_year(born, born.year + 16) < add_months(year_start, 12)
    assert age_on(born, leaving) in (15, 16)
