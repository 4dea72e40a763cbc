"""Body of Persons Approvals on real dates: 21 days' notice, no payment, no absence, school age."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from licensing_service.rules.bopa import (
    STANDARD_CONDITIONS,
    Child,
    Performance,
    assess,
    child_cover,
    decision_due_on,
    decision_problem,
    notice_for,
    revocation_problem,
)
from shared.calendar import is_working_day

FIRST = date(2026, 3, 21)  # a Saturday
SHOW = [
    Performance(FIRST, "Palace Theatre, Newark"),
    Performance(date(2026, 3, 22), "Palace Theatre, Newark"),
]
AVA = Child("Ava Example", date(2015, 5, 2), "Nottinghamshire")


def checked(**changes):
    arguments = {
        "received_on": date(2026, 2, 1),
        "performances": SHOW,
        "children": [AVA],
        "no_payment": True,
        "no_school_absence": True,
        "period_start": date(2026, 3, 1),
        "period_end": date(2026, 3, 31),
        **changes,
    }
    return assess(**arguments)


@pytest.mark.parametrize(
    ("received_on", "days", "late"),
    [
        (date(2026, 2, 28), 21, False),  # exactly 21 days before: on time
        (date(2026, 3, 1), 20, True),  # 20 days: late
        (date(2026, 2, 27), 22, False),
        (date(2026, 1, 2), 78, False),
        (FIRST, 0, True),  # on the day itself
        (date(2026, 3, 23), -2, True),  # after it
    ],
)
def test_notice_is_21_days_before_the_first_performance(received_on, days, late):
    notice = notice_for(received_on, FIRST)
    assert (notice.days_notice, notice.late, notice.due_by) == (days, late, date(2026, 2, 28))
    assert ("may still approve" in notice.message or days < 0) if late else "on time" in notice.message


def test_notice_across_the_end_of_february_in_a_leap_year():
    # 21 days before Saturday 21 March 2028 is Saturday 29 February 2028.
    assert notice_for(date(2028, 2, 29), date(2028, 3, 21)).late is False
    assert notice_for(date(2028, 3, 1), date(2028, 3, 21)).late is True


def test_the_notice_period_is_a_setting():
    assert notice_for(date(2026, 3, 7), FIRST, min_days=14).late is False
    assert notice_for(date(2026, 3, 8), FIRST, min_days=14).late is True


def test_a_complete_application_on_time_has_no_errors_or_warnings():
    result = checked()
    assert result.errors == {} and result.warnings == ()
    assert (result.first_performance, result.last_performance) == (FIRST, date(2026, 3, 22))
    assert result.notice.late is False
    assert [c.covered for c in result.children] == [True]


def test_a_late_application_is_flagged_not_refused():
    result = checked(received_on=date(2026, 3, 1))
    assert result.errors == {}
    assert [(w.code, w.date) for w in result.warnings] == [("late_notice", FIRST)]
    assert "20 days before" in result.warnings[0].message


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"no_payment": False}, "no_payment", "no payment"),
        ({"no_school_absence": False}, "no_school_absence", "no absence from school"),
        ({"period_start": None, "period_end": None}, "period", "describe the series"),
        ({"period_end": None}, "period", "both"),
        ({"period_start": date(2026, 4, 1)}, "period.end", "on or after"),
        ({"performances": []}, "performances", "date and venue"),
        ({"children": []}, "children", "name, date of birth and home authority"),
        ({"period_end": date(2026, 3, 21)}, "performances.1.date", "outside the period"),
        (
            {"performances": [SHOW[0], Performance(FIRST, " palace  theatre, NEWARK")]},
            "performances.1",
            "twice",
        ),
        ({"children": [AVA, Child("ava  example", AVA.date_of_birth, "Derby")]}, "children.1", "twice"),
        (
            {"children": [Child("Baby Due", date(2026, 3, 1), "Nottinghamshire")]},
            "children.0.date_of_birth",
            "",
        ),
    ],
)
def test_what_refuses_an_application(changes, field, words):
    errors = checked(**changes).errors
    assert field in errors, errors
    assert words in " ".join(errors[field])


def test_both_declarations_missing_gives_both_reasons():
    errors = checked(no_payment=False, no_school_absence=False).errors
    assert set(errors) == {"no_payment", "no_school_absence"}


def test_a_series_needs_no_period():
    result = checked(period_start=None, period_end=None, series_description="Spring concerts, four Saturdays")
    assert result.errors == {}


@pytest.mark.parametrize(
    ("born", "dates", "covered", "until", "finding_date"),
    [
        # School age ends on Friday 26 June 2026 for a child who is 16 on 15 July 2026 or 31 August 2026.
        (date(2010, 7, 15), [date(2026, 6, 26)], True, date(2026, 6, 26), None),
        (date(2010, 7, 15), [date(2026, 6, 27)], False, None, date(2026, 6, 27)),
        (date(2010, 8, 31), [date(2026, 6, 26), date(2026, 7, 4)], True, date(2026, 6, 26), date(2026, 7, 4)),
        # 16 on 1 September 2026: in the next school year, so school age ends on Friday 25 June 2027.
        (date(2010, 9, 1), [date(2026, 7, 4)], True, date(2026, 7, 4), None),
        (date(2010, 9, 1), [date(2027, 6, 26)], False, None, date(2027, 6, 26)),
        (date(2026, 1, 1), [date(2026, 3, 21)], True, date(2026, 3, 21), None),  # from birth
    ],
)
def test_a_child_past_compulsory_school_age_is_not_covered(born, dates, covered, until, finding_date):
    cover = child_cover(Child("Sam", born, "Derby City"), dates)
    assert (cover.covered, cover.covered_until) == (covered, until)
    if finding_date is None:
        assert cover.finding is None
    else:
        assert (cover.finding.code, cover.finding.date) == ("out_of_scope_age", finding_date)


def test_an_older_child_is_a_warning_unless_no_child_is_covered():
    older = Child("Jo Example", date(2010, 7, 15), "Derby City")
    summer = [Performance(date(2026, 7, 4), "Arboretum, Nottingham")]
    mixed = checked(
        period_start=date(2026, 7, 1),
        period_end=date(2026, 7, 31),
        performances=summer,
        children=[AVA, older],
    )
    assert mixed.errors == {}
    assert [(w.code, w.date) for w in mixed.warnings] == [("out_of_scope_age", date(2026, 7, 4))]
    assert [c.covered for c in mixed.children] == [True, False]
    only_older = checked(
        period_start=date(2026, 7, 1), period_end=date(2026, 7, 31), performances=summer, children=[older]
    )
    assert "no approval is needed" in only_older.errors["children"][0]


@pytest.mark.parametrize(
    ("first", "due"),
    [
        (date(2026, 3, 21), date(2026, 3, 20)),  # Saturday: the Friday before
        (date(2026, 3, 23), date(2026, 3, 20)),  # Monday: the Friday before
        (date(2026, 4, 7), date(2026, 4, 2)),  # after Easter Monday and Good Friday 2026
        (date(2026, 12, 29), date(2026, 12, 24)),  # after Christmas and the substitute Boxing Day
    ],
)
def test_decision_is_due_on_the_last_working_day_before_the_first_performance(first, due):
    assert decision_due_on(first) == due


@settings(deadline=None, max_examples=200)
@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)))
def test_decision_due_on_is_always_a_working_day_before_the_first_performance(first):
    due = decision_due_on(first)
    assert is_working_day(due) and due < first and (first - due).days <= 6


DATES = [FIRST, date(2026, 3, 22)]


def problem(**changes):
    arguments = {
        "status": "submitted",
        "decision": "approve",
        "late": False,
        "reason": None,
        "approved_from": date(2026, 3, 1),
        "approved_until": date(2026, 3, 31),
        "performance_dates": DATES,
        **changes,
    }
    return decision_problem(**arguments)


@pytest.mark.parametrize(
    ("changes", "status", "field"),
    [
        ({}, None, None),
        ({"late": True}, 422, "reason"),
        ({"late": True, "reason": "Short notice from the hall; checked with the school"}, None, None),
        ({"late": True, "reason": "   "}, 422, "reason"),
        ({"decision": "refuse"}, 422, "reason"),
        ({"decision": "refuse", "reason": "Children would be paid"}, None, None),
        ({"status": "approved"}, 409, "decision"),
        ({"status": "refused", "decision": "refuse", "reason": "x"}, 409, "decision"),
        ({"status": "revoked"}, 409, "decision"),
        ({"approved_until": date(2026, 2, 28)}, 422, "approved_until"),
        ({"approved_until": date(2026, 3, 21)}, 422, "approved_until"),  # misses the 22nd
        ({"approved_from": date(2026, 3, 22)}, 422, "approved_from"),  # misses the 21st
        ({"approved_from": FIRST, "approved_until": date(2026, 3, 22)}, None, None),
    ],
)
def test_decision_problem(changes, status, field):
    refusal = problem(**changes)
    if status is None:
        assert refusal is None
    else:
        assert (refusal.status, refusal.field) == (status, field)


def test_only_an_approved_approval_can_be_revoked():
    assert revocation_problem("approved") is None
    for status in ("submitted", "refused", "revoked"):
        assert status in revocation_problem(status)


def test_the_standard_conditions_say_no_payment_no_absence_and_unannounced_visits():
    text = " ".join(STANDARD_CONDITIONS)
    assert "No payment" in text and "absent from school" in text and "without notice" in text


def test_a_long_series_is_still_checked_quickly():
    many = [Performance(FIRST + timedelta(days=i), "Hall") for i in range(200)]
    result = checked(
        period_start=None, period_end=None, series_description="A year of Saturdays", performances=many
    )
    assert result.errors == {} and result.last_performance == FIRST + timedelta(days=199)
