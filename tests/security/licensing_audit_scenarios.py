"""Audit scenarios for every state-changing rule of the licensing API, built on the licensing tests' own
worlds and bodies (see :mod:`tests.security.audit_cases`)."""

from __future__ import annotations

import io
from datetime import timedelta

from licensing_service.services import (
    bopa,
    concerns,
    education_approvals,
    employment_permits,
    inspections,
    licence_checks,
    licence_decisions,
    licences,
    parent_part,
    productions,
)
from licensing_service.services import chaperone_approvals as approvals
from licensing_service.services import training_sessions as training
from shared import users
from tests.licensing import chaperone_builders as chaperone
from tests.licensing import employment_builders as employment
from tests.licensing.builders import (
    PRODUCER,
    TODAY,
    TODAY_AT,
    LicensingWorld,
    child_section,
    jpeg,
    licence_body,
    png,
    production_body,
)
from tests.licensing.test_bopa_api import NOW as BOPA_NOW
from tests.licensing.test_bopa_api import World as BopaWorld
from tests.licensing.test_bopa_api import body as bopa_body
from tests.licensing.test_concerns_api import concern_id, report
from tests.licensing.test_inspections_api import PLAN
from tests.licensing.test_licence_decisions import grant, ready
from tests.security.audit_cases import Case, scenario
from tests.support.api import PASSWORD, bearer, token_for

LICENCES = "/api/v1/performance-licences"
FIRST_DAY = TODAY + timedelta(days=30)  # Wednesday 1 April 2026
SCHOOL_EMAIL = "head@school.example"


def licensing(rule: str, performs, now: str = TODAY_AT, world=LicensingWorld):
    return scenario("licensing", rule, now=now, world=world, performs=performs)


def officer(world) -> str:
    return f"officer:{world.ids['officer']}"


def producer(world) -> str:
    return f"applicant:{world.ids['producer']}"


# --- accounts ----------------------------------------------------------------------------------------


@licensing("POST /api/v1/auth/register", users.create_user)
def register(world: LicensingWorld) -> Case:
    body = {"email": "new.applicant@example.org", "password": PASSWORD, "name": "Nia New"}
    return Case(
        send=lambda: world.post("/api/v1/auth/register", body),
        action="user.registered",
        object_type="user",
        object_id=lambda created: created["id"],
        actor="public",
        refuse=lambda: world.post("/api/v1/auth/register", body),  # the same address again: 422
    )


@licensing("POST /api/v1/auth/token", users.issue_token)
def sign_in(world: LicensingWorld) -> Case:
    return Case(
        send=lambda: world.post("/api/v1/auth/token", {"email": PRODUCER, "password": PASSWORD}),
        action="token.issued",
        object_type="user",
        object_id=world.ids["producer"],
        actor=producer(world),
        refuse=lambda: world.post("/api/v1/auth/token", {"email": PRODUCER}),
    )


@licensing("DELETE /api/v1/auth/token", users.revoke_token)
def sign_out(world: LicensingWorld) -> Case:
    token = bearer(token_for(world.client, PRODUCER))
    return Case(
        send=lambda: world.client.delete("/api/v1/auth/token", headers=token),
        action="token.revoked",
        object_type="user",
        object_id=world.ids["producer"],
        actor=producer(world),
        refuse=lambda: world.client.delete("/api/v1/auth/token", headers=token),  # revoked already: 401
    )


# --- productions and performance licences ------------------------------------------------------------


@licensing("POST /api/v1/productions", productions.create)
def production(world: LicensingWorld) -> Case:
    return Case(
        send=lambda: world.post("/api/v1/productions", production_body(), world.producer),
        action="production.created",
        object_type="production",
        object_id=lambda created: created["id"],
        actor=producer(world),
        refuse=lambda: world.post("/api/v1/productions", production_body(type="circus"), world.producer),
    )


@licensing("POST /api/v1/productions/{production_id}/children", licences.create_draft)
def draft(world: LicensingWorld) -> Case:
    path = f"/api/v1/productions/{world.production()['id']}/children"
    bad = child_section()
    bad["child"]["date_of_birth"] = "2015-02-30"
    return Case(
        send=lambda: world.post(path, child_section(), world.producer),
        action="performance_licence.drafted",
        object_type="performance_licence",
        object_id=lambda created: created["id"],
        actor=producer(world),
        refuse=lambda: world.post(path, bad, world.producer),
    )


