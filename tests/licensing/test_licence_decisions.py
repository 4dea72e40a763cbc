"""The SPP's decision on a performance licence through the API: grant (what must be in place first, the
licence number, distribution), refusal, variation, revocation, who may do and see what, and a race."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from licensing_service.models.decisions import LicenceDecision
from licensing_service.models.licences import PerformanceLicence
from licensing_service.services import licence_decisions
from shared import db
from shared.audit import AuditEvent
from shared.documents import Document
from shared.users import User
from tests.licensing.builders import PARENT_EMAIL, TODAY, TODAY_AT, LicensingWorld, day, days_from
from tests.support.concurrency import at_once

HOLDER_EMAIL = "pat@theatre.example"
HOST_EMAIL = "licensing@city.example"
FIRST_DAY = TODAY + timedelta(days=30)  # Wednesday 1 April 2026: three days to Friday 3 April
CHECKS = ("education", "social_care", "early_help", "school_opinion")
OFFICER_NAME = "Jo Practitioner"


@pytest.fixture
def world(licensing_app):
    with time_machine.travel(TODAY_AT, tick=False):
        world = LicensingWorld(licensing_app)
        name_officer(world)
        yield world


def name_officer(world: LicensingWorld) -> None:
    with world.app.app_context(), db.transaction():
        db.session().get(User, world.ids["officer"]).name = OFFICER_NAME


def path(licence: dict, tail: str = "decision") -> str:
    return f"/api/v1/performance-licences/{licence['id']}/{tail}"


def approve_education(world: LicensingWorld, licence: dict, approved: bool = True, notes: str = "") -> dict:
    body = {"approved": approved, "notes": notes}
    response = world.post(path(licence, "education-approval"), body, world.officer)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def record_checks(world: LicensingWorld, licence: dict, **outcomes: str) -> None:
    """The four checks (each ``no_concerns`` unless named) and, where the child misses school, the SPP's
    approval of the education arrangements."""
    if (licence.get("education") or {}).get("school_days_missed"):
        approve_education(world, licence)
    for kind in CHECKS:
        outcome = outcomes.get(kind, "no_concerns")
        body = {
            "kind": kind,
            "outcome": outcome,
            "notes": "Known to the service" if outcome == "concerns" else "",
        }
        response = world.post(path(licence, "checks"), body, world.officer)
        assert response.status_code in (200, 201), response.get_json()


def ready(world: LicensingWorld, first_day: date = FIRST_DAY, **extra) -> dict:
    """A submitted application with the parent's part done and every check recorded."""
    licence = world.apply(first_day, **extra)
    assert world.complete_parent_part().status_code == 201
    record_checks(world, licence)
    return licence


def grant(world: LicensingWorld, licence: dict, **body) -> dict:
    response = world.post(path(licence), {"decision": "grant", **body}, world.officer)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def outbox_with_documents(world: LicensingWorld) -> list:
    return [m for m in world.outbox() if m.document_id is not None]


# --- grant ----------------------------------------------------------------------------------------------


