"""Unannounced inspections through the API: officers plan and record them; nobody else can see them, and
nobody is emailed. Today is Monday 2 February 2026."""

from __future__ import annotations

import pytest
import time_machine
from sqlalchemy import select

from licensing_service.models.licences import PerformanceLicence
from licensing_service.models.oversight import Inspection
from licensing_service.models.productions import Production
from shared import db
from shared.notify import OutboxMessage
from tests.licensing.employment_builders import permit_body
from tests.licensing.test_bopa_api import NOW, World
from tests.support.api import add_user, bearer, token_for
from tests.support.concurrency import at_once

PLAN = {
    "subject_kind": "bopa",
    "place_kind": "venue",
    "address": "Palace Theatre, Appletongate, Newark NG24 1JY",
    "planned_on": "2026-03-21",
}


@pytest.fixture
def world(licensing_app):
    with time_machine.travel(NOW, tick=False):
        yield World(licensing_app)


@pytest.fixture
def approval(world) -> dict:
    return world.apply()


def plan(world, headers=None, **changes):
    return world.post("/api/v1/inspections", {**PLAN, **changes}, headers or world.officer)


def planned(world, **changes) -> dict:
    response = plan(world, **changes)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def production_and_licence(world) -> tuple[int, int]:
    with world.app.app_context(), db.transaction():
        production = Production(
            owner_id=world.applicant_id,
            name="A Christmas Carol",
            type="theatre",
            producer_name="Pat Producer",
            producer_email="pat@example.org",
        )
        db.session().add(production)
        db.session().flush()
        licence = PerformanceLicence(reference="PL-2026-000777", production_id=production.id)
        db.session().add(licence)
        db.session().flush()
        return production.id, licence.id


# Planning ------------------------------------------------------------------------------------------------


def test_an_officer_plans_an_unannounced_inspection_and_nobody_is_told(world, approval):
    emails_before = len(world.emails())
    created = planned(world, subject_id=approval["id"], notes="Check the register of children")
    assert created["reference"] == "INS-2026-000001"
    assert (created["status"], created["unannounced"], created["overdue"]) == ("planned", True, False)
    assert (created["subject_kind"], created["subject_id"]) == ("bopa", approval["id"])
    assert created["subject"] == f"Body of persons approval {approval['reference']}"
    assert created["officer_id"] == world.officer_id and created["planned_on"] == "2026-03-21"
    assert created["outcome"] is None and created["visited_on"] is None
    [event] = world.audit("inspection.planned")
    assert event.object_id == str(created["id"]) and event.actor == f"officer:{world.officer_id}"
    assert event.after["unannounced"] is True and event.after["subject_kind"] == "bopa"
    assert len(world.emails()) == emails_before


def test_inspections_of_productions_and_licences_are_checked_against_their_records(world):
    production_id, licence_id = production_and_licence(world)
    on_production = planned(world, subject_kind="production", subject_id=production_id, place_kind="lodgings")
    assert on_production["subject"] == "Production A Christmas Carol"
    on_licence = planned(world, subject_kind="performance_licence", subject_id=licence_id)
    assert on_licence["subject"] == "Performance licence PL-2026-000777"
    for kind in ("production", "performance_licence", "bopa", "concern"):
        missing = plan(world, subject_kind=kind, subject_id=999_999)
        assert missing.status_code == 422 and "subject_id" in missing.get_json()["errors"], kind


def test_an_employment_permit_is_inspected_at_the_employers_premises(world):
    permit = world.post("/api/v1/employment-permits", permit_body(), world.applicant)
    assert permit.status_code == 201, permit.get_json()
    permit_id = permit.get_json()["id"]
    created = planned(
        world, subject_kind="employment_permit", subject_id=permit_id, place_kind="employer_premises"
    )
    assert created["subject"] == f"Employment permit {permit.get_json()['reference']}"
    missing = plan(
        world, subject_kind="employment_permit", subject_id=999_999, place_kind="employer_premises"
    )
    assert missing.status_code == 422 and "subject_id" in missing.get_json()["errors"]
    wrong_place = plan(world, subject_kind="employment_permit", subject_id=permit_id, place_kind="venue")
    assert wrong_place.status_code == 422 and "place_kind" in wrong_place.get_json()["errors"]


def test_employers_premises_are_only_for_permits(world, approval):
    response = plan(world, subject_id=approval["id"], place_kind="employer_premises")
    assert response.status_code == 422 and "place_kind" in response.get_json()["errors"]


