"""Child employment rules (SPEC §4.3) on real calendar dates.

A child born on Wednesday 2 November 2011 turns 13 on Saturday 2 November 2024 and 15 on Friday 2 November
2026; compulsory school age ends on Friday 30 June 2028 (the school year 2027-28, in which they turn 16).
"""

from __future__ import annotations

from datetime import date, time

import pytest

from licensing_service.rules.employment import (
    Period,
    Regime,
    Schedule,
    Settings,
    Shift,
    application_window,
    check,
    permit_valid_until,
    regime_on,
    shift_minutes,
)

BORN = date(2011, 11, 2)
START = date(2024, 11, 4)  # Monday: the child is 13


def t(text: str) -> time:
    return time.fromisoformat(text)


def shift(day: str, start: str, end: str, *breaks: tuple[str, str]) -> Shift:
    return Shift(day, t(start), t(end), tuple((t(a), t(b)) for a, b in breaks))


def term(*shifts: Shift, **kwargs) -> Schedule:
    return Schedule(term_time=tuple(shifts), **kwargs)


def holidays(*shifts: Shift, free: bool = True) -> Schedule:
    return Schedule(holidays=tuple(shifts), holiday_weeks_free=free)


def codes(findings) -> list[str]:
    return [f.code for f in findings]


SATURDAY = term(shift("saturday", "09:00", "12:00"))


# --- age and the job ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "breach"),
    [
        (date(2024, 11, 1), True),  # the day before the 13th birthday
        (date(2024, 11, 2), False),  # the 13th birthday
        (date(2024, 11, 3), False),  # the day after
    ],
)
def test_minimum_age_13_on_the_start_date(start, breach):
    result = check(BORN, "shop", start, SATURDAY)
    assert ("minimum_age" in codes(result.breaches)) is breach
    if breach:
        message = result.breaches[0].message
        assert "is 12 on the start date" in message
        assert "Saturday 2 November 2024" in message


@pytest.mark.parametrize(
    "category",
    [
        "newspaper_delivery",
        "shop",
        "office",
        "agriculture",
        "hairdressing",
        "cafe_restaurant",
        "riding_stables",
        "hotel_domestic",
        "car_washing_private",
    ],
)
def test_light_work_is_allowed_at_13(category):
    result = check(BORN, category, START, SATURDAY)
    assert result.ok, result.breaches
    assert result.warnings == ()


@pytest.mark.parametrize(
    "category",
    [
        "industrial",
        "commercial_kitchen",
        "alcohol",
        "milk_or_fuel_delivery",
        "refuse",
        "work_at_height",
        "fairground",
        "amusement_arcade",
        "betting_bingo_club",
        "door_to_door",
        "telephone_sales",
        "slaughterhouse",
        "adult_material",
        "cinema_theatre_nightclub",
    ],
)
def test_prohibited_work_at_any_age(category):
    result = check(BORN, category, date(2027, 3, 1), SATURDAY)  # 15 by then
    assert codes(result.breaches) == ["prohibited_work"]
    assert "no child may do" in result.breaches[0].message


def test_other_work_refused_under_15_and_flagged_at_15():
    under = check(BORN, "other", date(2026, 11, 1), SATURDAY)  # 14
    assert codes(under.breaches) == ["not_light_work"]
    assert "A child of 14" in under.breaches[0].message
    at_15 = check(BORN, "other", date(2026, 11, 2), SATURDAY)
    assert at_15.ok
    assert codes(at_15.warnings) == ["job_review"]


def test_a_start_after_compulsory_school_age_is_out_of_scope():
    ends = date(2028, 6, 30)  # the last Friday in June 2028
    on_last_day = check(BORN, "shop", ends, SATURDAY)
    assert "out_of_scope_age" not in codes(on_last_day.warnings)
    assert "school_age_ends" in codes(on_last_day.warnings)
    after = check(BORN, "shop", date(2028, 7, 1), term(shift("saturday", "05:00", "22:00")))
    assert after.breaches == ()
    assert codes(after.warnings) == ["out_of_scope_age"]
    assert "Friday 30 June 2028" in after.warnings[0].message
    assert "no permit is needed" in after.warnings[0].message


def test_turning_15_during_the_year_is_a_warning():
    result = check(BORN, "shop", date(2026, 3, 2), SATURDAY)
    assert result.age == 14
    warning = next(w for w in result.warnings if w.code == "age_changes")
    assert warning.date == date(2026, 11, 2)
    assert "8 hours" in warning.message


# --- days: school days, Saturdays, Sundays --------------------------------------------------------------


