"""What every service answers: status, OpenAPI, API docs, and the calendar endpoint."""

from __future__ import annotations

import pytest
from openapi_spec_validator import validate

SERVICES = ["licensing", "penalty"]


@pytest.mark.parametrize("service", SERVICES)
def test_status_is_ok_with_a_database(make_app, service):
    response = make_app(service).test_client().get("/_status")
    assert response.status_code == 200
    assert response.get_json() | {"status": "ok", "database": "ok"} == response.get_json()


@pytest.mark.parametrize("service", SERVICES)
def test_status_is_503_when_the_database_is_unreachable(make_app, service, tmp_path):
    unreachable = "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1"
    app = make_app(service)
    app.config["DATABASE_URL"] = unreachable
    from shared import db

    app.extensions["db_engine"] = db.make_engine(unreachable)
    response = app.test_client().get("/_status")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"


@pytest.mark.parametrize("service", SERVICES)
def test_openapi_document_is_valid_openapi_3(make_app, service):
    client = make_app(service).test_client()
    document = client.get("/api/openapi.json").get_json()
    validate(document)
    assert document["openapi"].startswith("3.")
    assert "/api/v1/auth/token" in document["paths"]
    docs = client.get("/api/docs")
    assert docs.status_code == 200 and "swagger-ui-bundle.js" in docs.get_data(as_text=True)


def test_registration_is_documented_only_where_it_exists(make_app):
    licensing = make_app("licensing").test_client().get("/api/openapi.json").get_json()
    penalty = make_app("penalty").test_client().get("/api/openapi.json").get_json()
    assert "/api/v1/auth/register" in licensing["paths"]
    assert "/api/v1/auth/register" not in penalty["paths"]


@pytest.mark.parametrize(
    ("start", "add", "expected"),
    [
        ("2025-12-15", 10, "2025-12-31"),  # across Christmas Day and Boxing Day 2025
        ("2026-04-01", 3, "2026-04-08"),  # Good Friday 3 Apr and Easter Monday 6 Apr 2026
        ("2026-12-24", 1, "2026-12-29"),  # Christmas Day and the 28 Dec substitute for Boxing Day
        ("2026-05-01", 1, "2026-05-05"),  # early May bank holiday, Monday 4 May 2026
        ("2026-11-23", 0, "2026-11-23"),
    ],
)
def test_working_days_endpoint(penalty_app, start, add, expected):
    response = penalty_app.test_client().get(f"/api/v1/calendar/working-days?from={start}&add={add}")
    assert response.status_code == 200
    assert response.get_json()["date"] == expected


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("from=2025-13-01&add=1", "from"),
        ("from=yesterday&add=1", "from"),
        ("add=1", "from"),
        ("from=2025-12-15", "add"),
        ("from=2025-12-15&add=ten", "add"),
        ("from=2025-12-15&add=99999999999999999999", "add"),
        ("from=0001-01-01&add=-5", "add"),
        ("from=9999-12-31&add=5", "add"),
    ],
)
def test_working_days_endpoint_rejects_bad_input_with_the_field(penalty_app, query, field):
    response = penalty_app.test_client().get(f"/api/v1/calendar/working-days?{query}")
    assert response.status_code == 422, response.get_data(as_text=True)
    assert response.content_type == "application/problem+json"
    assert field in response.get_json()["errors"]