def test_a_grant_numbers_the_licence_makes_the_pdf_and_sends_it_to_every_party(world):
    licence = ready(world)
    body = grant(world, licence, conditions=["The child must not work with animals on set."])

    assert body["status"] == "granted"
    assert body["licence_number"] == f"NCC-PL-2026-{licence['id']:05d}"
    assert re.fullmatch(r"NCC-PL-\d{4}-\d{5,}", body["licence_number"])
    assert (body["version"], body["valid_from"], body["valid_until"]) == (1, "2026-04-01", "2026-04-03")
    assert body["conditions"] == ["The child must not work with animals on set."]
    assert body["decided_by"] == OFFICER_NAME
    assert body["verification"] == {
        "reference": body["licence_number"],
        "url": f"http://localhost:5001/verify?number={body['licence_number']}",
    }
    [document] = body["documents"]
    assert document["kind"] == "licence" and document["version"] == 1
    assert document["url"] == path(licence, "documents/licence.pdf") + "?version=1"
    assert document["filename"] == f"{body['licence_number']}.pdf"
    assert [(d["party"], d["email"], d["sent_on"], d["delivery"]) for d in body["distribution"]] == [
        ("holder", HOLDER_EMAIL, "2026-03-02", "email"),
        ("host_authority", HOST_EMAIL, "2026-03-02", "email"),
        ("parent", PARENT_EMAIL, "2026-03-02", "email"),
    ]
    assert body["warnings"] == []

    sent = outbox_with_documents(world)
    assert sorted(m.to_address for m in sent) == sorted([HOLDER_EMAIL, HOST_EMAIL, PARENT_EMAIL])
    with world.app.app_context():
        stored = db.session().scalars(select(Document).where(Document.object_id == str(licence["id"]))).all()
    assert [d.kind for d in stored] == ["licence"]
    assert {m.document_id for m in sent} == {stored[0].id}
    assert all(body["licence_number"] in m.subject for m in sent)

    shown = world.licence(licence["id"])
    assert (shown["status"], shown["licence_number"]) == ("granted", body["licence_number"])
    assert shown["conditions"] == "The child must not work with animals on set."


def test_the_grant_is_audited_with_before_and_after(world):
    licence = ready(world)
    body = grant(world, licence)
    [event] = [e for e in world.audit("performance_licence", licence["id"]) if e.action.endswith(".granted")]
    assert event.actor == f"officer:{world.ids['officer']}"
    assert event.before == {"status": "submitted"}
    assert event.after["status"] == "granted" and event.after["licence_number"] == body["licence_number"]
    assert event.after["valid_until"] == "2026-04-03"
    assert [d["party"] for d in event.after["distribution"]] == ["holder", "host_authority", "parent"]


def test_a_grant_stops_the_parent_and_school_links(world):
    licence = world.apply(FIRST_DAY)
    token = world.parent_token()
    world.post(
        path(licence, "school-opinion-request"), {"school_email": "head@school.example"}, world.officer
    )
    world.complete_parent_part(token)
    record_checks(world, licence)
    grant(world, licence)
    assert world.get(f"/api/v1/parent-part/{token}").status_code in (404, 409, 410)


def test_nothing_is_missing_when_nothing_is_outstanding_so_each_missing_item_is_named(world):
    licence = world.apply(FIRST_DAY)
    response = world.post(path(licence), {"decision": "grant"}, world.officer)
    assert response.status_code == 409
    assert response.mimetype == "application/problem+json"
    problem = response.get_json()
    assert problem["missing"] == ["parent_part", *CHECKS, "education_arrangements"]
    assert set(problem["errors"]) == {
        "parent_part",
        *(f"checks.{k}" for k in CHECKS),
        "education_arrangements",
    }
    assert "the SPP must approve how they will be taught" in problem["errors"]["education_arrangements"][0]
    assert "The parent's part of the application is not complete" in problem["detail"]

    world.complete_parent_part()
    world.post(path(licence, "checks"), {"kind": "education", "outcome": "no_concerns"}, world.officer)
    approve_education(world, licence)
    problem = world.post(path(licence), {"decision": "grant"}, world.officer).get_json()
    assert problem["missing"] == ["social_care", "early_help", "school_opinion"]
    assert world.licence(licence["id"])["status"] == "submitted"
    assert outbox_with_documents(world) == []


def test_concerns_may_be_granted_only_with_a_recorded_reason(world):
    licence = world.apply(FIRST_DAY)
    world.complete_parent_part()
    record_checks(world, licence, social_care="concerns")

    response = world.post(path(licence), {"decision": "grant", "reason": "  "}, world.officer)
    assert response.status_code == 409
    problem = response.get_json()
    assert problem["missing"] == ["concerns_reason"]
    assert "social care check" in problem["errors"]["reason"][0]

    reason = "Social worker confirms the plan supports taking part; chaperone briefed."
    body = grant(world, licence, reason=reason)
    assert body["history"][0]["reason"] == reason
    event = next(
        e for e in world.audit("performance_licence", licence["id"]) if e.action.endswith(".granted")
    )
    assert event.note == reason and event.after["concerns"] == ["social_care"]
    assert world.get(path(licence), world.officer).get_json()["history"][0]["reason"] == reason
    assert world.get(path(licence), world.producer).get_json()["history"][0]["reason"] is None


