"""Attendance registers and the threshold for considering a penalty notice.

Sources: Education Act 1996 s444 (failure to secure regular attendance) and s444A (penalty notices);
School Attendance (Pupil Registration) (England) Regulations 2024 and DfE "Working together to improve
school attendance" (August 2024) for the attendance codes and the national threshold of 10 sessions of
unauthorised absence within a rolling period of 10 school weeks, in force from 19 August 2024.

Pure functions on plain values: no I/O. Codes are matched exactly after two forgiving steps: surrounding
whitespace is removed and letters are upper-cased, so ``n`` reads as ``N`` and ``c1`` as ``C1``. The
symbols ``/``, ``\\`` and ``#`` are unaffected by upper-casing and so are kept as they are. Sessions are
read the same way (``am`` is ``AM``).

The threshold functions assume a register that :func:`register_errors` accepts; given a register it
rejects they still answer without failing (a session entered twice is counted once; a session that is not
AM or PM, or whose code is unknown, never counts as an absence).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from shared.calendar import week_start
from shared.formatting import long_date

__all__ = [
    "ADMINISTRATIVE",
    "ALL_CODES",
    "APPROVED_ACTIVITY",
    "AUTHORISED",
    "NO_SESSION",
    "PRESENT",
    "SESSIONS",
    "UNAUTHORISED",
    "Profile",
    "Session",
    "ThresholdResult",
    "check_threshold",
    "first_absence",
    "last_absence",
    "normalise_code",
    "normalise_session",
    "register_errors",
    "school_weeks",
]

# DfE attendance codes (School Attendance (Pupil Registration) (England) Regulations 2024).
PRESENT = frozenset({"/", "\\", "L"})
APPROVED_ACTIVITY = frozenset({"K", "V", "P", "W", "B", "D"})
AUTHORISED = frozenset({"C1", "C2", "C", "M", "T", "R", "I", "J1", "S", "E"})
UNAUTHORISED = frozenset({"G", "N", "O", "U"})
ADMINISTRATIVE = frozenset({"Q", *(f"Y{n}" for n in range(1, 8)), "X", "Z", "#"})
ALL_CODES = PRESENT | APPROVED_ACTIVITY | AUTHORISED | UNAUTHORISED | ADMINISTRATIVE

NO_SESSION = "#"  # planned whole or partial school closure: the school held no session
SESSIONS = ("AM", "PM")
_SESSION_ORDER = {"AM": 0, "PM": 1}


def normalise_code(code: str) -> str:
    """The code with surrounding whitespace removed and letters upper-cased ('n' -> 'N', ' c1' -> 'C1')."""
    return code.strip().upper() if isinstance(code, str) else code


def normalise_session(session: str) -> str:
    """'AM' or 'PM' whatever the case and surrounding spaces; anything else is returned stripped."""
    return session.strip().upper() if isinstance(session, str) else session


@dataclass(frozen=True)
class Session:
    """One register mark: a date, "AM" or "PM", and a DfE attendance code."""

    date: date
    session: str
    code: str


def _normalised(s: Session) -> Session:
    return Session(s.date, normalise_session(s.session), normalise_code(s.code))


def _order(s: Session) -> tuple[date, int]:
    return s.date, _SESSION_ORDER.get(s.session, 2)


def register_errors(sessions: list[Session]) -> dict[str, list[str]]:
    """Problems with a register, keyed by field path (0-based index into ``sessions``).

    - ``attendance.N.code``: a code that is not a DfE 2024 code ("'A' is not a DfE attendance code").
    - ``attendance.N.session``: not AM or PM.
    - ``attendance.N.date``: not a date, or a Saturday or Sunday coded other than '#' (maintained schools
      do not hold sessions at weekends; '#' is accepted there because it records that no session was held).
      Bank holidays are not rejected: the register, not the calendar, says whether the school was open.
    - ``attendance.N``: the same date and session entered again (reported on each repeat, not the first).

    An empty dict means the register can be used.
    """
    errors: defaultdict[str, list[str]] = defaultdict(list)
    seen: set[tuple[date, str]] = set()
    for index, raw in enumerate(sessions):
        key = f"attendance.{index}"
        s = _normalised(raw)
        if not isinstance(s.code, str) or not s.code:
            errors[f"{key}.code"].append("Enter a DfE attendance code")
        elif s.code not in ALL_CODES:
            errors[f"{key}.code"].append(f"'{raw.code.strip()}' is not a DfE attendance code")
        if s.session not in SESSIONS:
            errors[f"{key}.session"].append("Session must be AM or PM")
        if not isinstance(s.date, date):
            errors[f"{key}.date"].append("Enter the date as YYYY-MM-DD")
            continue
        if s.date.weekday() >= 5 and s.code != NO_SESSION:
            errors[f"{key}.date"].append(
                f"{long_date(s.date)} is at a weekend: schools do not hold sessions at weekends"
            )
        if s.session in SESSIONS:
            if (s.date, s.session) in seen:
                errors[key].append(f"The {s.session} session on {long_date(s.date)} is entered twice")
            seen.add((s.date, s.session))
    return dict(errors)


class Profile(StrEnum):
    """Threshold profiles (setting ``THRESHOLD_PROFILE``): sessions needed within rolling school weeks.

    ``national``: 10 sessions of unauthorised absence within a rolling 10 school weeks (DfE Working together
    to improve school attendance 2024, national framework in force from 19 August 2024).
    ``nottinghamshire-local``: 6 sessions within a rolling 6 school weeks (the council's local code).
    """

    NATIONAL = "national"
    NOTTINGHAMSHIRE_LOCAL = "nottinghamshire-local"

    @property
    def sessions_needed(self) -> int:
        return {Profile.NATIONAL: 10, Profile.NOTTINGHAMSHIRE_LOCAL: 6}[self]

    @property
    def window_weeks(self) -> int:
        return {Profile.NATIONAL: 10, Profile.NOTTINGHAMSHIRE_LOCAL: 6}[self]

    @property
    def in_force_from(self) -> date | None:
        """When the profile took effect (None: no fixed date). Informative: thresholds do not filter by it."""
        return {Profile.NATIONAL: date(2024, 8, 19), Profile.NOTTINGHAMSHIRE_LOCAL: None}[self]


def school_weeks(sessions: Iterable[Session]) -> list[date]:
    """The Mondays of the Monday-to-Sunday weeks in which the school held at least one session, sorted.

    A week is a school week when at least one of its sessions has a code other than '#' (SPEC §3, §5.1).
    A week with no sessions in the register (a half-term holiday) or only '#' is not a school week.
    """
    return sorted({week_start(s.date) for s in sessions if normalise_code(s.code) != NO_SESSION})


def _absences(sessions: Iterable[Session]) -> list[Session]:
    """G/N/O/U sessions (normalised), chronological with AM before PM, each date and session once."""
    found: dict[tuple[date, str], Session] = {}
    for raw in sessions:
        s = _normalised(raw)
        if s.code in UNAUTHORISED and s.session in SESSIONS:
            found.setdefault((s.date, s.session), s)
    return sorted(found.values(), key=_order)


@dataclass(frozen=True)
class ThresholdResult:
    """Whether the threshold is met; ``met_on`` is the (normalised) session at which it was first reached.

    ``sessions_counted`` is the largest number of unauthorised sessions in any run of ``window_weeks``
    consecutive school weeks (met or not), so it can exceed ``sessions_needed``.
    """

    met: bool
    met_on: Session | None
    sessions_counted: int
    sessions_needed: int
    window_weeks: int
    profile: str

    @property
    def reason(self) -> str:
        """Plain English for a letter or a refusal."""
        counted = f"{self.sessions_counted} unauthorised session{'s' if self.sessions_counted != 1 else ''}"
        if self.met and self.met_on is not None:
            most = f"; up to {self.sessions_counted} in any {self.window_weeks} school weeks"
            return (
                f"Threshold met on {long_date(self.met_on.date)} ({self.met_on.session}): "
                f"{self.sessions_needed} unauthorised sessions within {self.window_weeks} school weeks"
                + (most if self.sessions_counted > self.sessions_needed else "")
            )
        return f"{counted} counted within {self.window_weeks} school weeks; {self.sessions_needed} are needed"


def check_threshold(
    sessions: Iterable[Session], profile: Profile | str = Profile.NATIONAL
) -> ThresholdResult:
    """Count unauthorised sessions (G, N, O, U only) in rolling windows of school weeks.

    The window for a session is the ``window_weeks`` school weeks ending with that session's week; weeks that
    are not school weeks (see :func:`school_weeks`) are skipped, so a half-term or Christmas holiday does
    not use up the window, and a window may span terms and school years. ``met_on`` is the first session in
    time (AM before PM) at which the G/N/O/U sessions in its window, up to and including it, reach
    ``sessions_needed``. Present, approved-activity, authorised and administrative codes never count; late
    after the register closed is ``U`` and counts, late before it closed is ``L`` and does not.
    Input order does not matter. ``profile`` is a :class:`Profile` or its value.
    """
    profile = Profile(profile)
    sessions = list(sessions)
    window, needed = profile.window_weeks, profile.sessions_needed
    week_index = {monday: i for i, monday in enumerate(school_weeks(sessions))}
    absences = _absences(sessions)
    indices = [week_index[week_start(s.date)] for s in absences]

    best, met_on, left = 0, None, 0
    for right, absence in enumerate(absences):
        while indices[left] <= indices[right] - window:
            left += 1
        count = right - left + 1
        best = max(best, count)
        if met_on is None and count >= needed:
            met_on = absence
    return ThresholdResult(
        met=met_on is not None,
        met_on=met_on,
        sessions_counted=best,
        sessions_needed=needed,
        window_weeks=window,
        profile=profile.value,
    )


def first_absence(sessions: Iterable[Session]) -> date | None:
    """The date of the earliest G/N/O/U session, or None if there is none."""
    absences = _absences(sessions)
    return absences[0].date if absences else None


def last_absence(sessions: Iterable[Session]) -> date | None:
    """The date of the latest G/N/O/U session, or None if there is none (s127 time runs from it)."""
    absences = _absences(sessions)
    return absences[-1].date if absences else None
