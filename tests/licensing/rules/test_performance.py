"""Performance schedules against the Children (Performances and Activities) (England) Regulations 2014:
age bands on the day, times, rests, consecutive days, night work, the 14-day break, chaperones and
education, on real calendar dates."""

from __future__ import annotations

import random
from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from licensing_service.rules.performance import (
    ApprovalPeriod,
    Chaperone,
    Day,
    DayKind,
    Education,
    Interval,
    Limits,
    Tutor,
    band_for_age,
    check_schedule,
    compulsory_school_age_ends,
    format_duration,
    timeline,
)

P, R = DayKind.PERFORMANCE, DayKind.REHEARSAL
AGE_10 = date(2016, 3, 1)  # 10 throughout 2026
AGE_6 = date(2020, 1, 10)
AGE_3 = date(2023, 1, 10)
FIFTH_BIRTHDAY_WEDNESDAY = date(2021, 6, 10)  # 5 on Wednesday 10 June 2026
LEAVES_JUNE_2026 = date(2010, 7, 1)  # compulsory school age ends Friday 26 June 2026
PARENT = Chaperone(is_parent=True)
USUAL_TEACHER = Chaperone(
    is_usual_teacher=True, usual_teacher_name="Ann Teacher", usual_teacher_school="Example Primary School"
)


def t(hhmm: str) -> time:
    return time.fromisoformat(hhmm)


def day(on: date, arrive: str = "09:00", leave: str = "12:00", *performing: str, kind: DayKind = P) -> Day:
    """``performing`` as "10:00-11:00" strings; none given means 10:00 to 11:00."""
    stretches = performing or ("10:00-11:00",)
    return Day(
        on,
        kind,
        t(arrive),
        t(leave),
        tuple(Interval(t(s.split("-")[0]), t(s.split("-")[1])) for s in stretches),
    )


def check(dob: date, days, **kwargs):
    kwargs.setdefault("chaperone", PARENT)
    return check_schedule(dob, days, **kwargs)


def found(findings) -> list[tuple[str, date | None]]:
    return [(f.code, f.date) for f in findings]


SAT = date(2026, 6, 6)  # Saturday 6 June 2026


# Daily limits by age band (regs 21 and 22) -----------------------------------------------------------


@pytest.mark.parametrize(
    ("dob", "the_day", "expected"),
    [
        pytest.param(AGE_10, day(SAT, "07:00", "12:00"), [], id="07:00 exactly"),
        pytest.param(AGE_10, day(SAT, "06:59", "12:00"), ["earliest_time"], id="06:59"),
        pytest.param(AGE_3, day(SAT, "06:59", "08:00", "07:00-07:30"), ["earliest_time"], id="06:59 age 3"),
        pytest.param(AGE_10, day(SAT, "16:00", "23:00", "19:00-21:00"), [], id="9+: 23:00 exactly"),
        pytest.param(AGE_10, day(SAT, "16:00", "23:01", "19:00-21:00"), ["latest_time"], id="9+: 23:01"),
        pytest.param(AGE_6, day(SAT, "16:00", "23:00", "19:00-21:00"), [], id="5-8: 23:00 exactly"),
        pytest.param(AGE_6, day(SAT, "16:00", "23:01", "19:00-21:00"), ["latest_time"], id="5-8: 23:01"),
        pytest.param(AGE_3, day(SAT, "18:00", "22:00", "19:00-19:30"), [], id="0-4: 22:00 exactly"),
        pytest.param(AGE_3, day(SAT, "18:00", "22:01", "19:00-19:30"), ["latest_time"], id="0-4: 22:01"),
        pytest.param(AGE_10, day(SAT, "18:00", "00:30", "19:00-21:00"), ["latest_time"], id="after midnight"),
        pytest.param(AGE_10, day(SAT, "08:00", "17:30"), [], id="9+: 9 h 30 at the place"),
        pytest.param(AGE_10, day(SAT, "08:00", "17:31"), ["max_time_at_place"], id="9+: 9 h 31"),
        pytest.param(AGE_6, day(SAT, "09:00", "17:00"), [], id="5-8: 8 h"),
        pytest.param(AGE_6, day(SAT, "09:00", "17:01"), ["max_time_at_place"], id="5-8: 8 h 01"),
        pytest.param(AGE_3, day(SAT, "09:00", "14:00", "10:00-10:30"), [], id="0-4: 5 h"),
        pytest.param(
            AGE_3, day(SAT, "09:00", "14:01", "10:00-10:30"), ["max_time_at_place"], id="0-4: 5 h 01"
        ),
        pytest.param(AGE_10, day(SAT, "09:00", "17:00", "10:00-12:30", "13:30-16:00"), [], id="9+: 5 h on"),
        pytest.param(
            AGE_10,
            day(SAT, "09:00", "17:00", "10:00-12:30", "13:30-16:01"),
            ["max_performing", "max_continuous_performing"],
            id="9+: 5 h 01 on, last stretch 2 h 31",
        ),
        pytest.param(
            AGE_10,
            day(SAT, "09:00", "17:00", "09:00-11:00", "12:00-14:00", "15:00-16:01"),
            ["max_performing"],
            id="9+: 5 h 01 in short stretches",
        ),
        pytest.param(AGE_6, day(SAT, "09:00", "16:00", "10:00-11:30", "12:30-14:00"), [], id="5-8: 3 h on"),
        pytest.param(
            AGE_6,
            day(SAT, "09:00", "16:00", "10:00-11:30", "12:30-14:01"),
            ["max_performing"],
            id="5-8: 3 h 01",
        ),
        pytest.param(
            AGE_3,
            day(SAT, "09:00", "14:00", "09:00-09:30", "10:00-10:30", "11:00-11:30", "12:00-12:30"),
            [],
            id="0-4: 2 h on",
        ),
        pytest.param(
            AGE_3,
            day(SAT, "09:00", "14:00", "09:00-09:30", "10:00-10:30", "11:00-11:30", "12:00-12:31"),
            ["max_performing", "max_continuous_performing"],
            id="0-4: 2 h 01 on, last stretch 31 min",
        ),
        pytest.param(AGE_10, day(SAT, "09:00", "17:00", "10:00-12:30"), [], id="9+: 2 h 30 continuous"),
        pytest.param(
            AGE_10, day(SAT, "09:00", "17:00", "10:00-12:31"), ["max_continuous_performing"], id="9+: 2 h 31"
        ),
        pytest.param(
            AGE_10,
            day(SAT, "09:00", "17:00", "10:00-11:00", "11:00-12:31"),
            ["max_continuous_performing"],
            id="touching stretches are one",
        ),
        pytest.param(AGE_3, day(SAT, "09:00", "12:00", "10:00-10:30"), [], id="0-4: 30 min continuous"),
        pytest.param(
            AGE_3, day(SAT, "09:00", "12:00", "10:00-10:31"), ["max_continuous_performing"], id="0-4: 31 min"
        ),
    ],
)
def test_daily_limits_by_age_band(dob, the_day, expected):
    assert [code for code, _ in found(check(dob, [the_day]).breaches)] == expected


