"""Whether a child needs a performance licence (Children and Young Persons Act 1963 s37(2)-(3); the
"4-day rule"), and the end of compulsory school age (SPEC §4.1). Pure functions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class ActivityKind(StrEnum):
    PERFORMANCE = "performance"
    PAID_SPORT = "paid_sport"
    PAID_MODELLING = "paid_modelling"


@dataclass(frozen=True)
class Requirement:
    licence_required: bool
    reason: str
    compulsory_school_age_ends: date


def licence_requirement(
    date_of_birth: date,
    dates: list[date],
    *,
    paid: bool,
    school_absence: bool,
    prior_days_last_6_months: int,
    kind: ActivityKind = ActivityKind.PERFORMANCE,
    school_arranged: bool = False,
    under_bopa: bool = False,
) -> Requirement:
    """Whether a licence is needed for these dates, and why, in plain English."""
    raise NotImplementedError
