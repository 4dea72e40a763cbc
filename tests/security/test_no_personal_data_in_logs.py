"""No personal data or credentials in logs (SPEC §9): the access log redacts query strings and link
tokens; the services' own logs, through a whole journey with failures on the way (a document that
fails to render, an email backend that refuses, a database constraint broken), never carry a child's or
parent's name, a date of birth, an email address or a link token."""

from __future__ import annotations

import logging
from datetime import timedelta
from types import SimpleNamespace

import pytest
import time_machine
from gunicorn.config import Config
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from shared import db
from shared import documents as shared_documents
from shared.access_log import RedactingLogger, redact_path, redact_request_line
from shared.log_redaction import scrub
from shared.users import User
from tests.licensing.builders import TODAY, TODAY_AT, LicensingWorld
from tests.licensing.test_licence_decisions import grant, name_officer, path, record_checks

TOKEN = "q2W8sJ0fX1yVb4kLm7nP9rT3uZ5cA6dE8gH0iJ2kL4m"


@pytest.mark.parametrize(
    ("given", "logged"),
    [
        (f"/parent-part/{TOKEN}", "/parent-part/[token]"),
        (f"/api/v1/school-opinion/{TOKEN}?x=1", "/api/v1/school-opinion/[token]?[query]"),
        ("/verify?number=NCC-PL-2026-00001&date_of_birth=2015-06-14", "/verify?[query]"),
        (
            "/api/v1/performance-licences/12/documents/licence.pdf",
            "/api/v1/performance-licences/12/documents/licence.pdf",
        ),
        ("/officer/licences", "/officer/licences"),
        ("/search?", "/search"),
        (
            "/api/v1/employment-schedules-and-other-long-words/check",
            "/api/v1/employment-schedules-and-other-long-words/check",
        ),
        ("", "-"),
    ],
)
def test_paths_keep_their_shape_without_tokens_or_queries(given, logged):
    assert redact_path(given) == logged


def test_the_gunicorn_access_line_has_no_date_of_birth_token_or_cookie():
    logger = RedactingLogger(Config())
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/verify?number=NCC-PL-2026-00001&date_of_birth=2015-06-14",
        "PATH_INFO": "/verify",
        "QUERY_STRING": "number=NCC-PL-2026-00001&date_of_birth=2015-06-14",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_REFERER": f"https://licensing.example/parent-part/{TOKEN}",
        "HTTP_USER_AGENT": "Mozilla/5.0",
        "SECRET_KEY": "do-not-log",
    }
    request = SimpleNamespace(headers=[("AUTHORIZATION", "Bearer secret-token"), ("COOKIE", "session=abc")])
    response = SimpleNamespace(status="200 OK", sent=512, headers=[("Set-Cookie", "session=def")])
    atoms = logger.atoms(response, request, environ, timedelta(milliseconds=12))
    line = logger.cfg.access_log_format % atoms
    assert line.startswith("127.0.0.1 - - [") and '"GET /verify?[query] HTTP/1.1" 200 512' in line
    assert '"https://licensing.example/parent-part/[token]"' in line
    text = repr(atoms)
    for secret in ("2015-06-14", TOKEN, "secret-token", "session=abc", "session=def", "do-not-log"):
        assert secret not in text
    assert redact_request_line("garbage") == "garbage"


def test_a_journey_with_failures_logs_no_personal_data(licensing_app, caplog, monkeypatch):
    caplog.set_level(logging.DEBUG)
    real_render = shared_documents.render_pdf

    def fails_once(template, **context):
        monkeypatch.setattr(shared_documents, "render_pdf", real_render)
        raise RuntimeError("simulated renderer fault")

    with time_machine.travel(TODAY_AT, tick=False):
        world = LicensingWorld(licensing_app)
        name_officer(world)
        licence = world.apply(TODAY + timedelta(days=30))
        token = world.parent_token()
        assert world.complete_parent_part(token).status_code == 201
        record_checks(world, licence)
        monkeypatch.setattr(shared_documents, "render_pdf", fails_once)
        failed = world.post(path(licence), {"decision": "grant"}, world.officer)
        assert failed.status_code == 503  # the licence could not be made: nothing was decided
        grant(world, licence)
        assert world.get(path(licence, "documents/licence.pdf"), world.officer).status_code == 200
        verify = world.get("/api/v1/verify?number=NCC-PL-2026-00001&date_of_birth=2015-06-14")
        assert verify.status_code == 200
        with licensing_app.app_context():
            try:
                with db.transaction():
                    db.session().execute(
                        insert(User).values(email="parent@example.org", role="applicant", password_hash="x")
                    )
                    db.session().execute(
                        insert(User).values(email="parent@example.org", role="applicant", password_hash="x")
                    )
            except IntegrityError:
                logging.getLogger("licensing_service").exception("a constraint was broken")
    logged = caplog.text
    assert "simulated renderer fault" in logged and "a constraint was broken" in logged  # errors were logged
    for personal in ("Zoë", "Example Street", "2015-06-14", "parent@example.org", "Sam Example", token):
        assert personal not in logged, personal


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        (
            'duplicate key value violates unique constraint "uq_users_email"\n'
            "DETAIL:  Key (email)=(sam@example.org) already exists.",
            'duplicate key value violates unique constraint "uq_users_email"\nDETAIL: [redacted]',
        ),
        (
            "Key (upn, name)=(A123, Zoë (Example)) is not present",
            "Key (upn, name)=([redacted]) is not present",
        ),
        ("UNIQUE constraint failed: users.email", "UNIQUE constraint failed: users.email"),
    ],
)
def test_database_error_details_are_scrubbed(given, kept):
    assert scrub(given) == kept
