"""A fake GOV.UK Notify API: a real HTTP server on 127.0.0.1 that the real client talks to.

It checks what Notify checks before accepting an email (a ``Bearer`` JWT signed with the API key's
secret and issued by its service id, a UUID template id, the template's placeholders filled, a
well-formed ``link_to_file``), records each accepted notification and answers with Notify's shapes.
``fail_next(n, status)`` makes the next ``n`` requests fail the way Notify does.
"""

from __future__ import annotations

import base64
import json
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import jwt
import pytest
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
API_KEY = f"family_service_test-{SERVICE_ID}-{SECRET}"
TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"
# The template the service is set up with in Notify: subject ((subject)), body ((body)) ((link_to_file)).
TEMPLATE_PLACEHOLDERS = ("subject", "body", "link_to_file")
JWT_LEEWAY_SECONDS = 30  # Notify rejects tokens issued more than 30 s from its clock

ERRORS = {
    400: ("BadRequestError", "Can't send to this recipient using a team-only API key"),
    403: ("AuthError", "Invalid token: API key not found"),
    429: ("RateLimitError", "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds"),
    500: ("Exception", "Internal server error"),
}


@dataclass
class Received:
    """One email Notify accepted."""

    id: str
    email_address: str
    template_id: str
    personalisation: dict[str, Any]
    reference: str | None
    file: bytes | None = None  # the decoded ``link_to_file`` upload, if any
    filename: str | None = None


@dataclass
class FakeNotify:
    base_url: str = ""
    received: list[Received] = field(default_factory=list)
    requests: int = 0  # every POST, accepted or not
    delay: float = 0.0  # seconds each request takes, to keep concurrent senders in flight together
    _failures: list[int] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def config(self) -> dict[str, str]:
        """App settings that point the Notify backend here."""
        return {
            "NOTIFY_API_KEY": API_KEY,
            "NOTIFY_BASE_URL": self.base_url,
            "NOTIFY_EMAIL_TEMPLATE_ID": TEMPLATE_ID,
        }

    def fail_next(self, count: int, status: int = 500) -> None:
        with self._lock:
            self._failures.extend([status] * count)

    def wsgi(self, environ, start_response):
        request = Request(environ)
        if request.method != "POST" or request.path != "/v2/notifications/email":
            return _error(404, "ResourceNotFound", "Not found")(environ, start_response)
        time.sleep(self.delay)
        with self._lock:
            self.requests += 1
            failure = self._failures.pop(0) if self._failures else None
            response = self._error_for(failure) if failure else self._accept(request)
        return response(environ, start_response)

    def _error_for(self, status: int) -> Response:
        return _error(status, *ERRORS.get(status, ("Exception", "Internal server error")))

    def _accept(self, request: Request) -> Response:
        if problem := _auth_problem(request.headers.get("Authorization", "")):
            return _error(403, "AuthError", problem)
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            return _error(400, "ValidationError", "Invalid JSON supplied in POST data")
        if problem := _validation_problem(data):
            return _error(400, *problem)
        personalisation = data.get("personalisation") or {}
        upload = _upload(personalisation)
        notification = Received(
            id=str(uuid.uuid4()),
            email_address=data["email_address"],
            template_id=data["template_id"],
            personalisation=personalisation,
            reference=data.get("reference"),
            file=base64.b64decode(upload["file"], validate=True) if upload else None,
            filename=upload["filename"] if upload else None,
        )
        self.received.append(notification)
        body = {
            "id": notification.id,
            "reference": notification.reference,
            "content": {
                "subject": personalisation["subject"],
                "body": personalisation["body"],
                "from_email": "family.service@notifications.service.gov.uk",
                "one_click_unsubscribe_url": None,
            },
            "uri": f"{self.base_url}/v2/notifications/{notification.id}",
            "template": {
                "id": notification.template_id,
                "version": 1,
                "uri": f"{self.base_url}/services/{SERVICE_ID}/templates/{notification.template_id}",
            },
            "scheduled_for": None,
        }
        return Response(json.dumps(body), status=201, mimetype="application/json")


def _error(status: int, error: str, message: str) -> Response:
    body = {"status_code": status, "errors": [{"error": error, "message": message}]}
    return Response(json.dumps(body), status=status, mimetype="application/json")


def _auth_problem(header: str) -> str | None:
    scheme, _, token = header.partition(" ")
    if scheme != "Bearer" or not token:
        return "Unauthorized: authentication token must be provided"
    try:
        claims = jwt.decode(
            token,
            SECRET,
            algorithms=["HS256"],
            leeway=JWT_LEEWAY_SECONDS,
            options={"require": ["iss", "iat"]},
        )
    except jwt.InvalidTokenError as exc:
        return f"Invalid token: {exc}"
    if claims["iss"] != SERVICE_ID:
        return "Invalid token: service not found"
    if time.time() > int(claims["iat"]) + JWT_LEEWAY_SECONDS:  # PyJWT checks only "not in the future"
        return "Invalid token: Token has expired"
    return None


def _validation_problem(data: dict[str, Any]) -> tuple[str, str] | None:
    for required in ("email_address", "template_id"):
        if not data.get(required):
            return "ValidationError", f"{required} is a required property"
    if "@" not in data["email_address"]:
        return "ValidationError", "email_address Not a valid email address"
    try:
        uuid.UUID(data["template_id"])
    except ValueError:
        return "ValidationError", "template_id is not a valid UUID"
    if data["template_id"] != TEMPLATE_ID:
        return "BadRequestError", "Template not found"
    personalisation = data.get("personalisation") or {}
    missing = [name for name in TEMPLATE_PLACEHOLDERS if name not in personalisation]
    if missing:
        return "BadRequestError", f"Missing personalisation: {', '.join(missing)}"
    upload = _upload(personalisation)
    if upload is not None:
        if not str(upload.get("filename") or "").endswith(".pdf"):
            return "BadRequestError", "filename must end with a supported file extension (.pdf)"
        try:
            base64.b64decode(upload.get("file") or "", validate=True)
        except ValueError:
            return "BadRequestError", "File did not contain valid base64 data"
    return None


def _upload(personalisation: dict[str, Any]) -> dict[str, Any] | None:
    """A file to send by link: a placeholder whose value is an object with ``file`` (prepare_upload's)."""
    value = personalisation.get("link_to_file")
    return value if isinstance(value, dict) and "file" in value else None


@pytest.fixture
def fake_notify() -> Iterator[FakeNotify]:
    """A fake Notify server for one test; ``make_app(service, **fake_notify.config)`` uses it."""
    fake = FakeNotify()
    server = make_server("127.0.0.1", 0, fake.wsgi, threaded=True)
    fake.base_url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()