def test_a_schedule_that_breaches_the_limits_cannot_be_granted(world):
    long_day = day(FIRST_DAY, arrive="07:00", leave="18:00")  # 11 hours at the place; 9 h 30 min at 10
    licence = ready(world, days=[long_day])
    response = world.post(path(licence), {"decision": "grant"}, world.officer)
    assert response.status_code == 409
    problem = response.get_json()
    assert problem["missing"] == ["schedule"]
    assert [b["code"] for b in problem["breaches"]] == ["max_time_at_place"]
    assert problem["breaches"][0]["date"] == FIRST_DAY.isoformat()


def test_night_work_is_a_breach_unless_the_application_permits_it(world):
    late_show = day(FIRST_DAY, arrive="14:00", leave="23:30", performing=[{"start": "22:00", "end": "23:15"}])
    without = ready(world, days=[late_show], night_work=False)
    problem = world.post(path(without), {"decision": "grant"}, world.officer).get_json()
    assert problem["missing"] == ["schedule"] and "latest_time" in [b["code"] for b in problem["breaches"]]

    permitted = ready(world, days=[late_show], night_work=True)
    assert grant(world, permitted)["status"] == "granted"


def test_a_late_application_needs_a_reason_to_be_granted(world):
    licence = ready(world, TODAY + timedelta(days=10))
    assert world.licence(licence["id"])["late"] is True
    response = world.post(path(licence), {"decision": "grant"}, world.officer)
    assert response.status_code == 422
    assert "late_reason" in response.get_json()["errors"]

    body = grant(world, licence, late_reason="Replacement cast member; school and parent content.")
    assert body["late_reason"] == "Replacement cast member; school and parent content."
    assert world.licence(licence["id"])["late_reason"] == body["late_reason"]


def test_a_decision_is_made_once(world):
    licence = ready(world)
    grant(world, licence)
    again = world.post(path(licence), {"decision": "grant"}, world.officer)
    assert again.status_code == 409 and again.get_json()["current_status"] == "granted"
    refuse = world.post(path(licence), {"decision": "refuse", "reason": "Changed my mind"}, world.admin)
    assert refuse.status_code == 409
    assert len(outbox_with_documents(world)) == 3


def test_a_withdrawn_application_cannot_be_decided(world):
    licence = ready(world)
    assert world.post(path(licence, "withdraw"), {}, world.producer).status_code == 200
    response = world.post(path(licence), {"decision": "refuse", "reason": "x"}, world.officer)
    assert response.status_code == 409 and response.get_json()["current_status"] == "withdrawn"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"decision": "refuse"}, "reason"),
        ({"decision": "refuse", "reason": "   "}, "reason"),
        ({"decision": "approve"}, "decision"),
        ({}, "decision"),
        ({"decision": "grant", "conditions": ["x" * 1001]}, "conditions.0"),
        ({"decision": "grant", "conditions": ["c"] * 31}, "conditions"),
        ({"decision": "grant", "reason": "x" * 5001}, "reason"),
        ({"decision": "grant", "late_reason": 5}, "late_reason"),
    ],
)
def test_invalid_decisions_are_422_naming_the_field(world, body, field):
    licence = world.apply(FIRST_DAY)
    response = world.post(path(licence), body, world.officer)
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["errors"]


def test_only_staff_decide_and_other_producers_see_nothing(world):
    licence = ready(world)
    assert world.post(path(licence), {"decision": "grant"}).status_code == 401
    assert world.post(path(licence), {"decision": "grant"}, world.producer).status_code == 403
    assert world.post(path({"id": 999999}), {"decision": "grant"}, world.officer).status_code == 404
    assert world.get(path(licence), world.other_producer).status_code == 404
    assert world.get(path(licence, "distribution"), world.other_producer).status_code == 404
    assert world.get(path(licence), world.producer).status_code == 200