def test_message_gives_the_figures_and_names_no_one():
    result = check(AGE_10, [day(SAT, "08:00", "17:45")])
    assert [f.message for f in result.breaches] == [
        "On Saturday 6 June 2026 the child would be at the place for 9 hours 45 minutes; the limit at age 10 "
        "is 9 hours 30 minutes."
    ]


@pytest.mark.parametrize(
    ("on", "arrive", "leave", "expected"),
    [
        pytest.param(date(2026, 6, 9), "17:00", "22:00", [], id="Tuesday, aged 4: 22:00 and 5 h"),
        pytest.param(date(2026, 6, 9), "17:01", "22:01", ["latest_time"], id="aged 4: 22:01"),
        pytest.param(date(2026, 6, 9), "16:00", "21:01", ["max_time_at_place"], id="aged 4: 5 h 01"),
        pytest.param(date(2026, 6, 10), "15:00", "23:00", [], id="5th birthday: 23:00 and 8 h"),
        pytest.param(date(2026, 6, 10), "15:01", "23:01", ["latest_time"], id="5th birthday: 23:01"),
        pytest.param(date(2026, 6, 11), "14:30", "22:30", [], id="the day after: 22:30 and 8 h"),
    ],
)
def test_a_birthday_mid_run_changes_the_band_that_day(on, arrive, leave, expected):
    """The age band is the child's age on each day: born 10 June 2021, 5 on Wednesday 10 June 2026."""
    days = [day(on, arrive, leave, "18:30-18:45")]
    assert [c for c, _ in found(check(FIFTH_BIRTHDAY_WEDNESDAY, days).breaches)] == expected


def test_birthday_run_in_one_schedule():
    days = [
        day(date(2026, 6, 8), "17:30", "22:30", "18:00-18:30"),  # aged 4: after 22:00
        day(date(2026, 6, 10), "17:30", "22:30", "18:00-18:30"),  # aged 5: before 23:00
    ]
    assert found(check(FIFTH_BIRTHDAY_WEDNESDAY, days).breaches) == [("latest_time", date(2026, 6, 8))]


@pytest.mark.parametrize(
    ("age", "band"),
    [(0, "0 to 4"), (4, "0 to 4"), (5, "5 to 8"), (8, "5 to 8"), (9, "9 and over"), (15, "9 and over")],
)
def test_bands(age, band):
    assert band_for_age(age).name == band


