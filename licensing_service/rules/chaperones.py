"""Chaperone approvals (SPEC §4.2; Children (Performances and Activities) (England) Regulations 2014
regs 15-16): who may be approved, what must be done first, how long an approval lasts and when to remind
the chaperone to renew.

Rules decided here where the specification is silent:

- The applicant must be at least ``min_age`` (18) on the day the application is received; a person born on
  29 February turns 18 on 1 March in a year that is not a leap year (:func:`shared.calendar.age_on`).
- A referee is "family" when the relationship they give names a relative (parent, sibling, spouse or
  partner, child, grandparent, aunt, uncle, cousin, an in-law or a step-relative, and the like). The words
  are matched whole, so "family friend" is refused but "friend" or "colleague" is not.
- An approval is valid from the approval date to the day before the same date ``years`` later. For an
  approval on 29 February the anniversary is found as "N months after" (SPEC §3): 28 February, so the
  approval ends on 27 February.
- A renewal reminder is due ``weeks`` weeks before ``valid_until``. When a run missed the day, the reminder
  due is the latest one whose day has come (so after a long gap the 2-week reminder is sent, not both);
  none is due once the approval has ended.

Pure functions: dates in, verdicts out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from shared.calendar import add_months, age_on

NUMBER_PREFIX = "NCC-CA"
DEFAULT_DECISION_DAYS = 28


class Status(StrEnum):
    SUBMITTED = "submitted"
    CHECKS_IN_PROGRESS = "checks_in_progress"
    APPROVED = "approved"
    REFUSED = "refused"
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    EXPIRED = "expired"


OPEN_STATUSES = (Status.SUBMITTED.value, Status.CHECKS_IN_PROGRESS.value)
# An approval that can be renewed: approved (including one about to expire) or already expired.
RENEWABLE_STATUSES = (Status.APPROVED.value, Status.EXPIRED.value)
STATUS_LABELS = {
    Status.SUBMITTED: "Received",
    Status.CHECKS_IN_PROGRESS: "Checks in progress",
    Status.APPROVED: "Approved",
    Status.REFUSED: "Refused",
    Status.SUSPENDED: "Suspended",
    Status.REVOKED: "Revoked",
    Status.EXPIRED: "Expired",
}


class Kind(StrEnum):
    PROFESSIONAL = "professional"
    VOLUNTEER = "volunteer"


class CheckKind(StrEnum):
    DBS = "dbs"
    REFERENCES = "references"
    DATABASE_CHECK = "database_check"


class Outcome(StrEnum):
    CLEAR = "clear"
    CONCERNS = "concerns"


class Decision(StrEnum):
    APPROVE = "approve"
    REFUSE = "refuse"


CHECK_LABELS = {
    CheckKind.DBS: "Enhanced DBS check",
    CheckKind.REFERENCES: "References",
    CheckKind.DATABASE_CHECK: "Children's services database check",
}
# What can still stand between an application and approval, in the order officers work through it.
OUTSTANDING_ITEMS = ("dbs", "references", "database_check", "training")
OUTSTANDING_LABELS = {
    "dbs": "DBS check",
    "references": "References",
    "database_check": "Database check",
    "training": "Training",
}

REFERENCES_NEEDED = 2

# Relationships that make a referee family (matched as whole words, any case).
FAMILY_WORDS = frozenset(
    {
        "parent",
        "mother",
        "mum",
        "mom",
        "mummy",
        "father",
        "dad",
        "daddy",
        "sibling",
        "brother",
        "sister",
        "spouse",
        "husband",
        "wife",
        "partner",
        "fiance",
        "fiancé",
        "fiancee",
        "fiancée",
        "child",
        "son",
        "daughter",
        "grandparent",
        "grandmother",
        "grandfather",
        "grandma",
        "grandpa",
        "gran",
        "granny",
        "grandad",
        "granddad",
        "grandchild",
        "grandson",
        "granddaughter",
        "aunt",
        "auntie",
        "aunty",
        "uncle",
        "cousin",
        "niece",
        "nephew",
        "relative",
        "relation",
        "family",
        "stepmother",
        "stepfather",
        "stepson",
        "stepdaughter",
        "stepbrother",
        "stepsister",
        "stepparent",
        "stepchild",
        "twin",
    }
)
_WORDS = re.compile(r"[^\W\d_]+")


def is_family(relationship: str) -> bool:
    """Whether a referee's stated relationship to the applicant names a relative."""
    text = relationship.lower()
    if re.search(r"\bin[\s-]*law\b", text) or re.search(r"\bstep[\s-]", text) or "half-" in text:
        return True
    return any(word in FAMILY_WORDS for word in _WORDS.findall(text))


def old_enough(date_of_birth: date, received_on: date, min_age: int) -> bool:
    """At least ``min_age`` on the day the application is received."""
    return received_on >= date_of_birth and age_on(date_of_birth, received_on) >= min_age


