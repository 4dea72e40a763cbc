"""Errors as RFC 9457 ``application/problem+json`` (API) or a GOV.UK error page (web pages).

Every error a client can cause leaves as a 4xx with the field and the reason; a database out of reach
leaves as a 503 with Retry-After; anything unexpected leaves as a 500 that shows no internals and is
logged with its traceback.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, current_app, json, render_template, request
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

PROBLEM_MIME = "application/problem+json"

TITLES = {
    400: "Bad request",
    401: "Sign in required",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    409: "Not allowed in the current state",
    410: "No longer available",
    413: "Request too large",
    415: "Unsupported media type",
    422: "Invalid input",
    429: "Too many requests",
    500: "Internal server error",
    503: "Service unavailable",
}


class Problem(HTTPException):
    """Raise to answer with a problem: ``raise Problem(409, "Already decided", errors={...})``."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        errors: dict[str, list[str]] | None = None,
        extra: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ):
        super().__init__(description=detail)
        self.code = status
        self.errors = errors or {}
        self.extra = extra or {}
        self.headers = headers or {}


def invalid(field: str, message: str, detail: str | None = None) -> Problem:
    """A 422 naming one field and why it is wrong."""
    return Problem(422, detail or message, errors={field: [message]})


def flatten_errors(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """marshmallow's nested error dict as ``{"pupil.upn": [...], "attendance.3.code": [...]}``."""
    flat: dict[str, list[str]] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            name = "body" if key == "_schema" else str(key)
            flat.update(flatten_errors(value, f"{prefix}.{name}" if prefix else name))
    elif isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        flat[prefix or "body"] = list(messages)
    elif isinstance(messages, list):
        for item in messages:
            for key, value in flatten_errors(item, prefix).items():
                flat.setdefault(key, []).extend(value)
    else:
        flat[prefix or "body"] = [str(messages)]
    return flat


def _webargs_errors(data: dict[str, Any]) -> dict[str, list[str]]:
    # webargs nests messages by location: {"json": {...}, "query": {...}}
    messages = data.get("errors") or data.get("messages") or {}
    merged: dict[str, list[str]] = {}
    for location, fields in messages.items():
        if location in ("json", "query", "form", "files", "view_args", "path"):
            merged.update(flatten_errors(fields))
        else:
            merged.update(flatten_errors({location: fields}))
    return merged


def problem_response(
    status: int,
    detail: str,
    errors: dict[str, list[str]] | None = None,
    extra: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "errors": errors or {},
    }
    # The standard members stay as RFC 9457 defines them; a record's own state goes in ``current_status``.
    body.update({k: v for k, v in (extra or {}).items() if k not in body})
    response = current_app.response_class(json.dumps(body), status=status, mimetype=PROBLEM_MIME)
    response.headers.extend(headers or {})
    return response


def wants_problem_json() -> bool:
    if request.path.startswith(("/api/", "/_status")):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json", PROBLEM_MIME])
    return best in ("application/json", PROBLEM_MIME)


def handle_http_exception(error: HTTPException) -> Response:
    status = error.code or 500
    if status >= 500 and not isinstance(error, Problem):
        detail = "Something went wrong. The error has been logged; try again later."
    else:
        detail = error.description or TITLES.get(status, "Error")
    headers: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    extra: dict[str, Any] = {}
    if isinstance(error, Problem):
        errors, extra, headers = error.errors, error.extra, dict(error.headers)
    data = getattr(error, "data", None)
    if isinstance(data, dict):
        errors = _webargs_errors(data)
        detail = data.get("message") or (
            "; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()) or detail
        )
        headers.update(data.get("headers") or {})
    if status == 405 and getattr(error, "valid_methods", None):
        headers["Allow"] = ", ".join(error.valid_methods)
    if status == 401:
        headers.setdefault("WWW-Authenticate", "Bearer")
    if wants_problem_json():
        return problem_response(status, detail, errors, extra, headers)
    try:
        html = render_template("error.html", status=status, title=TITLES.get(status, "Error"), detail=detail)
    except Exception:  # the error page itself failed: still answer, in plain text
        current_app.logger.exception("error page failed to render")
        html = f"{status} {TITLES.get(status, 'Error')}"
    response = current_app.response_class(html, status=status, mimetype="text/html")
    response.headers.extend(headers)
    return response


DATABASE_UNAVAILABLE = (
    "The service cannot reach its database just now. Nothing was changed: try again in a minute."
)


def handle_database_unavailable(error: OperationalError | InterfaceError) -> Response:
    """The database is down, restarting or out of reach: a 503 that says to try again, not a 500. The
    connection pool checks each connection before use, so the service recovers by itself when it returns.
    Only the error's class is logged: its message may quote the statement."""
    current_app.logger.warning(
        "database unavailable on %s %s (%s)", request.method, request.path, type(error.orig or error).__name__
    )
    return handle_http_exception(Problem(503, DATABASE_UNAVAILABLE, headers={"Retry-After": "30"}))


def handle_unexpected(error: Exception) -> Response:
    current_app.logger.exception("unhandled error on %s %s", request.method, request.path)
    return handle_http_exception(InternalServerError())


def register(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(OperationalError, handle_database_unavailable)
    app.register_error_handler(InterfaceError, handle_database_unavailable)
    app.register_error_handler(Exception, handle_unexpected)