# End of compulsory school age --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dob", "ends"),
    [
        pytest.param(date(2010, 7, 1), date(2026, 6, 26), id="16 in July: last Friday of June before"),
        pytest.param(date(2010, 8, 31), date(2026, 6, 26), id="16 on 31 August: same school year"),
        pytest.param(date(2010, 9, 1), date(2027, 6, 25), id="16 on 1 September: the next school year"),
        pytest.param(date(2011, 6, 30), date(2027, 6, 25), id="16 after the last Friday of June"),
        pytest.param(date(2012, 2, 29), date(2028, 6, 30), id="29 February"),
    ],
)
def test_end_of_compulsory_school_age(dob, ends):
    assert compulsory_school_age_ends(dob) == ends


def test_the_day_after_compulsory_school_age_is_out_of_scope_not_a_breach():
    days = [
        day(date(2026, 6, 26), "08:00", "17:45"),  # Friday: still of compulsory school age
        day(date(2026, 6, 27), "06:00", "23:30", "08:00-15:00"),  # Saturday: no limits apply
    ]
    result = check(LEAVES_JUNE_2026, days)
    assert found(result.breaches) == [("max_time_at_place", date(2026, 6, 26))]
    assert found(result.warnings) == [("out_of_scope_age", date(2026, 6, 27))]
    assert result.warnings[0].message == (
        "On Saturday 27 June 2026 the child is over compulsory school age (it ended on Friday 26 June 2026), "
        "so no licence is needed for that day and these limits do not apply to it."
    )


def test_out_of_scope_days_do_not_count_as_consecutive_days():
    days = [day(date(2026, 6, 21) + timedelta(days=i)) for i in range(7)]  # Sunday 21 to Saturday 27 June
    result = check(LEAVES_JUNE_2026, days)
    assert result.breaches == ()
    assert found(result.warnings) == [("out_of_scope_age", date(2026, 6, 27))]


def test_a_schedule_entirely_after_school_age_needs_no_chaperone():
    result = check_schedule(LEAVES_JUNE_2026, [day(date(2026, 7, 4))])
    assert result.breaches == () and [f.code for f in result.warnings] == ["out_of_scope_age"]


# Rest between days (reg 24) and consecutive days (reg 26) ----------------------------------------------


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        pytest.param(("18:00", "21:00"), ("09:00", "12:00"), [], id="12 hours exactly"),
        pytest.param(("18:00", "21:01"), ("09:00", "12:00"), ["overnight_rest"], id="11 h 59"),
        pytest.param(("15:00", "23:00"), ("11:00", "14:00"), [], id="from 23:00: 12 hours"),
        pytest.param(("15:00", "23:00"), ("10:59", "14:00"), ["overnight_rest"], id="from 23:00: 11 h 59"),
    ],
)
def test_twelve_hours_between_leaving_and_arriving(first, second, expected):
    friday, saturday = date(2026, 6, 5), date(2026, 6, 6)
    days = [day(friday, *first, "19:00-20:00"), day(saturday, *second, "11:15-11:45")]
    assert found(check(AGE_10, days).breaches) == [(c, saturday) for c in expected]


def test_twelve_hours_after_leaving_after_midnight():
    days = [day(SAT, "18:00", "00:30", "23:30-00:15"), day(date(2026, 6, 7), "12:30", "18:00", "16:15-17:00")]
    assert check(AGE_10, days, night_work=True).breaches == ()
    days[1] = day(date(2026, 6, 7), "12:29", "18:00", "16:15-17:00")
    assert found(check(AGE_10, days, night_work=True).breaches) == [("overnight_rest", date(2026, 6, 7))]


def test_overnight_rest_message():
    days = [day(date(2026, 6, 5), "18:00", "21:01", "19:00-20:00"), day(date(2026, 6, 6), "09:00", "12:00")]
    assert check(AGE_10, days).breaches[0].message == (
        "The child would leave the place at 21:01 on Friday 5 June 2026 and arrive at 09:00 on Saturday 6 "
        "June 2026, 11 hours 59 minutes later; at least 12 hours are needed between leaving one day and "
        "arriving the next."
    )


MONDAY = date(2026, 6, 1)


def run(first: date, count: int, kind: DayKind = P) -> list[Day]:
    return [day(first + timedelta(days=i), kind=kind) for i in range(count)]


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        pytest.param(run(MONDAY, 6), [], id="6 days"),
        pytest.param(run(MONDAY, 7), [date(2026, 6, 7)], id="the 7th day"),
        pytest.param(run(MONDAY, 3, R) + run(date(2026, 6, 4), 4), [date(2026, 6, 7)], id="rehearsals count"),
        pytest.param(run(MONDAY, 6) + run(date(2026, 6, 8), 6), [], id="a day off resets"),
        pytest.param(run(MONDAY, 10), [date(2026, 6, 7)], id="10 days: one finding"),
        pytest.param(
            run(MONDAY, 7) + run(date(2026, 6, 9), 7), [date(2026, 6, 7), date(2026, 6, 15)], id="two"
        ),
    ],
)
def test_no_more_than_six_consecutive_days(days, expected):
    result = check(AGE_10, days)
    assert [d for code, d in found(result.breaches) if code == "consecutive_days"] == expected