@licensing("POST /api/v1/performance-licences", licences.create_and_submit)
def application(world: LicensingWorld) -> Case:
    production_id = world.production()["id"]
    return Case(
        send=lambda: world.post(LICENCES, licence_body(production_id, FIRST_DAY), world.producer),
        action="performance_licence.submitted",
        object_type="performance_licence",
        object_id=lambda created: created["id"],
        actor=producer(world),
        refuse=lambda: world.post(
            LICENCES, licence_body(production_id, TODAY - timedelta(days=1)), world.producer
        ),
    )


def sections(world: LicensingWorld, production_id: int) -> dict[str, dict]:
    """Each section of a draft, as the licences tests fill them."""
    body = licence_body(production_id, TODAY + timedelta(days=28))
    return {
        "child": {"child": body["child"], "parent": body["parent"]},
        "days": {"days": body["days"], "night_work": False},
        "chaperone": {"chaperone": {"is_parent": True}},
        "education": {"education": None},
    }


REFUSED_SECTIONS = {
    "child": {"child": {"first_name": ""}},
    "days": {"days": []},
    "chaperone": {},
    "education": {"education": {"school_days_missed": -1}},
}


def _section_scenario(section: str) -> None:
    @licensing(f"PUT /api/v1/performance-licences/{{licence_id}}/sections/{section}", licences.update_section)
    def save_section(world: LicensingWorld) -> Case:
        production_id = world.production()["id"]
        draft_id = world.post(f"/api/v1/productions/{production_id}/children", {}, world.producer).get_json()[
            "id"
        ]
        path = f"{LICENCES}/{draft_id}/sections/{section}"
        return Case(
            send=lambda: world.put(path, sections(world, production_id)[section], world.producer),
            action="performance_licence.section_saved",
            object_type="performance_licence",
            object_id=draft_id,
            actor=producer(world),
            refuse=lambda: world.put(path, REFUSED_SECTIONS[section], world.producer),
        )


for _section in ("child", "days", "chaperone", "education"):
    _section_scenario(_section)


@licensing("POST /api/v1/performance-licences/{licence_id}/submit", licences.submit_draft)
def submit(world: LicensingWorld) -> Case:
    production_id = world.production()["id"]
    draft_id = world.post(f"/api/v1/productions/{production_id}/children", {}, world.producer).get_json()[
        "id"
    ]
    for section, body in sections(world, production_id).items():
        assert world.put(f"{LICENCES}/{draft_id}/sections/{section}", body, world.producer).status_code == 200
    path = f"{LICENCES}/{draft_id}/submit"
    return Case(
        send=lambda: world.post(path, {}, world.producer),
        action="performance_licence.submitted",
        object_type="performance_licence",
        object_id=draft_id,
        actor=producer(world),
        refuse=lambda: world.post(path, {}, world.producer),  # submitted already: 409
    )


@licensing("POST /api/v1/performance-licences/{licence_id}/withdraw", licences.withdraw)
def withdraw(world: LicensingWorld) -> Case:
    licence = world.apply(FIRST_DAY)
    path = f"{LICENCES}/{licence['id']}/withdraw"
    return Case(
        send=lambda: world.post(path, {"reason": "The show is cancelled"}, world.producer),
        action="performance_licence.withdrawn",
        object_type="performance_licence",
        object_id=licence["id"],
        actor=producer(world),
        refuse=lambda: world.post(path, {"reason": "Again"}, world.producer),  # withdrawn already: 409
    )


@licensing("POST /api/v1/performance-licences/{licence_id}/parent-link", licences.resend_parent_link)
def parent_link(world: LicensingWorld) -> Case:
    licence = world.apply(FIRST_DAY)
    path = f"{LICENCES}/{licence['id']}/parent-link"
    return Case(
        send=lambda: world.post(path, {"parent_email": "carer@example.org"}, world.producer),
        action="performance_licence.parent_link_sent",
        object_type="performance_licence",
        object_id=licence["id"],
        actor=producer(world),
        refuse=lambda: world.post(path, {"parent_email": "not an address"}, world.producer),
    )