@pytest.mark.parametrize(
    ("schedule", "expected"),
    [
        (term(shift("monday", "16:00", "18:00")), []),  # exactly 2 hours on a school day
        (term(shift("monday", "16:00", "18:01")), ["school_day_hours"]),
        (term(shift("monday", "07:00", "08:00"), shift("monday", "16:00", "17:00")), []),  # 1 h before school
        (term(shift("monday", "07:00", "08:01"), shift("monday", "16:00", "16:30")), ["before_school_hours"]),
        (term(shift("monday", "12:00", "13:00")), ["school_hours"]),
        (term(shift("saturday", "09:00", "14:00", ("12:00", "13:00"))), []),  # 4 h: a Saturday in term
        (term(shift("saturday", "08:00", "14:00", ("11:00", "12:00"))), []),  # 5 hours under 15
        (term(shift("saturday", "08:00", "14:01", ("11:00", "12:00"))), ["daily_hours"]),
        (term(shift("sunday", "10:00", "12:00")), []),
        (term(shift("sunday", "10:00", "12:01")), ["sunday_hours"]),
        (holidays(shift("tuesday", "08:00", "14:00", ("12:00", "13:00"))), []),  # holiday weekday: 5 h
        (holidays(shift("tuesday", "08:00", "14:30", ("12:00", "13:00"))), ["daily_hours"]),
        (holidays(shift("sunday", "09:00", "11:30")), ["sunday_hours"]),
    ],
)
def test_daily_limits_by_kind_of_day(schedule, expected):
    assert codes(check(BORN, "shop", START, schedule).breaches) == expected


def test_school_day_start_can_be_the_childs_own():
    schedule = term(shift("monday", "07:30", "08:45"), school_starts=t("09:00"))
    assert codes(check(BORN, "newspaper_delivery", START, schedule).breaches) == ["before_school_hours"]
    early = term(shift("monday", "07:00", "08:00"), school_starts=t("08:00"))
    assert check(BORN, "newspaper_delivery", START, early).ok


def test_a_15_year_old_may_work_8_hours_on_a_day_without_school():
    at_15 = date(2026, 11, 7)  # a Saturday after the 15th birthday
    eight = term(shift("saturday", "08:00", "17:00", ("12:00", "13:00")))
    assert check(BORN, "shop", at_15, eight).ok
    assert codes(check(BORN, "shop", date(2026, 10, 31), eight).breaches) == ["daily_hours"]
    over = term(shift("saturday", "08:00", "18:01", ("11:00", "12:00"), ("15:00", "16:00")))
    result = check(BORN, "shop", at_15, over)
    assert codes(result.breaches) == ["daily_hours"]
    assert "8 hours 1 minute" in result.breaches[0].message


# --- times by regime ------------------------------------------------------------------------------------

COMMENCES = date(2027, 1, 4)
SETTINGS = Settings(cwsa2026_commencement=COMMENCES)


@pytest.mark.parametrize(
    ("start", "end", "day_of_start", "expected"),
    [
        ("07:00", "09:00", date(2026, 1, 3), []),
        ("06:59", "09:00", date(2026, 1, 3), ["earliest_time"]),
        ("17:00", "19:00", date(2027, 1, 3), []),  # the day before commencement: 19:00 is the latest
        ("17:00", "19:01", date(2027, 1, 3), ["latest_time"]),
        ("17:00", "20:00", date(2027, 1, 3), ["latest_time"]),
        ("17:00", "20:00", date(2027, 1, 4), []),  # from commencement: 20:00
        ("17:00", "20:01", date(2027, 1, 4), ["latest_time"]),
        ("06:59", "08:00", date(2027, 1, 4), ["earliest_time"]),
    ],
)
def test_earliest_and_latest_times_by_regime(start, end, day_of_start, expected):
    schedule = holidays(shift("wednesday", start, end))
    result = check(BORN, "shop", day_of_start, schedule, SETTINGS)
    assert codes(result.breaches) == expected
    if "latest_time" in expected:
        latest = "20:00" if day_of_start >= COMMENCES else "19:00"
        assert f"after {latest}" in result.breaches[0].message


def test_regime_by_date_and_not_in_force_without_a_date():
    assert regime_on(date(2027, 1, 3), SETTINGS) == Regime.CYPA1933
    assert regime_on(date(2027, 1, 4), SETTINGS) == Regime.CWSA2026
    assert regime_on(date(2099, 1, 1), Settings()) == Regime.CYPA1933


def test_the_2026_act_has_no_separate_sunday_limit():
    sunday = term(shift("sunday", "09:00", "12:00"))
    assert codes(check(BORN, "shop", date(2027, 1, 3), sunday, SETTINGS).breaches) == ["sunday_hours"]
    assert check(BORN, "shop", date(2027, 1, 4), sunday, SETTINGS).ok


def test_a_change_of_regime_during_the_year_is_a_warning():
    result = check(BORN, "shop", date(2026, 3, 2), SATURDAY, SETTINGS)
    warning = next(w for w in result.warnings if w.code == "regime_changes")
    assert warning.date == COMMENCES
    assert "20:00" in warning.message
    # Commencement more than a year after the start: no warning.
    later = check(BORN, "shop", date(2025, 3, 2), SATURDAY, SETTINGS)
    assert "regime_changes" not in codes(later.warnings)