def test_consecutive_days_message():
    [finding] = check(AGE_10, run(MONDAY, 7)).breaches
    assert finding.message == (
        "Sunday 7 June 2026 would be the 7th consecutive day of performances or rehearsals (7 days in a row, "
        "from Monday 1 June 2026 to Sunday 7 June 2026); the limit is 6 consecutive days."
    )


# Night work (reg 28) -----------------------------------------------------------------------------------

EVENING = ("17:00", "23:45", "21:30-23:30")


def test_night_work_is_a_breach_unless_the_licence_permits_it():
    days = [day(SAT, *EVENING)]
    assert found(check(AGE_10, days).breaches) == [("latest_time", SAT)]
    assert check(AGE_10, days, night_work=True).breaches == ()


@pytest.mark.parametrize(
    ("next_day", "expected"),
    [
        pytest.param(("14:00", "18:00", "15:30-16:30"), [], id="16 hours exactly"),
        pytest.param(("14:00", "18:00", "15:29-16:30"), ["night_work_rest"], id="15 h 59"),
    ],
)
def test_sixteen_hours_after_night_work(next_day, expected):
    days = [day(SAT, *EVENING), day(date(2026, 6, 7), *next_day)]
    result = check(AGE_10, days, night_work=True)
    assert found(result.breaches) == [(c, date(2026, 6, 7)) for c in expected]


def test_sixteen_hours_after_night_work_that_ends_after_midnight():
    days = [
        day(SAT, "18:00", "01:30", "23:00-01:00"),
        day(date(2026, 6, 7), "16:00", "20:00", "16:59-18:00"),
    ]
    [finding] = check(AGE_10, days, night_work=True).breaches
    assert (finding.code, finding.date) == ("night_work_rest", date(2026, 6, 7))
    assert finding.message == (
        "After night work on Saturday 6 June 2026 the child's part would end at 01:00 the next day, and the "
        "next performance or rehearsal would start at 16:59 on Sunday 7 June 2026, 15 hours 59 minutes "
        "later; at least 16 hours are needed after night work."
    )


def test_night_work_covers_performances_not_rehearsals():
    [finding] = check(AGE_10, [day(SAT, *EVENING, kind=R)], night_work=True).breaches
    assert finding.code == "latest_time"
    assert finding.message.endswith("night work covers performing at night, not rehearsals.")


def test_night_work_does_not_cover_arriving_early_to_perform_in_the_day():
    [finding] = check(AGE_10, [day(SAT, "06:30", "12:00", "09:00-11:00")], night_work=True).breaches
    assert finding.code == "earliest_time"


def test_performing_at_night_counts_towards_the_daily_limit():
    days = [day(SAT, "15:00", "00:30", "15:30-18:00", "18:30-21:00", "21:30-00:01")]
    codes = [c for c, _ in found(check(AGE_10, days, night_work=True).breaches)]
    assert codes == ["max_performing", "max_continuous_performing"]


def test_no_sixteen_hour_rule_without_night_work():
    days = [day(SAT, "14:00", "22:30", "20:00-22:00"), day(date(2026, 6, 7), "11:00", "14:00", "12:00-13:00")]
    assert check(AGE_10, days, night_work=True).breaches == ()


# The 14-day break (reg 27) -----------------------------------------------------------------------------

START = date(2026, 5, 4)  # Monday 4 May 2026


def weeks_of_six(first: date, weeks: int) -> list[date]:
    """Six consecutive days, then a day off, for ``weeks`` weeks."""
    return [first + timedelta(days=7 * w + d) for w in range(weeks) for d in range(6)]


def schedule(dates: list[date]) -> list[Day]:
    return [day(d) for d in dates]


EIGHT_WEEKS = weeks_of_six(START, 8)  # 48 days, the last Saturday 27 June 2026
SUNDAY_12_JULY = date(2026, 7, 12)


