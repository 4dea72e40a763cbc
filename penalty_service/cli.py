"""Commands for payments and legacy notices, registered by the app factory. Commands:

- ``flask --app penalty_service payments import FILE``: import a bank file (as
  ``POST /api/v1/payments/import``) with a progress bar and a summary;
- ``flask --app penalty_service legacy-notices import FILE``: import notices from the previous system.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from penalty_service.services import legacy, payments
from shared.problems import Problem

CLI_ACTOR = "cli"

payments_cli = AppGroup("payments", help="Payments: import bank files.")
legacy_cli = AppGroup("legacy-notices", help="Notices from the previous system.")

PHASES = {
    "validated": "Checking the file",
    "inserted": "Recording payments",
    "reassessing": "Updating notices",
}


def _fail(console: Console, problem: Problem) -> None:
    console.print(f"[red]{problem.description}[/red]")
    for field, messages in problem.errors.items():
        console.print(f"  {field}: {' '.join(messages)}")
    raise SystemExit(1)


@payments_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_payments(file: Path) -> None:
    """Import a bank file of payments (all or nothing; references already held are duplicates)."""
    console = Console(stderr=True)
    content = file.read_bytes()
    with Progress(
        TextColumn("{task.description:20}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as bar:
        tasks: dict[str, int] = {}

        def report(phase: str, done: int, total: int) -> None:
            if phase not in tasks:
                tasks[phase] = bar.add_task(PHASES.get(phase, phase), total=max(total, 1))
            bar.update(tasks[phase], completed=done if total else 1, total=max(total, 1))

        report("validated", 0, 0)
        try:
            result = payments.import_csv(content, None, actor=CLI_ACTOR, progress=report)
        except Problem as problem:
            bar.stop()
            _fail(console, problem)
            return
    table = Table(title=f"Imported {file.name}")
    table.add_column("")
    table.add_column("payments", justify="right")
    labels = {
        "rows": "rows in the file",
        "matched": "matched to a notice",
        "unmatched": "in suspense (no notice)",
        "duplicates": "duplicates (skipped)",
        "refund_due": "flagged for refund",
        "notices_paid": "notices now paid",
    }
    for key, value in result.as_dict().items():
        table.add_row(labels[key], f"{value:,}")
    Console().print(table)


@legacy_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_legacy(file: Path) -> None:
    """Import notices from the previous system (all or nothing; a notice already held is a duplicate)."""
    console = Console(stderr=True)
    try:
        with console.status("Importing legacy notices"):
            result = legacy.import_csv(file.read_bytes(), None)
    except Problem as problem:
        _fail(console, problem)
        return
    click.echo(
        f"{result['rows']:,} rows: {result['created']:,} notices recorded, "
        f"{result['duplicates']:,} duplicates"
    )


def register(app: Flask) -> None:
    app.cli.add_command(payments_cli)
    app.cli.add_command(legacy_cli)
