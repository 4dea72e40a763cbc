"""The ``permit-reminders`` job under a frozen clock: a permit granted on Monday 9 November 2026 is valid
until Monday 8 November 2027. The expiry reminder (4 weeks before) is due from Monday 11 October 2027 and
goes to the employer and the parent once, ever; on Tuesday 9 November 2027 the permit becomes expired."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from sqlalchemy import func, select

from licensing_service.models.employment import PermitReminder
from shared import db, scheduler
from tests.licensing.employment_builders import EMPLOYER_EMAIL, ON_TIME, PARENT_EMAIL, EmploymentWorld


@pytest.fixture
def world(licensing_app):
    with time_machine.travel(ON_TIME, tick=False):
        world = EmploymentWorld(licensing_app)
        world.permit = world.granted()
    return world


def run(world, on: date) -> dict:
    with time_machine.travel(f"{on.isoformat()} 06:15 +0000", tick=False), world.app.app_context():
        job_run = scheduler.run_job("permit-reminders", on)
        assert job_run.outcome == "succeeded", job_run.error
        return job_run.counts


def reminders(world, address: str) -> list:
    return [m for m in world.outbox(address) if "ends on" in m.subject]


def test_the_expiry_reminder_goes_once_to_each(world):
    assert world.permit["valid_until"] == "2027-11-08"
    assert run(world, date(2027, 10, 10)) == {"expired": 0, "reminders": 0}
    assert run(world, date(2027, 10, 11)) == {"expired": 0, "reminders": 2}
    assert run(world, date(2027, 10, 11)) == {"expired": 0, "reminders": 0}
    assert run(world, date(2027, 10, 25)) == {"expired": 0, "reminders": 0}
    for address in (EMPLOYER_EMAIL, PARENT_EMAIL):
        sent = reminders(world, address)
        assert len(sent) == 1
        assert "Monday 8 November 2027" in sent[0].subject
        assert "in 4 weeks" in sent[0].body
    with world.app.app_context():
        assert db.session().scalar(select(func.count()).select_from(PermitReminder)) == 2
    actions = world.actions("employment_permit", world.permit["id"])
    assert actions.count("employment_permit.expiry_reminder_sent") == 2


def test_a_reminder_is_unique_in_the_database(world):
    from sqlalchemy.exc import IntegrityError

    run(world, date(2027, 10, 11))
    with world.app.app_context():
        session = db.session()
        session.add(
            PermitReminder(
                permit_id=world.permit["id"], party="employer", weeks=4, sent_on=date(2027, 10, 12)
            )
        )
        with pytest.raises(IntegrityError):
            session.flush()
        session.rollback()


def test_a_permit_past_its_year_expires(world):
    assert run(world, date(2027, 11, 8))["expired"] == 0
    assert (
        world.get(
            f"/api/v1/employment-permits/{world.permit['id']}", world.sign_in("officer@example.org")
        ).get_json()["status"]
        == "granted"
    )
    assert run(world, date(2027, 11, 9))["expired"] == 1
    assert run(world, date(2027, 11, 10))["expired"] == 0
    with time_machine.travel("2027-11-10 10:00 +0000", tick=False):
        officer = world.sign_in("officer@example.org")
        permit = world.get(f"/api/v1/employment-permits/{world.permit['id']}", officer).get_json()
    assert permit["status"] == "expired"
    assert world.actions("employment_permit", world.permit["id"])[-1] == "employment_permit.expired"
    expired = [
        e for e in world.audit("employment_permit", world.permit["id"]) if e.action.endswith("expired")
    ]
    assert expired[0].before == {"status": "granted"}
    # The reminder went on the last day (the run on 8 November), and never again once expired.
    assert len(reminders(world, EMPLOYER_EMAIL)) == 1