@pytest.mark.parametrize(
    ("dates", "expected"),
    [
        pytest.param(EIGHT_WEEKS + weeks_of_six(SUNDAY_12_JULY, 2), [], id="14 clear days, 60 days"),
        pytest.param(
            EIGHT_WEEKS + weeks_of_six(SUNDAY_12_JULY - timedelta(days=1), 2),
            [date(2026, 7, 11)],
            id="13 clear days",
        ),
        pytest.param(
            EIGHT_WEEKS + weeks_of_six(SUNDAY_12_JULY - timedelta(days=1), 2)[:-1],
            [],
            id="13 clear days but 59 days: reg 27(2)",
        ),
        pytest.param(weeks_of_six(START, 10), [date(2026, 6, 29)], id="10 weeks on: one finding"),
        pytest.param(
            weeks_of_six(START, 7) + weeks_of_six(date(2026, 6, 29), 3),
            [],
            id="7 weeks, a week off, 3 weeks",
        ),
        pytest.param(
            weeks_of_six(START, 7) + weeks_of_six(date(2026, 6, 23), 3),
            [date(2026, 6, 30)],
            id="two days off mid-run still leave 6 consecutive days in each Monday-to-Sunday week",
        ),
        pytest.param(
            weeks_of_six(date(2026, 5, 6), 10), [date(2026, 7, 1)], id="weeks from a Wednesday count too"
        ),
        pytest.param(
            weeks_of_six(START, 8) + weeks_of_six(date(2026, 7, 12), 8) + [date(2026, 9, 6)],
            [date(2026, 9, 6)],
            id="again after a second 8 weeks",
        ),
    ],
)
def test_fourteen_clear_days_after_eight_weeks_on_the_maximum_days(dates, expected):
    result = check(AGE_10, schedule(dates))
    assert [d for code, d in found(result.breaches) if code == "fourteen_day_break"] == expected


def test_fourteen_day_break_message():
    dates = EIGHT_WEEKS + weeks_of_six(date(2026, 7, 11), 2)
    [finding] = [f for f in check(AGE_10, schedule(dates)).breaches if f.code == "fourteen_day_break"]
    assert finding.message == (
        "On Saturday 11 July 2026 the child would perform or rehearse 14 days after Saturday 27 June 2026, "
        "the end of 8 consecutive weeks (from Monday 4 May 2026) of performing on 6 consecutive days a week; "
        "the child must then have 14 clear days, so nothing before Sunday 12 July 2026."
    )


# Chaperones (reg 15) -----------------------------------------------------------------------------------


def chaperone(n: int, teacher: bool = False) -> Chaperone:
    return Chaperone(approval_number="CH-2025-000123", children_in_care=n, also_private_teacher=teacher)


@pytest.mark.parametrize(
    ("who", "limits", "breaches", "warnings"),
    [
        pytest.param(chaperone(8), Limits(), [], [], id="8"),
        pytest.param(chaperone(9), Limits(), [], ["chaperone_ratio"], id="9th: above the recommended 8"),
        pytest.param(chaperone(12), Limits(), [], ["chaperone_ratio"], id="12"),
        pytest.param(chaperone(13), Limits(), ["chaperone_ratio"], [], id="13th child"),
        pytest.param(chaperone(3, teacher=True), Limits(), [], [], id="3 with their teacher"),
        pytest.param(
            chaperone(4, teacher=True), Limits(), ["chaperone_ratio"], [], id="4th with their teacher"
        ),
        pytest.param(
            chaperone(6), Limits(chaperone_recommended_max=5), [], ["chaperone_ratio"], id="setting"
        ),
        pytest.param(chaperone(11), Limits(chaperone_max_children=10), ["chaperone_ratio"], [], id="max set"),
        pytest.param(Chaperone(is_parent=True, children_in_care=40), Limits(), [], [], id="a parent"),
        pytest.param(USUAL_TEACHER, Limits(), [], [], id="their usual teacher: no approval needed"),
        pytest.param(
            Chaperone(is_usual_teacher=True, usual_teacher_name="Ann Teacher", children_in_care=30),
            Limits(),
            [],
            [],
            id="a usual teacher with a class: reg 15's limits are for chaperones",
        ),
        pytest.param(
            Chaperone(is_usual_teacher=False, usual_teacher_name="Ann Teacher"),
            Limits(),
            ["chaperone_approval"],
            [],
            id="a teacher's name alone is not their usual teacher looking after them",
        ),
        pytest.param(None, Limits(), ["chaperone_approval"], [], id="no chaperone"),
        pytest.param(
            Chaperone(approval_number="  "), Limits(), ["chaperone_approval"], [], id="blank number"
        ),
    ],
)
def test_chaperone(who, limits, breaches, warnings):
    result = check_schedule(AGE_10, [day(SAT)], chaperone=who, limits=limits)
    assert [f.code for f in result.breaches] == breaches
    assert [f.code for f in result.warnings] == warnings
    assert all(f.date is None for f in (*result.breaches, *result.warnings))


def test_chaperone_messages():
    assert check_schedule(AGE_10, [day(SAT)], chaperone=chaperone(13)).breaches[0].message == (
        "The chaperone would look after 13 children; the limit is 12."
    )
    assert check_schedule(AGE_10, [day(SAT)], chaperone=chaperone(4, True)).breaches[0].message == (
        "The chaperone would look after 4 children while also being their private teacher; the limit is 3."
    )
    assert (
        check_schedule(AGE_10, [day(SAT)]).breaches[0].message.startswith("No approved chaperone is named.")
    )


