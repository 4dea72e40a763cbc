"""Two notices per parent per child in a rolling 3 years; the third is routed to other enforcement."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from penalty_service.rules.limits import (
    NOTICE_LIMIT,
    LimitVerdict,
    PriorNotice,
    limit_verdict,
    notices_in_window,
    same_parent_key,
    window_boundary,
)
from penalty_service.rules.notices import amounts


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        pytest.param(
            ("A123456789012", "Mary Smith"), ("a123456789012 ", "  Mary  SMITH "), True, id="spacing, case"
        ),
        pytest.param(("A123456789012", "Mary Smith"), ("A123456789012", "Mary\tSmith"), True, id="tab"),
        pytest.param(
            ("A123456789012", "Hans Strauß"), ("A123456789012", "HANS STRAUSS"), True, id="casefold"
        ),
        pytest.param(
            ("A123456789012", "Mary Smith"), ("A123456789013", "Mary Smith"), False, id="another child"
        ),
        pytest.param(
            ("A123456789012", "Mary Smith"), ("A123456789012", "Mary Smyth"), False, id="another parent"
        ),
    ],
)
def test_same_parent_key(a, b, same):
    assert (same_parent_key(*a) == same_parent_key(*b)) is same


def test_same_parent_key_value():
    assert same_parent_key(" a123456789012 ", "  Mary  SMITH ") == ("A123456789012", "mary smith")


def test_two_parents_three_children_are_six_notices():
    children = ["A123456789012", "B123456789012", "C123456789012"]
    parents = ["Mary Smith", "John Smith"]
    keys = {same_parent_key(upn, parent) for upn in children for parent in parents}
    assert len(keys) == 6
    # the same people typed differently on a second request add nothing
    keys |= {same_parent_key(upn.lower(), parent.upper()) for upn in children for parent in parents}
    assert len(keys) == 6


ISSUE = date(2026, 11, 23)  # boundary: 23 November 2023


@pytest.mark.parametrize(
    ("prior", "issue_date", "expected"),
    [
        pytest.param([], ISSUE, 0, id="none"),
        pytest.param([PriorNotice(date(2023, 11, 23), False)], ISSUE, 0, id="on the boundary day: outside"),
        pytest.param([PriorNotice(date(2023, 11, 24), False)], ISSUE, 1, id="the day after: inside"),
        pytest.param([PriorNotice(date(2026, 3, 2), True)], ISSUE, 0, id="withdrawn not counted"),
        pytest.param(
            [PriorNotice(date(2026, 12, 1), False)], ISSUE, 1, id="dated after the proposal: counted"
        ),
        pytest.param(
            [PriorNotice(date(2025, 2, 28), False)], date(2028, 2, 29), 0, id="29 Feb issue: 28 Feb out"
        ),
        pytest.param(
            [PriorNotice(date(2025, 3, 1), False)], date(2028, 2, 29), 1, id="29 Feb issue: 1 Mar in"
        ),
        pytest.param(
            [PriorNotice(date(2024, 2, 29), False)], date(2027, 2, 28), 1, id="29 Feb notice, 28 Feb"
        ),
        pytest.param([PriorNotice(date(2024, 2, 29), False)], date(2027, 3, 1), 0, id="29 Feb notice, 1 Mar"),
    ],
)
def test_notices_in_window(prior, issue_date, expected):
    assert notices_in_window(prior, issue_date) == expected


@pytest.mark.parametrize(
    ("issue_date", "boundary"),
    [
        (ISSUE, date(2023, 11, 23)),
        (date(2028, 2, 29), date(2025, 2, 28)),
        (date(2027, 2, 28), date(2024, 2, 28)),
    ],
)
def test_window_boundary(issue_date, boundary):
    assert window_boundary(issue_date) == boundary


FIRST = PriorNotice(date(2024, 10, 7), False)
SECOND = PriorNotice(date(2025, 6, 16), False)
WITHDRAWN = PriorNotice(date(2025, 1, 20), True)


@pytest.mark.parametrize(
    ("prior", "allowed", "count", "is_second"),
    [
        pytest.param([], True, 0, False, id="first notice"),
        pytest.param([FIRST], True, 1, True, id="second notice"),
        pytest.param([FIRST, WITHDRAWN], True, 1, True, id="withdrawn does not count"),
        pytest.param([FIRST, SECOND], False, 2, False, id="third refused"),
        pytest.param([PriorNotice(date(2023, 11, 23), False), SECOND], True, 1, True, id="oldest has lapsed"),
    ],
)
def test_limit_verdict(prior, allowed, count, is_second):
    verdict = limit_verdict(prior, ISSUE)
    assert (verdict.allowed, verdict.prior_count, verdict.is_second) == (allowed, count, is_second)
    assert (verdict.reason is None) is allowed


def test_third_notice_is_routed_to_other_enforcement():
    assert limit_verdict([FIRST, SECOND], ISSUE) == LimitVerdict(
        allowed=False,
        prior_count=2,
        is_second=False,
        reason="2 notices already issued to this parent for this child "
        "after Thursday 23 November 2023: consider "
        "prosecution under s444 of the Education Act 1996 or an attendance contract instead",
    )


def test_second_notice_is_160_with_no_lower_rate():
    verdict = limit_verdict([FIRST], ISSUE)
    assert amounts("unauthorised_absence", date(2026, 10, 5), verdict.prior_count) == (None, 16000)
    assert amounts(
        "unauthorised_absence", date(2026, 10, 5), limit_verdict([WITHDRAWN], ISSUE).prior_count
    ) == (
        8000,
        16000,
    )


def test_limit_is_a_setting():
    assert NOTICE_LIMIT == 2
    assert limit_verdict([FIRST, SECOND], ISSUE, limit=3).allowed
    assert not limit_verdict([FIRST], ISSUE, limit=1).allowed
    with pytest.raises(ValueError):
        limit_verdict([], ISSUE, limit=0)


notices = st.lists(st.builds(PriorNotice, st.dates(date(2020, 1, 1), date(2030, 12, 31)), st.booleans()))


@given(notices, st.dates(date(2024, 1, 1), date(2029, 12, 31)))
def test_withdrawn_notices_never_change_the_count(prior, issue_date):
    live = [n for n in prior if not n.withdrawn]
    assert notices_in_window(prior, issue_date) == notices_in_window(live, issue_date) <= len(live)
    verdict = limit_verdict(prior, issue_date)
    assert verdict.allowed == (verdict.prior_count < NOTICE_LIMIT)
