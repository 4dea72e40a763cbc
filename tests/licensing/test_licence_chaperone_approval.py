"""A performance licence checks its chaperone's approval on every day (SPEC §4.1): one of this council's
approvals must be approved and in date on each day; another council's approval is a warning for the
officer to confirm with them. Today is Monday 2 March 2026."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from tests.licensing.builders import licence_body, production_body
from tests.licensing.chaperone_builders import NOW, ChaperoneWorld
from tests.support.api import add_user, bearer, token_for

PRODUCER = "producer@example.org"


@pytest.fixture
def world(licensing_app):
    with time_machine.travel(NOW, tick=False):
        world = ChaperoneWorld(licensing_app)
        add_user(licensing_app, PRODUCER, "applicant")
        world.producer = bearer(token_for(world.client, PRODUCER))
        yield world


def approved(world) -> dict:
    application = world.apply()
    world.make_ready(application["id"])
    response = world.decide(application["id"], {"decision": "approve"})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def apply_for_licence(world, number: str, first_day: date) -> dict:
    production = world.post("/api/v1/productions", production_body(), world.producer).get_json()
    body = licence_body(production["id"], first_day)
    body["chaperone"]["approval_number"] = number
    response = world.post("/api/v1/performance-licences", body, world.producer)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def chaperone_findings(findings: list[dict]) -> list[tuple[str | None, str]]:
    return [(f["date"], f["message"]) for f in findings if f["code"] == "chaperone_approval"]


def test_a_current_approval_of_this_council_covers_every_day(world):
    approval = approved(world)
    assert approval["valid_until"] == "2029-03-01"

    licence = apply_for_licence(world, approval["approval_number"], date(2026, 4, 6))

    assert chaperone_findings(licence["breaches"]) == []
    assert chaperone_findings(licence["warnings"]) == []


def test_days_after_the_approval_ends_are_breaches(world):
    approval = approved(world)

    licence = apply_for_licence(world, approval["approval_number"].lower(), date(2029, 2, 28))

    assert chaperone_findings(licence["breaches"]) == [
        (
            "2029-03-02",
            "The chaperone's approval is valid from Monday 2 March 2026 to Thursday 1 March 2029, so it does "
            "not cover Friday 2 March 2029. The approval must be valid on every day of the licence.",
        )
    ]


def test_a_suspended_approval_or_an_unknown_number_of_this_council_covers_no_day(world):
    approval = approved(world)
    suspended = world.post(
        f"/api/v1/chaperone-approvals/{approval['id']}/suspension",
        {"reason": "Under investigation"},
        world.officer,
    )
    assert suspended.status_code == 200, suspended.get_json()

    for number in (approval["approval_number"], "NCC-CA-2026-99999"):
        licence = apply_for_licence(world, number, date(2026, 4, 6))
        assert chaperone_findings(licence["breaches"]) == [
            (
                "2026-04-06",
                "The chaperone's approval number is not a current approval, so it does not cover Monday 6 "
                "April 2026 or 2 days after it. The approval must be valid on every day of the licence.",
            )
        ]


def test_another_councils_approval_is_a_warning_to_confirm_with_them(world):
    licence = apply_for_licence(world, "DCC/CH/2025/0042", date(2026, 4, 6))

    assert chaperone_findings(licence["breaches"]) == []
    assert chaperone_findings(licence["warnings"]) == [
        (
            None,
            "The chaperone's approval DCC/CH/2025/0042 was given by another council. The council will "
            "confirm with them that it is valid from Monday 6 April 2026 to Wednesday 8 April 2026.",
        )
    ]