@licensing("POST /api/v1/parent-part/{token}", parent_part.complete)
def parent_part_completed(world: LicensingWorld) -> Case:
    licence = world.apply(FIRST_DAY)
    token = world.parent_token()
    return Case(
        send=lambda: world.complete_parent_part(token),
        action="performance_licence.parent_part_completed",
        object_type="performance_licence",
        object_id=licence["id"],
        actor="parent_link:",
        refuse=lambda: world.complete_parent_part(token),  # the link is used: 410
    )


@licensing("POST /api/v1/performance-licences/{licence_id}/checks", licence_checks.record)
def licence_check(world: LicensingWorld) -> Case:
    licence = world.apply(FIRST_DAY)
    path = f"{LICENCES}/{licence['id']}/checks"
    return Case(
        send=lambda: world.post(path, {"kind": "education", "outcome": "no_concerns"}, world.officer),
        action="licence_check.recorded",
        object_type="performance_licence",
        object_id=licence["id"],
        actor=officer(world),
        refuse=lambda: world.post(path, {"kind": "education", "outcome": "concerns"}, world.officer),
    )


@licensing("POST /api/v1/performance-licences/{licence_id}/education-approval", education_approvals.record)
def education_approval(world: LicensingWorld) -> Case:
    licence = world.apply(FIRST_DAY)
    path = f"{LICENCES}/{licence['id']}/education-approval"
    return Case(
        send=lambda: world.post(path, {"approved": True}, world.officer),
        action="performance_licence.education_approved",
        object_type="performance_licence",
        object_id=licence["id"],
        actor=officer(world),
        refuse=lambda: world.post(path, {"approved": False}, world.officer),  # no reason: 422
    )


@licensing(
    "POST /api/v1/performance-licences/{licence_id}/school-opinion-request",
    licence_checks.request_school_opinion,
)
def school_opinion_request(world: LicensingWorld) -> Case:
    licence = world.apply(FIRST_DAY)
    path = f"{LICENCES}/{licence['id']}/school-opinion-request"
    return Case(
        send=lambda: world.post(path, {"school_email": SCHOOL_EMAIL}, world.officer),
        action="licence_check.school_opinion_requested",
        object_type="performance_licence",
        object_id=licence["id"],
        actor=officer(world),
        refuse=lambda: world.post(path, {"school_email": "not an address"}, world.officer),
    )


@licensing("POST /api/v1/school-opinion/{token}", licence_checks.record_school_opinion)
def school_opinion(world: LicensingWorld) -> Case:
    licence = world.apply(FIRST_DAY)
    asked = world.post(
        f"{LICENCES}/{licence['id']}/school-opinion-request", {"school_email": SCHOOL_EMAIL}, world.officer
    )
    assert asked.status_code == 201, asked.get_json()
    path = f"/api/v1/school-opinion/{world.link_token('school-opinion', SCHOOL_EMAIL)}"
    return Case(
        send=lambda: world.post(path, {"outcome": "no_concerns"}),
        action="licence_check.recorded",
        object_type="performance_licence",
        object_id=licence["id"],
        actor="school_link:",
        refuse=lambda: world.post(path, {"outcome": "no_concerns"}),  # the link is used: 410
    )


@licensing("POST /api/v1/performance-licences/{licence_id}/decision", licence_decisions.decide)
def licence_decision(world: LicensingWorld) -> Case:
    licence = ready(world)
    path = f"{LICENCES}/{licence['id']}/decision"
    return Case(
        send=lambda: world.post(path, {"decision": "grant"}, world.officer),
        action="performance_licence.granted",
        object_type="performance_licence",
        object_id=licence["id"],
        actor=officer(world),
        refuse=lambda: world.post(path, {"decision": "refuse", "reason": "Late"}, world.officer),  # 409
    )


@licensing("POST /api/v1/performance-licences/{licence_id}/variation", licence_decisions.vary)
def licence_variation(world: LicensingWorld) -> Case:
    licence = ready(world)
    grant(world, licence)
    path = f"{LICENCES}/{licence['id']}/variation"
    changes = {"conditions": ["The child must not work with animals on set."]}
    return Case(
        send=lambda: world.post(path, {"reason": "Animals on set", "changes": changes}, world.officer),
        action="performance_licence.varied",
        object_type="performance_licence",
        object_id=licence["id"],
        actor=officer(world),
        refuse=lambda: world.post(path, {"reason": " ", "changes": changes}, world.officer),
    )


