"""Who looks after the child and how they are taught (SPEC §4.1): the child's usual teacher in place of
an approved chaperone, the SPP's approval of the education arrangements before a grant, and days after
the end of compulsory school age kept out of the licence."""

from __future__ import annotations

import subprocess
from datetime import date, timedelta

import pytest
import time_machine

from tests.licensing.builders import (
    TODAY,
    TODAY_AT,
    LicensingWorld,
    child_section,
    days_from,
    licence_body,
)
from tests.licensing.test_licence_decisions import CHECKS, approve_education, grant, name_officer, path

FIRST_DAY = TODAY + timedelta(days=30)  # Wednesday 1 April 2026
TEACHER = {
    "is_usual_teacher": True,
    "usual_teacher_name": "Ann Teacher",
    "usual_teacher_school": "Example Primary School",
}
NO_SCHOOL_MISSED = {"school_days_missed": 0}


@pytest.fixture
def world(licensing_app):
    with time_machine.travel(TODAY_AT, tick=False):
        world = LicensingWorld(licensing_app)
        name_officer(world)
        yield world


def checked(world: LicensingWorld, licence: dict) -> None:
    """The parent's part and the four checks, without the education approval."""
    assert world.complete_parent_part().status_code == 201
    for kind in CHECKS:
        body = {"kind": kind, "outcome": "no_concerns"}
        assert world.post(path(licence, "checks"), body, world.officer).status_code in (200, 201)


# --- the SPP's approval of the education arrangements --------------------------------------------------


def test_a_child_who_misses_school_is_licensed_only_once_the_spp_approves_their_education(world):
    licence = world.apply(FIRST_DAY)
    checked(world, licence)
    blocked = world.post(path(licence), {"decision": "grant"}, world.officer)
    assert blocked.status_code == 409
    assert blocked.get_json()["missing"] == ["education_arrangements"]
    assert world.licence(licence["id"])["education_approval"] == {
        "required": True,
        "approved": None,
        "notes": None,
        "recorded_at": None,
        "recorded_by_id": None,
    }

    body = approve_education(world, licence, notes="Tutor's plan seen")
    assert (body["required"], body["approved"], body["notes"]) == (True, True, "Tutor's plan seen")
    assert body["recorded_by_id"] == world.ids["officer"]
    [event] = [e for e in world.audit("performance_licence", licence["id"]) if "education_" in e.action]
    assert event.action == "performance_licence.education_approved"
    assert event.before is None and event.after["approved"] is True and event.after["school_days_missed"] == 1
    assert event.actor == f"officer:{world.ids['officer']}"
    assert grant(world, licence)["status"] == "granted"


def test_arrangements_not_approved_need_a_reason_and_stop_the_grant(world):
    licence = world.apply(FIRST_DAY)
    checked(world, licence)
    unexplained = world.post(path(licence, "education-approval"), {"approved": False}, world.officer)
    assert unexplained.status_code == 422
    assert unexplained.mimetype == "application/problem+json"
    assert unexplained.get_json()["errors"] == {
        "notes": ["Say why the education arrangements are not approved"]
    }
    assert world.licence(licence["id"])["education_approval"]["approved"] is None

    approve_education(world, licence, approved=False, notes="The tutor teaches 9 children at once")
    problem = world.post(path(licence), {"decision": "grant"}, world.officer).get_json()
    assert problem["missing"] == ["education_arrangements"]
    assert "the SPP did not approve how they will be taught" in problem["errors"]["education_arrangements"][0]

    approve_education(world, licence)  # changed after the tutor's numbers were corrected
    actions = [
        e.action for e in world.audit("performance_licence", licence["id"]) if "education_" in e.action
    ]
    assert actions == ["performance_licence.education_not_approved", "performance_licence.education_approved"]
    assert grant(world, licence)["status"] == "granted"


def test_there_is_nothing_to_approve_when_no_school_is_missed_or_after_the_decision(world):
    no_school = world.apply(FIRST_DAY, education=NO_SCHOOL_MISSED)
    refused = world.post(path(no_school, "education-approval"), {"approved": True}, world.officer)
    assert refused.status_code == 409
    assert "misses no school" in refused.get_json()["detail"]
    assert world.licence(no_school["id"])["education_approval"]["required"] is False
    checked(world, no_school)
    assert grant(world, no_school)["status"] == "granted"

    licence = world.apply(FIRST_DAY)
    world.post(path(licence), {"decision": "refuse", "reason": "Too much school missed"}, world.officer)
    late = world.post(path(licence, "education-approval"), {"approved": True}, world.officer)
    assert late.status_code == 409 and late.get_json()["current_status"] == "refused"