def test_the_service_takes_conditions_as_one_text_for_the_officer_pages(world):
    licence = ready(world)
    with world.app.test_request_context():
        officer = db.session().get(User, world.ids["officer"])
        decided = licence_decisions.decide(
            licence["id"],
            {"decision": "grant", "conditions": "First condition\n\n  Second condition  \n"},
            officer,
        )
        assert decided.status == "granted"
        assert licence_decisions.outcome(decided)["conditions"] == ["First condition", "Second condition"]


# --- host authority ---------------------------------------------------------------------------------------


def test_when_the_host_authority_is_this_council_its_copy_is_recorded_not_emailed(world):
    production = world.production(host_authority={"name": "Nottinghamshire County Council", "email": None})
    licence = ready(world, production_id=production["id"])
    body = grant(world, licence)
    host = next(d for d in body["distribution"] if d["party"] == "host_authority")
    assert host["delivery"] == "this_council" and host["email"] == "child.licensing@nottscc.gov.uk"
    assert sorted(m.to_address for m in outbox_with_documents(world)) == sorted([HOLDER_EMAIL, PARENT_EMAIL])
    assert body["warnings"] == []


def test_a_host_authority_without_an_email_address_is_recorded_as_not_sent(world):
    production = world.production(host_authority={"name": "Derby City Council", "email": None})
    licence = ready(world, production_id=production["id"])
    body = grant(world, licence)
    host = next(d for d in body["distribution"] if d["party"] == "host_authority")
    assert (host["delivery"], host["email"], host["name"]) == ("not_sent", None, "Derby City Council")
    assert body["warnings"] == ["No email address is held for Derby City Council: send its copy another way"]


# --- refusal ----------------------------------------------------------------------------------------------


def test_a_refusal_sends_the_letter_to_the_licence_holder_and_the_parent(world):
    licence = world.apply(FIRST_DAY)  # refusing needs nothing else in place
    reason = "The school reports the child has missed too much school this term."
    response = world.post(path(licence), {"decision": "refuse", "reason": reason}, world.officer)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["status"], body["licence_number"], body["refusal_reason"]) == ("refused", None, reason)
    assert [d["kind"] for d in body["documents"]] == ["refusal"]
    assert [(d["party"], d["event"]) for d in body["distribution"]] == [
        ("holder", "refused"),
        ("parent", "refused"),
    ]
    sent = outbox_with_documents(world)
    assert sorted(m.to_address for m in sent) == sorted([HOLDER_EMAIL, PARENT_EMAIL])
    assert all("refused" in m.subject for m in sent)
    assert world.licence(licence["id"])["refusal_reason"] == reason
    event = next(
        e for e in world.audit("performance_licence", licence["id"]) if e.action.endswith(".refused")
    )
    assert (
        event.before == {"status": "submitted"}
        and event.after["status"] == "refused"
        and event.note == reason
    )
    assert world.get(path(licence, "documents/licence.pdf"), world.officer).status_code == 404


# --- variation --------------------------------------------------------------------------------------------


