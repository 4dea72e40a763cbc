"""Notice for a performance licence: 21 days before the first day, the optional hard stop, and the last
working day before the first day as the decision date, over real bank holidays."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from licensing_service.rules.notice import NoticeVerdict, notice_verdict
from shared.calendar import is_working_day

FIRST = date(2026, 6, 8)  # Monday 8 June 2026


@pytest.mark.parametrize(
    ("received_on", "days", "late", "message"),
    [
        pytest.param(
            date(2026, 5, 18),
            21,
            False,
            "Received 21 days before the first day: on time",
            id="21 days exactly",
        ),
        pytest.param(
            date(2026, 5, 19),
            20,
            True,
            "Received 20 days before the first day: the council may refuse (at least 21 days are needed)",
            id="20 days",
        ),
        pytest.param(
            date(2026, 4, 1), 68, False, "Received 68 days before the first day: on time", id="early"
        ),
        pytest.param(
            date(2026, 6, 7),
            1,
            True,
            "Received 1 day before the first day: the council may refuse (at least 21 days are needed)",
            id="the day before",
        ),
        pytest.param(
            FIRST,
            0,
            True,
            "Received on the first day: the council may refuse (at least 21 days are needed)",
            id="on the day",
        ),
        pytest.param(
            date(2026, 6, 10),
            -2,
            True,
            "Received 2 days after the first day: the council may refuse (at least 21 days are needed)",
            id="afterwards",
        ),
    ],
)
def test_notice(received_on, days, late, message):
    verdict = notice_verdict(received_on, FIRST)
    assert (verdict.days_notice, verdict.late, verdict.refuse_automatically, verdict.message) == (
        days,
        late,
        False,
        message,
    )


def test_notice_across_a_leap_day():
    assert not notice_verdict(date(2028, 2, 8), date(2028, 2, 29)).late
    assert notice_verdict(date(2028, 2, 9), date(2028, 2, 29)).late


@pytest.mark.parametrize(
    ("first_day", "due"),
    [
        pytest.param(FIRST, date(2026, 6, 5), id="Monday: the Friday before"),
        pytest.param(date(2026, 6, 10), date(2026, 6, 9), id="Wednesday: the Tuesday"),
        pytest.param(date(2026, 5, 26), date(2026, 5, 22), id="after the Spring bank holiday"),
        pytest.param(date(2026, 4, 7), date(2026, 4, 2), id="after Easter: Good Friday and Easter Monday"),
        pytest.param(
            date(2026, 12, 29), date(2026, 12, 24), id="after Christmas and Boxing Day (substitute)"
        ),
        pytest.param(date(2027, 1, 4), date(2026, 12, 31), id="after New Year's Day"),
    ],
)
def test_decision_due_on_the_last_working_day_before_the_first_day(first_day, due):
    assert notice_verdict(first_day - timedelta(days=30), first_day).decision_due_on == due


@pytest.mark.parametrize(
    ("received_on", "refused"),
    [
        pytest.param(date(2026, 6, 3), False, id="5 days: late, not refused"),
        pytest.param(date(2026, 6, 4), True, id="4 days: refused"),
    ],
)
def test_hard_stop(received_on, refused):
    verdict = notice_verdict(received_on, FIRST, hard_stop_days=5)
    assert verdict.late and verdict.refuse_automatically is refused
    if refused:
        assert verdict.message == (
            "Received 4 days before the first day: fewer than the 5 days the council needs, so the "
            "application is refused"
        )


def test_no_hard_stop_never_refuses():
    assert not notice_verdict(date(2026, 7, 1), FIRST).refuse_automatically


def test_minimum_notice_is_a_setting():
    assert notice_verdict(date(2026, 5, 11), FIRST, min_days=28) == NoticeVerdict(
        days_notice=28,
        late=False,
        refuse_automatically=False,
        decision_due_on=date(2026, 6, 5),
        message="Received 28 days before the first day: on time",
    )
    assert notice_verdict(date(2026, 5, 12), FIRST, min_days=28).late


@settings(deadline=None)  # the first look at a year computes its bank holidays
@given(st.dates(date(2024, 1, 1), date(2030, 12, 31)), st.integers(-30, 120), st.integers(0, 60))
def test_properties(first_day, notice, min_days):
    received_on = first_day - timedelta(days=notice)
    verdict = notice_verdict(received_on, first_day, min_days=min_days)
    assert verdict.late == (received_on > first_day - timedelta(days=min_days))
    assert verdict.days_notice == notice
    assert verdict.decision_due_on < first_day and is_working_day(verdict.decision_due_on)
    assert (first_day - verdict.decision_due_on).days <= 5  # never more than a long weekend back