JUNE_4_TO_7 = [day(date(2026, 6, 4) + timedelta(days=i)) for i in range(4)]


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        pytest.param(ApprovalPeriod(date(2023, 6, 4), date(2026, 6, 7)), [], id="valid to the last day"),
        pytest.param(
            ApprovalPeriod(date(2023, 6, 6), date(2026, 6, 5)),
            [date(2026, 6, 6)],
            id="expires on the 2nd day: the first day not covered",
        ),
        pytest.param(
            ApprovalPeriod(date(2026, 6, 5), date(2029, 6, 4)), [date(2026, 6, 4)], id="starts on the 2nd day"
        ),
        pytest.param(None, [date(2026, 6, 4)], id="not a current approval"),
    ],
)
def test_chaperone_approval_must_cover_every_day(period, expected):
    result = check_schedule(
        AGE_10, JUNE_4_TO_7, chaperone=chaperone(2), chaperone_approval=period, check_chaperone_approval=True
    )
    assert [d for c, d in found(result.breaches) if c == "chaperone_approval"] == expected
    unchecked = check_schedule(AGE_10, JUNE_4_TO_7, chaperone=chaperone(2), chaperone_approval=period)
    assert unchecked.breaches == ()


@pytest.mark.parametrize(
    ("who", "breaches"),
    [
        pytest.param(USUAL_TEACHER, [], id="usual teacher"),
        pytest.param(PARENT, [], id="parent"),
        pytest.param(chaperone(2), ["chaperone_approval"], id="chaperone not approved for these days"),
    ],
)
def test_only_a_chaperone_needs_an_approval_valid_on_every_day(who, breaches):
    result = check_schedule(
        AGE_10, JUNE_4_TO_7, chaperone=who, chaperone_approval=None, check_chaperone_approval=True
    )
    assert [f.code for f in result.breaches] == breaches
    assert result.warnings == ()


def test_the_missing_chaperone_message_names_the_usual_teacher():
    [finding] = check_schedule(AGE_10, [day(SAT)]).breaches
    assert "Unless a parent or their usual teacher looks after the child" in finding.message


def test_chaperone_approval_message():
    period = ApprovalPeriod(date(2023, 6, 6), date(2026, 6, 5))
    [finding] = check_schedule(
        AGE_10, JUNE_4_TO_7, chaperone=chaperone(2), chaperone_approval=period, check_chaperone_approval=True
    ).breaches
    assert finding.message == (
        "The chaperone's approval is valid from Tuesday 6 June 2023 to Friday 5 June 2026, so it does not "
        "cover Saturday 6 June 2026 or 1 day after it. The approval must be valid on every day of the "
        "licence."
    )


def test_a_chaperone_approved_by_another_council_is_a_warning_to_confirm_not_a_breach():
    result = check_schedule(
        AGE_10,
        JUNE_4_TO_7,
        chaperone=chaperone(2),
        check_chaperone_approval=False,
        chaperone_approved_elsewhere=True,
    )
    assert result.breaches == ()
    assert [(w.code, w.date, w.message) for w in result.warnings] == [
        (
            "chaperone_approval",
            None,
            "The chaperone's approval CH-2025-000123 was given by another council. The council will confirm "
            "with them that it is valid from Thursday 4 June 2026 to Sunday 7 June 2026.",
        )
    ]


# Education (reg 13) ------------------------------------------------------------------------------------


def tutor(hours: str, pupils: int = 2, similar: bool = False) -> Tutor:
    return Tutor("Tess Tutor", Decimal(hours), pupils, similar)


@pytest.mark.parametrize(
    ("teacher", "expected"),
    [
        pytest.param(tutor("3", 6), [], id="6 pupils"),
        pytest.param(tutor("3", 7), ["tutor_pupils"], id="7 pupils"),
        pytest.param(tutor("3", 12, similar=True), [], id="12 of a similar standard"),
        pytest.param(tutor("3", 13, similar=True), ["tutor_pupils"], id="13 of a similar standard"),
    ],
)
def test_tutor_pupils(teacher, expected):
    result = check(AGE_10, run(MONDAY, 5), education=Education(5, teacher))
    assert [f.code for f in result.breaches] == expected


MON_TO_FRI = run(MONDAY, 5)  # Monday 1 to Friday 5 June 2026: 5 working days
THU_TO_FRI_NEXT = run(date(2026, 6, 4), 2) + run(date(2026, 6, 8), 5)  # 7 working days over 2 weeks