def test_only_staff_approve_or_see_the_education_decision(world):
    licence = world.apply(FIRST_DAY)
    for headers in (world.producer, world.other_producer, {}):
        response = world.post(path(licence, "education-approval"), {"approved": True}, headers)
        assert response.status_code in (401, 403, 404)
        assert world.get(path(licence, "education-approval"), headers).status_code in (401, 403, 404)
    assert world.licence(licence["id"], world.producer)["education_approval"] is None
    assert world.get(path(licence, "education-approval"), world.admin).get_json()["approved"] is None


# --- the child's usual teacher --------------------------------------------------------------------------


def test_the_childs_usual_teacher_may_look_after_them_instead_of_a_chaperone(world):
    licence = world.apply(FIRST_DAY, chaperone=TEACHER)
    assert licence["breaches"] == []
    assert not [w for w in licence["warnings"] if w["code"].startswith("chaperone")]
    assert licence["chaperone"] == {
        "approval_number": None,
        "is_parent": False,
        "is_usual_teacher": True,
        "usual_teacher_name": "Ann Teacher",
        "usual_teacher_school": "Example Primary School",
        "children_in_care": 1,
        "also_private_teacher": False,
    }
    checked(world, licence)
    approve_education(world, licence)
    grant(world, licence)
    pdf = world.get(path(licence, "documents/licence.pdf"), world.officer).data
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    words = " ".join(text.decode().split())
    assert "Looked after by The child's usual teacher: Ann Teacher" in words
    assert "Teacher's school Example Primary School" in words


@pytest.mark.parametrize(
    ("chaperone", "field"),
    [
        ({**TEACHER, "usual_teacher_name": " "}, "chaperone.usual_teacher_name"),
        ({"is_usual_teacher": True, "usual_teacher_name": "Ann Teacher"}, "chaperone.usual_teacher_school"),
        ({**TEACHER, "is_parent": True}, "chaperone.is_usual_teacher"),
        ({**TEACHER, "approval_number": "CH-2025-000123"}, "chaperone.approval_number"),
    ],
)
def test_a_usual_teacher_is_named_with_their_school_and_is_the_only_carer_given(world, chaperone, field):
    body = licence_body(world.production()["id"], FIRST_DAY, chaperone=chaperone)
    response = world.post("/api/v1/performance-licences", body, world.producer)
    assert response.status_code == 422, response.get_json()
    errors = response.get_json()["errors"]
    assert set(errors) == {field}, errors


# --- days after the end of compulsory school age -----------------------------------------------------

LEAVER = {**child_section()["child"], "date_of_birth": "2010-07-01"}  # school age ends Friday 26 June 2026


def test_days_after_compulsory_school_age_are_kept_out_of_the_licence_and_said_so(world):
    licence = world.apply(date(2026, 6, 24), child=LEAVER, days=days_from(date(2026, 6, 24), 4))
    assert [d["date"] for d in licence["days"]] == ["2026-06-24", "2026-06-25", "2026-06-26"]
    assert [d["date"] for d in licence["days_needing_no_licence"]] == ["2026-06-27"]
    assert (licence["first_day"], licence["last_day"]) == ("2026-06-24", "2026-06-26")
    out_of_scope = [(w["code"], w["date"]) for w in licence["warnings"] if w["code"] == "out_of_scope_age"]
    assert out_of_scope == [("out_of_scope_age", "2026-06-27")]
    [receipt] = [m for m in world.outbox("pat@theatre.example") if "received" in m.subject.lower()]
    assert "compulsory school age ends on Friday 26 June 2026" in receipt.body
    assert "Saturday 27 June 2026" in receipt.body

    checked(world, licence)
    approve_education(world, licence)
    body = grant(world, licence)
    assert (body["valid_from"], body["valid_until"]) == ("2026-06-24", "2026-06-26")
    pdf = world.get(path(licence, "documents/licence.pdf"), world.officer).data
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    words = " ".join(text.decode().split())
    assert "no licence is needed from Saturday 27 June 2026, so this licence does not cover" in words


def test_an_application_only_for_days_after_compulsory_school_age_needs_no_licence(world):
    first = date(2026, 6, 27)
    body = licence_body(world.production()["id"], first, child=LEAVER, days=days_from(first, 2))
    response = world.post("/api/v1/performance-licences", body, world.producer)
    assert response.status_code == 422, response.get_json()
    [message] = response.get_json()["errors"]["days"]
    assert message.startswith("No licence is needed from Saturday 27 June 2026")
