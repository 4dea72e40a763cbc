"""Attendance registers and thresholds against real 2025-26 school calendars.

Spring term 2026 used below: school weeks beginning Mondays 5, 12, 19, 26 January, 2, 9 February, then
half-term 16-20 February 2026 (no sessions), then 23 February, 2, 9, 16, 23 March. Autumn 2025 ends on
Friday 19 December; the Christmas holiday covers the weeks of 22 and 29 December 2025.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from penalty_service.rules.attendance import (
    ADMINISTRATIVE,
    ALL_CODES,
    APPROVED_ACTIVITY,
    AUTHORISED,
    PRESENT,
    UNAUTHORISED,
    Profile,
    Session,
    check_threshold,
    first_absence,
    last_absence,
    register_errors,
    school_weeks,
)
from shared.calendar import week_start

NATIONAL, LOCAL = Profile.NATIONAL, Profile.NOTTINGHAMSHIRE_LOCAL

SPRING_2026 = [date(2026, 1, 5) + timedelta(weeks=n) for n in range(6)] + [
    date(2026, 2, 23) + timedelta(weeks=n) for n in range(5)
]  # 11 school weeks; 16 February 2026 (half-term) is missing
HALF_TERM = date(2026, 2, 16)
PRESENT_WEEK = "/ / / / / / / / / /"


def week(monday: date, codes: str) -> list[Session]:
    """Monday-to-Friday register for a week: ten codes, Monday AM, Monday PM, Tuesday AM, ..."""
    marks = codes.split()
    assert monday.weekday() == 0 and len(marks) == 10
    return [
        Session(monday + timedelta(days=i // 2), ("AM", "PM")[i % 2], code) for i, code in enumerate(marks)
    ]


def register(weeks: dict[date, str]) -> list[Session]:
    return [s for monday, codes in weeks.items() for s in week(monday, codes)]


ONE_MONDAY_ABSENCE = "N / / / / / / / / /"


def s(day: date, session: str, code: str) -> Session:
    return Session(day, session, code)


# --- codes -----------------------------------------------------------------------------------------------


def test_code_sets_are_the_dfe_2024_codes_and_do_not_overlap():
    groups = [PRESENT, APPROVED_ACTIVITY, AUTHORISED, UNAUTHORISED, ADMINISTRATIVE]
    assert sum(len(g) for g in groups) == len(ALL_CODES) == 34
    assert {"G", "N", "O", "U"} == UNAUTHORISED
    assert {"Y1", "Y7", "#", "Q", "X", "Z"} <= ADMINISTRATIVE and "Y8" not in ALL_CODES


@pytest.mark.parametrize(
    ("sessions", "expected"),
    [
        pytest.param(week(date(2026, 1, 12), PRESENT_WEEK), {}, id="a clean week"),
        pytest.param(
            week(date(2026, 1, 12), "/ / / A / / / / / /"),
            {"attendance.3.code": ["'A' is not a DfE attendance code"]},
            id="unknown code",
        ),
        pytest.param(
            [s(date(2026, 1, 12), "AM", "Y8"), s(date(2026, 1, 12), "PM", "J2")],
            {
                "attendance.0.code": ["'Y8' is not a DfE attendance code"],
                "attendance.1.code": ["'J2' is not a DfE attendance code"],
            },
            id="near-miss codes",
        ),
        pytest.param(
            [s(date(2026, 1, 12), "AM", "")],
            {"attendance.0.code": ["Enter a DfE attendance code"]},
            id="blank",
        ),
        pytest.param(
            [s(date(2026, 1, 12), "EVE", "/")],
            {"attendance.0.session": ["Session must be AM or PM"]},
            id="bad session",
        ),
        pytest.param(
            [
                s(date(2026, 1, 12), "AM", "/"),
                s(date(2026, 1, 12), "PM", "/"),
                s(date(2026, 1, 12), "AM", "N"),
            ],
            {"attendance.2": ["The AM session on Monday 12 January 2026 is entered twice"]},
            id="duplicate",
        ),
        pytest.param(
            [s(date(2026, 1, 10), "AM", "N")],
            {
                "attendance.0.date": [
                    "Saturday 10 January 2026 is at a weekend: schools do not hold sessions at weekends"
                ]
            },
            id="Saturday",
        ),
        pytest.param(
            [s(date(2026, 1, 11), "PM", "/")],
            {
                "attendance.0.date": [
                    "Sunday 11 January 2026 is at a weekend: schools do not hold sessions at weekends"
                ]
            },
            id="Sunday",
        ),
        pytest.param([s(date(2026, 1, 10), "AM", "#")], {}, id="weekend closure mark is fine"),
        pytest.param([s(date(2026, 5, 4), "AM", "#"), s(date(2026, 5, 4), "PM", "/")], {}, id="bank holiday"),
        pytest.param(
            [s(date(2026, 1, 12), "am", "c1"), s(date(2026, 1, 12), " pm", " n ")],
            {},
            id="lowercase accepted",
        ),
        pytest.param(
            [s(date(2026, 1, 12), "AM", "\\"), s(date(2026, 1, 12), "PM", "y7")], {}, id="backslash and y7"
        ),
    ],
)
def test_register_errors(sessions, expected):
    assert register_errors(sessions) == expected


# --- school weeks ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sessions", "expected"),
    [
        pytest.param([], [], id="empty"),
        pytest.param(
            [s(date(2026, 1, 14), "PM", "/")], [date(2026, 1, 12)], id="a Wednesday gives its Monday"
        ),
        pytest.param(
            week(date(2026, 2, 16), "# # # # # # # # # #") + week(date(2026, 2, 23), PRESENT_WEEK),
            [date(2026, 2, 23)],
            id="closure-only week is not a school week",
        ),
        pytest.param(
            [s(date(2026, 2, 20), "AM", "#"), s(date(2026, 2, 20), "PM", "X")],
            [date(2026, 2, 16)],
            id="any session not coded # makes a school week",
        ),
        pytest.param(
            register({m: PRESENT_WEEK for m in reversed(SPRING_2026)}),
            SPRING_2026,
            id="half-term skipped, sorted",
        ),
    ],
)
def test_school_weeks(sessions, expected):
    assert school_weeks(sessions) == expected


# --- thresholds ------------------------------------------------------------------------------------------

SPRING_ONE_ABSENCE_A_WEEK = register({m: ONE_MONDAY_ABSENCE for m in SPRING_2026[:10]})


def test_half_term_with_no_sessions_does_not_use_up_the_window():
    # Ten Monday absences over ten school weeks spread across eleven calendar weeks.
    result = check_threshold(SPRING_ONE_ABSENCE_A_WEEK, NATIONAL)
    assert result.met
    assert result.met_on == Session(date(2026, 3, 16), "AM", "N")
    assert (result.sessions_counted, result.sessions_needed, result.window_weeks) == (10, 10, 10)
    assert result.profile == "national"


def test_half_term_coded_closed_is_the_same_as_no_sessions():
    closed = week(HALF_TERM, "# # # # # # # # # #")
    assert check_threshold(SPRING_ONE_ABSENCE_A_WEEK + closed, NATIONAL) == check_threshold(
        SPRING_ONE_ABSENCE_A_WEEK, NATIONAL
    )


def test_a_week_the_school_was_open_does_use_up_the_window():
    open_half_term = week(HALF_TERM, PRESENT_WEEK)
    result = check_threshold(SPRING_ONE_ABSENCE_A_WEEK + open_half_term, NATIONAL)
    assert not result.met and result.met_on is None and result.sessions_counted == 9


def test_window_spans_the_christmas_holiday():
    autumn = [date(2025, 11, 10) + timedelta(weeks=n) for n in range(6)]  # 10 Nov .. 15 Dec 2025
    spring = [date(2026, 1, 5) + timedelta(weeks=n) for n in range(4)]  # 5 Jan .. 26 Jan 2026
    result = check_threshold(register({m: ONE_MONDAY_ABSENCE for m in autumn + spring}), NATIONAL)
    assert result.met_on == Session(date(2026, 1, 26), "AM", "N")


ELEVEN_WEEKS = register(
    {
        SPRING_2026[0]: "N / / / / / / / / /",
        SPRING_2026[1]: "N N / / / / / / / /",
        SPRING_2026[2]: "/ / G G / / / / / /",
        SPRING_2026[3]: "/ / / / O U / / / /",
        SPRING_2026[4]: "/ / / / / / / / N U",
        **{m: PRESENT_WEEK for m in SPRING_2026[5:10]},
        SPRING_2026[10]: "/ / / / / / / / / N",
    }
)


@pytest.mark.parametrize(
    ("profile", "met_on", "counted", "needed", "weeks"),
    [
        pytest.param(NATIONAL, None, 9, 10, 10, id="national: 10 sessions but never 10 in 10 school weeks"),
        pytest.param(LOCAL, Session(date(2026, 1, 28), "AM", "O"), 9, 6, 6, id="local: 6 in 6 reached"),
        pytest.param("nottinghamshire-local", Session(date(2026, 1, 28), "AM", "O"), 9, 6, 6, id="by value"),
    ],
)
def test_sessions_over_eleven_school_weeks(profile, met_on, counted, needed, weeks):
    result = check_threshold(ELEVEN_WEEKS, profile)
    assert (result.met, result.met_on) == (met_on is not None, met_on)
    assert (result.sessions_counted, result.sessions_needed, result.window_weeks) == (counted, needed, weeks)


NINE_ABSENCES = register(
    {
        SPRING_2026[0]: "G G G G G / / / / /",  # a term-time holiday Monday to Wednesday AM
        SPRING_2026[1]: "/ / / U / / / / / /",  # late after the register closed
        SPRING_2026[2]: "/ / / / / / / / / /",
        SPRING_2026[3]: "C M L / B K \\ / J1 /",  # authorised, approved activity, late before close
        SPRING_2026[4]: "N / / / / / / / / O",
        SPRING_2026[5]: "/ / / / / / / / / /",
        SPRING_2026[6]: "C1 C2 M M T R I S E /",
        SPRING_2026[7]: "/ / / / / / / / / N",
    }
)


def test_nine_unauthorised_sessions_do_not_meet_the_national_threshold():
    result = check_threshold(NINE_ABSENCES, NATIONAL)
    assert (result.met, result.sessions_counted) == (False, 9)
    assert result.reason == "9 unauthorised sessions counted within 10 school weeks; 10 are needed"


@pytest.mark.parametrize(
    ("extra", "met_on"),
    [
        pytest.param(
            [s(date(2026, 3, 10), "PM", "U")], s(date(2026, 3, 10), "PM", "U"), id="late after close U"
        ),
        pytest.param([s(date(2026, 3, 10), "PM", "L")], None, id="late before close L does not count"),
        pytest.param([s(date(2026, 3, 10), "PM", "C")], None, id="authorised C"),
        pytest.param([s(date(2026, 3, 10), "PM", "M")], None, id="medical M"),
        pytest.param([s(date(2026, 3, 10), "PM", "X")], None, id="administrative X"),
        pytest.param([s(date(2026, 3, 10), "PM", "o")], s(date(2026, 3, 10), "PM", "O"), id="lowercase o"),
    ],
)
def test_only_g_n_o_u_count(extra, met_on):
    result = check_threshold(NINE_ABSENCES + extra, NATIONAL)
    assert result.met_on == met_on
    assert result.sessions_counted == (10 if met_on else 9)


@pytest.mark.parametrize(
    ("last_day", "expected"),
    [
        pytest.param(
            [s(date(2026, 3, 11), "PM", "N"), s(date(2026, 3, 11), "AM", "/")], "PM", id="PM absence"
        ),
        pytest.param(
            [s(date(2026, 3, 11), "PM", "N"), s(date(2026, 3, 11), "AM", "N")], "AM", id="AM before PM"
        ),
    ],
)
def test_met_on_is_the_exact_session(last_day, expected):
    result = check_threshold(last_day + NINE_ABSENCES, NATIONAL)
    assert result.met_on == Session(date(2026, 3, 11), expected, "N")


def test_input_order_does_not_matter():
    shuffled = list(ELEVEN_WEEKS)
    random.Random(2026).shuffle(shuffled)
    for profile in Profile:
        assert check_threshold(shuffled, profile) == check_threshold(ELEVEN_WEEKS, profile)
        assert check_threshold(list(reversed(ELEVEN_WEEKS)), profile) == check_threshold(
            ELEVEN_WEEKS, profile
        )


@pytest.mark.parametrize(
    ("last_monday", "met"),
    [
        pytest.param(date(2026, 2, 9), True, id="sixth school week: 6 in 6"),
        pytest.param(date(2026, 2, 23), False, id="seventh school week: the first week has dropped out"),
    ],
)
def test_local_profile_rolls(last_monday, met):
    sessions = register({SPRING_2026[0]: "N N N N N / / / / /", last_monday: ONE_MONDAY_ABSENCE})
    sessions += register({m: PRESENT_WEEK for m in SPRING_2026[1:6] if m != last_monday})
    result = check_threshold(sessions, LOCAL)
    assert result.met is met
    assert result.sessions_counted == (6 if met else 5)


def test_empty_register_and_met_reason():
    assert check_threshold([], NATIONAL).reason == (
        "0 unauthorised sessions counted within 10 school weeks; 10 are needed"
    )
    assert check_threshold(SPRING_ONE_ABSENCE_A_WEEK, NATIONAL).reason == (
        "Threshold met on Monday 16 March 2026 (AM): 10 unauthorised sessions within 10 school weeks"
    )
    assert check_threshold(ELEVEN_WEEKS, LOCAL).reason == (
        "Threshold met on Wednesday 28 January 2026 (AM): 6 unauthorised sessions within 6 school weeks; "
        "up to 9 in any 6 school weeks"
    )


def test_a_repeated_session_is_counted_once():
    assert check_threshold(NINE_ABSENCES + [s(date(2026, 1, 5), "AM", "G")], NATIONAL).sessions_counted == 9


def test_profiles():
    assert (NATIONAL.sessions_needed, NATIONAL.window_weeks, NATIONAL.in_force_from) == (
        10,
        10,
        date(2024, 8, 19),
    )
    assert (LOCAL.sessions_needed, LOCAL.window_weeks, LOCAL.value) == (6, 6, "nottinghamshire-local")
    with pytest.raises(ValueError):
        check_threshold([], "regional")


@pytest.mark.parametrize(
    ("sessions", "first", "last"),
    [
        pytest.param([], None, None, id="empty"),
        pytest.param(week(SPRING_2026[0], PRESENT_WEEK), None, None, id="no absences"),
        pytest.param(NINE_ABSENCES, date(2026, 1, 5), date(2026, 3, 6), id="G first, N last"),
        pytest.param(list(reversed(ELEVEN_WEEKS)), date(2026, 1, 5), date(2026, 3, 27), id="unsorted"),
    ],
)
def test_first_and_last_absence(sessions, first, last):
    assert (first_absence(sessions), last_absence(sessions)) == (first, last)


# --- properties ------------------------------------------------------------------------------------------

TERM_DAYS = [date(2025, 9, 1) + timedelta(days=n) for n in range(140)]
WEEKDAYS = [d for d in TERM_DAYS if d.weekday() < 5]
register_strategy = st.dictionaries(
    keys=st.tuples(st.sampled_from(WEEKDAYS), st.sampled_from(["AM", "PM"])),
    values=st.sampled_from(["N", "N", "U", "G", "O", "/", "/", "C", "#", "L", "X"]),
    max_size=60,
).map(lambda marks: [Session(d, session, code) for (d, session), code in marks.items()])


def _brute_force(sessions: list[Session], profile: Profile) -> tuple[int, Session | None]:
    """Every window of `window_weeks` consecutive school weeks, counted directly."""
    weeks = sorted({week_start(x.date) for x in sessions if x.code != "#"})
    absences = sorted((x for x in sessions if x.code in UNAUTHORISED), key=lambda x: (x.date, x.session))
    w = profile.window_weeks
    best = max(
        (sum(week_start(a.date) in weeks[i : i + w] for a in absences) for i in range(len(weeks))), default=0
    )
    for k, a in enumerate(absences):
        j = weeks.index(week_start(a.date))
        window = weeks[max(0, j - w + 1) : j + 1]
        if sum(week_start(b.date) in window for b in absences[: k + 1]) >= profile.sessions_needed:
            return best, a
    return best, None


@settings(max_examples=200, deadline=None)
@given(register_strategy, st.sampled_from(list(Profile)), st.randoms(use_true_random=False))
def test_threshold_matches_a_direct_count_of_every_window(sessions, profile, rnd):
    shuffled = list(sessions)
    rnd.shuffle(shuffled)
    result = check_threshold(shuffled, profile)
    best, met_on = _brute_force(sessions, profile)
    assert (result.sessions_counted, result.met_on) == (best, met_on)
    assert result.met == (best >= profile.sessions_needed)