@licensing("POST /api/v1/performance-licences/{licence_id}/revocation", licence_decisions.revoke)
def licence_revocation(world: LicensingWorld) -> Case:
    licence = ready(world)
    grant(world, licence)
    path = f"{LICENCES}/{licence['id']}/revocation"
    return Case(
        send=lambda: world.post(path, {"reason": "The child was kept past 10pm"}, world.officer),
        action="performance_licence.revoked",
        object_type="performance_licence",
        object_id=licence["id"],
        actor=officer(world),
        refuse=lambda: world.post(path, {"reason": "Again"}, world.officer),  # revoked already: 409
    )


# --- chaperone approvals and training ----------------------------------------------------------------

APPROVALS = "/api/v1/chaperone-approvals"


def chaperones(rule: str, performs):
    return licensing(rule, performs, now=chaperone.NOW, world=chaperone.ChaperoneWorld)


def applicant(world: chaperone.ChaperoneWorld) -> str:
    return f"applicant:{world.ids['applicant']}"


def approved(world: chaperone.ChaperoneWorld) -> dict:
    created = world.apply()
    world.make_ready(created["id"])
    response = world.decide(created["id"], {"decision": "approve"})
    assert response.status_code == 200, response.get_json()
    return created


@chaperones("POST /api/v1/chaperone-approvals", approvals.submit)
def chaperone_application(world: chaperone.ChaperoneWorld) -> Case:
    return Case(
        send=lambda: world.post(APPROVALS, chaperone.body(), world.applicant),
        action="chaperone_approval.submitted",
        object_type="chaperone_approval",
        object_id=lambda created: created["id"],
        actor=applicant(world),
        refuse=lambda: world.post(APPROVALS, chaperone.body(kind="astronaut"), world.applicant),
    )


@chaperones("POST /api/v1/chaperone-references/{token}", approvals.give_reference)
def chaperone_reference(world: chaperone.ChaperoneWorld) -> Case:
    created = world.apply()
    path = f"/api/v1/chaperone-references/{world.referee_token(chaperone.REFEREES[0])}"
    return Case(
        send=lambda: world.post(path, chaperone.REFERENCE_ANSWERS),
        action="chaperone_approval.reference_received",
        object_type="chaperone_approval",
        object_id=created["id"],
        actor="referee_link:",
        refuse=lambda: world.post(path, chaperone.REFERENCE_ANSWERS),  # the link is used: 410
    )


@chaperones("POST /api/v1/chaperone-approvals/{approval_id}/checks", approvals.record_check)
def chaperone_check(world: chaperone.ChaperoneWorld) -> Case:
    created = world.apply()
    return Case(
        send=lambda: world.check(created["id"], "dbs"),
        action="chaperone_approval.check_recorded",
        object_type="chaperone_approval",
        object_id=created["id"],
        actor=officer(world),
        refuse=lambda: world.check(created["id"], "fingerprints"),
    )


@chaperones("POST /api/v1/chaperone-approvals/{approval_id}/decision", approvals.decide)
def chaperone_decision(world: chaperone.ChaperoneWorld) -> Case:
    created = world.apply()
    world.make_ready(created["id"])
    return Case(
        send=lambda: world.decide(created["id"], {"decision": "approve"}),
        action="chaperone_approval.approved",
        object_type="chaperone_approval",
        object_id=created["id"],
        actor=officer(world),
        refuse=lambda: world.decide(created["id"], {"decision": "refuse", "reason": "x"}),  # decided: 409
    )


@chaperones("POST /api/v1/chaperone-approvals/{approval_id}/suspension", approvals.change_status)
def chaperone_suspension(world: chaperone.ChaperoneWorld) -> Case:
    approval_id = approved(world)["id"]
    path = f"{APPROVALS}/{approval_id}/suspension"
    return Case(
        send=lambda: world.post(path, {"reason": "Allegation under investigation"}, world.officer),
        action="chaperone_approval.suspended",
        object_type="chaperone_approval",
        object_id=approval_id,
        actor=officer(world),
        refuse=lambda: world.post(path, {"reason": " "}, world.officer),
    )


