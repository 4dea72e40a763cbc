"""The ``chaperone-reminders`` job under a frozen clock: renewal reminders 8 and 2 weeks before an
approval ends, each sent once ever (a second run, or a run days later, never sends it again; a run that
missed the day still sends the one due), and approvals past their end marked expired.

An approval made on Monday 2 March 2026 is valid until Thursday 1 March 2029: the 8-week reminder is due
on Thursday 4 January 2029 and the 2-week reminder on Thursday 15 February 2029.
"""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from shared.scheduler import run_job
from tests.licensing.chaperone_builders import CHAPERONE_EMAIL, NOW, ChaperoneWorld


@pytest.fixture
def world(licensing_app):
    with time_machine.travel(NOW, tick=False):
        world = ChaperoneWorld(licensing_app)
        created = world.apply()
        world.make_ready(created["id"])
        assert world.decide(created["id"], {"decision": "approve"}).status_code == 200
        world.approval_id = created["id"]
        yield world


def run(world, on: date) -> dict:
    with world.app.app_context():
        result = run_job("chaperone-reminders", on)
        assert result.outcome == "succeeded", result.error
        return result.counts


def reminders(world) -> list[str]:
    return [m.subject for m in world.outbox(CHAPERONE_EMAIL) if "ends on" in m.subject]


def test_each_reminder_is_sent_once_and_never_again(world):
    assert run(world, date(2029, 1, 3)) == {"expired": 0, "reminders": 0}
    assert run(world, date(2029, 1, 4))["reminders"] == 1
    assert run(world, date(2029, 1, 4))["reminders"] == 0
    assert run(world, date(2029, 1, 9))["reminders"] == 0
    assert run(world, date(2029, 2, 15))["reminders"] == 1
    assert run(world, date(2029, 2, 20))["reminders"] == 0
    assert reminders(world) == [
        "Your chaperone approval NCC-CA-2026-00001 ends on Thursday 1 March 2029",
        "Your chaperone approval NCC-CA-2026-00001 ends on Thursday 1 March 2029",
    ]
    bodies = [m.body for m in world.outbox(CHAPERONE_EMAIL) if "ends on" in m.subject]
    assert "in 8 weeks" in bodies[0] and "in 2 weeks" in bodies[1]
    assert world.actions(world.approval_id).count("chaperone_approval.renewal_reminder_sent") == 2


def test_a_run_that_missed_the_day_sends_the_reminder_due(world):
    assert run(world, date(2029, 1, 10))["reminders"] == 1  # six days late: the 8-week reminder
    # Nothing ran for weeks: only the latest reminder due is sent, not both.
    assert run(world, date(2029, 2, 25))["reminders"] == 1
    assert run(world, date(2029, 2, 26))["reminders"] == 0
    assert len(reminders(world)) == 2


def test_no_reminder_once_a_renewal_is_under_way(world):
    with time_machine.travel("2029-01-02 10:00 +0000", tick=False):
        world.apply(world.sign_in("chaperone@example.org"), renewal_of=world.approval_id)
    assert run(world, date(2029, 1, 4))["reminders"] == 0


def test_approvals_past_their_end_expire_once(world):
    assert run(world, date(2029, 3, 1)) == {"expired": 0, "reminders": 1}  # the last day: the one due
    assert run(world, date(2029, 3, 2)) == {"expired": 1, "reminders": 0}
    assert run(world, date(2029, 3, 3))["expired"] == 0
    with time_machine.travel("2029-03-02 10:00 +0000", tick=False):
        shown = world.approval(world.approval_id, world.sign_in("officer@example.org"))
    assert shown["status"] == "expired"
    assert world.actions(world.approval_id)[-1] == "chaperone_approval.expired"
    assert len(reminders(world)) == 1  # none is sent after the end
