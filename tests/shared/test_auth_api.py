"""Tokens, registration and hostile input to the auth endpoints, on both services."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from tests.support.api import PASSWORD, add_user, bearer, token_for

pytestmark = pytest.mark.db

SERVICES = ["licensing", "penalty"]


@pytest.mark.parametrize("service", SERVICES)
def test_token_for_valid_credentials_works_until_it_expires(make_app, service):
    app = make_app(service)
    add_user(app, "Officer@Example.org", "officer")
    client = app.test_client()

    response = client.post(
        "/api/v1/auth/token", json={"email": " officer@example.ORG ", "password": PASSWORD}
    )
    assert response.status_code == 201
    body = response.get_json()
    assert set(body) >= {"token", "expires_at"}

    me = client.get("/api/v1/auth/me", headers=bearer(body["token"]))
    assert me.status_code == 200
    assert me.get_json()["role"] == "officer"

    with time_machine.travel(timedelta(hours=app.config["TOKEN_TTL_HOURS"], minutes=1)):
        expired = client.get("/api/v1/auth/me", headers=bearer(body["token"]))
    assert expired.status_code == 401
    assert expired.content_type == "application/problem+json"


@pytest.mark.parametrize("service", SERVICES)
def test_revoked_token_no_longer_works(make_app, service):
    app = make_app(service)
    add_user(app, "a@example.org", "admin")
    client = app.test_client()
    token = token_for(client, "a@example.org")

    assert client.delete("/api/v1/auth/token", headers=bearer(token)).status_code == 204
    assert client.get("/api/v1/auth/me", headers=bearer(token)).status_code == 401


@pytest.mark.parametrize("service", SERVICES)
def test_wrong_password_is_401_and_repeated_failures_are_rate_limited(make_app, service):
    app = make_app(service)
    add_user(app, "s@example.org", "officer")
    client = app.test_client()
    limit = app.config["SIGN_IN_MAX_FAILURES"]

    for _ in range(limit):
        response = client.post(
            "/api/v1/auth/token", json={"email": "s@example.org", "password": "wrong-password"}
        )
        assert response.status_code == 401
    blocked = client.post("/api/v1/auth/token", json={"email": "s@example.org", "password": PASSWORD})
    assert blocked.status_code == 429
    assert int(blocked.headers["Retry-After"]) > 0

    with time_machine.travel(timedelta(minutes=app.config["SIGN_IN_WINDOW_MINUTES"] + 1)):
        again = client.post("/api/v1/auth/token", json={"email": "s@example.org", "password": PASSWORD})
    assert again.status_code == 201


HOSTILE_BODIES = [
    ("not json", "text/plain", 422),
    ("{bad json", "application/json", 400),
    ("[]", "application/json", 422),
    ("null", "application/json", 422),
    ('{"email": 1, "password": 2}', "application/json", 422),
    ('{"email": "' + "a" * 10_000 + '", "password": "x"}', "application/json", 422),
    ('{"email": "x@example.org", "password": "' + "p" * 5000 + '"}', "application/json", 422),
    ('{"email": "\\u0000@example.org", "password": "x"}', "application/json", 422),
    ('{"email": "x@example.org"}', "application/json", 422),
    ("\xff\xfe", "application/json", 400),
]


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize(("body", "content_type", "status"), HOSTILE_BODIES)
def test_hostile_token_requests_get_problem_json_not_500(make_app, service, body, content_type, status):
    client = make_app(service).test_client()
    response = client.post(
        "/api/v1/auth/token", data=body.encode("utf-8", "surrogateescape"), content_type=content_type
    )
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.content_type == "application/problem+json"
    problem = response.get_json()
    assert problem["status"] == status and problem["title"] and problem["detail"]
    if status == 422:
        assert problem["errors"], problem


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize(
    "header",
    ["Bearer", "Bearer ", "Basic abc", "Bearer " + "x" * 5000, "bearer nonsense", "Bearer \u00e9t\u00e9"],
)
def test_bad_authorization_headers_are_401(make_app, service, header):
    client = make_app(service).test_client()
    response = client.get("/api/v1/auth/me", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_wrong_method_is_405_with_allow_header(penalty_app):
    response = penalty_app.test_client().put("/api/v1/auth/token")
    assert response.status_code == 405
    assert response.content_type == "application/problem+json"
    assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"POST", "DELETE"}


def test_applicant_can_register_on_licensing_and_sign_in(licensing_app):
    client = licensing_app.test_client()
    response = client.post(
        "/api/v1/auth/register",
        json={"email": "producer@example.org", "password": "A-long-enough-pass", "name": "Pat Producer"},
    )
    assert response.status_code == 201
    assert response.get_json()["role"] == "applicant"
    token = token_for(client, "producer@example.org", "A-long-enough-pass")
    assert client.get("/api/v1/auth/me", headers=bearer(token)).get_json()["email"] == "producer@example.org"

    again = client.post(
        "/api/v1/auth/register",
        json={"email": "PRODUCER@example.org", "password": "A-long-enough-pass", "name": "Pat"},
    )
    assert again.status_code == 422
    assert "email" in again.get_json()["errors"]


@pytest.mark.parametrize(
    ("password", "reason"),
    [("short", "12 characters"), ("aaaaaaaaaaaaaaaa", "repeat"), ("x" * 200, "128 characters")],
)
def test_registration_refuses_weak_passwords(licensing_app, password, reason):
    response = licensing_app.test_client().post(
        "/api/v1/auth/register", json={"email": "p@example.org", "password": password, "name": "P"}
    )
    assert response.status_code == 422
    assert reason in " ".join(response.get_json()["errors"]["password"])


def test_penalty_service_has_no_self_registration(penalty_app):
    response = penalty_app.test_client().post(
        "/api/v1/auth/register",
        json={"email": "p@example.org", "password": "A-long-enough-pass", "name": "P"},
    )
    assert response.status_code in (404, 405)
    assert response.content_type == "application/problem+json"


def test_token_issue_and_revocation_are_audited(penalty_app):
    from sqlalchemy import select

    from shared import db
    from shared.audit import AuditEvent

    user_id = add_user(penalty_app, "o@example.org", "officer")
    client = penalty_app.test_client()
    token = token_for(client, "o@example.org")
    client.delete("/api/v1/auth/token", headers=bearer(token))
    with penalty_app.app_context():
        actions = (
            db.session().scalars(select(AuditEvent.action).where(AuditEvent.object_id == str(user_id))).all()
        )
    assert actions == ["token.issued", "token.revoked"]