@chaperones("POST /api/v1/chaperone-approvals/{approval_id}/reinstatement", approvals.change_status)
def chaperone_reinstatement(world: chaperone.ChaperoneWorld) -> Case:
    approval_id = approved(world)["id"]
    suspended = world.post(f"{APPROVALS}/{approval_id}/suspension", {"reason": "Allegation"}, world.officer)
    assert suspended.status_code == 200, suspended.get_json()
    path = f"{APPROVALS}/{approval_id}/reinstatement"
    return Case(
        send=lambda: world.post(path, {"reason": "No further action"}, world.officer),
        action="chaperone_approval.reinstated",
        object_type="chaperone_approval",
        object_id=approval_id,
        actor=officer(world),
        refuse=lambda: world.post(path, {"reason": "Again"}, world.officer),  # not suspended: 409
    )


@chaperones("POST /api/v1/chaperone-approvals/{approval_id}/revocation", approvals.change_status)
def chaperone_revocation(world: chaperone.ChaperoneWorld) -> Case:
    approval_id = approved(world)["id"]
    path = f"{APPROVALS}/{approval_id}/revocation"
    return Case(
        send=lambda: world.post(path, {"reason": "Conviction"}, world.officer),
        action="chaperone_approval.revoked",
        object_type="chaperone_approval",
        object_id=approval_id,
        actor=officer(world),
        refuse=lambda: world.post(path, {"reason": "Again"}, world.officer),  # revoked already: 409
    )


@chaperones("PUT /api/v1/chaperone-approvals/{approval_id}/photo", approvals.upload_photo)
def chaperone_photo(world: chaperone.ChaperoneWorld) -> Case:
    approval_id = world.apply()["id"]

    def upload(content: bytes, name: str):
        return world.client.put(
            f"{APPROVALS}/{approval_id}/photo",
            data={"photo": (io.BytesIO(content), name)},
            headers=world.applicant,
            content_type="multipart/form-data",
        )

    return Case(
        send=lambda: upload(jpeg(), "me.jpg"),
        action="chaperone_approval.photo_uploaded",
        object_type="chaperone_approval",
        object_id=approval_id,
        actor=applicant(world),
        refuse=lambda: upload(png(100, 100), "me.png"),  # too small to print on the card
    )


@chaperones("POST /api/v1/training-sessions", training.create)
def training_session(world: chaperone.ChaperoneWorld) -> Case:
    body = {
        "date": (chaperone.TODAY + timedelta(days=14)).isoformat(),
        "place": "County Hall",
        "capacity": 10,
    }
    return Case(
        send=lambda: world.post("/api/v1/training-sessions", body, world.officer),
        action="chaperone_training_session.created",
        object_type="chaperone_training_session",
        object_id=lambda created: created["id"],
        actor=officer(world),
        refuse=lambda: world.post("/api/v1/training-sessions", {**body, "capacity": 0}, world.officer),
    )


@chaperones("POST /api/v1/training-sessions/{session_id}/bookings", training.book)
def training_booking(world: chaperone.ChaperoneWorld) -> Case:
    approval_id = world.apply()["id"]
    session_id = world.session(chaperone.TODAY + timedelta(days=14))["id"]
    return Case(
        send=lambda: world.book(session_id, approval_id),
        action="chaperone_approval.training_booked",
        object_type="chaperone_approval",
        object_id=approval_id,
        actor=applicant(world),
        refuse=lambda: world.book(session_id, approval_id),  # booked already: 409
    )


@chaperones("POST /api/v1/training-sessions/{session_id}/attendance", training.record_attendance)
def training_attendance(world: chaperone.ChaperoneWorld) -> Case:
    approval_id = world.apply()["id"]
    session_id = world.session(chaperone.TODAY)["id"]
    assert world.book(session_id, approval_id, world.officer).status_code == 201
    path = f"/api/v1/training-sessions/{session_id}/attendance"
    return Case(
        send=lambda: world.attend(session_id, approval_id),
        action="chaperone_approval.training_attendance",
        object_type="chaperone_approval",
        object_id=approval_id,
        actor=officer(world),
        refuse=lambda: world.post(path, {"approval_id": approval_id, "attended": "perhaps"}, world.officer),
    )


# --- concerns --------------------------------------------------------------------------------------------


