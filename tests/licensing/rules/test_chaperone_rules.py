"""Chaperone approval rules on real calendar dates: age on the day received, validity to the day before
the anniversary (29 February included), renewal reminders, family referees and what is missing."""

from __future__ import annotations

from datetime import date

import pytest

from licensing_service.rules import chaperones as rules


@pytest.mark.parametrize(
    ("born", "received", "ok"),
    [
        (date(2008, 3, 2), date(2026, 3, 2), True),  # 18th birthday on the day received
        (date(2008, 3, 3), date(2026, 3, 2), False),  # 18 tomorrow
        (date(2008, 2, 29), date(2026, 2, 28), False),  # leap-day birth: 18 on 1 March 2026
        (date(2008, 2, 29), date(2026, 3, 1), True),
        (date(1950, 1, 1), date(2026, 3, 2), True),
        (date(2027, 1, 1), date(2026, 3, 2), False),  # not yet born
    ],
)
def test_old_enough_on_the_day_received(born, received, ok):
    assert rules.old_enough(born, received, 18) is ok


@pytest.mark.parametrize(
    ("approved", "years", "until"),
    [
        (date(2026, 3, 2), 3, date(2029, 3, 1)),
        (date(2026, 1, 1), 3, date(2028, 12, 31)),
        (date(2028, 2, 29), 3, date(2031, 2, 27)),  # no 29 February 2031: 28 February, then the day before
        (date(2028, 2, 29), 4, date(2032, 2, 28)),  # 2032 is a leap year
        (date(2027, 3, 1), 3, date(2030, 2, 28)),
        (date(2026, 3, 2), 1, date(2027, 3, 1)),
    ],
)
def test_valid_to_the_day_before_the_anniversary(approved, years, until):
    assert rules.validity(approved, years) == (approved, until)


@pytest.mark.parametrize(
    ("today", "due"),
    [
        (date(2029, 1, 3), None),  # the day before 8 weeks before 1 March 2029
        (date(2029, 1, 4), 8),  # exactly 8 weeks before
        (date(2029, 2, 14), 8),
        (date(2029, 2, 15), 2),  # exactly 2 weeks before
        (date(2029, 3, 1), 2),  # the last valid day
        (date(2029, 3, 2), None),  # ended
    ],
)
def test_reminder_due(today, due):
    assert rules.reminder_due(date(2029, 3, 1), today, (8, 2)) == due


def test_reminder_weeks_setting():
    assert rules.reminder_weeks("8,2") == (8, 2)
    assert rules.reminder_weeks(" 2, 8 ,8") == (8, 2)
    assert rules.reminder_day(date(2029, 3, 1), 8) == date(2029, 1, 4)
    with pytest.raises(ValueError):
        rules.reminder_weeks("0")


@pytest.mark.parametrize(
    ("relationship", "family"),
    [
        ("Mother", True),
        ("my dad", True),
        ("Brother-in-law", True),
        ("mother in law", True),
        ("Step-sister", True),
        ("stepfather", True),
        ("Wife", True),
        ("Partner", True),
        ("Grandson", True),
        ("Aunt", True),
        ("Family friend", True),
        ("Friend", False),
        ("Line manager", False),
        ("Neighbour", False),
        ("Church minister", False),
        ("Business partner at the dance school", True),  # names a partner: the officer can ask
        ("Head teacher", False),
    ],
)
def test_family_referees(relationship, family):
    assert rules.is_family(relationship) is family


def test_readiness_names_each_missing_item():
    result = rules.readiness({}, 0, consent=False, renewal=False, training_attended=False, reason=None)
    assert result.missing == ["dbs", "references", "database_check", "training"]
    assert not result.ready
    renewal = rules.readiness(
        {"dbs": "clear", "references": "clear", "database_check": "clear"}, 2, True, True, False, None
    )
    assert renewal.ready
    concerns = rules.readiness(
        {"dbs": "concerns", "references": "clear", "database_check": "clear"}, 2, True, False, True, " "
    )
    assert concerns.missing == ["concerns_reason"] and concerns.concerns == ["dbs"]
    assert rules.readiness(
        {"dbs": "concerns", "references": "clear", "database_check": "clear"}, 2, True, False, True, "Old"
    ).ready
    assert rules.outstanding({"dbs": "clear"}, 1, True, False, True) == ["references", "database_check"]


def test_numbers_and_validity_on_a_day():
    assert rules.approval_number(7, date(2026, 3, 2)) == "NCC-CA-2026-00007"
    assert rules.approval_number(123456, date(2026, 3, 2)) == "NCC-CA-2026-123456"
    assert rules.is_valid_on("approved", date(2026, 3, 2), date(2029, 3, 1), date(2029, 3, 1))
    assert not rules.is_valid_on("approved", date(2026, 3, 2), date(2029, 3, 1), date(2029, 3, 2))
    assert not rules.is_valid_on("suspended", date(2026, 3, 2), date(2029, 3, 1), date(2027, 1, 1))
    assert rules.decision_due_on(date(2026, 3, 2), 28) == date(2026, 3, 30)
