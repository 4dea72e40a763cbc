"""Request deadlines and warnings, school copies and enforcement letters, on real 2025-2027 calendars."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from penalty_service.rules.requests import (
    EnforcementStep,
    issue_due_on,
    next_step,
    next_step_due,
    request_warnings,
    school_copy_is_late,
)
from shared.calendar import is_working_day, working_days_between


@pytest.mark.parametrize(
    ("received", "due"),
    [
        pytest.param(date(2026, 1, 12), date(2026, 1, 26), id="an ordinary fortnight"),
        pytest.param(date(2025, 12, 19), date(2026, 1, 7), id="Christmas 2025 and New Year's Day"),
        pytest.param(date(2026, 12, 21), date(2027, 1, 7), id="Christmas 2026 with the 28th substitute"),
        pytest.param(date(2026, 3, 27), date(2026, 4, 14), id="Easter 2026"),
        pytest.param(date(2026, 4, 24), date(2026, 5, 11), id="early May bank holiday"),
        pytest.param(date(2026, 5, 20), date(2026, 6, 4), id="spring bank holiday"),
        pytest.param(date(2026, 8, 22), date(2026, 9, 7), id="received on a Saturday, summer bank holiday"),
    ],
)
def test_issue_due_on_is_ten_working_days_after_receipt(received, due):
    assert issue_due_on(received) == due


@given(st.dates(date(2024, 1, 1), date(2027, 12, 10)))
def test_issue_due_on_property(received):
    due = issue_due_on(received)
    assert is_working_day(due) and working_days_between(received, due) == 10


RETURNED = date(2026, 1, 5)


@pytest.mark.parametrize(
    ("received", "warning"),
    [
        pytest.param(date(2026, 1, 26), None, id="21 days: in time"),
        pytest.param(
            date(2026, 1, 27),
            "The request arrived 22 days after the pupil returned to school on Monday 5 January "
            "2026: requests should "
            "arrive within 21 days (3 weeks) of the return",
            id="22 days: warning",
        ),
    ],
)
def test_request_should_arrive_within_three_weeks_of_return(received, warning):
    assert request_warnings(received, RETURNED, None) == ([warning] if warning else [])


def test_no_return_date_no_good_practice_warning():
    assert request_warnings(date(2026, 6, 1), None, None) == []


@pytest.mark.parametrize(
    ("received", "last_absence", "posted", "expected"),
    [
        pytest.param(date(2026, 1, 5), date(2025, 12, 19), None, [], id="plenty of time"),
        pytest.param(
            date(2026, 2, 10),
            date(2025, 9, 15),
            None,
            [
                "If the notice is posted on Tuesday 24 February 2026, its payment period ends on Wednesday "
                "25 March 2026, but an "
                "information must be laid by Sunday 15 March 2026 (6 months after the last absence on Monday "
                "15 September 2025): "
                "an unpaid notice could not be prosecuted"
            ],
            id="posted on the due date: too late",
        ),
        pytest.param(
            date(2026, 2, 10), date(2025, 9, 15), date(2026, 2, 10), [], id="posted the same day: in time"
        ),
        pytest.param(
            date(2026, 1, 19),
            date(2025, 7, 18),
            None,
            [
                "The last absence was on Friday 18 July 2025: the last day to lay an information was "
                "Sunday 18 January 2026, "
                "so an unpaid notice could not be prosecuted"
            ],
            id="already out of time",
        ),
    ],
)
def test_s127_request_warnings(received, last_absence, posted, expected):
    assert request_warnings(received, received, last_absence, posted_on_estimate=posted) == expected


@pytest.mark.parametrize(
    ("issued", "received", "late"),
    [
        pytest.param(date(2026, 1, 12), date(2026, 1, 19), False, id="exactly a week"),
        pytest.param(date(2026, 1, 12), date(2026, 1, 20), True, id="eight days"),
        pytest.param(date(2025, 12, 19), date(2025, 12, 26), False, id="calendar days over Christmas"),
        pytest.param(date(2025, 12, 19), date(2025, 12, 29), True, id="after Christmas"),
    ],
)
def test_school_copy_is_late(issued, received, late):
    assert school_copy_is_late(issued, received) is late


@pytest.mark.parametrize(
    ("step", "on", "following", "due"),
    [
        (
            EnforcementStep.NOTICE_TO_ATTEND,
            date(2026, 1, 5),
            EnforcementStep.FORMAL_WARNING,
            date(2026, 2, 2),
        ),
        (EnforcementStep.FORMAL_WARNING, date(2026, 2, 2), EnforcementStep.COURT_ACTION, date(2026, 3, 2)),
        ("court_action", date(2026, 3, 2), EnforcementStep.PROSECUTION, date(2026, 3, 30)),
    ],
)
def test_enforcement_letters_four_weeks_apart(step, on, following, due):
    assert next_step(step) == following
    assert next_step_due(step, on) == due


def test_nothing_follows_prosecution():
    assert next_step(EnforcementStep.PROSECUTION) is None
    with pytest.raises(ValueError):
        next_step_due(EnforcementStep.PROSECUTION, date(2026, 3, 30))
    assert EnforcementStep.FORMAL_WARNING.label == "Formal Warning Letter"