def reported(world: LicensingWorld) -> int:
    response = world.post("/api/v1/concerns", report())
    assert response.status_code == 201, response.get_json()
    return concern_id(world, response.get_json()["reference"])


@licensing("POST /api/v1/concerns", concerns.report)
def concern(world: LicensingWorld) -> Case:
    return Case(
        send=lambda: world.post("/api/v1/concerns", report()),
        action="concern.reported",
        object_type="concern",
        object_id=lambda created: concern_id(world, created["reference"]),
        actor="public",
        refuse=lambda: world.post("/api/v1/concerns", report(activity="juggling")),
    )


@licensing("POST /api/v1/concerns/{concern_id}/actions", concerns.add_action)
def concern_action(world: LicensingWorld) -> Case:
    cid = reported(world)
    path = f"/api/v1/concerns/{cid}/actions"
    return Case(
        send=lambda: world.post(path, {"kind": "support_to_apply", "notes": "Sent the form"}, world.officer),
        action="concern.action.support_to_apply",
        object_type="concern",
        object_id=cid,
        actor=officer(world),
        refuse=lambda: world.post(path, {"kind": "letter", "notes": "No addressee"}, world.officer),
    )


@licensing("POST /api/v1/concerns/{concern_id}/closure", concerns.close)
def concern_closure(world: LicensingWorld) -> Case:
    cid = reported(world)
    path = f"/api/v1/concerns/{cid}/closure"
    return Case(
        send=lambda: world.post(path, {"outcome": "advice_given"}, world.officer),
        action="concern.closed",
        object_type="concern",
        object_id=cid,
        actor=officer(world),
        refuse=lambda: world.post(path, {"outcome": "stopped"}, world.officer),  # closed already: 409
    )


# --- body of persons approvals and inspections -----------------------------------------------------------


def oversight(rule: str, performs):
    return licensing(rule, performs, now=BOPA_NOW, world=BopaWorld)


@oversight("POST /api/v1/bopa-approvals", bopa.submit)
def bopa_application(world: BopaWorld) -> Case:
    return Case(
        send=lambda: world.post("/api/v1/bopa-approvals", bopa_body(), world.applicant),
        action="bopa_approval.submitted",
        object_type="bopa_approval",
        object_id=lambda created: created["id"],
        actor=f"applicant:{world.applicant_id}",
        refuse=lambda: world.post("/api/v1/bopa-approvals", bopa_body(children=[]), world.applicant),
    )


@oversight("POST /api/v1/bopa-approvals/{approval_id}/decision", bopa.decide)
def bopa_decision(world: BopaWorld) -> Case:
    approval_id = world.apply()["id"]
    return Case(
        send=lambda: world.decide(approval_id, {"decision": "approve"}),
        action="bopa_approval.approved",
        object_type="bopa_approval",
        object_id=approval_id,
        actor=f"officer:{world.officer_id}",
        refuse=lambda: world.decide(approval_id, {"decision": "refuse", "reason": "Paid roles"}),  # 409
    )


@oversight("POST /api/v1/bopa-approvals/{approval_id}/revocation", bopa.revoke)
def bopa_revocation(world: BopaWorld) -> Case:
    approval_id = world.apply()["id"]
    assert world.decide(approval_id, {"decision": "approve"}).status_code == 200
    path = f"/api/v1/bopa-approvals/{approval_id}/revocation"
    return Case(
        send=lambda: world.post(path, {"reason": "Children were paid"}, world.officer),
        action="bopa_approval.revoked",
        object_type="bopa_approval",
        object_id=approval_id,
        actor=f"officer:{world.officer_id}",
        refuse=lambda: world.post(path, {"reason": "Again"}, world.officer),  # revoked already: 409
    )


def planned(world: BopaWorld) -> int:
    response = world.post("/api/v1/inspections", {**PLAN, "subject_id": world.apply()["id"]}, world.officer)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


@oversight("POST /api/v1/inspections", inspections.plan)
def inspection(world: BopaWorld) -> Case:
    approval_id = world.apply()["id"]
    return Case(
        send=lambda: world.post("/api/v1/inspections", {**PLAN, "subject_id": approval_id}, world.officer),
        action="inspection.planned",
        object_type="inspection",
        object_id=lambda created: created["id"],
        actor=f"officer:{world.officer_id}",
        refuse=lambda: world.post("/api/v1/inspections", {**PLAN, "subject_id": 999_999}, world.officer),
    )