def test_another_officer_may_be_assigned_but_only_an_officer(world, approval):
    second = add_user(world.app, "second.officer@example.org", "officer")
    assert planned(world, subject_id=approval["id"], officer_id=second)["officer_id"] == second
    for officer_id in (world.applicant_id, 999_999):
        response = plan(world, subject_id=approval["id"], officer_id=officer_id)
        assert response.status_code == 422 and "officer_id" in response.get_json()["errors"]


ODD_PLANS = [
    {**PLAN, "subject_id": 1, "unannounced": False},
    {**PLAN, "subject_id": "1"},
    {**PLAN, "subject_id": 0},
    {**PLAN, "subject_id": 2_147_483_648},
    {**PLAN, "subject_id": 1.5},
    {**PLAN, "subject_id": 1, "subject_kind": "school"},
    {**PLAN, "subject_id": 1, "place_kind": "garden"},
    {**PLAN, "subject_id": 1, "planned_on": "2026-02-30"},
    {**PLAN, "subject_id": 1, "planned_on": "0001-01-01"},
    {**PLAN, "subject_id": 1, "planned_on": "9999-12-31"},
    {**PLAN, "subject_id": 1, "address": "   "},
    {**PLAN, "subject_id": 1, "address": "x" * 501},
    {**PLAN, "subject_id": 1, "address": "Nul\x00Street"},
    {**PLAN, "subject_id": 1, "officer_id": "me"},
    {**PLAN, "subject_id": 1, "extra": True},
    {**PLAN},
    {},
    [],
    None,
    "inspect",
]


def test_odd_input_is_refused_without_a_500(world, approval):
    for payload in ODD_PLANS:
        response = world.client.post("/api/v1/inspections", json=payload, headers=world.officer)
        assert response.status_code in (400, 422), (payload, response.get_json())
    assert world.count(Inspection) == 0
    bad_json = world.client.post(
        "/api/v1/inspections", data="{", content_type="application/json", headers=world.officer
    )
    assert bad_json.status_code == 400


def test_an_inspection_is_always_unannounced(world, approval):
    response = plan(world, subject_id=approval["id"], unannounced=False)
    assert response.status_code == 422
    assert response.get_json()["errors"]["unannounced"] == ["Inspections are always unannounced"]
    assert planned(world, subject_id=approval["id"], unannounced=True)["unannounced"] is True


# Recording the outcome ------------------------------------------------------------------------------------


def record(world, inspection_id, data, headers=None):
    return world.post(f"/api/v1/inspections/{inspection_id}/outcome", data, headers or world.officer)


def test_the_outcome_is_recorded_once(world, approval):
    created = planned(world, subject_id=approval["id"])
    emails_before = len(world.emails())
    done = record(
        world,
        created["id"],
        {
            "outcome": "advice_given",
            "findings": "Register incomplete; advised the chaperone",
            "visited_on": "2026-02-02",
        },
    )
    assert done.status_code == 200, done.get_json()
    body = done.get_json()
    assert (body["status"], body["outcome"], body["visited_on"]) == ("done", "advice_given", "2026-02-02")
    assert body["findings"] == "Register incomplete; advised the chaperone"
    [event] = world.audit("inspection.outcome_recorded")
    assert event.before == {"status": "planned"}
    assert event.after["outcome"] == "advice_given" and event.after["visited_on"] == "2026-02-02"
    again = record(world, created["id"], {"outcome": "compliant", "visited_on": "2026-02-02"})
    assert again.status_code == 409 and "already recorded" in again.get_json()["detail"]
    assert (
        world.get(f"/api/v1/inspections/{created['id']}", world.officer).get_json()["outcome"]
        == "advice_given"
    )
    assert len(world.emails()) == emails_before


def test_a_compliant_visit_needs_no_findings_but_a_breach_does(world, approval):
    created = planned(world, subject_id=approval["id"])
    for outcome in ("advice_given", "breach_found", "child_removed"):
        response = record(
            world, created["id"], {"outcome": outcome, "findings": "  ", "visited_on": "2026-01-30"}
        )
        assert response.status_code == 422 and "findings" in response.get_json()["errors"]
    future = record(world, created["id"], {"outcome": "compliant", "visited_on": "2026-02-03"})
    assert future.status_code == 422 and "visited_on" in future.get_json()["errors"]
    ok = record(world, created["id"], {"outcome": "compliant", "visited_on": "2026-01-30"})
    assert ok.status_code == 200 and ok.get_json()["findings"] == ""


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"outcome": "fine", "visited_on": "2026-01-30"},
        {"outcome": "compliant"},
        {"outcome": "compliant", "visited_on": "30/01/2026"},
        {"outcome": "compliant", "visited_on": "1999-12-31"},
        {"outcome": "compliant", "visited_on": "2026-01-30", "findings": "x" * 10_001},
        {"outcome": "compliant", "visited_on": "2026-01-30", "findings": None},
    ],
)
def test_an_outcome_needs_a_known_outcome_and_a_real_date(world, approval, data):
    created = planned(world, subject_id=approval["id"])
    assert record(world, created["id"], data).status_code == 422


