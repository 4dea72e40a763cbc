"""``flask --app SERVICE retention run [--dry-run] [--today YYYY-MM-DD]``: apply the service's retention
policies now (or count what they would change) and print what each did as a table."""

from __future__ import annotations

from collections.abc import Iterable

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from shared import calendar, retention
from shared.retention import Outcome, Policy
from shared.scheduler import _parse_today

retention_cli = AppGroup("retention", help="Delete or anonymise records past their retention period.")

TABLE_WIDTH = 150  # wide enough for every column when the output is not a terminal


def _console(stderr: bool = False) -> Console:
    console = Console(stderr=stderr)
    return console if console.is_terminal else Console(stderr=stderr, width=TABLE_WIDTH)


def outcome_table(outcomes: list[Outcome], title: str) -> Table:
    table = Table(title=title)
    table.add_column("policy")
    table.add_column("action")
    table.add_column("kept for")
    table.add_column("measured before")
    table.add_column("records", justify="right")
    table.add_column("oldest")
    table.add_column("with them")
    for o in outcomes:
        table.add_row(
            o.policy,
            o.action.value,
            o.kept_for,
            o.cutoff.isoformat(),
            str(o.records),
            o.oldest.isoformat() if o.oldest else "-",
            ", ".join(f"{name} {count}" for name, count in o.related.items()) or "-",
        )
    return table


@retention_cli.command("run")
@click.option("--dry-run", is_flag=True, help="Count what would be deleted or anonymised; change nothing.")
@click.option("--today", help="Run as if today were this date (YYYY-MM-DD).")
def retention_run(dry_run: bool, today: str | None) -> None:
    """Delete or anonymise every record past its retention period, one policy at a time."""
    day = _parse_today(today) or calendar.today()
    policies = retention.policies_of(current_app)
    with Progress(
        TextColumn("{task.description:32}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=_console(stderr=True),
        transient=True,
        disable=dry_run,
    ) as bar:
        tasks: dict[str, int] = {}

        def report(policy: Policy, done: int, total: int) -> None:
            if policy.name not in tasks:
                tasks[policy.name] = bar.add_task(policy.name, total=max(total, 1))
            bar.update(tasks[policy.name], completed=done if total else 1, total=max(total, 1))

        try:
            outcomes = retention.run(policies, day, dry_run=dry_run, progress=report)
        except retention.RetentionSettingError as exc:
            raise click.ClickException(str(exc)) from exc
    title = f"Retention {'dry run (nothing changed)' if dry_run else 'run'} for {day.isoformat()}"
    _console().print(outcome_table(outcomes, title))


def register(app: Flask, policies: Iterable[Policy]) -> None:
    """Give the service its retention policies (``retention run`` and the ``retention`` job use them)."""
    app.extensions["retention_policies"] = tuple(policies)
    app.cli.add_command(retention_cli)
