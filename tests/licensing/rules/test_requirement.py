"""Whether a child needs a licence: payment, school absence, the 4-day rule, paid sport and modelling,
school and BOPA exemptions, and dates after the end of compulsory school age."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from licensing_service.rules.requirement import ActivityKind, Requirement, licence_requirement

DOB = date(2014, 9, 20)  # compulsory school age ends Friday 27 June 2031
LEAVES_JUNE_2026 = date(2010, 7, 1)  # compulsory school age ends Friday 26 June 2026
SAT = date(2026, 6, 6)
UNPAID = {"paid": False, "school_absence": False, "prior_days_last_6_months": 0}


def ask(dates, dob: date = DOB, **kwargs) -> Requirement:
    return licence_requirement(dob, dates, **{**UNPAID, **kwargs})


def days(first: date, count: int) -> list[date]:
    return [first + timedelta(days=i) for i in range(count)]


@pytest.mark.parametrize(
    ("dates", "kwargs", "required", "because"),
    [
        pytest.param([SAT], {}, False, "no one is paid", id="unpaid, no absence, first day"),
        pytest.param([SAT], {"paid": True}, True, "would be paid", id="paid"),
        pytest.param([SAT], {"school_absence": True}, True, "absent from school", id="school absence"),
        pytest.param([SAT], {"prior_days_last_6_months": 3}, False, "4-day rule", id="4th day in 6 months"),
        pytest.param([SAT], {"prior_days_last_6_months": 4}, True, "4-day rule", id="5th day in 6 months"),
        pytest.param(days(SAT, 4), {}, False, "4-day rule", id="4 new days"),
        pytest.param(days(SAT, 5), {}, True, "by Wednesday 10 June 2026", id="5 new days: the 5th"),
        pytest.param(
            days(SAT, 2), {"prior_days_last_6_months": 3}, True, "by Sunday 7 June 2026", id="3 before + 2"
        ),
        pytest.param(
            [*days(date(2026, 3, 1), 4), date(2026, 9, 1)],
            {},
            True,
            "by Tuesday 1 September",
            id="6 months on",
        ),
        pytest.param(
            [*days(date(2026, 3, 1), 4), date(2026, 9, 2)], {}, False, "4-day rule", id="6 months and a day"
        ),
        pytest.param([], {"prior_days_last_6_months": 4}, True, "4 days in the last 6 months", id="no dates"),
        pytest.param([], {}, False, "no one is paid", id="no dates, nothing else"),
        pytest.param([SAT], {"kind": ActivityKind.PAID_SPORT, "paid": True}, True, "sport", id="paid sport"),
        pytest.param([SAT], {"kind": ActivityKind.PAID_SPORT}, False, "only when", id="unpaid sport"),
        pytest.param(
            [SAT], {"kind": ActivityKind.PAID_MODELLING, "paid": True}, True, "modelling", id="paid modelling"
        ),
        pytest.param(
            days(SAT, 10),
            {"kind": ActivityKind.PAID_MODELLING, "school_absence": True},
            False,
            "modelling needs a licence only when",
            id="unpaid modelling",
        ),
        pytest.param(
            days(SAT, 10),
            {"school_arranged": True, "school_absence": True},
            False,
            "arranged by the child's school",
            id="school arranged, unpaid",
        ),
        pytest.param(
            [SAT],
            {"school_arranged": True, "paid": True},
            True,
            "exempt only when no one is paid",
            id="school, paid",
        ),
        pytest.param(
            [SAT], {"under_bopa": True, "prior_days_last_6_months": 20}, False, "(BOPA)", id="BOPA, unpaid"
        ),
        pytest.param(
            [SAT], {"under_bopa": True, "school_absence": True}, True, "misses no school", id="BOPA, absence"
        ),
        pytest.param([SAT], {"under_bopa": True, "paid": True}, True, "would be paid", id="BOPA, paid"),
    ],
)
def test_licence_requirement(dates, kwargs, required, because):
    result = ask(dates, **kwargs)
    assert result.licence_required is required
    assert because in result.reason
    assert result.compulsory_school_age_ends == date(2031, 6, 27)


def test_reasons_in_plain_english():
    assert ask([SAT], paid=True, school_absence=True).reason == (
        "A licence is needed because the child, or someone else, would be paid for it (beyond expenses) and "
        "the child would be absent from school."
    )
    assert ask(days(SAT, 2), prior_days_last_6_months=3).reason == (
        "A licence is needed because by Sunday 7 June 2026 the child would already have performed on 4 days "
        "in the 6 months before; more than 3 days needs a licence (the 4-day rule)."
    )
    assert ask([SAT]).reason == (
        "No licence is needed: no one is paid, the child misses no school, and the child will not have "
        "performed on more than 3 days in the 6 months before any of these days (the 4-day rule)."
    )


@pytest.mark.parametrize(
    ("dates", "required", "reason"),
    [
        pytest.param(
            [date(2026, 6, 26)],
            True,
            "A licence is needed because the child, or someone else, would be paid for it (beyond expenses).",
            id="the last Friday in June",
        ),
        pytest.param(
            [date(2026, 6, 27)],
            False,
            "No licence is needed: compulsory school age ends on Friday 26 June 2026, before this date, and "
            "the licensing rules stop there.",
            id="the day after",
        ),
        pytest.param(
            [date(2026, 6, 26), date(2026, 6, 27), date(2026, 6, 28)],
            True,
            "A licence is needed because the child, or someone else, would be paid for it (beyond expenses). "
            "No licence is needed for the 2 dates after Friday 26 June 2026, when the child is over "
            "compulsory school age.",
            id="a run across the end",
        ),
    ],
)
def test_dates_after_compulsory_school_age_need_no_licence(dates, required, reason):
    result = ask(dates, dob=LEAVES_JUNE_2026, paid=True)
    assert (result.licence_required, result.reason) == (required, reason)
    assert result.compulsory_school_age_ends == date(2026, 6, 26)


def test_days_after_school_age_do_not_count_towards_the_4_day_rule():
    result = ask([date(2026, 6, 25), date(2026, 6, 26), *days(date(2026, 6, 27), 5)], dob=LEAVES_JUNE_2026)
    assert not result.licence_required


def test_odd_input_is_answered():
    assert ask([date(2000, 1, 1)], prior_days_last_6_months=-4).licence_required is False  # before birth
    assert ask([date(9999, 12, 31)], dob=date(9999, 1, 1), paid=True).licence_required is True


@settings(max_examples=200, deadline=None)
@given(
    st.dates(date(2005, 1, 1), date(2025, 12, 31)),
    st.lists(st.dates(date(2020, 1, 1), date(2045, 12, 31)), max_size=20),
    st.booleans(),
    st.booleans(),
    st.integers(-3, 200),
    st.sampled_from(list(ActivityKind)),
    st.booleans(),
    st.booleans(),
)
def test_properties(dob, dates, paid, absence, prior, kind, school, bopa):
    result = licence_requirement(
        dob,
        dates,
        paid=paid,
        school_absence=absence,
        prior_days_last_6_months=prior,
        kind=kind,
        school_arranged=school,
        under_bopa=bopa,
    )
    assert result.reason and result.reason[0] in "AN"
    in_scope = [d for d in dates if d <= result.compulsory_school_age_ends]
    if dates and not in_scope:
        assert not result.licence_required  # only dates after school age: never a licence
    if in_scope and paid and not school and kind == ActivityKind.PERFORMANCE:
        assert result.licence_required  # paid performance of a child of school age
    if not paid and not absence and kind == ActivityKind.PERFORMANCE and (school or bopa):
        assert not result.licence_required
