"""``flask --app penalty_service seed-demo``: demo accounts for trying the service locally."""

from __future__ import annotations

import click
from flask import Flask

from shared import demo

DEMO_SCHOOL_URN = "122000"
DEMO_USERS = [
    demo.DemoUser("officer@penalty.example", "officer", "Officer-demo-2026", "Enforcement Officer"),
    demo.DemoUser("admin@penalty.example", "admin", "Admin-demo-2026!", "Unit Leader for Enforcement"),
    demo.DemoUser(
        "school@penalty.example", "school", "School-demo-2026", "Attendance Officer", DEMO_SCHOOL_URN
    ),
]


def register(app: Flask) -> None:
    @app.cli.command("seed-demo")
    def seed_demo() -> None:
        """Create the demo users (idempotent)."""
        for line in demo.ensure_users(DEMO_USERS):
            click.echo(line)