def test_a_variation_makes_version_2_and_sends_it_to_the_same_parties(world):
    licence = ready(world)
    first = grant(world, licence)
    new_days = [*days_from(FIRST_DAY), day(FIRST_DAY + timedelta(days=4), kind="rehearsal")]
    changes = {"days": new_days, "conditions": ["Rest breaks every hour."]}
    response = world.post(
        path(licence, "variation"),
        {"reason": "An extra rehearsal on Sunday", "changes": changes},
        world.officer,
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["status"], body["version"], body["licence_number"]) == (
        "granted",
        2,
        first["licence_number"],
    )
    assert (body["valid_from"], body["valid_until"]) == ("2026-04-01", "2026-04-05")
    assert body["conditions"] == ["Rest breaks every hour."]
    assert [(d["kind"], d["version"]) for d in body["documents"]] == [("licence", 1), ("licence", 2)]
    assert [(d["party"], d["event"]) for d in body["distribution"]] == [
        ("holder", "varied"),
        ("host_authority", "varied"),
        ("parent", "varied"),
    ]
    assert body["history"][-1]["changes"] == ["conditions", "days"]
    varied = [m for m in outbox_with_documents(world) if "varied" in m.subject]
    assert len(varied) == 3 and {m.document_id for m in varied} != {
        m.document_id for m in outbox_with_documents(world) if "granted" in m.subject
    }
    event = next(e for e in world.audit("performance_licence", licence["id"]) if e.action.endswith(".varied"))
    assert event.before["version"] == 1 and event.after["version"] == 2
    assert [d["date"] for d in event.before["days"]] == ["2026-04-01", "2026-04-02", "2026-04-03"]
    assert event.after["days"][-1]["date"] == "2026-04-05" and event.after["valid_until"] == "2026-04-05"
    assert event.before["conditions"] == [] and event.after["conditions"] == ["Rest breaks every hour."]
    assert event.note == "An extra rehearsal on Sunday"
    distribution = world.get(path(licence, "distribution"), world.producer).get_json()
    assert [d["event"] for d in distribution] == ["granted"] * 3 + ["varied"] * 3


def test_a_variation_that_breaches_the_limits_is_refused_and_changes_nothing(world):
    licence = ready(world)
    grant(world, licence)
    seven_days = days_from(FIRST_DAY, 7)  # a seventh consecutive day
    response = world.post(
        path(licence, "variation"), {"reason": "More shows", "changes": {"days": seven_days}}, world.officer
    )
    assert response.status_code == 409
    assert [b["code"] for b in response.get_json()["breaches"]] == ["consecutive_days"]
    shown = world.licence(licence["id"])
    assert shown["last_day"] == "2026-04-03" and len(shown["days"]) == 3


def test_a_chaperone_can_be_varied(world):
    licence = ready(world)
    grant(world, licence)
    changes = {"chaperone": {"is_parent": True}}
    body = world.post(
        path(licence, "variation"), {"reason": "Mum will attend", "changes": changes}, world.officer
    )
    assert body.status_code == 200 and body.get_json()["history"][-1]["changes"] == ["chaperone"]
    assert world.licence(licence["id"])["chaperone"]["is_parent"] is True


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"changes": {"night_work": True}}, "reason"),
        ({"reason": "  ", "changes": {"night_work": True}}, "reason"),
        ({"reason": "x"}, "changes"),
        ({"reason": "x", "changes": {}}, "changes.body"),
        ({"reason": "x", "changes": {"days": []}}, "changes.days"),
        ({"reason": "x", "changes": {"night_work": False}}, "changes"),  # the licence's terms already
    ],
)
def test_invalid_variations_are_422(world, body, field):
    licence = ready(world)
    grant(world, licence)
    response = world.post(path(licence, "variation"), body, world.officer)
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["errors"]


def test_days_already_past_cannot_be_varied_and_an_ended_licence_not_at_all(licensing_app):
    with time_machine.travel(TODAY_AT, tick=False):
        world = LicensingWorld(licensing_app)
        licence = ready(world)
        grant(world, licence)
    with time_machine.travel("2026-04-02 10:00 +0100", tick=False):
        officer = world.sign_in("officer@example.org")
        changed_past = days_from(FIRST_DAY, 3, arrive="10:00")
        response = world.post(
            path(licence, "variation"), {"reason": "x", "changes": {"days": changed_past}}, officer
        )
        assert response.status_code == 422
        assert "Wednesday 1 April 2026" in response.get_json()["errors"]["changes.days"][0]
        keeps_past = [*days_from(FIRST_DAY, 2), day(FIRST_DAY + timedelta(days=2), arrive="10:00")]
        response = world.post(
            path(licence, "variation"), {"reason": "x", "changes": {"days": keeps_past}}, officer
        )
        assert response.status_code == 200, response.get_json()
    with time_machine.travel("2026-04-04 10:00 +0100", tick=False):
        officer = world.sign_in("officer@example.org")
        response = world.post(
            path(licence, "variation"), {"reason": "x", "changes": {"night_work": True}}, officer
        )
        assert response.status_code == 409 and "ended" in response.get_json()["detail"]


