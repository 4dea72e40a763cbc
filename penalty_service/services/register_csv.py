"""Attendance registers as schools hold them: a CSV file exported from the school's MIS, or rows typed
or pasted into a box ("date,session,code" a line).

The file is judged by its content, never its name: it must be UTF-8 text (Excel's "CSV UTF-8"; a
byte-order mark is allowed) whose first row names the columns ``date``, ``session`` and ``code`` (in any
order, any case; other columns are ignored; separated by commas, semicolons or tabs). Dates are
``YYYY-MM-DD`` or ``DD/MM/YYYY``. Each row is then checked with the same rules the API applies
(:func:`penalty_service.rules.attendance.register_errors`), and every problem names its row.

``pack``/``unpack`` keep a register small enough to carry between pages in the session cookie.
"""

from __future__ import annotations

import calendar
import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from penalty_service.rules import attendance
from penalty_service.schemas import MAX_SESSIONS

__all__ = [
    "COLUMNS",
    "MAX_FILE_BYTES",
    "ParsedRegister",
    "from_csv",
    "from_text",
    "pack",
    "to_text",
    "unpack",
]

COLUMNS = ("date", "session", "code")
MAX_FILE_BYTES = 2 * 1024 * 1024
DELIMITERS = (",", ";", "\t")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_UK = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
# Files that are plainly not text, whatever they are called.
_BINARY_SIGNATURES = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"%PDF", b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
NOT_CSV = "The selected file must be a CSV file"


@dataclass
class ParsedRegister:
    """Sessions as ``{"date": date, "session": "AM"|"PM", "code": str}``, sorted, or the problems found.

    ``errors`` are plain-English messages, each naming its row (file) or line (typed rows) where it has one.
    """

    sessions: list[dict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.sessions)


def parse_date(value: str) -> date | None:
    """``YYYY-MM-DD`` or ``DD/MM/YYYY`` (day and month may have one digit); None if neither or not real."""
    value = value.strip()
    if match := _ISO.match(value):
        year, month, day = (int(x) for x in match.groups())
    elif match := _UK.match(value):
        day, month, year = (int(x) for x in match.groups())
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _rows_to_register(rows: list[tuple[int, list[str]]], label: str) -> ParsedRegister:
    """``rows`` are (row or line number, [date, session, code]) after the heading."""
    if not rows:
        return ParsedRegister(errors=["Enter at least one session"])
    if len(rows) > MAX_SESSIONS:
        return ParsedRegister(
            errors=[
                f"The register has {len(rows)} sessions: send at most {MAX_SESSIONS} (about 2 school years)"
            ]
        )
    errors: list[tuple[int, str]] = []
    parsed: list[tuple[int, attendance.Session]] = []
    for number, (raw_date, raw_session, raw_code) in rows:
        day = parse_date(raw_date)
        if day is None:
            shown = raw_date.strip()
            errors.append(
                (
                    number,
                    f"{label} {number}: "
                    + (f"'{shown}' is not a real date" if shown else "enter the date")
                    + ": use YYYY-MM-DD or DD/MM/YYYY",
                )
            )
            continue
        parsed.append((number, attendance.Session(day, raw_session, raw_code)))
    problems = attendance.register_errors([s for _, s in parsed])
    for key, messages in problems.items():
        index = int(key.split(".")[1])
        number = parsed[index][0]
        errors.extend((number, f"{label} {number}: {_sentence_start(m)}") for m in messages)
    if errors:
        return ParsedRegister(errors=[m for _, m in sorted(errors, key=lambda e: e[0])])
    sessions = [
        {
            "date": s.date,
            "session": attendance.normalise_session(s.session),
            "code": attendance.normalise_code(s.code),
        }
        for _, s in parsed
    ]
    sessions.sort(key=lambda s: (s["date"], s["session"]))
    return ParsedRegister(sessions=sessions)


DAY_NAMES = frozenset(calendar.day_name)


def _sentence_start(message: str) -> str:
    """A message continuing "Row 4: ", lower-cased unless it starts with a proper noun (a day's name)."""
    first_word = message.split(" ", 1)[0]
    if first_word in DAY_NAMES or not (message[:1].isupper() and message[1:2].islower()):
        return message
    return message[0].lower() + message[1:]


