"""Schemathesis over each service's OpenAPI document: every operation, as every role, with valid and
invalid input. No answer may be a server error or break the documented schema.

``FUZZ_EXAMPLES`` sets the examples per operation, role and mode: a few in ``make test``, many in
``make fuzz``. Each service runs on one database seeded with the demo data, so ids in paths reach
real records now and then and the state built up by earlier calls is explored too.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import hypothesis
import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import select

from shared import db, migrations, users
from tests.conftest import SERVICES, _base_config, _factory, _fresh_url

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "3"))
ROLES = {
    "licensing": ("anonymous", "applicant", "officer", "admin"),
    "penalty": ("anonymous", "school", "officer", "admin"),
}
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance, status_code_conformance]


def _operations(service: str) -> list[tuple[str, str]]:
    app = _factory(service)({"DATABASE_URL": "sqlite://", "SECRET_KEY": "collect", "TESTING": True})
    document = app.test_client().get("/api/openapi.json").get_json()
    return [
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    ]


# Each service's cases stay on one worker, which seeds that service's database once.
CASES = [
    pytest.param(
        service,
        role,
        method,
        path,
        id=f"{service}-{role}-{method} {path}",
        marks=pytest.mark.xdist_group(service),
    )
    for service in SERVICES
    for method, path in _operations(service)
    for role in ROLES[service]
]


@dataclass
class Target:
    app: Flask
    schema: schemathesis.BaseSchema
    tokens: dict[str, str] = field(default_factory=dict)

    def mint(self, role: str) -> None:
        with self.app.app_context(), db.transaction():
            user = db.session().scalars(select(users.User).where(users.User.role == role)).first()
            self.tokens[role], _ = users.issue_token(user, timedelta(hours=4))

    def headers(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"} if role != "anonymous" else {}


def _target(service: str, migrated_databases: dict[str, str], tmp: Path) -> Target:
    config = {**_base_config(_fresh_url(service, migrated_databases, tmp), tmp), "RATELIMIT_ENABLED": False}
    app = _factory(service)(config)
    migrations.upgrade(app)
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    target = Target(
        app, schemathesis.openapi.from_dict(app.test_client().get("/api/openapi.json").get_json())
    )
    for role in ROLES[service][1:]:
        target.mint(role)
    return target


@pytest.fixture(scope="module")
def targets(migrated_databases, tmp_path_factory) -> Iterator[dict[str, Target]]:
    """Each service's seeded app, built when its first case runs."""

    class Lazy(dict):
        def __missing__(self, service: str) -> Target:
            self[service] = _target(service, migrated_databases, tmp_path_factory.mktemp(f"fuzz-{service}"))
            return self[service]

    built = Lazy()
    yield built
    for target in built.values():
        target.app.extensions["db_engine"].dispose()


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=str)
@pytest.mark.parametrize(("service", "role", "method", "path"), CASES)
def test_no_server_error_and_every_answer_matches_the_document(targets, service, role, method, path, mode):
    target = targets[service]
    operation = target.schema[path][method]

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=os.environ.get("FUZZ_RANDOM") != "1",
        suppress_health_check=list(HealthCheck),
    )
    @hypothesis.given(operation.as_strategy(generation_mode=mode))
    def check(case):
        try:
            case.call_and_validate(app=target.app, headers=target.headers(role), checks=CHECKS)
        finally:
            if method == "DELETE" and path.endswith("/auth/token") and role != "anonymous":
                target.mint(role)  # the call may have revoked this role's token

    check()