@oversight("POST /api/v1/inspections/{inspection_id}/outcome", inspections.record_outcome)
def inspection_outcome(world: BopaWorld) -> Case:
    inspection_id = planned(world)
    path = f"/api/v1/inspections/{inspection_id}/outcome"
    body = {"outcome": "compliant", "visited_on": "2026-02-02"}
    return Case(
        send=lambda: world.post(path, body, world.officer),
        action="inspection.outcome_recorded",
        object_type="inspection",
        object_id=inspection_id,
        actor=f"officer:{world.officer_id}",
        refuse=lambda: world.post(path, body, world.officer),  # recorded already: 409
    )


@oversight("POST /api/v1/inspections/{inspection_id}/cancellation", inspections.cancel)
def inspection_cancellation(world: BopaWorld) -> Case:
    inspection_id = planned(world)
    path = f"/api/v1/inspections/{inspection_id}/cancellation"
    return Case(
        send=lambda: world.post(path, {"reason": "The performance was called off"}, world.officer),
        action="inspection.cancelled",
        object_type="inspection",
        object_id=inspection_id,
        actor=f"officer:{world.officer_id}",
        refuse=lambda: world.post(path, {"reason": "Again"}, world.officer),  # cancelled already: 409
    )


# --- child employment permits ----------------------------------------------------------------------------

PERMITS = "/api/v1/employment-permits"


def permits(rule: str, performs):
    return licensing(rule, performs, now=employment.ON_TIME, world=employment.EmploymentWorld)


@permits("POST /api/v1/employment-permits", employment_permits.submit)
def permit_application(world: employment.EmploymentWorld) -> Case:
    return Case(
        send=lambda: world.post(PERMITS, employment.permit_body(), world.employer),
        action="employment_permit.submitted",
        object_type="employment_permit",
        object_id=lambda created: created["id"],
        actor=producer(world),
        refuse=lambda: world.post(PERMITS, employment.permit_body(start_date="2026-11-31"), world.employer),
    )


@permits("POST /api/v1/employment-permits/{permit_id}/parent-link", employment_permits.resend_parent_link)
def permit_parent_link(world: employment.EmploymentWorld) -> Case:
    permit_id = world.apply_permit()["id"]
    path = f"{PERMITS}/{permit_id}/parent-link"
    return Case(
        send=lambda: world.post(path, {}, world.employer),
        action="employment_permit.parent_link_sent",
        object_type="employment_permit",
        object_id=permit_id,
        actor=producer(world),
        before_refusal=lambda: world.declare(),
        refuse=lambda: world.post(path, {}, world.employer),  # the parent has declared: 409
    )


@permits("POST /api/v1/permit-declarations/{token}", employment_permits.declare)
def permit_declaration(world: employment.EmploymentWorld) -> Case:
    permit_id = world.apply_permit()["id"]
    token = world.declaration_token()
    return Case(
        send=lambda: world.declare(token),
        action="employment_permit.parent_declared",
        object_type="employment_permit",
        object_id=permit_id,
        actor="parent_link:",
        refuse=lambda: world.declare(token),  # the link is used: 410
    )


@permits("POST /api/v1/employment-permits/{permit_id}/decision", employment_permits.decide)
def permit_decision(world: employment.EmploymentWorld) -> Case:
    permit_id = world.apply_permit()["id"]
    assert world.declare().status_code == 200
    return Case(
        send=lambda: world.decide(permit_id),
        action="employment_permit.granted",
        object_type="employment_permit",
        object_id=permit_id,
        actor=officer(world),
        refuse=lambda: world.decide(permit_id),  # decided already: 409
    )


@permits("POST /api/v1/employment-permits/{permit_id}/revocation", employment_permits.revoke)
def permit_revocation(world: employment.EmploymentWorld) -> Case:
    permit_id = world.granted()["id"]
    path = f"{PERMITS}/{permit_id}/revocation"
    return Case(
        send=lambda: world.post(path, {"reason": "The job moved to a commercial kitchen"}, world.officer),
        action="employment_permit.revoked",
        object_type="employment_permit",
        object_id=permit_id,
        actor=officer(world),
        refuse=lambda: world.post(path, {"reason": " "}, world.officer),
    )
