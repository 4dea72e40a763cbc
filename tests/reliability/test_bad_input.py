"""Bad input at the edges (SPEC §6: a clear problem+json and nothing changed, never a 500): bodies over
the size limit, bodies of the wrong type on every JSON rule of both APIs, a bank file of a million rows
through the API and the command line, and uploads judged by their content, not their name."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from penalty_service.models import Payment, PenaltyNotice
from shared import db
from tests.licensing.builders import TODAY, TODAY_AT, LicensingWorld, png
from tests.penalty.builders import PenaltyWorld
from tests.support.api import add_user, bearer, token_for
from tests.support.routes import example_path

PAYMENTS_HEADER = "notice_number,amount_pence,paid_on,reference,method\n"
LEGACY_HEADER = "pupil_upn,pupil_name,parent_name,issued_on,outcome,school_urn\n"
MILLION = 1_000_000


def officer_headers(app) -> dict[str, str]:
    add_user(app, "officer@example.org", "officer")
    return bearer(token_for(app.test_client(), "officer@example.org"))


def json_rules(app) -> list[tuple[str, str]]:
    """(method, example path) for every API rule that takes a JSON body."""
    found = []
    for rule in app.url_map.iter_rules():
        if (
            not rule.rule.startswith("/api/v1/")
            or rule.rule.endswith("/import")
            or rule.rule.endswith("/photo")
        ):
            continue
        path = example_path(rule)
        found += [(m, path) for m in sorted(set(rule.methods or ()) & {"POST", "PUT"})]
    return sorted(found)


def assert_problem(response, status: int | tuple[int, ...]) -> None:
    statuses = status if isinstance(status, tuple) else (status,)
    assert response.status_code in statuses, (response.status_code, response.get_data(as_text=True)[:300])
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["status"] == response.status_code


@pytest.mark.parametrize("service", ["licensing", "penalty"])
def test_a_body_over_the_limit_is_413_on_every_service(make_app, service):
    app = make_app(service)
    limit = app.config["MAX_CONTENT_LENGTH"]
    huge = b'{"email": "' + b"a" * (limit + 1) + b'"}'
    response = app.test_client().post("/api/v1/auth/token", data=huge, content_type="application/json")
    assert_problem(response, 413)


@pytest.mark.parametrize("service", ["licensing", "penalty"])
def test_every_json_rule_refuses_bodies_of_the_wrong_kind_with_a_problem(make_app, service):
    app = make_app(service)
    headers = officer_headers(app)
    client = app.test_client()
    rules = json_rules(app)
    assert len(rules) > 10
    bodies = [
        ("text/plain", b'{"decision": "grant"}'),
        ("application/x-www-form-urlencoded", b"decision=grant"),
        ("application/json", b'{"decision": '),  # cut short
        ("application/json", b"\xff\xfe\x00garbage"),  # not UTF-8
        ("application/json", b"[1, 2, 3]"),
        ("application/json", b'"a string"'),
        ("application/json", b"null"),
    ]
    for method, path in rules:
        for content_type, body in bodies:
            response = client.open(path, method=method, data=body, content_type=content_type, headers=headers)
            assert 400 <= response.status_code < 500, (method, path, content_type, body, response.status_code)
            assert response.mimetype == "application/problem+json", (method, path, content_type)


def million_rows(header: str, row: str) -> bytes:
    return (header + row * MILLION).encode()


def test_a_bank_file_of_a_million_rows_is_refused_whole_by_the_api_and_the_command(penalty_app, tmp_path):
    world = PenaltyWorld(penalty_app)
    content = million_rows(PAYMENTS_HEADER, "PN-2026-0000001,8000,2026-02-02,REF,card\n")  # 41 MB
    upload = world.client.post(
        "/api/v1/payments/import",
        data={"file": (io.BytesIO(content), "bank.csv")},
        content_type="multipart/form-data",
        headers=world.officer,
    )
    assert_problem(upload, 422)
    assert upload.get_json()["errors"] == {
        "file": ["The file has more than 200,000 rows: split it into smaller files"]
    }
    bigger = world.client.post(
        "/api/v1/payments/import",
        data=content + content[len(PAYMENTS_HEADER) :],
        content_type="text/csv",
        headers=world.officer,
    )
    assert_problem(bigger, 413)  # over the 40 MB an import may be

    path = tmp_path / "bank.csv"
    path.write_bytes(content)
    result = penalty_app.test_cli_runner().invoke(args=["payments", "import", str(path)])
    assert result.exit_code == 1
    assert "The file has more than 200,000 rows: split it into smaller files" in result.output
    with penalty_app.app_context():
        assert db.session().scalar(select(func.count()).select_from(Payment)) == 0


def test_a_legacy_file_of_a_million_rows_imports_nothing(penalty_app, tmp_path):
    path = tmp_path / "legacy.csv"
    path.write_bytes(million_rows(LEGACY_HEADER, "A123456789012,Zoë Example,Sam Example,2025-01-06,paid,\n"))
    add_user(penalty_app, "officer@example.org", "officer")
    result = penalty_app.test_cli_runner().invoke(args=["legacy-notices", "import", str(path)])
    assert result.exit_code == 1 and "split it into smaller files" in result.output
    with penalty_app.app_context():
        assert db.session().scalar(select(func.count()).select_from(PenaltyNotice)) == 0


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (png(), "UTF-8"),  # a picture named .csv
        (PAYMENTS_HEADER.encode("utf-16"), "UTF-8"),
        (b"notice_number,amount\n", "missing columns"),
        (b"", "empty"),
        (b'notice_number,amount_pence,paid_on,reference,method\n"unclosed,1,2,3,4\n', None),
    ],
)
def test_a_bank_file_is_judged_by_its_content_not_its_name(penalty_app, content, reason):
    world = PenaltyWorld(penalty_app)
    response = world.client.post(
        "/api/v1/payments/import",
        data={"file": (io.BytesIO(content), "bank.csv")},
        content_type="multipart/form-data",
        headers=world.officer,
    )
    assert_problem(response, 422)
    if reason:
        assert reason in response.get_json()["detail"]
    with penalty_app.app_context():
        assert db.session().scalar(select(func.count()).select_from(Payment)) == 0


def test_a_photo_is_judged_by_its_bytes_not_its_name(licensing_app):
    import time_machine

    with time_machine.travel(TODAY_AT, tick=False):
        world = LicensingWorld(licensing_app)
        world.apply(TODAY.replace(day=31))
        token = world.parent_token()
        for content, name in (
            (b"%PDF-1.7 not a picture", "child.png"),
            (PAYMENTS_HEADER.encode(), "child.jpg"),
        ):
            response = world.client.post(
                f"/api/v1/parent-part/{token}",
                data={"declaration": "true", "photo": (io.BytesIO(content), name)},
                content_type="multipart/form-data",
            )
            assert_problem(response, 422)
            assert "photo" in response.get_json()["errors"]
        assert world.complete_parent_part(token).status_code == 201  # the link was not used up