@pytest.mark.parametrize(
    ("days", "education", "breaches", "warnings"),
    [
        pytest.param(MON_TO_FRI, Education(5, tutor("3")), [], [], id="3 hours each school day"),
        pytest.param(
            MON_TO_FRI,
            Education(5, tutor("2.99")),
            [("tutor_hours", date(2026, 6, 1))],
            [],
            id="2 h 59 each day: not 3 h a day, 4-week total short",
        ),
        pytest.param(
            MON_TO_FRI,
            Education(3, tutor("2")),
            [],
            [("school_days_missed", None)],
            id="deemed: 10 h a week, 9 h needed for 3 days missed",
        ),
        pytest.param(
            MON_TO_FRI,
            Education(4, tutor("2")),
            [("tutor_hours", date(2026, 6, 1))],
            [("school_days_missed", None)],
            id="deemed: 10 h, 12 h needed for 4 days missed",
        ),
        pytest.param(
            THU_TO_FRI_NEXT,
            Education(5, tutor("2.5")),
            [("tutor_hours", date(2026, 6, 4))],
            [("school_days_missed", None)],
            id="deemed: 5 h in a 2-day week is under 6 h",
        ),
        pytest.param(
            run(date(2026, 5, 25), 5),
            Education(4, tutor("3")),
            [],
            [],
            id="Spring bank holiday is not a school day",
        ),
        pytest.param(
            run(date(2026, 5, 25), 5),
            Education(5, tutor("3")),
            [],
            [("school_days_missed", None)],
            id="more days missed than working days: a warning",
        ),
        pytest.param(
            MON_TO_FRI, Education(0, tutor("1")), [], [("school_days_missed", None)], id="none missed"
        ),
        pytest.param(
            MON_TO_FRI,
            Education(5),
            [],
            [("education_arrangements", None)],
            id="school days missed, no tutor",
        ),
        pytest.param(
            run(SAT, 2),
            Education(1, tutor("2")),
            [("tutor_hours", SAT)],
            [("school_days_missed", None)],
            id="no weekday for lessons",
        ),
    ],
)
def test_tutor_hours(days, education, breaches, warnings):
    result = check(AGE_10, days, education=education)
    assert found(result.breaches) == breaches
    assert found(result.warnings) == warnings


def test_tutor_hours_messages():
    weekly = check(AGE_10, THU_TO_FRI_NEXT, education=Education(5, tutor("2.5"))).breaches[0]
    assert weekly.message == (
        "In the week beginning Monday 1 June 2026 the tutor would teach 5 hours (2 hours 30 minutes on each "
        "of 2 days); the child needs at least 3 hours on each school day missed or, instead, at least 6 "
        "hours a week."
    )
    period = check(AGE_10, MON_TO_FRI, education=Education(4, tutor("2"))).breaches[0]
    assert period.message == (
        "In the 4 weeks from Monday 1 June 2026 the tutor would teach 10 hours; the child would miss 4 "
        "school days then, so at least 12 hours are needed (3 hours for each school day missed)."
    )


def test_tutor_hours_over_several_four_week_periods():
    """Ten weeks of Monday-to-Friday filming from Monday 4 May 2026 (4 and 25 May are bank holidays), 2 h
    30 a day; the child misses every working day, so each 4-week period is short."""
    days = [d for d in run(START, 68) if d.date.weekday() < 5]
    result = check(AGE_10, days, education=Education(48, tutor("2.5")))
    assert result.warnings == ()
    assert found(result.breaches) == [
        ("tutor_hours", date(2026, 5, 5)),  # the first day of lessons in the period from 4 May
        ("tutor_hours", date(2026, 6, 1)),
        ("tutor_hours", date(2026, 6, 29)),
    ]


# Reading days, ordering and robustness ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("minutes", "text"),
    [
        (0, "0 minutes"),
        (1, "1 minute"),
        (60, "1 hour"),
        (90, "1 hour 30 minutes"),
        (570, "9 hours 30 minutes"),
    ],
)
def test_format_duration(minutes, text):
    assert format_duration(minutes) == text


def test_timeline_reads_after_midnight_times():
    line = timeline(day(SAT, "18:00", "01:30", "23:30-00:15", "00:30-01:00"))
    assert (line.arrive, line.leave) == (18 * 60, 25 * 60 + 30)
    assert line.performing == ((23 * 60 + 30, 24 * 60 + 15), (24 * 60 + 30, 25 * 60))
    assert line.performing_total == 75


def test_findings_are_in_date_order_with_whole_schedule_findings_first():
    days = [
        day(date(2026, 6, 9), "06:00", "12:00"),
        day(date(2026, 6, 2), "09:00", "23:30"),
    ]
    result = check_schedule(AGE_10, days, chaperone=chaperone(13))
    assert found(result.breaches) == [
        ("chaperone_ratio", None),
        ("latest_time", date(2026, 6, 2)),
        ("max_time_at_place", date(2026, 6, 2)),
        ("earliest_time", date(2026, 6, 9)),
    ]


