"""Tracebacks without personal data (SPEC §9). A database refusing a row says which values it refused
(PostgreSQL: ``DETAIL: Key (email)=(sam@example.org) already exists``), and that text travels in the
exception into any log line that carries the traceback. Every log record with an exception gets its
traceback text made here, with those details replaced; statements' parameters are already hidden by
the engine (``hide_parameters``)."""

from __future__ import annotations

import logging
import re
import traceback

DETAIL_LINE = re.compile(r"^(\s*DETAIL:).*$", re.MULTILINE)
KEY_VALUES = re.compile(r"(Key \([^)]*\))=\((?:[^()]|\([^()]*\))*\)")
REDACTED = "[redacted]"


def scrub(text: str) -> str:
    """The text with database error details and key values replaced."""
    return DETAIL_LINE.sub(rf"\1 {REDACTED}", KEY_VALUES.sub(rf"\1=({REDACTED})", text))


def _scrubbing_factory(previous):
    def factory(*args, **kwargs) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        if record.exc_info and record.exc_info[1] is not None and not record.exc_text:
            record.exc_text = scrub("".join(traceback.format_exception(*record.exc_info)).rstrip("\n"))
        return record

    factory.scrubs_tracebacks = True  # type: ignore[attr-defined]
    return factory


def install() -> None:
    """Make every log record's traceback through :func:`scrub` (once per process)."""
    current = logging.getLogRecordFactory()
    if not getattr(current, "scrubs_tracebacks", False):
        logging.setLogRecordFactory(_scrubbing_factory(current))
