"""Dates and money as people read them (GOV.UK style), the same on pages, in messages and in documents.

English names whatever the process's locale, so a server set to another language still prints
"Monday 26 October 2026".
"""

from __future__ import annotations

from datetime import date

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _as_date(d: date | str | None) -> date | str | None:
    """Dates kept in JSON arrive as ISO text; anything that is not a date is shown as it is."""
    if isinstance(d, str):
        try:
            return date.fromisoformat(d)
        except ValueError:
            return d
    return d


def long_date(d: date | str | None) -> str:
    """``Monday 26 October 2026``; empty for no date."""
    d = _as_date(d)
    if not isinstance(d, date):
        return d or ""
    return f"{WEEKDAYS[d.weekday()]} {short_date(d)}"


def short_date(d: date | str | None) -> str:
    """``26 October 2026``; empty for no date."""
    d = _as_date(d)
    if not isinstance(d, date):
        return d or ""
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def money(pence: int | None) -> str:
    """``£80``, ``£1,000``, ``£80.50``, ``-£5``; empty for no amount."""
    if pence is None:
        return ""
    sign = "-" if pence < 0 else ""
    pounds, rest = divmod(abs(pence), 100)
    return f"{sign}£{pounds:,}" if rest == 0 else f"{sign}£{pounds:,}.{rest:02d}"