def _decode(data: bytes) -> tuple[str | None, str | None]:
    """The file's text, or why it cannot be read as a CSV file."""
    if data.startswith(_BINARY_SIGNATURES) or b"\x00" in data:
        return None, NOT_CSV
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, "The selected file must be saved as UTF-8: in Excel, save it as ‘CSV UTF-8’"
    if any(ord(c) < 32 and c not in "\t\r\n" for c in text):
        return None, NOT_CSV
    return text, None


def _heading(cells: list[str]) -> list[str]:
    return [c.strip().strip('"').strip().lower() for c in cells]


def from_csv(data: bytes) -> ParsedRegister:
    """A register from an uploaded file: UTF-8 CSV with a heading row naming date, session and code."""
    if not data.strip():
        return ParsedRegister(errors=["The selected file is empty"])
    if len(data) > MAX_FILE_BYTES:
        return ParsedRegister(errors=["The selected file must be smaller than 2MB"])
    text, problem = _decode(data)
    if text is None:
        return ParsedRegister(errors=[problem or NOT_CSV])
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    delimiter = next(
        (d for d in DELIMITERS if set(COLUMNS) <= set(_heading(first.split(d)))),
        None,
    )
    if delimiter is None:
        cells = _heading(next(csv.reader([first])))
        if cells and parse_date(cells[0]) is not None:
            message = "The first row of the file must be the column headings: date, session, code"
        else:
            missing = [c for c in COLUMNS if c not in cells]
            message = "The selected file must have columns headed date, session and code" + (
                f" (no column is headed {', '.join(missing)})" if missing and len(missing) < 3 else ""
            )
        return ParsedRegister(errors=[message])
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    try:
        for cells in reader:
            if not any(c.strip() for c in cells):
                continue
            if header is None:
                header = _heading(cells)
                positions = [header.index(c) for c in COLUMNS]
                continue
            if len(rows) > MAX_SESSIONS:
                rows.append((reader.line_num, ["", "", ""]))  # only counted: the register is too long
                continue
            values = [cells[i] if i < len(cells) else "" for i in positions]
            rows.append((reader.line_num, values))
    except csv.Error:
        return ParsedRegister(errors=[NOT_CSV])
    if not rows:
        return ParsedRegister(errors=["The selected file has no sessions: add a row for each session"])
    return _rows_to_register(rows, "Row")


def from_text(text: str) -> ParsedRegister:
    """A register typed or pasted one session a line: ``date,session,code`` (commas or tabs; a heading
    line is allowed)."""
    rows: list[tuple[int, list[str]]] = []
    errors: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        cells = [c.strip() for c in re.split(r"[,\t;]", line)]
        if not rows and not errors and [c.lower() for c in cells[:3]] == list(COLUMNS):
            continue  # a heading line
        if len(cells) != 3:
            errors.append(f"Line {number}: enter the date, session and code separated by commas")
            continue
        rows.append((number, cells))
        if len(rows) > MAX_SESSIONS:
            break
    if errors:
        return ParsedRegister(errors=errors)
    if not rows:
        return ParsedRegister(errors=["Enter the sessions, one a line: date, session, code"])
    return _rows_to_register(rows, "Line")


def to_text(sessions: list[dict]) -> str:
    """The register as lines for the box: ``2026-01-05,AM,/``."""
    return "\n".join(f"{s['date'].isoformat()},{s['session']},{s['code']}" for s in sessions)


def pack(sessions: list[dict]) -> str:
    """A compact form for the session cookie: the first date, then per session the days since the
    previous session's date, A or P, and the code (``2026-01-05;0A/;0P/;1AN;...``)."""
    if not sessions:
        return ""
    previous = sessions[0]["date"]
    parts = [previous.isoformat()]
    for s in sessions:
        parts.append(f"{(s['date'] - previous).days}{s['session'][0]}{s['code']}")
        previous = s["date"]
    return ";".join(parts)


def unpack(packed: str) -> list[dict]:
    """The sessions :func:`pack` stored (an empty list for anything it could not have written)."""
    if not packed:
        return []
    try:
        first, *parts = packed.split(";")
        current = date.fromisoformat(first)
        sessions = []
        for part in parts:
            match = re.match(r"^(\d+)([AP])(.+)$", part)
            if match is None:
                return []
            current += timedelta(days=int(match.group(1)))
            sessions.append({"date": current, "session": match.group(2) + "M", "code": match.group(3)})
        return sessions
    except ValueError:
        return []
