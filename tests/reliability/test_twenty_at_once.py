"""Twenty identical or parallel calls at the same moment on PostgreSQL: constraints and row locks, not
luck, keep references unique and a payment counted once."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from licensing_service.models.licences import PerformanceLicence
from penalty_service.models import PenaltyRequest
from shared import db
from tests.licensing.builders import TODAY, TODAY_AT, LicensingWorld, licence_body
from tests.penalty.builders import PenaltyWorld, request_body
from tests.support.concurrency import at_once

pytestmark = pytest.mark.postgres
TWENTY = 20


def test_twenty_penalty_requests_at_once_get_twenty_different_references(penalty_app):
    with time_machine.travel("2026-01-26 10:00 +0000", tick=False):
        world = PenaltyWorld(penalty_app)
        clients = [penalty_app.test_client() for _ in range(TWENTY)]
        bodies = [request_body(upn=f"A1234567890{i:02d}") for i in range(TWENTY)]
        responses = at_once(
            [
                lambda c=c, b=b: c.post("/api/v1/penalty-requests", json=b, headers=world.officer)
                for c, b in zip(clients, bodies, strict=True)
            ]
        )
    assert [r.status_code for r in responses] == [201] * TWENTY, [r.get_json() for r in responses]
    references = {r.get_json()["reference"] for r in responses}
    assert len(references) == TWENTY
    with penalty_app.app_context():
        assert db.session().scalar(select(func.count()).select_from(PenaltyRequest)) == TWENTY


def test_twenty_licence_applications_at_once_get_twenty_different_references(licensing_app):
    with time_machine.travel(TODAY_AT, tick=False):
        world = LicensingWorld(licensing_app)
        production = world.production()
        clients = [licensing_app.test_client() for _ in range(TWENTY)]
        body = licence_body(production["id"], TODAY + timedelta(days=30))
        responses = at_once(
            [
                lambda c=c: c.post("/api/v1/performance-licences", json=body, headers=world.producer)
                for c in clients
            ]
        )
    assert [r.status_code for r in responses] == [201] * TWENTY, [r.get_json() for r in responses]
    assert len({r.get_json()["reference"] for r in responses}) == TWENTY
    with licensing_app.app_context():
        assert db.session().scalar(select(func.count()).select_from(PerformanceLicence)) == TWENTY
