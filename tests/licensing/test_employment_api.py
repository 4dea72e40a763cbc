"""Child employment permits through the API: apply, the parent's declaration, decide, revoke; employers see
only their own; an unknown employer gets an unannounced site visit nobody outside the council sees.

The child (born Monday 14 May 2012) started on Monday 2 November 2026; an application received on Monday
9 November is on time, on Tuesday 10 November late. The decision is due 25 days after receipt.
"""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from sqlalchemy import select

from licensing_service.models.oversight import Inspection
from licensing_service.services import employment_permits
from shared import db
from tests.licensing.employment_builders import (
    EMPLOYER_EMAIL,
    LATE,
    ON_TIME,
    PARENT_EMAIL,
    EmploymentWorld,
    permit_body,
    schedule,
)


@pytest.fixture
def world(licensing_app):
    with time_machine.travel(ON_TIME, tick=False):
        yield EmploymentWorld(licensing_app)


def test_an_employer_applies_within_7_days(world):
    permit = world.apply_permit()
    assert permit["status"] == "submitted"
    assert permit["reference"].startswith("EP-2026-")
    assert permit["late"] is False
    assert permit["unpermitted_period"] is None
    assert permit["received_on"] == "2026-11-09"
    assert permit["decision_due_on"] == "2026-12-04"
    assert permit["breaches"] == []
    assert [w["code"] for w in permit["warnings"]] == ["age_changes"]  # 15 on 14 May 2027
    assert permit["parent_declaration"] == {"given": False, "given_at": None}
    assert "inspection" not in str(permit).lower()
    assert world.actions("employment_permit", permit["id"]) == ["employment_permit.submitted"]
    employer_mail = world.outbox(EMPLOYER_EMAIL)
    assert len(employer_mail) == 1 and permit["reference"] in employer_mail[0].subject
    parent_mail = world.outbox(PARENT_EMAIL)
    assert len(parent_mail) == 1
    assert "/employment-permit-declaration/" in parent_mail[0].body


def test_a_late_application_records_the_unpermitted_period(licensing_app):
    with time_machine.travel(LATE, tick=False):
        world = EmploymentWorld(licensing_app)
        permit = world.apply_permit()
    assert permit["late"] is True
    assert permit["unpermitted_period"] == {"from": "2026-11-02", "until": "2026-11-10"}
    assert "without a permit" in world.outbox(EMPLOYER_EMAIL)[0].body


def test_received_on_is_for_staff_only(world):
    mine = world.apply_permit(received_on="2026-11-03")
    assert mine["received_on"] == "2026-11-09"
    paper = world.apply_permit(world.officer, received_on="2026-11-03")
    assert paper["received_on"] == "2026-11-03"
    assert paper["decision_due_on"] == "2026-11-28"
    future = world.post("/api/v1/employment-permits", permit_body(received_on="2026-11-10"), world.officer)
    assert future.status_code == 422
    assert "received_on" in future.get_json()["errors"]


def test_an_unknown_employer_gets_a_site_visit_only_officers_see(world):
    body = permit_body()
    body["employer"]["known_to_council"] = False
    response = world.post("/api/v1/employment-permits", body, world.employer)
    assert response.status_code == 201
    permit = response.get_json()
    assert "inspection" not in response.get_data(as_text=True).lower()
    with world.app.app_context():
        visit = db.session().scalar(select(Inspection).where(Inspection.subject_id == permit["id"]))
        assert visit.subject_kind == "employment_permit"
        assert visit.place_kind == "employer_premises"
        assert visit.status == "planned"
        assert visit.officer_id == world.ids["officer"]
        assert visit.planned_on == date(2026, 11, 16)  # 5 working days after Monday 9 November
        assert visit.address == "2 High Street, Mansfield NG18 1AB"
    assert world.get("/api/v1/inspections", world.employer).status_code == 403
    seen = world.get(
        f"/api/v1/inspections?subject_kind=employment_permit&subject_id={permit['id']}", world.officer
    )
    assert seen.status_code == 200 and seen.get_json()["total"] == 1
    # Nobody outside the council is told.
    for message in world.outbox(EMPLOYER_EMAIL) + world.outbox(PARENT_EMAIL):
        assert "visit" not in message.body.lower() and "inspect" not in message.body.lower()
    assert "inspection.planned" in [e.action for e in world.audit("inspection")]
    queue = world.get("/api/v1/queue?kind=employment_permit", world.officer).get_json()
    assert queue["items"][0]["outstanding"] == ["parent_declaration", "site_visit"]


