"""The commands both services share: users create, seed-demo, db upgrade."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from licensing_service.services import licensing_queue
from shared import db, users
from shared.audit import AuditEvent


def run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def test_users_create_makes_a_user_who_can_get_a_token(penalty_app):
    result = run(
        penalty_app,
        "users",
        "create",
        "Head@School.example",
        "--role",
        "school",
        "--school",
        "123456",
        "--password",
        "A-good-password-1",
    )
    assert result.exit_code == 0, result.output
    client = penalty_app.test_client()
    response = client.post(
        "/api/v1/auth/token", json={"email": "head@school.example", "password": "A-good-password-1"}
    )
    assert response.status_code == 201
    with penalty_app.app_context():
        user = users.find_user("head@school.example")
        assert (user.role, user.school_urn) == ("school", "123456")
        assert (
            db.session().scalar(select(AuditEvent.action).where(AuditEvent.object_id == str(user.id)))
            == "user.created"
        )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "school", "--password", "A-good-password-1"], "needs --school"),
        (
            ["--role", "officer", "--school", "1", "--password", "A-good-password-1"],
            "only with --role school",
        ),
        (["--role", "officer", "--password", "short"], "12 characters"),
        (["--role", "wizard", "--password", "A-good-password-1"], "Invalid value"),
    ],
)
def test_users_create_refuses_bad_input(penalty_app, args, message):
    result = run(penalty_app, "users", "create", "x@example.org", *args)
    assert result.exit_code != 0
    assert message in result.output
    with penalty_app.app_context():
        assert users.find_user("x@example.org") is None


def test_users_create_refuses_a_duplicate_email(licensing_app):
    assert (
        run(
            licensing_app,
            "users",
            "create",
            "a@example.org",
            "--role",
            "officer",
            "--password",
            "A-good-password-1",
        ).exit_code
        == 0
    )
    again = run(
        licensing_app,
        "users",
        "create",
        "A@example.org",
        "--role",
        "admin",
        "--password",
        "A-good-password-1",
    )
    assert again.exit_code != 0 and "already exists" in again.output


@pytest.mark.parametrize(
    ("service", "roles", "accounts"),
    [
        ("licensing", {"officer", "admin", "applicant"}, 5),
        ("penalty", {"officer", "admin", "school"}, 3),
    ],
)
def test_seed_demo_creates_users_for_every_role_and_is_idempotent(make_app, service, roles, accounts):
    app = make_app(service)
    first = run(app, "seed-demo")
    second = run(app, "seed-demo")
    assert first.exit_code == second.exit_code == 0, first.output + second.output
    assert first.output.count("created") == accounts and second.output.count("exists") == accounts
    with app.app_context():
        assert set(db.session().scalars(select(users.User.role))) == roles


def test_the_licensing_demo_puts_every_kind_of_work_on_the_queue(make_app):
    app = make_app("licensing")
    first = run(app, "seed-demo")
    second = run(app, "seed-demo")
    assert first.exit_code == second.exit_code == 0, first.output + second.output
    assert second.output.count("already in place") == 4
    with app.app_context():
        queue = licensing_queue.page(page=1, page_size=25)
    assert {kind: n for kind, n in queue["counts"].items() if n} == {
        "performance_licence": 1,
        "chaperone_approval": 1,
        "employment_permit": 1,
        "concern": 2,
        "inspection": 1,
    }
    first_item = queue["items"][0]
    assert (first_item.kind, first_item.urgent) == ("concern", True)


def test_db_upgrade_is_idempotent(penalty_app):
    result = run(penalty_app, "db", "upgrade")
    assert result.exit_code == 0, result.output
    assert "database at head" in result.output
