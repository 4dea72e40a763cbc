"""``flask --app licensing_service seed-demo``: demo accounts and a demo production, for trying the
service locally."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import click
from flask import Flask
from sqlalchemy import select

from licensing_service import seed_work
from shared import calendar, db, demo, users

DEMO_USERS = [
    demo.DemoUser(
        "officer@licensing.example", "officer", "Officer-demo-2026", "Senior Professional Practitioner"
    ),
    demo.DemoUser("admin@licensing.example", "admin", "Admin-demo-2026!", "Service administrator"),
    demo.DemoUser("producer@licensing.example", "applicant", "Producer-demo-2026", "Demo Productions Ltd"),
    demo.DemoUser("employer@licensing.example", "applicant", "Employer-demo-2026", "Demo Newsagents Ltd"),
    demo.DemoUser("chaperone@licensing.example", "applicant", "Chaperone-demo-2026", "Casey Demo"),
]


DEMO_PRODUCER = "producer@licensing.example"
DEMO_PRODUCTION = "The Snow Queen (demo)"


def _demo_days(first: date) -> list[dict]:
    """A rehearsal then four performances, each within the limits for a child of 9 or more."""
    return [
        {
            "date": (first + timedelta(days=i)).isoformat(),
            "kind": "rehearsal" if i == 0 else "performance",
            "arrive": "09:30",
            "leave": "17:00",
            "performing": [{"start": "10:30", "end": "12:00"}, {"start": "14:00", "end": "15:30"}],
        }
        for i in range(5)
    ]


def ensure_demo_production() -> Iterator[str]:
    """One production for the demo producer, with one child's application submitted and one a draft;
    dates relative to today, so the demo always shows an application with enough notice."""
    from licensing_service.models.productions import Production
    from licensing_service.schemas.licences import PerformanceLicenceInSchema
    from licensing_service.services import licences, productions

    producer = users.find_user(DEMO_PRODUCER)
    if producer is None:
        return
    existing = db.session().scalar(
        select(Production).where(Production.owner_id == producer.id, Production.name == DEMO_PRODUCTION)
    )
    if existing is not None:
        yield f"demo production {DEMO_PRODUCTION!r} already in place"
        return
    production = productions.create(
        {
            "name": DEMO_PRODUCTION,
            "type": "theatre",
            "broadcast": False,
            "paid": True,
            "producer": {
                "name": "Dana Demo",
                "organisation": "Demo Productions Ltd",
                "email": DEMO_PRODUCER,
                "phone": "0115 000 0000",
                "address": "1 Demo Street, Nottingham NG1 1AA",
            },
            "host_authority": {"name": "Nottinghamshire County Council", "email": None},
            "venues": [{"name": "Theatre Royal", "address": "Theatre Square, Nottingham NG1 5ND"}],
        },
        producer,
    )
    today = calendar.today()
    first_day = today + timedelta(days=35)
    submitted = PerformanceLicenceInSchema().load(
        {
            "production_id": production.id,
            "child": {
                "first_name": "Ava",
                "last_name": "Demo",
                "date_of_birth": date(today.year - 10, 3, 14).isoformat(),
                "address": "2 Demo Road, Mansfield NG18 1AA",
                "school_name": "Demo Primary School",
            },
            "parent": {"name": "Alex Demo", "email": "parent@licensing.example", "address": "2 Demo Road"},
            "days": _demo_days(first_day),
            "night_work": False,
            "chaperone": {"is_parent": True},
            "education": {"school_days_missed": 0},
        }
    )
    licences.create_and_submit(submitted, producer)
    licences.create_draft(
        production.id,
        {
            "child": {
                "first_name": "Ben",
                "last_name": "Demo",
                "date_of_birth": date(today.year - 7, 9, 2),
                "address": "3 Demo Road, Mansfield NG18 1AA",
                "school_name": "Demo Primary School",
            },
            "parent": {"name": "Jo Demo", "email": "parent2@licensing.example", "address": "3 Demo Road"},
        },
        producer,
    )
    yield f"demo production {DEMO_PRODUCTION!r}: one application submitted, one draft"


def register(app: Flask) -> None:
    @app.cli.command("seed-demo")
    def seed_demo() -> None:
        """Create the demo users, a demo production and demo work for the queue (idempotent)."""
        for line in demo.ensure_users(DEMO_USERS):
            click.echo(line)
        for line in ensure_demo_production():
            click.echo(line)
        for line in seed_work.ensure_demo_work():
            click.echo(line)
