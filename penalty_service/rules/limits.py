"""How many notices one parent may receive for one child.

Source: Education (Penalty Notices) (England) Regulations 2007 as amended in 2024 and DfE "Working
together to improve school attendance" (2024): no more than 2 penalty notices to the same parent in respect
of the same child within a rolling 3 years; a second within 3 years is charged at the higher rate only
(see :func:`notices.amounts`); instead of a third, the council considers other enforcement (prosecution
under Education Act 1996 s444, an attendance contract, a parenting order).

Pure functions: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from shared.calendar import add_months
from shared.formatting import long_date

__all__ = [
    "NOTICE_LIMIT",
    "WINDOW_MONTHS",
    "LimitVerdict",
    "PriorNotice",
    "limit_verdict",
    "notices_in_window",
    "same_parent_key",
    "window_boundary",
]

NOTICE_LIMIT = 2
WINDOW_MONTHS = 36


def same_parent_key(upn: str, parent_name: str) -> tuple[str, str]:
    """The identity of "the same parent for the same child" (SPEC §5.1).

    The pupil's UPN upper-cased with all whitespace removed (UPNs never contain spaces), and the parent's
    name case-folded with runs of whitespace collapsed to one space: "  Mary  SMITH " matches "mary smith".
    Case-folding, not lower-casing, so "STRAUSS" matches "Strauß". The same parent for a different child
    (another UPN) is a different key, so 2 parents x 3 children gives 6 keys.
    """
    return "".join(upn.split()).upper(), " ".join(parent_name.split()).casefold()


@dataclass(frozen=True)
class PriorNotice:
    """A notice already issued to this parent for this child (including legacy notices)."""

    issued_on: date
    withdrawn: bool


def window_boundary(issue_date: date) -> date:
    """The day 3 years before ``issue_date`` (a 29 February issue date gives 28 February 3 years earlier).

    Only notices issued *after* this day count: it is itself outside the window.
    """
    return add_months(issue_date, -WINDOW_MONTHS)


def notices_in_window(prior: Iterable[PriorNotice], issue_date: date) -> int:
    """Notices that count towards the limit for a notice proposed for ``issue_date``.

    Counted: notices issued after :func:`window_boundary` and not withdrawn (a withdrawn notice is treated
    as never issued). A notice dated after ``issue_date`` (recorded with a later date, or a proposal being
    reconsidered) is counted too: it exists, it is within 3 years of the proposed notice, and leaving it out
    could let a parent receive more notices than the law allows.
    """
    boundary = window_boundary(issue_date)
    return sum(1 for notice in prior if not notice.withdrawn and notice.issued_on > boundary)


@dataclass(frozen=True)
class LimitVerdict:
    """Whether another notice may be issued. ``is_second``: allowed, and it follows an earlier notice
    within the window, so the second-notice amount applies."""

    allowed: bool
    prior_count: int
    is_second: bool
    reason: str | None


def limit_verdict(prior: Iterable[PriorNotice], issue_date: date, limit: int = NOTICE_LIMIT) -> LimitVerdict:
    """Refuse a notice when ``limit`` notices already count (:func:`notices_in_window`).

    A refusal routes the case to other enforcement rather than simply stopping it.
    """
    if limit < 1:
        raise ValueError("the notice limit must be at least 1")
    count = notices_in_window(prior, issue_date)
    if count >= limit:
        noun = "notice" if count == 1 else "notices"
        reason = (
            f"{count} {noun} already issued to this parent for this child after "
            f"{long_date(window_boundary(issue_date))}: consider prosecution under s444 of the Education "
            "Act 1996 or an attendance contract instead"
        )
        return LimitVerdict(allowed=False, prior_count=count, is_second=False, reason=reason)
    return LimitVerdict(allowed=True, prior_count=count, is_second=count >= 1, reason=None)