def test_odd_input_is_answered_not_raised():
    days = [
        day(date(2015, 1, 1)),  # before the child was born
        Day(SAT, P, t("09:00"), t("09:00"), ()),  # leaves as it arrives
        Day(date(2026, 6, 7), P, t("09:00"), t("12:00"), (Interval(t("08:00"), t("13:00")),)),  # outside
        day(date(2026, 6, 7)),  # the same date twice
    ]
    education = Education(-3, Tutor("", Decimal("NaN"), -1))
    result = check_schedule(AGE_10, days, chaperone=Chaperone(children_in_care=0), education=education)
    assert isinstance(result.breaches, tuple)
    far_days = [day(date(9999, 12, 30), "09:00", "12:00", "10:00-10:30"), day(date(9999, 12, 31))]
    far = check_schedule(date(9999, 1, 1), far_days, chaperone=PARENT, education=Education(2, tutor("1")))
    assert {f.code for f in far.breaches} == {"max_continuous_performing", "tutor_hours"}


# Properties ----------------------------------------------------------------------------------------------

clock = st.builds(time, st.integers(0, 23), st.integers(0, 59))
any_day = st.builds(
    Day,
    st.dates(date(2000, 1, 1), date(2040, 12, 31)),
    st.sampled_from(list(DayKind)),
    clock,
    clock,
    st.lists(st.builds(Interval, clock, clock), max_size=4).map(tuple),
)


@settings(max_examples=200, deadline=None)
@given(
    st.dates(date(2000, 1, 1), date(2030, 12, 31)),
    st.lists(any_day, max_size=12),
    st.booleans(),
    st.none() | st.builds(Chaperone, st.none() | st.text(max_size=5), st.booleans(), st.integers(-5, 40)),
    st.none()
    | st.builds(
        Education,
        st.integers(-5, 40),
        st.none() | st.builds(Tutor, st.text(max_size=5), st.decimals(allow_nan=True), st.integers(-1, 20)),
    ),
)
def test_never_raises_and_findings_are_in_date_order(dob, days, night_work, who, education):
    result = check_schedule(dob, days, night_work=night_work, chaperone=who, education=education)
    for findings in (result.breaches, result.warnings):
        keys = [(f.date is not None, f.date or date.min) for f in findings]
        assert keys == sorted(keys)
        assert all(f.message and f.message[0].isupper() for f in findings)


@st.composite
def plausible_days(draw) -> list[Day]:
    """Runs of days with gaps between, mostly within the limits: some schedules pass, some do not."""
    first = draw(st.dates(date(2026, 1, 1), date(2026, 12, 31)))
    days, on = [], first
    for _ in range(draw(st.integers(1, 14))):
        for _ in range(draw(st.integers(1, 7))):
            arrive = draw(st.sampled_from(["09:00", "09:00", "13:00", "07:00", "06:45"]))
            leave = draw(st.sampled_from(["17:00", "17:00", "19:00", "21:00", "23:15"]))
            days.append(day(on, arrive, leave, "14:00-15:00"))
            on += timedelta(days=1)
        on += timedelta(days=draw(st.integers(1, 16)))
    return days


@st.composite
def six_day_weeks(draw) -> list[Day]:
    """Weeks of 6 days on and 1 off, with breaks of a few days to a few weeks: the 14-day break rule."""
    on = draw(st.dates(date(2026, 1, 1), date(2026, 6, 30)))
    days = []
    for _ in range(draw(st.integers(1, 4))):
        for _ in range(draw(st.integers(1, 10))):
            days += [day(on + timedelta(days=i)) for i in range(6)]
            on += timedelta(days=7)
        on += timedelta(days=draw(st.integers(0, 20)))
    return days


@settings(max_examples=150, deadline=None)
@given(plausible_days() | six_day_weeks(), st.data())
def test_a_schedule_that_passes_still_passes_with_a_day_removed(days, data):
    assume(check(AGE_10, days).ok)
    index = data.draw(st.integers(0, len(days) - 1))
    assert check(AGE_10, days[:index] + days[index + 1 :]).ok


@settings(max_examples=100, deadline=None)
@given(plausible_days(), st.randoms())
def test_the_order_days_are_given_in_does_not_matter(days, rng: random.Random):
    shuffled = list(days)
    rng.shuffle(shuffled)
    assert check(AGE_10, shuffled) == check(AGE_10, days)


@settings(max_examples=100, deadline=None)
@given(plausible_days())
def test_each_breach_is_dated_on_a_day_of_the_schedule(days):
    dates = {d.date for d in days}
    assert all(f.date in dates for f in check(AGE_10, days).breaches if f.date is not None)
