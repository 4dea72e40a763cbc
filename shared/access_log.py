"""Access logs without personal data or credentials (SPEC §9): gunicorn's log line keeps the method,
status, size and time, but a URL's query string (a date of birth on ``/verify``, names in filters) and
any path segment that looks like a link token (``/parent-part/<token>``) are replaced, and so is the
referrer. Run gunicorn with ``--logger-class shared.access_log.RedactingLogger``."""

from __future__ import annotations

import re
from typing import Any

from gunicorn.glogging import Logger

# An emailed link's token: URL-safe base64 of 32 random bytes (43 characters). Any path segment of 32 or
# more of that alphabet with a capital, digit or underscore is taken for one, so a new kind of link is
# covered without a list of paths; the services' own path words are short, lower case and hyphenated.
TOKEN_SEGMENT = re.compile(r"(?<=/)(?=[^/?]*[A-Z0-9_])[A-Za-z0-9_-]{32,}(?=/|$)")
REDACTED_TOKEN = "[token]"
REDACTED_QUERY = "[query]"
SENSITIVE_HEADERS = ("authorization", "cookie", "set-cookie", "referer")


def redact_path(path: str | None) -> str:
    """``/parent-part/AbC…xyz?x=1`` as ``/parent-part/[token]?[query]``; '-' for nothing."""
    if not path or path == "-":
        return "-"
    base, sep, query = path.partition("?")
    base = TOKEN_SEGMENT.sub(REDACTED_TOKEN, base)
    return base + (f"?{REDACTED_QUERY}" if sep and query else "")


def redact_request_line(line: str) -> str:
    """``GET /verify?number=…&date_of_birth=… HTTP/1.1`` with its target redacted."""
    parts = line.split(" ")
    if len(parts) == 3:
        parts[1] = redact_path(parts[1])
        return " ".join(parts)
    return redact_path(line)


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time) -> dict[str, Any]:
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["r"] = redact_request_line(atoms["r"])
        atoms["U"] = redact_path(atoms["U"])
        atoms["q"] = REDACTED_QUERY if atoms.get("q") else ""
        atoms["f"] = redact_path(atoms["f"]) if atoms.get("f", "-") != "-" else "-"
        for name in SENSITIVE_HEADERS:
            for kind in ("i", "o"):
                key = f"{{{name}}}{kind}"
                if key in atoms:
                    atoms[key] = "[redacted]"
        return {k: v for k, v in atoms.items() if not k.endswith("}e")}  # the environment holds secrets
