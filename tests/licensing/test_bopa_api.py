"""Body of Persons Approvals through the API: apply, decide, revoke; owners only; emails and audit.

Today is Monday 2 February 2026. The first performance is Saturday 21 March 2026: details were due by
Saturday 28 February (21 days before), and the council decides by Friday 20 March.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
import time_machine
from flask import Flask
from sqlalchemy import func, select

from licensing_service.models.oversight import BopaApproval
from shared import db
from shared.audit import AuditEvent
from shared.notify import OutboxMessage
from tests.support.api import add_user, bearer, token_for
from tests.support.concurrency import at_once

NOW = "2026-02-02 10:00 +0000"
ORG_EMAIL = "bookings@stagecraft.example"

BODY: dict[str, Any] = {
    "organisation": {
        "name": "Stagecraft Youth Theatre",
        "address": "1 Castle Gate, Newark NG24 1AA",
        "contact": "Pat Director",
        "email": ORG_EMAIL,
        "phone": "01636 000000",
    },
    "period": {"start": "2026-03-01", "end": "2026-03-31"},
    "series_description": None,
    "performances": [
        {"date": "2026-03-22", "venue": "Palace Theatre, Newark"},
        {"date": "2026-03-21", "venue": "Palace Theatre, Newark"},
    ],
    "children": [
        {"name": "Ava Example", "date_of_birth": "2015-05-02", "home_authority": "Nottinghamshire"},
        {"name": "Ben Example", "date_of_birth": "2012-11-30", "home_authority": "Derby City"},
    ],
    "no_payment": True,
    "no_school_absence": True,
}


def body(**changes) -> dict[str, Any]:
    data = copy.deepcopy(BODY)
    data.update(changes)
    return data


class World:
    """A licensing app with an officer, an admin and two applicant organisations, each with a token."""

    def __init__(self, app: Flask):
        self.app = app
        self.client = app.test_client()
        self.officer_id = add_user(app, "officer@example.org", "officer")
        add_user(app, "admin@example.org", "admin")
        self.applicant_id = add_user(app, "producer@example.org", "applicant")
        add_user(app, "other@example.org", "applicant")
        self.officer = bearer(token_for(self.client, "officer@example.org"))
        self.admin = bearer(token_for(self.client, "admin@example.org"))
        self.applicant = bearer(token_for(self.client, "producer@example.org"))
        self.other = bearer(token_for(self.client, "other@example.org"))

    def post(self, path: str, json: Any, headers: dict | None = None):
        return self.client.post(path, json=json, headers=headers or {})

    def get(self, path: str, headers: dict | None = None):
        return self.client.get(path, headers=headers or {})

    def apply(self, headers: dict | None = None, **changes) -> dict:
        response = self.post("/api/v1/bopa-approvals", body(**changes), headers or self.applicant)
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def decide(self, approval_id: int, data: dict, headers: dict | None = None):
        return self.post(f"/api/v1/bopa-approvals/{approval_id}/decision", data, headers or self.officer)

    def count(self, model) -> int:
        with self.app.app_context():
            return db.session().scalar(select(func.count()).select_from(model))

    def audit(self, action: str) -> list[AuditEvent]:
        with self.app.app_context():
            return list(
                db.session().scalars(
                    select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
                )
            )

    def emails(self, contains: str = "") -> list[OutboxMessage]:
        with self.app.app_context():
            return list(
                db.session().scalars(
                    select(OutboxMessage)
                    .where(OutboxMessage.subject.contains(contains))
                    .order_by(OutboxMessage.id)
                )
            )


@pytest.fixture
def world(licensing_app):
    with time_machine.travel(NOW, tick=False):
        yield World(licensing_app)


# Applying -------------------------------------------------------------------------------------------------


def test_an_organisation_applies_in_good_time(world):
    created = world.apply()
    assert created["reference"] == "BOPA-2026-000001"
    assert created["status"] == "submitted"
    assert (created["received_on"], created["first_performance_on"], created["last_performance_on"]) == (
        "2026-02-02",
        "2026-03-21",
        "2026-03-22",
    )
    assert (created["days_notice"], created["late"], created["warnings"]) == (47, False, [])
    assert created["decision_due_on"] == "2026-03-20" and created["overdue"] is False
    assert [p["date"] for p in created["performances"]] == ["2026-03-21", "2026-03-22"]
    assert created["period"] == {"start": "2026-03-01", "end": "2026-03-31"}
    assert created["children"][0] == {
        "name": "Ava Example",
        "date_of_birth": "2015-05-02",
        "home_authority": "Nottinghamshire",
        "school_age_ends": "2031-06-27",
        "covered": True,
        "covered_until": "2026-03-22",
    }
    assert created["no_payment"] is True and created["no_school_absence"] is True
    assert created["standard_conditions"] == [] and created["conditions"] == []

    [event] = world.audit("bopa_approval.submitted")
    assert event.object_id == str(created["id"]) and event.actor == f"applicant:{world.applicant_id}"
    assert event.after["reference"] == "BOPA-2026-000001" and event.after["late"] is False
    [email] = world.emails("application received")
    assert email.to_address == ORG_EMAIL and "Friday 20 March 2026" in email.body


@pytest.mark.parametrize(
    ("first", "late", "days"),
    [("2026-02-23", False, 21), ("2026-02-22", True, 20), ("2026-02-02", True, 0)],
)
def test_21_days_notice_is_on_time_and_20_is_late(world, first, late, days):
    created = world.apply(
        period=None, series_description="One concert", performances=[{"date": first, "venue": "Hall"}]
    )
    assert (created["late"], created["days_notice"]) == (late, days)
    assert [w["code"] for w in created["warnings"]] == (["late_notice"] if late else [])
    if late:
        assert "less than 21 days" in world.emails("received")[0].body


RULE_REFUSALS = [
    ({"no_payment": False}, "no_payment"),
    ({"no_school_absence": False}, "no_school_absence"),
    ({"period": None}, "period"),
    ({"period": {"start": "2026-03-22", "end": "2026-03-01"}}, "period.end"),
    ({"period": {"start": "2026-03-22", "end": "2026-03-31"}}, "performances.1.date"),
    ({"children": [BODY["children"][0], BODY["children"][0]]}, "children.1"),
    (
        {"children": [{"name": "Jo Older", "date_of_birth": "2009-08-01", "home_authority": "Derby"}]},
        "children",
    ),
    (
        {"children": [{"name": "Not Yet", "date_of_birth": "2026-03-01", "home_authority": "Derby"}]},
        "children.0.date_of_birth",
    ),
]


def test_what_the_rules_refuse_is_422_and_stores_nothing(world):
    for changes, field in RULE_REFUSALS:
        response = world.post("/api/v1/bopa-approvals", body(**changes), world.applicant)
        assert response.status_code == 422, (changes, response.get_json())
        assert field in response.get_json()["errors"], (changes, response.get_json())
    assert world.count(BopaApproval) == 0 and world.emails() == []


def test_payment_and_school_absence_must_both_be_declared(world):
    for missing in ("no_payment", "no_school_absence"):
        data = body()
        del data[missing]
        response = world.post("/api/v1/bopa-approvals", data, world.applicant)
        assert response.status_code == 422 and missing in response.get_json()["errors"]
    both = world.post(
        "/api/v1/bopa-approvals", body(no_payment=False, no_school_absence=False), world.applicant
    )
    assert set(both.get_json()["errors"]) == {"no_payment", "no_school_absence"}
    assert "no payment" in both.get_json()["detail"]


def test_a_child_past_school_age_is_listed_but_not_covered(world):
    summer = [{"date": "2026-07-04", "venue": "Arboretum, Nottingham"}]
    older = {"name": "Jo Older", "date_of_birth": "2010-07-15", "home_authority": "Derby City"}
    created = world.apply(
        period={"start": "2026-07-01", "end": "2026-07-31"},
        performances=summer,
        children=[BODY["children"][0], older],
    )
    assert [c["covered"] for c in created["children"]] == [True, False]
    assert created["children"][1]["school_age_ends"] == "2026-06-26"
    assert [(w["code"], w["date"]) for w in created["warnings"]] == [("out_of_scope_age", "2026-07-04")]


def test_only_officers_may_date_an_application(world):
    mine = world.apply(received_on="2026-01-02")
    assert mine["received_on"] == "2026-02-02"
    paper = world.apply(headers=world.officer, received_on="2026-03-01")
    assert (paper["received_on"], paper["late"], paper["days_notice"]) == ("2026-03-01", True, 20)


ODD_BODIES = [
    None,
    [],
    "text",
    {},
    body(performances=[]),
    body(children=[]),
    body(performances=[{"date": "2026-02-30", "venue": "Hall"}]),
    body(performances=[{"date": "0001-01-01", "venue": "Hall"}]),
    body(performances=[{"date": "9999-12-31", "venue": "Hall"}]),
    body(children=[{"name": "A", "date_of_birth": "0001-01-01", "home_authority": "X"}]),
    body(children=[{"name": "A", "date_of_birth": "9999-12-31", "home_authority": "X"}]),
    body(organisation={**BODY["organisation"], "email": "not an email"}),
    body(organisation={**BODY["organisation"], "name": "x" * 201}),
    body(organisation={**BODY["organisation"], "name": "Null\x00Org"}),
    body(no_payment="perhaps"),
    body(surprise=True),
    body(period={"start": "2026-03-01"}),
    body(performances=[{"date": "2026-03-21", "venue": "Hall"}] * 201),
    body(received_on="yesterday"),
]


def test_odd_input_is_refused_without_a_500(world):
    for payload in ODD_BODIES:
        response = world.client.post("/api/v1/bopa-approvals", json=payload, headers=world.applicant)
        assert response.status_code in (400, 422), (payload, response.get_json())
        assert response.mimetype == "application/problem+json"
    assert world.count(BopaApproval) == 0


def test_malformed_json_is_400(world):
    response = world.client.post(
        "/api/v1/bopa-approvals", data="{not json", content_type="application/json", headers=world.applicant
    )
    assert response.status_code == 400


# Seeing approvals ----------------------------------------------------------------------------------------


def test_an_applicant_sees_only_its_own_approvals(world):
    mine = world.apply()
    theirs = world.apply(headers=world.other)
    assert world.get(f"/api/v1/bopa-approvals/{mine['id']}", world.applicant).status_code == 200
    assert world.get(f"/api/v1/bopa-approvals/{theirs['id']}", world.applicant).status_code == 404
    assert world.get("/api/v1/bopa-approvals/999999", world.applicant).status_code == 404
    assert world.get(f"/api/v1/bopa-approvals/{mine['id']}").status_code == 401
    listed = world.get("/api/v1/bopa-approvals", world.applicant).get_json()
    assert [a["id"] for a in listed["items"]] == [mine["id"]] and listed["total"] == 1
    everything = world.get("/api/v1/bopa-approvals", world.officer).get_json()
    assert {a["id"] for a in everything["items"]} == {mine["id"], theirs["id"]}
    assert world.get("/api/v1/bopa-approvals").status_code == 401


def test_the_list_is_paginated_by_decision_date_and_filtered_by_status(world):
    later = world.apply(performances=[{"date": "2026-03-28", "venue": "Hall"}])
    sooner = world.apply(performances=[{"date": "2026-03-07", "venue": "Hall"}])
    third = world.apply()
    world.decide(third["id"], {"decision": "refuse", "reason": "Paid roles"})
    page = world.get("/api/v1/bopa-approvals?page_size=1&page=2", world.officer).get_json()
    assert (page["total"], page["page"], page["page_size"]) == (3, 2, 1)
    assert [a["id"] for a in page["items"]] == [third["id"]]
    first = world.get("/api/v1/bopa-approvals?page_size=1", world.officer).get_json()
    assert [a["id"] for a in first["items"]] == [sooner["id"]]
    submitted = world.get("/api/v1/bopa-approvals?status=submitted", world.officer).get_json()
    assert [a["id"] for a in submitted["items"]] == [sooner["id"], later["id"]]
    for query in ("status=lost", "page=0", "page_size=101", "page=x"):
        assert world.get(f"/api/v1/bopa-approvals?{query}", world.officer).status_code == 422


# Deciding ------------------------------------------------------------------------------------------------


def test_an_officer_approves_with_the_standard_conditions_and_their_own(world):
    created = world.apply()
    response = world.decide(
        created["id"], {"decision": "approve", "conditions": ["  No performances after 21:00  "]}
    )
    assert response.status_code == 200, response.get_json()
    approved = response.get_json()
    assert approved["status"] == "approved"
    assert (approved["approved_from"], approved["approved_until"]) == ("2026-03-01", "2026-03-31")
    assert approved["conditions"] == ["No performances after 21:00"]
    assert len(approved["standard_conditions"]) >= 5 and approved["decided_at"].startswith("2026-02-02")

    [event] = world.audit("bopa_approval.approved")
    assert event.before == {"status": "submitted"} and event.after["status"] == "approved"
    assert event.actor == f"officer:{world.officer_id}"
    [email] = world.emails("approved")
    assert email.to_address == ORG_EMAIL
    assert "No performances after 21:00" in email.body and "No payment, other than for expenses" in email.body
    assert "Sunday 1 March 2026 to Tuesday 31 March 2026" in email.body

    again = world.decide(created["id"], {"decision": "refuse", "reason": "Changed my mind"})
    assert again.status_code == 409 and "already decided" in again.get_json()["detail"]
    assert len(world.emails("Body of persons approval")) == 2  # received, approved


def test_a_series_is_approved_from_the_first_to_the_last_performance_unless_dates_are_given(world):
    created = world.apply(period=None, series_description="Two spring shows")
    approved = world.decide(created["id"], {"decision": "approve"}).get_json()
    assert (approved["approved_from"], approved["approved_until"]) == ("2026-03-21", "2026-03-22")
    other = world.apply(period=None, series_description="Two spring shows")
    chosen = world.decide(
        other["id"], {"decision": "approve", "approved_from": "2026-03-14", "approved_until": "2026-04-30"}
    ).get_json()
    assert (chosen["approved_from"], chosen["approved_until"]) == ("2026-03-14", "2026-04-30")


BAD_DECISIONS = [
    ({"decision": "refuse"}, "reason"),
    ({"decision": "refuse", "reason": "   "}, "reason"),
    ({"decision": "approve", "approved_until": "2026-03-21"}, "approved_until"),
    ({"decision": "approve", "approved_from": "2026-03-22"}, "approved_from"),
    (
        {"decision": "approve", "approved_from": "2026-03-25", "approved_until": "2026-03-24"},
        "approved_until",
    ),
    ({"decision": "refuse", "reason": "x", "conditions": ["y"]}, "decision"),
    ({"decision": "maybe"}, "decision"),
    ({"decision": "approve", "conditions": ["x" * 1001]}, "conditions.0"),
    ({"decision": "approve", "conditions": "one"}, "conditions"),
    ({"decision": "approve", "approved_from": "1999-12-31"}, "approved_from"),
]


def test_a_decision_that_cannot_be_recorded_is_422(world):
    created = world.apply()
    for data, field in BAD_DECISIONS:
        response = world.decide(created["id"], data)
        assert response.status_code == 422, (data, response.get_json())
        assert field in response.get_json()["errors"], (data, response.get_json())
    assert world.emails("approved") == world.emails("refused") == []
    assert (
        world.get(f"/api/v1/bopa-approvals/{created['id']}", world.officer).get_json()["status"]
        == "submitted"
    )


def test_a_late_application_may_be_approved_with_a_reason(world):
    created = world.apply(
        period=None, series_description="One show", performances=[{"date": "2026-02-20", "venue": "Hall"}]
    )
    assert created["late"] is True
    refused = world.decide(created["id"], {"decision": "approve"})
    assert refused.status_code == 422 and "reason" in refused.get_json()["errors"]
    approved = world.decide(
        created["id"], {"decision": "approve", "reason": "Hall confirmed late; school agrees"}
    )
    assert (
        approved.status_code == 200 and approved.get_json()["reason"] == "Hall confirmed late; school agrees"
    )
    assert world.audit("bopa_approval.approved")[0].after["late"] is True


def test_a_refusal_is_emailed_with_its_reason(world):
    created = world.apply()
    refused = world.decide(created["id"], {"decision": "refuse", "reason": "The children would be paid"})
    assert refused.status_code == 200 and refused.get_json()["status"] == "refused"
    assert refused.get_json()["standard_conditions"] == [] and refused.get_json()["approved_from"] is None
    [email] = world.emails("refused")
    assert email.to_address == ORG_EMAIL and "The children would be paid" in email.body
    assert world.audit("bopa_approval.refused")[0].after["reason"] == "The children would be paid"


def test_only_staff_decide_and_unknown_approvals_are_404(world):
    created = world.apply()
    assert world.decide(created["id"], {"decision": "approve"}, world.applicant).status_code == 403
    assert world.decide(created["id"], {"decision": "approve"}, world.other).status_code == 403
    assert world.client.post(f"/api/v1/bopa-approvals/{created['id']}/decision", json={}).status_code == 401
    assert world.decide(999_999, {"decision": "approve"}).status_code == 404
    assert world.decide(created["id"], {"decision": "approve"}, world.admin).status_code == 200


# Revoking ------------------------------------------------------------------------------------------------


def test_an_approved_approval_can_be_revoked_once(world):
    created = world.apply()
    path = f"/api/v1/bopa-approvals/{created['id']}/revocation"
    early = world.post(path, {"reason": "Breach found"}, world.officer)
    assert early.status_code == 409 and "submitted" in early.get_json()["detail"]
    world.decide(created["id"], {"decision": "approve"})
    assert world.post(path, {"reason": "Breach found"}, world.applicant).status_code == 403
    assert world.post(path, {"reason": "  "}, world.officer).status_code == 422
    assert world.post(path, {}, world.officer).status_code == 422
    revoked = world.post(path, {"reason": "Children were paid at the first show"}, world.officer)
    assert revoked.status_code == 200, revoked.get_json()
    assert revoked.get_json()["status"] == "revoked"
    assert revoked.get_json()["revocation_reason"] == "Children were paid at the first show"
    assert world.post(path, {"reason": "Again"}, world.officer).status_code == 409
    [event] = world.audit("bopa_approval.revoked")
    assert event.before == {"status": "approved"} and event.after["reason"].startswith("Children were paid")
    [email] = world.emails("revoked")
    assert email.to_address == ORG_EMAIL and "Children were paid" in email.body
    assert (
        world.post("/api/v1/bopa-approvals/999999/revocation", {"reason": "x"}, world.officer).status_code
        == 404
    )


# Inspections never show through an approval --------------------------------------------------------------


def test_an_approval_says_nothing_about_its_inspections(world):
    created = world.apply()
    world.decide(created["id"], {"decision": "approve"})
    planned = world.post(
        "/api/v1/inspections",
        {
            "subject_kind": "bopa",
            "subject_id": created["id"],
            "place_kind": "venue",
            "address": "Secret Stage Door, Palace Theatre",
            "planned_on": "2026-03-21",
            "notes": "Check the chaperone ratio",
        },
        world.officer,
    )
    assert planned.status_code == 201, planned.get_json()
    outcome = world.post(
        f"/api/v1/inspections/{planned.get_json()['id']}/outcome",
        {
            "outcome": "breach_found",
            "findings": "Too many children per chaperone",
            "visited_on": "2026-02-02",
        },
        world.officer,
    )
    assert outcome.status_code == 200
    secrets = ("INS-", "Secret Stage Door", "chaperone ratio", "Too many children", "breach", "inspection")
    for path in (f"/api/v1/bopa-approvals/{created['id']}", "/api/v1/bopa-approvals"):
        text = world.get(path, world.applicant).get_data(as_text=True)
        assert not any(s.lower() in text.lower() for s in secrets), text
    assert not [m for m in world.emails() if "nspection" in m.subject + m.body]
    assert (
        world.get(f"/api/v1/bopa-approvals/{created['id']}", world.applicant)
        .get_json()
        .keys()
        .isdisjoint({"inspections", "inspection", "outcome", "findings"})
    )


@pytest.mark.postgres
def test_simultaneous_decisions_decide_once(world):
    created = world.apply()
    path = f"/api/v1/bopa-approvals/{created['id']}/decision"
    clients = [world.app.test_client() for _ in range(8)]
    bodies = [{"decision": "approve"}, {"decision": "refuse", "reason": "Paid roles"}] * 4
    responses = at_once(
        [
            lambda c=c, b=b: c.post(path, json=b, headers=world.officer)
            for c, b in zip(clients, bodies, strict=True)
        ]
    )
    assert sorted(r.status_code for r in responses) == [200] + [409] * 7
    decided = world.audit("bopa_approval.approved") + world.audit("bopa_approval.refused")
    assert len(decided) == 1
    assert len(world.emails("approved")) + len(world.emails("refused")) == 1
