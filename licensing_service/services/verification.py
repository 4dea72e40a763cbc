"""The public check of a licence, permit or chaperone approval (SPEC §4.2): a number and the holder's date
of birth give whether it is valid today and until when, and nothing else.

Each kind of record has a verifier, found by the number's prefix. A verifier answers ``None`` when the
number and date of birth do not match one of its records; then, as for a number of no known kind, the
answer is "not valid" with nothing more, so the check never tells whether a number exists.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from licensing_service.services import chaperone_approvals, employment_permits, licence_decisions
from shared import calendar

Verifier = Callable[[str, date, date], dict[str, Any] | None]

# Number prefix → the verifier of that kind of record.
VERIFIERS: dict[str, Verifier] = {
    "NCC-PL-": licence_decisions.verification,
    "NCC-CA-": chaperone_approvals.verification,
    "NCC-EP-": employment_permits.verification,
}

NOT_VALID: dict[str, Any] = {"valid": False, "valid_until": None, "kind": None}
NUMBER = re.compile(r"[A-Z0-9-]{1,50}")


def normalise(number: str) -> str:
    return "".join(number.split()).upper()


def verify(number: str, date_of_birth: date, today: date | None = None) -> dict[str, Any]:
    """``{valid, valid_until, kind}`` for the number and date of birth; not valid (and nothing more)
    when they match nothing."""
    number = normalise(number)
    if not NUMBER.fullmatch(number):  # nothing is numbered so: no need to look
        return dict(NOT_VALID)
    today = today or calendar.today()
    for prefix, verifier in VERIFIERS.items():
        if number.startswith(prefix):
            found = verifier(number, date_of_birth, today)
            if found is not None:
                return found
            break
    return dict(NOT_VALID)
