"""Prosecute or withdraw, and the events of a case, on real dates."""

from __future__ import annotations

from datetime import date

import pytest

from penalty_service.rules.prosecution import event_problem, prosecution_verdict

LAY_BY = date(2026, 7, 16)  # six months after a last absence on 16 January 2026


@pytest.mark.parametrize(
    ("status", "decision", "today", "coc", "rechecked", "allowed", "http", "words"),
    [
        ("unpaid", "prosecute", date(2026, 3, 2), True, True, True, 200, None),
        ("unpaid", "prosecute", LAY_BY, True, True, True, 200, None),  # the last day itself
        ("unpaid", "prosecute", date(2026, 7, 17), True, True, False, 409, "can only be withdrawn"),
        ("unpaid", "withdraw", date(2026, 7, 17), True, True, True, 200, None),
        ("unpaid", "prosecute", date(2026, 3, 2), False, True, False, 409, "code of conduct"),
        ("unpaid", "withdraw", date(2026, 3, 2), False, False, True, 200, None),
        ("unpaid", "prosecute", date(2026, 3, 2), True, False, False, 422, "Re-check payments"),
        ("paid", "prosecute", date(2026, 3, 2), True, True, False, 409, "this one is paid"),
        ("issued", "withdraw", date(2026, 2, 20), True, True, False, 409, "this one is issued"),
        ("prosecution", "prosecute", date(2026, 3, 2), True, True, False, 409, "prosecution"),
    ],
)
def test_prosecution_verdict(status, decision, today, coc, rechecked, allowed, http, words):
    verdict = prosecution_verdict(
        notice_status=status,
        decision=decision,
        today=today,
        lay_by=LAY_BY,
        code_of_conduct_followed=coc,
        payments_rechecked=rechecked,
    )
    assert (verdict.allowed, verdict.status) == (allowed, http)
    if words:
        assert words in verdict.reason


@pytest.mark.parametrize(
    ("event", "on", "laid", "closed", "words"),
    [
        ("information_laid", date(2026, 7, 16), False, False, None),
        ("information_laid", date(2026, 7, 17), False, False, "must be laid by Thursday 16 July 2026"),
        ("information_laid", date(2026, 5, 1), True, False, "already laid"),
        ("hearing_listed", date(2026, 5, 1), False, False, "information being laid first"),
        ("hearing_listed", date(2026, 8, 3), True, False, None),  # a hearing may be after the limit
        ("outcome", date(2026, 9, 14), True, False, None),
        ("outcome", date(2026, 9, 14), True, True, "closed"),
        ("information_laid", date(2026, 12, 1), False, False, "future"),
    ],
)
def test_event_problem(event, on, laid, closed, words):
    problem = event_problem(event, on, LAY_BY, laid=laid, closed=closed, today=date(2026, 11, 23))
    assert (problem is None) if words is None else (words in problem)
