"""The council's checks before a decision, and the school's opinion asked for by an emailed link."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from tests.licensing.builders import TODAY, TODAY_AT, LicensingWorld

SCHOOL = "head@school.example"


@pytest.fixture
def world(licensing_app):
    with time_machine.travel(TODAY_AT, tick=False):
        yield LicensingWorld(licensing_app)


@pytest.fixture
def licence(world) -> dict:
    return world.apply(TODAY + timedelta(days=30))


def checks_path(licence: dict) -> str:
    return f"/api/v1/performance-licences/{licence['id']}/checks"


def request_opinion(world, licence, email: str = SCHOOL):
    return world.post(
        f"/api/v1/performance-licences/{licence['id']}/school-opinion-request",
        {"school_email": email},
        world.officer,
    )


def test_officer_records_each_check_and_what_is_outstanding_shrinks(world, licence):
    response = world.post(
        checks_path(licence), {"kind": "education", "outcome": "no_concerns"}, world.officer
    )
    assert response.status_code == 201
    body = response.get_json()
    assert body["check"]["kind"] == "education" and body["check"]["outcome"] == "no_concerns"
    assert body["check"]["recorded_by"] == f"officer:{world.ids['officer']}"
    assert body["outstanding"] == [
        "parent_part",
        *("social_care", "early_help", "school_opinion"),
        "education_arrangements",
    ]
    concerns = {"kind": "social_care", "outcome": "concerns", "notes": "Open child in need plan"}
    assert world.post(checks_path(licence), concerns, world.admin).status_code == 201
    listed = world.get(checks_path(licence), world.officer).get_json()
    assert [(c["kind"], c["outcome"]) for c in listed] == [
        ("education", "no_concerns"),
        ("social_care", "concerns"),
    ]


def test_recording_a_check_again_replaces_it_and_the_audit_keeps_the_earlier_outcome(world, licence):
    world.post(checks_path(licence), {"kind": "early_help", "outcome": "no_concerns"}, world.officer)
    again = world.post(
        checks_path(licence),
        {"kind": "early_help", "outcome": "concerns", "notes": "Referral made"},
        world.officer,
    )
    assert again.status_code == 200 and again.get_json()["check"]["outcome"] == "concerns"
    events = [
        e for e in world.audit("performance_licence", licence["id"]) if e.action == "licence_check.recorded"
    ]
    assert [e.before and e.before["outcome"] for e in events] == [None, "no_concerns"]
    assert events[-1].after["outcome"] == "concerns" and events[-1].note == "Referral made"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "education", "outcome": "concerns"}, "notes"),
        ({"kind": "education", "outcome": "concerns", "notes": "   "}, "notes"),
        ({"kind": "police", "outcome": "no_concerns"}, "kind"),
        ({"kind": "education", "outcome": "fine"}, "outcome"),
        ({"outcome": "no_concerns"}, "kind"),
        ({"kind": "education", "outcome": "no_concerns", "notes": "x" * 5001}, "notes"),
    ],
)
def test_invalid_checks_are_422(world, licence, body, field):
    response = world.post(checks_path(licence), body, world.officer)
    assert response.status_code == 422 and field in response.get_json()["errors"]


def test_only_staff_record_checks(world, licence):
    body = {"kind": "education", "outcome": "no_concerns"}
    assert world.post(checks_path(licence), body).status_code == 401
    assert world.post(checks_path(licence), body, world.producer).status_code == 403
    assert world.get(checks_path(licence), world.producer).status_code == 403
    assert request_opinion(world, licence).status_code == 201
    producer_request = world.post(
        f"/api/v1/performance-licences/{licence['id']}/school-opinion-request",
        {"school_email": SCHOOL},
        world.producer,
    )
    assert producer_request.status_code == 403
    assert (
        world.post("/api/v1/performance-licences/2147483647/checks", body, world.officer).status_code == 404
    )


def test_checks_are_refused_once_the_application_is_not_awaiting_a_decision(world, licence):
    world.post(f"/api/v1/performance-licences/{licence['id']}/withdraw", {}, world.producer)
    response = world.post(
        checks_path(licence), {"kind": "education", "outcome": "no_concerns"}, world.officer
    )
    assert response.status_code == 409 and response.get_json()["current_status"] == "withdrawn"
    assert request_opinion(world, licence).status_code == 409


def test_the_school_gives_its_opinion_from_the_link(world, licence):
    requested = request_opinion(world, licence)
    assert requested.status_code == 201
    assert requested.get_json()["requested_from"] == SCHOOL and requested.get_json()["outcome"] is None
    email = world.outbox(SCHOOL)[-1]
    assert licence["reference"] in email.subject and "/school-opinion/" in email.body
    token = world.link_token("school-opinion", SCHOOL)

    view = world.get(f"/api/v1/school-opinion/{token}")
    assert view.status_code == 200
    body = view.get_json()
    assert body["child"]["school_name"] == "Example Primary School" and body["school_days_missed"] == 1
    assert "parent" not in body

    given = world.post(f"/api/v1/school-opinion/{token}", {"outcome": "concerns", "notes": "Attendance 85%"})
    assert given.status_code == 201 and given.get_json()["outcome"] == "concerns"
    staff_view = world.licence(licence["id"])
    opinion = [c for c in staff_view["checks"] if c["kind"] == "school_opinion"][0]
    assert opinion["notes"] == "Attendance 85%" and opinion["recorded_by"].startswith("school_link:")
    assert "school_opinion" not in staff_view["outstanding"]

    assert world.post(f"/api/v1/school-opinion/{token}", {"outcome": "no_concerns"}).status_code == 410
    assert world.get(f"/api/v1/school-opinion/{token}").status_code == 410
    assert request_opinion(world, licence).status_code == 409  # already recorded
    actions = world.actions("performance_licence", licence["id"])
    assert "licence_check.school_opinion_requested" in actions and actions[-1] == "licence_check.recorded"


def test_asking_the_school_again_replaces_the_earlier_link(world, licence):
    request_opinion(world, licence, "old@school.example")
    old = world.link_token("school-opinion", "old@school.example")
    assert request_opinion(world, licence).status_code == 201
    assert world.get(f"/api/v1/school-opinion/{old}").status_code == 410
    assert (
        world.get(f"/api/v1/school-opinion/{world.link_token('school-opinion', SCHOOL)}").status_code == 200
    )


def test_school_opinion_link_expires_and_odd_input_is_refused(world, licence):
    request_opinion(world, licence)
    token = world.link_token("school-opinion", SCHOOL)
    assert world.post(f"/api/v1/school-opinion/{token}", {"outcome": "concerns"}).status_code == 422
    assert world.post(f"/api/v1/school-opinion/{token}", ["no_concerns"]).status_code == 422
    assert (
        world.post(f"/api/v1/school-opinion/{token}", {"outcome": "no_concerns", "extra": 1}).status_code
        == 422
    )
    assert world.get("/api/v1/school-opinion/not-a-token").status_code == 404
    with time_machine.travel("2026-03-16 10:00 +0000", tick=False):
        assert world.post(f"/api/v1/school-opinion/{token}", {"outcome": "no_concerns"}).status_code == 410


def test_an_invalid_school_email_is_422(world, licence):
    response = request_opinion(world, licence, "not an email")
    assert response.status_code == 422 and "school_email" in response.get_json()["errors"]