def decision_due_on(received_on: date, days: int = DEFAULT_DECISION_DAYS) -> date:
    """The council aims to decide within ``days`` days of receiving the application."""
    return received_on + timedelta(days=days)


def validity(approved_on: date, years: int) -> tuple[date, date]:
    """``(valid_from, valid_until)``: from the approval date to the day before the same date ``years``
    later (for 29 February, "N months after": 28 February, then the day before)."""
    return approved_on, add_months(approved_on, 12 * years) - timedelta(days=1)


def approval_number(approval_id: int, approved_on: date) -> str:
    return f"{NUMBER_PREFIX}-{approved_on.year}-{approval_id:05d}"


def is_valid_on(status: str, valid_from: date | None, valid_until: date | None, day: date) -> bool:
    """Valid on ``day``: approved (not suspended, revoked or expired) and within the period."""
    return (
        status == Status.APPROVED
        and valid_from is not None
        and valid_until is not None
        and valid_from <= day <= valid_until
    )


def reminder_weeks(setting: str | Iterable[int]) -> tuple[int, ...]:
    """The setting ``"8,2"`` as ``(8, 2)``: whole positive weeks, largest first, each once."""
    values = setting.split(",") if isinstance(setting, str) else list(setting)
    weeks = {int(str(v).strip()) for v in values if str(v).strip()}
    if any(w < 1 for w in weeks):
        raise ValueError("reminder weeks must be whole numbers of at least 1")
    return tuple(sorted(weeks, reverse=True))


def reminder_day(valid_until: date, weeks: int) -> date:
    return valid_until - timedelta(weeks=weeks)


def reminder_due(valid_until: date, today: date, weeks: Iterable[int]) -> int | None:
    """Which reminder is due on ``today``: the latest (fewest weeks) whose day has come, while the
    approval has not ended; None before the first reminder's day or after ``valid_until``."""
    if today > valid_until:
        return None
    come = [w for w in weeks if reminder_day(valid_until, w) <= today]
    return min(come) if come else None


# --- before approval ----------------------------------------------------------------------------------


@dataclass
class Readiness:
    """What stands between an application and approval: ``missing`` names each item and ``errors`` says
    it, keyed as the API reports it; ``concerns`` lists the checks that found concerns."""

    missing: list[str] = field(default_factory=list)
    errors: dict[str, list[str]] = field(default_factory=dict)
    concerns: list[str] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return not self.missing


def outstanding(
    checks: Mapping[str, str],
    references_received: int,
    consent: bool,
    renewal: bool,
    training_attended: bool,
) -> list[str]:
    """The items still to do (``dbs``, ``references``, ``database_check``, ``training``), for the queue."""
    items = []
    if CheckKind.DBS not in checks:
        items.append("dbs")
    if references_received < REFERENCES_NEEDED or CheckKind.REFERENCES not in checks:
        items.append("references")
    if not consent or CheckKind.DATABASE_CHECK not in checks:
        items.append("database_check")
    if not renewal and not training_attended:
        items.append("training")
    return items


def readiness(
    checks: Mapping[str, str],
    references_received: int,
    consent: bool,
    renewal: bool,
    training_attended: bool,
    reason: str | None,
) -> Readiness:
    """Whether an application may be approved now. Each check must have an outcome; a check that found
    concerns does not stop approval, but approving then needs a ``reason``."""
    result = Readiness()

    def missing(item: str, key: str, message: str) -> None:
        if item not in result.missing:
            result.missing.append(item)
        result.errors.setdefault(key, []).append(message)

    if CheckKind.DBS not in checks:
        missing("dbs", "dbs", "The enhanced DBS check has no outcome yet")
    if references_received < REFERENCES_NEEDED:
        missing(
            "references",
            "references",
            f"{references_received} of {REFERENCES_NEEDED} references have been received",
        )
    if CheckKind.REFERENCES not in checks:
        missing("references", "references", "The references check has no outcome yet")
    if not consent:
        missing(
            "database_check",
            "database_check",
            "The applicant has not consented to the children's services database check",
        )
    elif CheckKind.DATABASE_CHECK not in checks:
        missing(
            "database_check", "database_check", "The children's services database check has no outcome yet"
        )
    if not renewal and not training_attended:
        missing("training", "training", "The applicant has not attended chaperone training")
    result.concerns = [k.value for k in CheckKind if checks.get(k) == Outcome.CONCERNS]
    if result.concerns and not (reason or "").strip():
        named = ", ".join(CHECK_LABELS[CheckKind(k)].lower() for k in result.concerns)
        result.missing.append("concerns_reason")
        result.errors["reason"] = [
            f"Concerns were recorded ({named}): give the reason for approving despite them"
        ]
    return result
