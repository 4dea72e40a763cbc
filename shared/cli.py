"""Commands both services share: ``db``, ``users``, ``jobs`` and ``scheduler``."""

from __future__ import annotations

import click
from alembic import command
from flask import Flask
from flask.cli import AppGroup

from shared import audit, db, migrations, users
from shared.users import Role

db_cli = AppGroup("db", help="Database migrations (Alembic).")
users_cli = AppGroup("users", help="Manage user accounts.")


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Bring the database up to REVISION (default: the newest)."""
    migrations.upgrade(revision=revision)
    click.echo(f"database at {revision}")


@db_cli.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    command.downgrade(migrations.alembic_config(), revision)


@db_cli.command("revision")
@click.option("-m", "--message", required=True)
@click.option("--autogenerate/--empty", default=True)
def db_revision(message: str, autogenerate: bool) -> None:
    """Write a new migration from the difference between the models and the database."""
    command.revision(migrations.alembic_config(), message=message, autogenerate=autogenerate)


@db_cli.command("current")
def db_current() -> None:
    command.current(migrations.alembic_config(), verbose=False)


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--name", default="")
@click.option("--school", "school_urn", default=None, help="School URN (role school only).")
def users_create(email: str, role: str, password: str, name: str, school_urn: str | None) -> None:
    """Create a user who can sign in."""
    if role == Role.SCHOOL and not school_urn:
        raise click.UsageError("a school user needs --school URN")
    if role != Role.SCHOOL and school_urn:
        raise click.UsageError("--school goes only with --role school")
    problems = users.password_problems(password)
    if problems:
        raise click.UsageError("; ".join(problems))
    if users.find_user(email):
        raise click.UsageError(f"a user with email {email} already exists")
    with db.transaction():
        user = users.create_user(email, password, role, name=name, school_urn=school_urn)
        db.session().flush()
        audit.record(
            "user.created", "user", user.id, after={"role": role, "school_urn": school_urn}, actor="cli"
        )
    click.echo(f"created {role} user {user.id}")


def register(app: Flask) -> None:
    app.cli.add_command(db_cli)
    app.cli.add_command(users_cli)
