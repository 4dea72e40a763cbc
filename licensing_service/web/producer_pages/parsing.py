"""What people type, read as the API's values: times of day, performing times one per line, hours."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from wtforms.validators import ValidationError

CLOCK = re.compile(r"([01]?\d|2[0-3])[:.]([0-5]\d)")
INTERVAL = re.compile(
    r"([01]?\d|2[0-3])[:.]([0-5]\d)\s*(?:to|-|–|—|until)\s*([01]?\d|2[0-3])[:.]([0-5]\d)", re.I
)


def clock(text: str | None) -> str | None:
    """``9:30``, ``09.30`` or ``09:30`` as ``09:30``; None if it is not a time of day."""
    found = CLOCK.fullmatch((text or "").strip())
    return f"{int(found.group(1)):02d}:{found.group(2)}" if found else None


def intervals(text: str | None) -> list[dict[str, str]]:
    """Each line ``10:00 to 11:30`` as ``{start, end}``; ValidationError naming a line that is not one."""
    found = []
    lines = [line.strip() for line in (text or "").replace(",", "\n").split("\n") if line.strip()]
    for number, line in enumerate(lines, start=1):
        match = INTERVAL.fullmatch(line)
        if match is None:
            raise ValidationError(f"Enter each time like 10:00 to 11:30 (line {number} is “{line[:40]}”)")
        h1, m1, h2, m2 = match.groups()
        found.append({"start": f"{int(h1):02d}:{m1}", "end": f"{int(h2):02d}:{m2}"})
    if len(found) > 10:
        raise ValidationError("Enter at most 10 times a day")
    return found


def hours(text: str) -> Decimal | None:
    """Hours of teaching a day, between 0 and 24, to the hundredth; None if it is not such a number."""
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, ValueError):
        return None
    if not value.is_finite() or not Decimal(0) <= value <= Decimal(24):
        return None
    return value.quantize(Decimal("0.01"))


def plain(value: Decimal | None) -> str:
    """A stored number as people would type it: ``3`` rather than ``3.00``."""
    if value is None:
        return ""
    return format(value.normalize(), "f")