def test_a_known_employer_gets_no_visit(world):
    permit = world.apply_permit()
    with world.app.app_context():
        assert db.session().scalar(select(Inspection).where(Inspection.subject_id == permit["id"])) is None


def test_employers_see_only_their_own(world):
    mine = world.apply_permit()
    theirs = world.apply_permit(world.other_employer)
    assert world.get(f"/api/v1/employment-permits/{theirs['id']}", world.employer).status_code == 404
    assert world.get(f"/api/v1/employment-permits/{mine['id']}", world.employer).status_code == 200
    listed = world.get("/api/v1/employment-permits", world.employer).get_json()
    assert [p["id"] for p in listed["items"]] == [mine["id"]]
    assert world.get("/api/v1/employment-permits", world.officer).get_json()["total"] == 2
    assert world.get("/api/v1/employment-permits?status=granted", world.officer).get_json()["total"] == 0
    assert world.get("/api/v1/employment-permits?status=nonsense", world.officer).status_code == 422
    assert world.get("/api/v1/employment-permits?page_size=101", world.officer).status_code == 422
    assert world.get("/api/v1/employment-permits/2147483648", world.officer).status_code == 404
    assert (
        world.post(f"/api/v1/employment-permits/{theirs['id']}/parent-link", {}, world.employer).status_code
        == 404
    )


def test_roles(world):
    permit = world.apply_permit()
    assert world.get("/api/v1/employment-permits").status_code == 401
    assert world.post("/api/v1/employment-permits", permit_body()).status_code == 401
    assert world.decide(permit["id"], world.employer).status_code == 403
    revoke = world.post(
        f"/api/v1/employment-permits/{permit['id']}/revocation", {"reason": "x"}, world.employer
    )
    assert revoke.status_code == 403
    assert world.decide(permit["id"], world.admin).status_code == 409  # staff, but not ready


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"job": {"description": "Bar work", "category": "barista_extreme"}}, "job.category"),
        ({"start_date": "2026-13-01"}, "start_date"),
        (
            {"schedule": schedule(term_time=[{"day": "monday", "start": "25:00", "end": "26:00"}])},
            "schedule.term_time.0.start",
        ),
        (
            {"schedule": schedule(term_time=[{"day": "monday", "start": "18:00", "end": "17:00"}])},
            "schedule.term_time.0.end",
        ),
        (
            {"schedule": schedule(term_time=[{"day": "funday", "start": "16:00", "end": "17:00"}])},
            "schedule.term_time.0.day",
        ),
        (
            {
                "schedule": schedule(
                    term_time=[
                        {"day": "monday", "start": "16:00", "end": "17:00"},
                        {"day": "monday", "start": "16:30", "end": "17:30"},
                    ]
                )
            },
            "schedule.term_time.1.start",
        ),
        (
            {
                "schedule": schedule(
                    holidays=[
                        {
                            "day": "monday",
                            "start": "09:00",
                            "end": "12:00",
                            "breaks": [{"start": "08:00", "end": "09:30"}],
                        }
                    ]
                )
            },
            "schedule.holidays.0.breaks.0.start",
        ),
        ({"schedule": schedule(term_time=[], holidays=[])}, "schedule.term_time"),
        ({"child": {"first_name": "A" * 101}}, "child.first_name"),
        ({"employer": "not an object"}, "employer.body"),
        ({"child": {**permit_body()["child"], "date_of_birth": "2009-01-01"}}, "child.date_of_birth"),
    ],
)
def test_invalid_applications_are_422(world, changes, field):
    body = permit_body(**changes)
    response = world.post("/api/v1/employment-permits", body, world.employer)
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["errors"], response.get_json()["errors"]


def test_a_start_after_compulsory_school_age_needs_no_permit(world):
    child = {**permit_body()["child"], "date_of_birth": "2009-01-01"}  # school age ended 26 June 2026
    response = world.post("/api/v1/employment-permits", permit_body(child=child), world.employer)
    assert response.status_code == 422
    assert "no permit is needed" in response.get_json()["errors"]["child.date_of_birth"][0]


def test_malformed_json_is_400_not_500(world):
    response = world.client.post(
        "/api/v1/employment-permits", data="{", content_type="application/json", headers=world.employer
    )
    assert response.status_code in (400, 422)