def test_only_a_granted_licence_can_be_varied(world):
    licence = ready(world)
    body = {"reason": "x", "changes": {"night_work": True}}
    response = world.post(path(licence, "variation"), body, world.officer)
    assert response.status_code == 409 and response.get_json()["current_status"] == "submitted"
    assert world.post(path(licence, "variation"), body, world.producer).status_code == 403
    assert world.post(path(licence, "variation"), body).status_code == 401


# --- revocation -------------------------------------------------------------------------------------------


def test_a_revocation_ends_the_licence_and_tells_the_same_parties(world):
    licence = ready(world)
    grant(world, licence)
    reason = "Inspection found the child performing without a chaperone."
    response = world.post(path(licence, "revocation"), {"reason": reason}, world.officer)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["status"], body["revoked_on"], body["revocation_reason"]) == (
        "revoked",
        "2026-03-02",
        reason,
    )
    assert [d["kind"] for d in body["documents"]] == ["licence", "revocation"]
    assert [(d["party"], d["event"]) for d in body["distribution"]] == [
        ("holder", "revoked"),
        ("host_authority", "revoked"),
        ("parent", "revoked"),
    ]
    revoked = [m for m in outbox_with_documents(world) if "revoked" in m.subject]
    assert sorted(m.to_address for m in revoked) == sorted([HOLDER_EMAIL, HOST_EMAIL, PARENT_EMAIL])
    event = next(
        e for e in world.audit("performance_licence", licence["id"]) if e.action.endswith(".revoked")
    )
    assert event.before["status"] == "granted" and event.after["status"] == "revoked" and event.note == reason

    assert world.post(path(licence, "revocation"), {"reason": reason}, world.officer).status_code == 409
    again = world.post(
        path(licence, "variation"), {"reason": "x", "changes": {"night_work": True}}, world.officer
    )
    assert again.status_code == 409


def test_revocation_needs_a_reason_a_granted_licence_and_staff(world):
    licence = ready(world)
    assert world.post(path(licence, "revocation"), {"reason": "x"}, world.officer).status_code == 409
    grant(world, licence)
    response = world.post(path(licence, "revocation"), {"reason": " "}, world.officer)
    assert response.status_code == 422 and "reason" in response.get_json()["errors"]
    assert world.post(path(licence, "revocation"), {}, world.officer).status_code == 422
    assert world.post(path(licence, "revocation"), {"reason": "x"}, world.producer).status_code == 403
    assert world.post(path(licence, "revocation"), {"reason": "x"}).status_code == 401
    assert world.post(path({"id": 999999}, "revocation"), {"reason": "x"}, world.officer).status_code == 404


# --- documents and what the owner sees -------------------------------------------------------------------


def test_documents_are_for_the_owner_and_staff_only(world):
    licence = ready(world)
    pdf = path(licence, "documents/licence.pdf")
    assert world.get(pdf, world.officer).status_code == 404  # not granted yet
    grant(world, licence)
    for headers in (world.officer, world.admin, world.producer):
        response = world.get(pdf, headers)
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        assert response.get_data().startswith(b"%PDF")
    assert world.get(pdf, world.other_producer).status_code == 404
    assert world.get(pdf).status_code == 401
    assert world.get(path(licence, "documents/refusal.pdf"), world.producer).status_code == 404
    assert world.get(path(licence, "documents/revocation.pdf"), world.producer).status_code == 404
    assert world.get(pdf + "?version=2", world.officer).status_code == 404
    assert world.get(pdf + "?version=0", world.officer).status_code == 422


def test_the_owner_reads_the_outcome_and_where_copies_went(world):
    licence = ready(world)
    body = grant(world, licence)
    seen = world.get(path(licence), world.producer).get_json()
    assert seen["licence_number"] == body["licence_number"] and seen["distribution"] == body["distribution"]
    before = world.get(path(world.apply(FIRST_DAY)), world.producer).get_json()
    assert (before["status"], before["documents"], before["distribution"]) == ("submitted", [], [])


