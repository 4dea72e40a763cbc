"""The officers' queue: applications awaiting a decision, soonest due first, with overdue, late and
what is outstanding; paginated and filtered."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from licensing_service.services import licensing_queue
from tests.licensing.builders import TODAY, TODAY_AT, LicensingWorld


@pytest.fixture
def world(licensing_app):
    with time_machine.travel(TODAY_AT, tick=False):
        yield LicensingWorld(licensing_app)


def test_queue_lists_open_applications_by_decision_date(world):
    later = world.apply(TODAY + timedelta(days=40))
    late = world.apply(TODAY + timedelta(days=20))
    on_time = world.apply(TODAY + timedelta(days=21))
    withdrawn = world.apply(TODAY + timedelta(days=25))
    world.post(f"/api/v1/performance-licences/{withdrawn['id']}/withdraw", {}, world.producer)
    production = world.production()
    world.post(f"/api/v1/productions/{production['id']}/children", {}, world.producer)  # a draft

    body = world.get("/api/v1/queue", world.officer).get_json()
    assert [(i["id"], i["due_on"], i["late"]) for i in body["items"]] == [
        (late["id"], "2026-03-20", True),  # first day Sunday 22 March: due Friday 20th
        (on_time["id"], "2026-03-20", False),
        (later["id"], "2026-04-10", False),
    ]
    first = body["items"][0]
    assert first["kind"] == "performance_licence" and first["reference"] == late["reference"]
    assert first["status"] == "submitted" and first["overdue"] is False
    assert first["outstanding"] == [
        "parent_part",
        *("education", "social_care", "early_help", "school_opinion"),
        "education_arrangements",
    ]
    assert body["total"] == 3
    assert {kind: n for kind, n in body["counts"].items() if n} == {"performance_licence": 3}
    assert set(body["counts"]) == set(licensing_queue.kinds())


def test_overdue_and_outstanding_follow_the_work(world):
    created = world.apply(TODAY + timedelta(days=21))
    assert world.complete_parent_part().status_code == 201
    for kind in ("education", "social_care"):
        world.post(
            f"/api/v1/performance-licences/{created['id']}/checks",
            {"kind": kind, "outcome": "no_concerns"},
            world.officer,
        )
    with time_machine.travel("2026-03-21 09:00 +0000", tick=False):
        body = world.get("/api/v1/queue", world.sign_in("officer@example.org")).get_json()
    item = body["items"][0]
    assert item["overdue"] is True
    assert item["outstanding"] == ["early_help", "school_opinion", "education_arrangements"]
    approval = {"approved": True, "notes": ""}
    world.post(f"/api/v1/performance-licences/{created['id']}/education-approval", approval, world.officer)
    with time_machine.travel("2026-03-21 09:00 +0000", tick=False):
        body = world.get("/api/v1/queue", world.sign_in("officer@example.org")).get_json()
    assert body["items"][0]["outstanding"] == ["early_help", "school_opinion"]
    with time_machine.travel("2026-03-20 23:59 +0000", tick=False):  # still the due day in London (GMT)
        officer = world.sign_in("officer@example.org")
        assert world.get("/api/v1/queue", officer).get_json()["items"][0]["overdue"] is False
    with time_machine.travel("2026-03-21 00:01 +0000", tick=False):
        officer = world.sign_in("officer@example.org")
        assert world.get("/api/v1/queue", officer).get_json()["items"][0]["overdue"] is True


def test_queue_pages_and_filters(world):
    created = [world.apply(TODAY + timedelta(days=30 + i)) for i in range(3)]
    page = world.get("/api/v1/queue?page=2&page_size=2", world.officer).get_json()
    assert [i["id"] for i in page["items"]] == [created[2]["id"]]
    assert (page["page"], page["page_size"], page["total"]) == (2, 2, 3)
    assert world.get("/api/v1/queue?status=submitted", world.officer).get_json()["total"] == 3
    assert world.get("/api/v1/queue?kind=performance_licence", world.admin).get_json()["total"] == 3
    for query in ("page_size=101", "page=0", "status=granted", "kind=penalty", "page=1001&page_size=100"):
        response = world.get(f"/api/v1/queue?{query}", world.officer)
        assert response.status_code == 422, query


def test_queue_is_for_staff(world):
    assert world.get("/api/v1/queue").status_code == 401
    assert world.get("/api/v1/queue", world.producer).status_code == 403