# --- breaks ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("schedule", "expected"),
    [
        (holidays(shift("monday", "09:00", "13:00")), []),  # exactly 4 hours
        (holidays(shift("monday", "09:00", "13:01")), ["break_required"]),  # 4 h 01
        (holidays(shift("monday", "09:00", "14:00", ("11:00", "12:00"))), []),
        # Half an hour is not a 1-hour break: 4 h 30 of work without one.
        (holidays(shift("monday", "09:00", "14:00", ("11:00", "11:30"))), ["break_required"]),
        # Two periods an hour apart: the gap is the break.
        (holidays(shift("monday", "08:00", "11:00"), shift("monday", "12:00", "14:00")), []),
        (holidays(shift("monday", "08:00", "11:00"), shift("monday", "11:59", "13:00")), ["break_required"]),
    ],
)
def test_a_1_hour_break_after_4_hours(schedule, expected):
    result = check(BORN, "shop", START, schedule)
    assert codes(result.breaches) == expected
    if expected:
        assert "1-hour break" in result.breaches[0].message


def test_breaks_are_not_working_time():
    assert shift_minutes(shift("monday", "09:00", "14:00", ("11:00", "12:00"))) == 240


# --- weeks ----------------------------------------------------------------------------------------------


def _two_hours_each(days, *, last_end="18:00"):
    return [shift(d, "16:00", "18:00") for d in days[:-1]] + [shift(days[-1], "16:00", last_end)]


@pytest.mark.parametrize(
    ("saturday_end", "expected"),
    [("15:00", []), ("15:01", ["weekly_hours"])],  # 10 h on school days + 2 h Saturday = 12 h
)
def test_term_week_at_most_12_hours(saturday_end, expected):
    days = ["monday", "tuesday", "wednesday", "thursday", "friday"]
    schedule = term(*_two_hours_each(days), shift("saturday", "13:00", saturday_end))
    result = check(BORN, "shop", START, schedule)
    assert codes(result.breaches) == expected
    if expected:
        assert "12 hours 1 minute of work a week" in result.breaches[0].message
        assert result.breaches[0].period == Period.TERM_TIME


def _holiday_week(hours_a_day: list[tuple[str, str]]) -> Schedule:
    days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]
    return holidays(
        *[shift(d, s, e, ("12:00", "13:00")) for d, (s, e) in zip(days, hours_a_day, strict=False)]
    )


@pytest.mark.parametrize(
    ("end_of_last", "expected"),
    [("14:00", []), ("14:01", ["weekly_hours"])],  # 4 × 5 h + 5 h = 25 h; one minute more
)
def test_holiday_week_at_most_25_hours_under_15(end_of_last, expected):
    schedule = _holiday_week([("08:00", "14:00")] * 4 + [("08:00", end_of_last)])
    result = check(BORN, "shop", START, schedule)
    # 5 h 01 on the last day is over the daily 5 hours as well as the week's 25.
    assert [c for c in codes(result.breaches) if c == "weekly_hours"] == expected


@pytest.mark.parametrize(("end_of_last", "expected"), [("12:00", []), ("12:01", ["weekly_hours"])])
def test_holiday_week_at_most_35_hours_at_15(end_of_last, expected):
    # 4 × 8 h (08:00–17:00 with an hour's break) + 3 h = 35 h.
    days = ["monday", "tuesday", "wednesday", "thursday"]
    shifts = [shift(d, "08:00", "17:00", ("12:00", "13:00")) for d in days]
    schedule = holidays(*shifts, shift("friday", "09:00", end_of_last))
    result = check(BORN, "shop", date(2026, 11, 2), schedule)
    assert codes(result.breaches) == expected
    if expected:
        assert "35 hours" in result.breaches[0].message


def test_two_holiday_weeks_free_must_be_confirmed():
    working = (shift("monday", "09:00", "12:00"),)
    assert codes(check(BORN, "shop", START, Schedule(holidays=working)).breaches) == ["holiday_weeks_free"]
    assert check(BORN, "shop", START, Schedule(holidays=working, holiday_weeks_free=True)).ok
    # No work in the holidays at all: nothing to confirm.
    assert check(BORN, "shop", START, SATURDAY).ok


# --- the application window and the permit's year -------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "late"),
    [(date(2026, 11, 2), False), (date(2026, 11, 9), False), (date(2026, 11, 10), True)],
)
def test_application_within_7_days_of_starting(received, late):
    window = application_window(date(2026, 11, 2), received)  # the child started on Monday 2 November
    assert window.due_by == date(2026, 11, 9)
    assert window.late is late
    if late:
        assert (window.unpermitted_from, window.unpermitted_until) == (date(2026, 11, 2), received)
    else:
        assert window.unpermitted_from is None


@pytest.mark.parametrize(
    ("issued", "until"),
    [
        (date(2026, 11, 16), date(2027, 11, 15)),
        (date(2027, 1, 1), date(2027, 12, 31)),
        (date(2028, 2, 29), date(2029, 2, 27)),  # the anniversary is 28 February 2029
        (date(2027, 3, 1), date(2028, 2, 29)),  # into a leap year
    ],
)
def test_valid_to_the_day_before_the_anniversary(issued, until):
    assert permit_valid_until(issued) == until