def test_a_cancelled_inspection_cannot_be_recorded_or_cancelled_again(world, approval):
    created = planned(world, subject_id=approval["id"])
    path = f"/api/v1/inspections/{created['id']}/cancellation"
    assert world.post(path, {"reason": " "}, world.officer).status_code == 422
    assert world.post(path, {}, world.officer).status_code == 422
    cancelled = world.post(path, {"reason": "The performance was called off"}, world.officer)
    assert cancelled.status_code == 200
    assert (cancelled.get_json()["status"], cancelled.get_json()["cancellation_reason"]) == (
        "cancelled",
        "The performance was called off",
    )
    [event] = world.audit("inspection.cancelled")
    assert event.before == {"status": "planned"} and event.after["reason"] == "The performance was called off"
    late = record(world, created["id"], {"outcome": "compliant", "visited_on": "2026-02-02"})
    assert late.status_code == 409 and "cancelled" in late.get_json()["detail"]
    assert world.post(path, {"reason": "again"}, world.officer).status_code == 409
    done = planned(world, subject_id=approval["id"])
    record(world, done["id"], {"outcome": "compliant", "visited_on": "2026-02-02"})
    assert (
        world.post(
            f"/api/v1/inspections/{done['id']}/cancellation", {"reason": "x"}, world.officer
        ).status_code
        == 409
    )


def test_unknown_inspections_are_404_for_officers(world):
    assert world.get("/api/v1/inspections/999999", world.officer).status_code == 404
    assert record(world, 999_999, {"outcome": "compliant", "visited_on": "2026-02-02"}).status_code == 404
    assert (
        world.post("/api/v1/inspections/999999/cancellation", {"reason": "x"}, world.officer).status_code
        == 404
    )
    assert world.get("/api/v1/inspections/99999999999", world.officer).status_code == 404


# Listing -------------------------------------------------------------------------------------------------


def test_the_list_shows_planned_inspections_first_by_date_with_filters(world, approval):
    production_id, _ = production_and_licence(world)
    late = planned(world, subject_id=approval["id"], planned_on="2026-03-28")
    soon = planned(world, subject_id=approval["id"], planned_on="2026-02-10")
    done = planned(world, subject_kind="production", subject_id=production_id, planned_on="2026-01-05")
    record(
        world, done["id"], {"outcome": "breach_found", "findings": "No chaperone", "visited_on": "2026-01-05"}
    )
    overdue = planned(world, subject_kind="production", subject_id=production_id, planned_on="2026-01-20")

    def ids(query: str = "") -> list[int]:
        response = world.get(f"/api/v1/inspections{query}", world.officer)
        assert response.status_code == 200, response.get_json()
        return [i["id"] for i in response.get_json()["items"]]

    assert ids() == [overdue["id"], soon["id"], late["id"], done["id"]]
    assert world.get(f"/api/v1/inspections/{overdue['id']}", world.officer).get_json()["overdue"] is True
    assert ids("?status=done") == [done["id"]]
    assert ids("?outcome=breach_found") == [done["id"]]
    assert ids(f"?subject_kind=bopa&subject_id={approval['id']}") == [soon["id"], late["id"]]
    assert ids("?subject_kind=production") == [overdue["id"], done["id"]]
    assert ids("?planned_from=2026-02-01&planned_to=2026-02-28") == [soon["id"]]
    assert ids(f"?officer_id={world.officer_id}&place_kind=venue") == [
        overdue["id"],
        soon["id"],
        late["id"],
        done["id"],
    ]
    assert ids("?officer_id=999") == []
    page = world.get("/api/v1/inspections?page=2&page_size=3", world.officer).get_json()
    assert (page["total"], [i["id"] for i in page["items"]]) == (4, [done["id"]])
    for query in (
        "status=open",
        "outcome=great",
        "page_size=0",
        "page_size=101",
        "planned_from=x",
        "subject_id=-1",
    ):
        assert world.get(f"/api/v1/inspections?{query}", world.officer).status_code == 422, query


