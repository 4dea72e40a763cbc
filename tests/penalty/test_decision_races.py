"""Decisions taken at the same moment on PostgreSQL: however many officers press "Save decision" together,
each parent gets one notice and the request is decided once."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from penalty_service.models import PenaltyNotice
from shared import db
from shared.audit import AuditEvent
from tests.penalty.builders import PenaltyWorld
from tests.support.concurrency import at_once

PARENTS = [
    {"name": "Sam Example", "address": "1 Example Street, Mansfield", "relationship": "mother"},
    {"name": "Alex Example", "address": "9 Other Road, Newark", "relationship": "father"},
]


@pytest.mark.postgres
def test_twenty_simultaneous_decisions_issue_one_set_of_notices(penalty_app):
    world = PenaltyWorld(penalty_app)
    created = world.request(parents=PARENTS, received_on="2026-01-20")
    path = f"/api/v1/penalty-requests/{created['id']}/decision"
    body = {"decision": "issue", "issue_date": "2026-01-26"}
    clients = [penalty_app.test_client() for _ in range(20)]

    responses = at_once([lambda c=c: c.post(path, json=body, headers=world.officer) for c in clients])

    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] + [409] * 19, statuses
    winner = next(r.get_json() for r in responses if r.status_code == 200)
    assert sorted(n["parent_name"] for n in winner["notices"]) == ["Alex Example", "Sam Example"]
    refused = next(r for r in responses if r.status_code == 409)
    assert refused.mimetype == "application/problem+json"
    with penalty_app.app_context():
        session = db.session()
        notices = session.scalars(
            select(PenaltyNotice).where(PenaltyNotice.request_id == created["id"])
        ).all()
        decided = session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "penalty_request.decided", AuditEvent.object_id == str(created["id"]))
        )
    assert len(notices) == 2
    assert {n.notice_number for n in notices} == {n["notice_number"] for n in winner["notices"]}
    assert decided == 1


@pytest.mark.postgres
def test_issue_and_reject_at_once_leave_one_decision(penalty_app):
    world = PenaltyWorld(penalty_app)
    created = world.request(parents=PARENTS, received_on="2026-01-20")
    path = f"/api/v1/penalty-requests/{created['id']}/decision"
    bodies = [
        {"decision": "issue", "issue_date": "2026-01-26"},
        {"decision": "reject", "reason": "The register shows the absence was authorised"},
    ] * 5
    clients = [penalty_app.test_client() for _ in bodies]

    responses = at_once(
        [
            lambda c=c, b=b: c.post(path, json=b, headers=world.officer)
            for c, b in zip(clients, bodies, strict=True)
        ]
    )

    assert sorted(r.status_code for r in responses) == [200] + [409] * 9
    outcome = world.get(f"/api/v1/penalty-requests/{created['id']}", world.officer).get_json()
    with penalty_app.app_context():
        count = db.session().scalar(
            select(func.count()).select_from(PenaltyNotice).where(PenaltyNotice.request_id == created["id"])
        )
    assert (outcome["status"], count) in {("issued", 2), ("rejected", 0)}, (outcome["status"], count)
