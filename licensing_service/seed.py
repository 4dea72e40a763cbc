"""``flask --app licensing_service seed-demo``: demo accounts for trying the service locally."""

from __future__ import annotations

import click
from flask import Flask

from shared import demo

DEMO_USERS = [
    demo.DemoUser(
        "officer@licensing.example", "officer", "Officer-demo-2026", "Senior Professional Practitioner"
    ),
    demo.DemoUser("admin@licensing.example", "admin", "Admin-demo-2026!", "Service administrator"),
    demo.DemoUser("producer@licensing.example", "applicant", "Producer-demo-2026", "Demo Productions Ltd"),
]


def register(app: Flask) -> None:
    @app.cli.command("seed-demo")
    def seed_demo() -> None:
        """Create the demo users (idempotent)."""
        for line in demo.ensure_users(DEMO_USERS):
            click.echo(line)