def test_the_parent_gives_the_declaration_once(world):
    permit = world.apply_permit()
    token = world.declaration_token()
    view = world.get(f"/api/v1/permit-declarations/{token}")
    assert view.status_code == 200
    assert view.get_json()["employer"]["name"] == "Corner Shop Ltd"
    refused = world.post(f"/api/v1/permit-declarations/{token}", {"declaration": False, "name": "Sam"})
    assert refused.status_code == 422
    given = world.declare(token)
    assert given.status_code == 200
    assert given.get_json()["parent_declaration"]["given"] is True
    assert world.declare(token).status_code == 410
    assert world.get(f"/api/v1/permit-declarations/{token}").status_code == 410
    assert world.get("/api/v1/permit-declarations/not-a-token").status_code == 404
    assert "employment_permit.parent_declared" in world.actions("employment_permit", permit["id"])
    assert any("declaration given" in m.subject.lower() for m in world.outbox(EMPLOYER_EMAIL))


def test_a_new_link_replaces_the_old_one(world):
    permit = world.apply_permit()
    old = world.declaration_token()
    assert (
        world.post(f"/api/v1/employment-permits/{permit['id']}/parent-link", {}, world.employer).status_code
        == 200
    )
    new = world.declaration_token()
    assert new != old
    assert world.declare(old).status_code == 410
    assert world.declare(new).status_code == 200


def test_a_grant_needs_the_declaration_and_lawful_hours(world):
    too_long = schedule(term_time=[{"day": "tuesday", "start": "16:00", "end": "19:30", "breaks": []}])
    permit = world.apply_permit(schedule=too_long)
    assert {b["code"] for b in permit["breaches"]} == {"latest_time", "school_day_hours"}
    response = world.decide(permit["id"])
    assert response.status_code == 409
    problem = response.get_json()
    assert problem["missing"] == ["parent_declaration", "schedule"]
    assert "The parent has not given their declaration yet" in problem["errors"]["parent_declaration"]
    assert any("after 19:00" in m for m in problem["errors"]["schedule"])
    world.declare()
    again = world.decide(permit["id"]).get_json()
    assert again["missing"] == ["schedule"]


def test_granting_a_permit(world):
    permit = world.apply_permit()
    world.declare()
    response = world.decide(permit["id"])
    assert response.status_code == 200, response.get_json()
    granted = response.get_json()
    assert granted["status"] == "granted"
    assert granted["permit_number"] == f"NCC-EP-2026-{permit['id']:05d}"
    assert granted["issued_on"] == "2026-11-09"
    assert granted["valid_until"] == "2027-11-08"
    assert [(d["party"], d["event"]) for d in granted["distribution"]] == [
        ("employer", "granted"),
        ("parent", "granted"),
    ]
    for address in (EMPLOYER_EMAIL, PARENT_EMAIL):
        last = world.outbox(address)[-1]
        assert granted["permit_number"] in last.subject
        assert last.document_id is not None
    assert world.actions("employment_permit", permit["id"])[-1] == "employment_permit.granted"
    assert world.decide(permit["id"]).status_code == 409
    pdf = world.get(f"/api/v1/employment-permits/{permit['id']}/documents/permit.pdf", world.employer)
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert (
        world.get(
            f"/api/v1/employment-permits/{permit['id']}/documents/permit.pdf", world.other_employer
        ).status_code
        == 404
    )
    assert (
        world.get(
            f"/api/v1/employment-permits/{permit['id']}/documents/refusal.pdf", world.employer
        ).status_code
        == 404
    )


def test_the_issue_date_sets_the_year(world):
    permit = world.apply_permit()
    world.declare()
    future = world.decide(permit["id"], issue_date="2026-11-10")
    assert future.status_code == 422 and "issue_date" in future.get_json()["errors"]
    before = world.decide(permit["id"], issue_date="2026-11-08")
    assert before.status_code == 422
    granted = world.decide(permit["id"], issue_date="2026-11-09").get_json()
    assert granted["valid_until"] == "2027-11-08"


def test_issued_on_29_february(licensing_app):
    with time_machine.travel("2028-02-29 10:00 +0000", tick=False):
        world = EmploymentWorld(licensing_app)
        permit = world.apply_permit(start_date="2028-02-26", schedule=schedule(holidays=[]))
        world.declare()
        granted = world.decide(permit["id"]).get_json()
    assert granted["permit_number"].startswith("NCC-EP-2028-")
    assert granted["valid_until"] == "2029-02-27"