def test_an_application_refused_on_submission_gets_its_letter_on_request(make_app):
    app = make_app("licensing", LICENCE_MIN_NOTICE_DAYS_HARD="5")
    with time_machine.travel(TODAY_AT, tick=False):
        world = LicensingWorld(app)
        licence = world.apply(TODAY + timedelta(days=3))
        assert licence["status"] == "refused"
        outcome = world.get(path(licence), world.producer).get_json()
        assert [d["kind"] for d in outcome["documents"]] == ["refusal"]
        first = world.get(path(licence, "documents/refusal.pdf"), world.producer)
        again = world.get(path(licence, "documents/refusal.pdf"), world.officer)
        assert first.status_code == 200 and first.get_data() == again.get_data()
        with app.app_context():
            count = db.session().scalar(
                select(func.count()).select_from(Document).where(Document.object_id == str(licence["id"]))
            )
        assert count == 1


def test_verification_gives_valid_and_until_when_for_the_number_and_date_of_birth(world):
    licence = ready(world)
    number = grant(world, licence)["licence_number"]
    with world.app.app_context():
        assert licence_decisions.verification(number, date(2015, 6, 14)) == {
            "valid": True,
            "valid_until": date(2026, 4, 3),
            "kind": "performance_licence",
        }
        assert licence_decisions.verification(number.lower(), date(2015, 6, 14))["valid"] is True
        assert licence_decisions.verification(number, date(2015, 6, 15)) is None
        assert (
            licence_decisions.verification(number, date(2015, 6, 14), today=date(2026, 4, 4))["valid"]
            is False
        )


# --- at the same moment -----------------------------------------------------------------------------------


@pytest.mark.postgres
def test_two_grants_at_once_make_one_licence_number_and_one_set_of_copies(licensing_app):
    with time_machine.travel(TODAY_AT, tick=False):
        world = LicensingWorld(licensing_app)
        licence = ready(world)
        clients = [licensing_app.test_client() for _ in range(4)]
        bodies = [{"decision": "grant"}, {"decision": "grant"}, {"decision": "refuse", "reason": "No"}] + [
            {"decision": "grant"}
        ]
        responses = at_once(
            [
                lambda c=c, b=b: c.post(path(licence), json=b, headers=world.officer)
                for c, b in zip(clients, bodies, strict=True)
            ]
        )
    assert sorted(r.status_code for r in responses) == [200, 409, 409, 409], [r.get_json() for r in responses]
    winner = next(r.get_json() for r in responses if r.status_code == 200)
    with licensing_app.app_context():
        session = db.session()
        decisions = session.scalars(
            select(LicenceDecision).where(LicenceDecision.licence_id == licence["id"])
        ).all()
        stored = session.get(PerformanceLicence, licence["id"])
        documents = session.scalar(
            select(func.count()).select_from(Document).where(Document.object_id == str(licence["id"]))
        )
        decided = session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(
                AuditEvent.object_id == str(licence["id"]),
                AuditEvent.action.in_(["performance_licence.granted", "performance_licence.refused"]),
            )
        )
    assert len(decisions) == 1 and decided == 1 and documents == 1
    assert stored.status == winner["status"] and stored.licence_number == winner["licence_number"]
    assert len(outbox_with_documents(world)) == len(winner["distribution"])


@pytest.mark.postgres
def test_licences_granted_at_once_get_different_numbers(licensing_app):
    with time_machine.travel(TODAY_AT, tick=False):
        world = LicensingWorld(licensing_app)
        licences = [ready(world) for _ in range(3)]
        clients = [licensing_app.test_client() for _ in licences]
        responses = at_once(
            [
                lambda c=c, lic=lic: c.post(path(lic), json={"decision": "grant"}, headers=world.officer)
                for c, lic in zip(clients, licences, strict=True)
            ]
        )
    assert [r.status_code for r in responses] == [200, 200, 200]
    numbers = {r.get_json()["licence_number"] for r in responses}
    assert len(numbers) == 3
