"""Withdrawing a notice: money paid is refunded, the school and parent are told, only once, only by staff."""

from __future__ import annotations

import pytest
import time_machine
from sqlalchemy import select, update

from penalty_service.models import PenaltyNotice
from shared import db
from shared.audit import AuditEvent
from shared.notify import OutboxMessage
from tests.penalty.builders import PenaltyWorld
from tests.penalty.test_payments import NOW, add_notice, day, notice_detail, pay, payment_statuses

BODY = {"ground": "wrong_person", "notes": "The notice went to the child's grandparent"}


@pytest.fixture
def world(penalty_app):
    with time_machine.travel(NOW, tick=False):
        yield PenaltyWorld(penalty_app)


def withdraw(world, notice_id, body=None, headers=None):
    return world.post(
        f"/api/v1/penalty-notices/{notice_id}/withdrawal", body or BODY, headers or world.officer
    )


def emails(app, subject_contains: str) -> list[OutboxMessage]:
    with app.app_context():
        return (
            db.session()
            .scalars(
                select(OutboxMessage)
                .where(OutboxMessage.subject.contains(subject_contains))
                .order_by(OutboxMessage.id)
            )
            .all()
        )


def test_withdrawal_with_money_paid_refunds_it_and_tells_the_school_and_the_parent(world):
    notice = add_notice(world.app, parent_email="sam@example.org")
    with time_machine.travel(f"{day(3).isoformat()} 12:00 +0000", tick=False):
        pay(world, notice["notice_number"], 8000, day(3))
    assert notice_detail(world, notice["id"])["status"] == "paid"

    response = withdraw(world, notice["id"])
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["status"] == "withdrawn" and body["withdrawn_on"] == "2026-03-10"
    assert body["withdrawal_ground"] == "wrong_person"
    assert body["refund_due_pence"] == 8000 and body["amount_due_pence"] is None
    assert payment_statuses(world.app, notice["id"]) == ["refund_due"]
    with world.app.app_context():
        stored = db.session().get(PenaltyNotice, notice["id"])
        assert (stored.refund_due_pence, stored.withdrawal_notes) == (8000, BODY["notes"])
        event = db.session().scalar(select(AuditEvent).where(AuditEvent.action == "penalty_notice.withdrawn"))
    assert event.before["status"] == "paid"
    assert event.after["status"] == "withdrawn" and event.after["refund_due_pence"] == 8000
    assert event.actor == "officer:1"

    sent = emails(world.app, f"Penalty notice {notice['notice_number']} withdrawn")
    assert sorted(m.to_address for m in sent) == ["office122000@example.org", "sam@example.org"]
    school_email = next(m for m in sent if m.to_address.startswith("office"))
    assert "issued to the wrong person" in school_email.body and "£80.00" in school_email.body


def test_withdrawal_without_money_or_a_parent_email_tells_only_the_school(world):
    notice = add_notice(world.app)
    body = withdraw(
        world, notice["id"], {"ground": "will_not_prosecute", "notes": "Not in the public interest"}
    )
    assert body.get_json()["refund_due_pence"] == 0
    sent = emails(world.app, "withdrawn")
    assert [m.to_address for m in sent] == ["office122000@example.org"]
    assert "No money had been paid" in sent[0].body


def test_a_payment_after_withdrawal_is_refunded_in_full(world):
    notice = add_notice(world.app)
    withdraw(world, notice["id"])
    response = pay(world, notice["notice_number"], 8000, day(3))
    assert response.get_json()["status"] == "refund_due"
    assert response.get_json()["notice"]["refund_due_pence"] == 8000


@pytest.mark.parametrize("status", ["withdrawn", "prosecution"])
def test_a_withdrawn_or_prosecuted_notice_cannot_be_withdrawn(world, status):
    notice = add_notice(world.app)
    with world.app.app_context(), db.transaction():
        db.session().execute(update(PenaltyNotice).values(status=status))
    response = withdraw(world, notice["id"])
    assert response.status_code == 409
    assert emails(world.app, "withdrawn") == []


def test_withdrawing_twice_is_a_conflict_and_changes_nothing(world):
    notice = add_notice(world.app)
    assert withdraw(world, notice["id"]).status_code == 200
    again = withdraw(world, notice["id"], {"ground": "material_error", "notes": "again"})
    assert again.status_code == 409 and "already withdrawn on 2026-03-10" in again.get_json()["detail"]
    assert notice_detail(world, notice["id"])["withdrawal_ground"] == "wrong_person"
    assert len(emails(world.app, "withdrawn")) == 1


def test_schools_may_not_withdraw_and_unknown_notices_are_404(world):
    notice = add_notice(world.app)
    assert withdraw(world, notice["id"], headers=world.school).status_code == 403
    assert withdraw(world, notice["id"], headers=world.other_school).status_code == 403
    assert (
        world.client.post(f"/api/v1/penalty-notices/{notice['id']}/withdrawal", json=BODY).status_code == 401
    )
    assert withdraw(world, 999_999).status_code == 404
    assert world.get(f"/api/v1/penalty-notices/{notice['id']}", world.other_school).status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"ground": "changed_my_mind", "notes": "x"}, "ground"),
        ({"ground": "wrong_person"}, "notes"),
        ({"ground": "wrong_person", "notes": ""}, "notes"),
    ],
)
def test_a_withdrawal_needs_a_ground_and_notes(world, body, field):
    notice = add_notice(world.app)
    response = withdraw(world, notice["id"], body)
    assert response.status_code == 422 and field in response.get_json()["errors"]


def test_a_withdrawn_notice_no_longer_counts_towards_the_limit(world):
    first = world.decide(world.request()["id"], issue_date="2026-01-26")["notices"][0]
    withdraw(world, first["id"])
    second = world.decide(world.request()["id"], issue_date="2026-03-02")["notices"][0]
    assert (second["amount_lower_pence"], second["amount_full_pence"], second["is_second"]) == (
        8000,
        16000,
        False,
    )