def test_refusing_needs_a_reason(world):
    permit = world.apply_permit()
    assert world.decide(permit["id"], decision="refuse").status_code == 422
    response = world.decide(permit["id"], decision="refuse", reason="The job is in a commercial kitchen.")
    assert response.status_code == 200
    refused = response.get_json()
    assert refused["status"] == "refused"
    assert refused["refusal_reason"] == "The job is in a commercial kitchen."
    assert refused["permit_number"] is None
    assert world.outbox(PARENT_EMAIL)[-1].document_id is not None
    assert (
        world.get(
            f"/api/v1/employment-permits/{permit['id']}/documents/refusal.pdf", world.employer
        ).status_code
        == 200
    )
    assert world.declare().status_code == 410  # the link stopped working with the decision


def test_revoking_a_permit(world):
    submitted = world.apply_permit()
    revoke = f"/api/v1/employment-permits/{submitted['id']}/revocation"
    assert world.post(revoke, {"reason": "Working late"}, world.officer).status_code == 409
    granted = world.granted()
    path = f"/api/v1/employment-permits/{granted['id']}/revocation"
    assert world.post(path, {"reason": "   "}, world.officer).status_code == 422
    response = world.post(path, {"reason": "The child was found working at 21:00."}, world.officer)
    assert response.status_code == 200
    revoked = response.get_json()
    assert revoked["status"] == "revoked"
    assert revoked["revoked_on"] == "2026-11-09"
    assert [d["event"] for d in revoked["distribution"]] == ["granted", "granted", "revoked", "revoked"]
    for address in (EMPLOYER_EMAIL, PARENT_EMAIL):
        assert "revoked" in world.outbox(address)[-1].subject
    assert world.actions("employment_permit", granted["id"])[-1] == "employment_permit.revoked"
    assert world.post(path, {"reason": "again"}, world.officer).status_code == 409


def test_verification(world):
    granted = world.granted()
    with world.app.app_context():
        found = employment_permits.verification(
            granted["permit_number"], date(2012, 5, 14), date(2027, 11, 8)
        )
        assert found == {"valid": True, "valid_until": date(2027, 11, 8), "kind": "employment_permit"}
        assert (
            employment_permits.verification(granted["permit_number"], date(2012, 5, 14), date(2027, 11, 9))[
                "valid"
            ]
            is False
        )
        assert employment_permits.verification(granted["permit_number"], date(2012, 5, 15)) is None
        assert employment_permits.verification("NCC-EP-2026-99999", date(2012, 5, 14)) is None
    public = world.get(f"/api/v1/verify?number={granted['permit_number']}&date_of_birth=2012-05-14")
    assert public.status_code == 200
    assert public.get_json() == {"valid": True, "valid_until": "2027-11-08", "kind": "employment_permit"}


def test_the_public_hours_check(world):
    body = {
        "date_of_birth": "2012-05-14",
        "job": {"category": "shop"},
        "start_date": "2026-11-02",
        "schedule": {"term_time": [{"day": "sunday", "start": "09:00", "end": "12:00"}]},
    }
    response = world.post("/api/v1/employment-schedules/check", body)
    assert response.status_code == 200
    result = response.get_json()
    assert [b["code"] for b in result["breaches"]] == ["sunday_hours"]
    assert "3 hours of work on a Sunday" in result["breaches"][0]["message"]
    assert result["regime"] == "CYPA1933"
    assert (
        world.post("/api/v1/employment-schedules/check", {**body, "job": {"category": "x"}}).status_code
        == 422
    )
    assert world.post("/api/v1/employment-schedules/check", [1, 2]).status_code in (400, 422)


def test_the_2026_act_from_its_commencement(make_app):
    app = make_app("licensing", CWSA2026_COMMENCEMENT="2026-11-01")
    with time_machine.travel(ON_TIME, tick=False):
        world = EmploymentWorld(app)
        body = {
            "date_of_birth": "2012-05-14",
            "job": {"category": "shop"},
            "start_date": "2026-11-02",
            "schedule": {"term_time": [{"day": "sunday", "start": "17:00", "end": "20:00"}]},
        }
        result = world.post("/api/v1/employment-schedules/check", body).get_json()
    assert result["regime"] == "CWSA2026"
    assert result["breaches"] == []


def test_the_queue_lists_applications(world):
    permit = world.apply_permit()
    items = world.get("/api/v1/queue?kind=employment_permit", world.officer).get_json()["items"]
    assert [(i["id"], i["due_on"], i["outstanding"]) for i in items] == [
        (permit["id"], "2026-12-04", ["parent_declaration"])
    ]
    world.declare()
    items = world.get("/api/v1/queue?kind=employment_permit", world.officer).get_json()["items"]
    assert items[0]["outstanding"] == []