def test_admins_may_do_everything_officers_do(world, approval):
    response = plan(world, headers=world.admin, subject_id=approval["id"])
    assert response.status_code == 201
    created = response.get_json()
    assert world.get("/api/v1/inspections", world.admin).get_json()["total"] == 1
    assert world.get(f"/api/v1/inspections/{created['id']}", world.admin).status_code == 200
    assert (
        record(
            world, created["id"], {"outcome": "compliant", "visited_on": "2026-02-02"}, world.admin
        ).status_code
        == 200
    )


# Never visible to applicants ---------------------------------------------------------------------------


def test_applicants_get_403_on_every_inspection_endpoint_whether_or_not_it_exists(world, approval):
    created = planned(world, subject_id=approval["id"])
    for headers in (world.applicant, world.other):
        for inspection_id in (created["id"], 999_999):
            assert world.get(f"/api/v1/inspections/{inspection_id}", headers).status_code == 403
            assert (
                record(
                    world, inspection_id, {"outcome": "compliant", "visited_on": "2026-02-02"}, headers
                ).status_code
                == 403
            )
            assert (
                world.post(
                    f"/api/v1/inspections/{inspection_id}/cancellation", {"reason": "x"}, headers
                ).status_code
                == 403
            )
        assert world.get("/api/v1/inspections", headers).status_code == 403
        assert (
            world.get(
                f"/api/v1/inspections?subject_kind=bopa&subject_id={approval['id']}", headers
            ).status_code
            == 403
        )
        refused = plan(world, headers=headers, subject_id=approval["id"])
        assert refused.status_code == 403
        assert "INS-" not in refused.get_data(as_text=True)
    for path in ("/api/v1/inspections", f"/api/v1/inspections/{created['id']}"):
        assert world.get(path).status_code == 401
    assert world.post("/api/v1/inspections", PLAN).status_code == 401
    # Refused before the body is read: even a malformed body gives 403, never a 422 that would confirm
    # the endpoint accepted the caller.
    assert world.post("/api/v1/inspections", {"nonsense": True}, world.applicant).status_code == 403
    with world.app.app_context():
        stored = db.session().scalar(select(Inspection))
        assert stored.status == "planned" and stored.outcome is None
        messages = db.session().scalars(select(OutboxMessage)).all()
    assert not any("nspection" in m.subject + m.body for m in messages)


def test_the_openapi_document_marks_every_inspection_endpoint_as_needing_a_token(world):
    spec = world.get("/api/openapi.json").get_json()
    paths = {p: ops for p, ops in spec["paths"].items() if p.startswith("/api/v1/inspections")}
    assert len(paths) == 4
    for ops in paths.values():
        for method, op in ops.items():
            if method in ("get", "post"):
                assert op["security"] == [{"bearer": []}]


@pytest.mark.postgres
def test_simultaneous_outcomes_and_cancellations_change_an_inspection_once(world, approval):
    created = planned(world, subject_id=approval["id"])
    clients = [world.app.test_client() for _ in range(6)]
    outcome = {"outcome": "compliant", "visited_on": "2026-02-02"}
    calls = [
        lambda c=c, i=i: c.post(
            f"/api/v1/inspections/{created['id']}/{'outcome' if i % 2 else 'cancellation'}",
            json=outcome if i % 2 else {"reason": "Called off"},
            headers=world.officer,
        )
        for i, c in enumerate(clients)
    ]
    assert sorted(r.status_code for r in at_once(calls)) == [200] + [409] * 5
    assert len(world.audit("inspection.outcome_recorded")) + len(world.audit("inspection.cancelled")) == 1


def test_open_approvals_and_planned_inspections_are_in_the_officers_queue(world, approval):
    overdue = planned(world, subject_id=approval["id"], planned_on="2026-01-20")
    done = planned(world, subject_id=approval["id"], planned_on="2026-01-05")
    record(world, done["id"], {"outcome": "compliant", "visited_on": "2026-01-05"})
    with time_machine.travel("2026-02-02 09:00 +0000", tick=False):
        officer = bearer(token_for(world.client, "officer@example.org"))
        body = world.get("/api/v1/queue", officer).get_json()
    assert [(i["kind"], i["reference"], i["due_on"], i["overdue"]) for i in body["items"]] == [
        ("inspection", overdue["reference"], "2026-01-20", True),
        ("bopa_approval", approval["reference"], "2026-03-20", False),
    ]
    assert {kind: n for kind, n in body["counts"].items() if n} == {"bopa_approval": 1, "inspection": 1}
