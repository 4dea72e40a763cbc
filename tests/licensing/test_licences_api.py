"""Performance licence applications through the API: notice and schedule checked on submission, the
parent and producer emailed, drafts filled section by section, withdrawal, owner scoping, odd input."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine

from tests.licensing.builders import (
    PARENT_EMAIL,
    TODAY,
    TODAY_AT,
    LicensingWorld,
    child_section,
    day,
    days_from,
    licence_body,
)
from tests.support.api import add_user, bearer, token_for

PATH = "/api/v1/performance-licences"


@pytest.fixture
def world(licensing_app):
    with time_machine.travel(TODAY_AT, tick=False):
        yield LicensingWorld(licensing_app)


def test_an_application_21_days_ahead_is_on_time_and_the_parent_and_producer_are_emailed(world):
    first_day = TODAY + timedelta(days=21)  # Monday 23 March 2026
    created = world.apply(first_day)
    assert created["reference"] == f"PL-2026-{created['id']:06d}"
    assert created["status"] == "submitted"
    assert created["received_on"] == "2026-03-02" and created["first_day"] == "2026-03-23"
    assert created["days_notice"] == 21 and created["late"] is False
    assert created["decision_due_on"] == "2026-03-20"  # the last working day before the first day
    assert created["parent_part"] == {"state": "requested", "completed_at": None}
    assert created["tasks"] == dict.fromkeys(("child", "days", "chaperone", "education"), "completed")

    to_parent = world.outbox(PARENT_EMAIL)
    assert len(to_parent) == 1 and "/parent-part/" in to_parent[0].body
    assert "Friday 3 April 2026" not in to_parent[0].body and "Monday 16 March 2026" in to_parent[0].body
    receipt = world.outbox("pat@theatre.example")
    assert len(receipt) == 1 and created["reference"] in receipt[0].subject
    assert "Friday 20 March 2026" in receipt[0].body
    assert world.actions("performance_licence", created["id"]) == [
        "performance_licence.drafted",
        "performance_licence.submitted",
        "performance_licence.parent_link_sent",
    ]


def test_an_application_20_days_ahead_is_late_and_says_so(world):
    created = world.apply(TODAY + timedelta(days=20))
    assert (created["days_notice"], created["late"], created["status"]) == (20, True, "submitted")
    receipt = world.outbox("pat@theatre.example")[0]
    assert "20 days" in receipt.body


def test_officer_records_a_paper_application_with_its_received_date(world):
    created = world.apply(date(2026, 3, 23), headers=world.officer, received_on="2026-02-20")
    assert created["received_on"] == "2026-02-20" and created["days_notice"] == 31 and not created["late"]


def test_a_producer_cannot_backdate_an_application(world):
    created = world.apply(date(2026, 3, 23), received_on="2026-01-01")
    assert created["received_on"] == "2026-03-02" and created["days_notice"] == 21


def test_received_in_the_future_is_refused(world):
    production = world.production(world.officer)
    body = licence_body(production["id"], date(2026, 4, 20), received_on="2026-03-03")
    response = world.post(PATH, body, world.officer)
    assert response.status_code == 422 and "received_on" in response.get_json()["errors"]


def test_a_first_day_already_past_is_refused(world):
    production = world.production()
    response = world.post(PATH, licence_body(production["id"], TODAY - timedelta(days=1)), world.producer)
    assert response.status_code == 422 and "days" in response.get_json()["errors"]
    assert world.get(PATH, world.officer).get_json()["total"] == 0


def test_below_the_hard_stop_an_application_is_refused_automatically(make_app):
    app = make_app("licensing", LICENCE_MIN_NOTICE_DAYS_HARD="10")
    with time_machine.travel(TODAY_AT, tick=False):
        world = LicensingWorld(app)
        refused = world.apply(TODAY + timedelta(days=9))
        on_time = world.apply(TODAY + timedelta(days=10))
    assert refused["status"] == "refused" and refused["refusal_reason"]
    assert refused["decided_at"] is not None and refused["parent_part"]["state"] == "not_requested"
    assert on_time["status"] == "submitted" and on_time["late"] is True
    assert len(world.outbox(PARENT_EMAIL)) == 1  # only the application that goes ahead
    to_producer = [m.subject for m in world.outbox("pat@theatre.example")]
    assert any("refused" in s for s in to_producer)
    assert "performance_licence.refused_automatically" in world.actions("performance_licence", refused["id"])


def test_no_hard_stop_by_default(world):
    created = world.apply(TODAY + timedelta(days=1))
    assert created["status"] == "submitted" and created["late"] is True


def test_schedule_breaches_and_warnings_are_stored_and_shown(world):
    production = world.production()
    long_day = day(TODAY + timedelta(days=30), arrive="06:00", leave="17:00")
    body = licence_body(
        production["id"],
        TODAY + timedelta(days=30),
        days=[long_day, *days_from(TODAY + timedelta(days=31), 6)],  # seven days in a row
        chaperone={
            "approval_number": "CH-2025-000123",
            "children_in_care": 10,
            "also_private_teacher": False,
        },
    )
    response = world.post(PATH, body, world.producer)
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    codes = {b["code"] for b in created["breaches"]}
    assert {"earliest_time", "consecutive_days"} <= codes
    assert "chaperone_ratio" in {w["code"] for w in created["warnings"]}
    assert all(set(b) == {"code", "date", "message"} for b in created["breaches"])
    assert world.licence(created["id"])["breaches"] == created["breaches"]


def test_an_applicant_sees_only_applications_in_their_own_productions(world):
    mine = world.apply(TODAY + timedelta(days=30))
    theirs = world.apply(TODAY + timedelta(days=30), headers=world.other_producer)
    assert world.get(f"{PATH}/{theirs['id']}", world.producer).status_code == 404
    assert world.post(f"{PATH}/{theirs['id']}/withdraw", {}, world.producer).status_code == 404
    assert world.post(f"{PATH}/{theirs['id']}/parent-link", {}, world.producer).status_code == 404
    assert world.post(f"{PATH}/{theirs['id']}/submit", {}, world.producer).status_code == 404
    assert (
        world.put(f"{PATH}/{theirs['id']}/sections/child", child_section(), world.producer).status_code == 404
    )
    listed = world.get(PATH, world.producer).get_json()
    assert [item["id"] for item in listed["items"]] == [mine["id"]]
    assert {item["id"] for item in world.get(PATH, world.officer).get_json()["items"]} == {
        mine["id"],
        theirs["id"],
    }


def test_applying_in_another_producers_production_is_refused(world):
    theirs = world.production(world.other_producer)
    response = world.post(PATH, licence_body(theirs["id"], TODAY + timedelta(days=30)), world.producer)
    assert response.status_code == 422 and "production_id" in response.get_json()["errors"]


def test_producers_do_not_see_the_councils_checks(world):
    created = world.apply(TODAY + timedelta(days=30))
    assert created["checks"] is None and created["outstanding"] is None
    staff_view = world.licence(created["id"])
    assert staff_view["checks"] == []
    assert staff_view["outstanding"] == [
        "parent_part",
        "education",
        "social_care",
        "early_help",
        "school_opinion",
        "education_arrangements",  # the child misses a school day
    ]


def test_list_filters_and_pagination(world):
    production = world.production()
    first = world.apply(TODAY + timedelta(days=30), production_id=production["id"])
    second = world.apply(TODAY + timedelta(days=40))
    world.post(f"{PATH}/{second['id']}/withdraw", {}, world.producer)
    by_status = world.get(f"{PATH}?status=withdrawn", world.producer).get_json()
    assert [i["id"] for i in by_status["items"]] == [second["id"]]
    by_production = world.get(f"{PATH}?production_id={production['id']}", world.officer).get_json()
    assert [i["id"] for i in by_production["items"]] == [first["id"]]
    page = world.get(f"{PATH}?page=2&page_size=1", world.officer).get_json()
    assert (page["total"], page["page"], len(page["items"])) == (2, 2, 1)
    for query in ("page_size=101", "page=0", "status=lost", "production_id=0", "production_id=99999999999"):
        assert world.get(f"{PATH}?{query}", world.officer).status_code == 422, query


def test_withdrawal_by_the_producer_while_submitted(world):
    created = world.apply(TODAY + timedelta(days=30))
    token = world.parent_token()
    response = world.post(
        f"{PATH}/{created['id']}/withdraw", {"reason": "Child has left the cast"}, world.producer
    )
    assert response.status_code == 200 and response.get_json()["status"] == "withdrawn"
    assert world.post(f"{PATH}/{created['id']}/withdraw", {}, world.producer).status_code == 409
    assert world.get(f"/api/v1/parent-part/{token}").status_code == 410
    assert "withdrawn" in world.outbox(PARENT_EMAIL)[-1].subject
    events = world.audit("performance_licence", created["id"])
    withdrawn = [e for e in events if e.action == "performance_licence.withdrawn"][0]
    assert (withdrawn.before, withdrawn.after) == ({"status": "submitted"}, {"status": "withdrawn"})
    assert withdrawn.note == "Child has left the cast"


def test_parent_link_can_be_sent_again_and_the_old_one_stops_working(world):
    created = world.apply(TODAY + timedelta(days=30))
    old = world.parent_token()
    response = world.post(
        f"{PATH}/{created['id']}/parent-link", {"parent_email": "carer@example.org"}, world.producer
    )
    assert response.status_code == 200
    assert response.get_json()["parent"]["email"] == "carer@example.org"
    assert world.get(f"/api/v1/parent-part/{old}").status_code == 410
    new = world.link_token("parent-part", "carer@example.org")
    assert world.get(f"/api/v1/parent-part/{new}").status_code == 200
    assert "performance_licence.parent_email_changed" in world.actions("performance_licence", created["id"])
    assert world.complete_parent_part(new).status_code == 201
    again = world.post(f"{PATH}/{created['id']}/parent-link", {}, world.producer)
    assert again.status_code == 409


def test_draft_filled_section_by_section_then_submitted(world):
    production = world.production()
    created = world.post(f"/api/v1/productions/{production['id']}/children", {}, world.producer)
    assert created.status_code == 201
    draft = created.get_json()
    assert draft["status"] == "draft" and draft["reference"].startswith("PL-2026-")
    assert set(draft["tasks"].values()) == {"not_started"}
    base = f"{PATH}/{draft['id']}"

    incomplete = world.post(f"{base}/submit", {}, world.producer)
    assert incomplete.status_code == 422
    assert set(incomplete.get_json()["errors"]) == {"child", "days", "chaperone", "education"}

    body = licence_body(production["id"], TODAY + timedelta(days=28))
    sections = {
        "child": {"child": body["child"], "parent": body["parent"]},
        "days": {"days": body["days"], "night_work": False},
        "chaperone": {"chaperone": {"is_parent": True}},
        "education": {"education": None},
    }
    for section, section_body in sections.items():
        response = world.put(f"{base}/sections/{section}", section_body, world.producer)
        assert response.status_code == 200, response.get_json()
        assert response.get_json()["tasks"][section] == "completed"
    assert world.licence(draft["id"])["education"] == {"school_days_missed": 0, "tutor": None}
    assert world.outbox(PARENT_EMAIL) == []  # nobody is emailed about a draft

    submitted = world.post(f"{base}/submit", {}, world.producer)
    assert submitted.status_code == 200, submitted.get_json()
    body = submitted.get_json()
    assert body["status"] == "submitted" and body["days_notice"] == 28 and body["late"] is False
    assert len(world.outbox(PARENT_EMAIL)) == 1
    assert world.post(f"{base}/submit", {}, world.producer).status_code == 409
    assert world.put(f"{base}/sections/child", sections["child"], world.producer).status_code == 409
    actions = world.actions("performance_licence", draft["id"])
    assert actions.count("performance_licence.section_saved") == 4
    assert actions[-2:] == ["performance_licence.submitted", "performance_licence.parent_link_sent"]


def test_draft_sections_are_validated(world):
    production = world.production()
    draft = world.post(
        f"/api/v1/productions/{production['id']}/children", child_section(), world.producer
    ).get_json()
    assert draft["tasks"]["child"] == "completed"
    base = f"{PATH}/{draft['id']}/sections"
    assert world.put(f"{base}/days", {"days": []}, world.producer).status_code == 422
    assert world.put(f"{base}/days", {"days": [{"date": "2026-13-01"}]}, world.producer).status_code == 422
    assert world.put(f"{base}/chaperone", {}, world.producer).status_code == 422
    assert world.put(f"{base}/unknown", {}, world.producer).status_code == 404
    twice = [day(TODAY + timedelta(days=30)), day(TODAY + timedelta(days=30))]
    response = world.put(f"{base}/days", {"days": twice}, world.producer)
    assert response.status_code == 422 and "days.1.date" in response.get_json()["errors"]
    only_child = world.post(
        f"/api/v1/productions/{production['id']}/children",
        {"child": child_section()["child"]},
        world.producer,
    )
    assert only_child.status_code == 422 and "parent" in only_child.get_json()["errors"]


def test_days_before_the_child_was_born_are_refused_whichever_section_comes_first(world):
    production = world.production()
    early = [day(date(2015, 6, 13))]
    body = licence_body(production["id"], TODAY + timedelta(days=30), days=early)
    whole = world.post(PATH, body, world.producer)
    assert whole.status_code == 422 and "days.0.date" in whole.get_json()["errors"]
    draft = world.post(f"/api/v1/productions/{production['id']}/children", {}, world.producer).get_json()
    base = f"{PATH}/{draft['id']}/sections"
    assert world.put(f"{base}/days", {"days": early}, world.producer).status_code == 200
    response = world.put(f"{base}/child", child_section(), world.producer)
    assert response.status_code == 422 and "days" in response.get_json()["errors"]


def test_roles_and_sign_in(world):
    created = world.apply(TODAY + timedelta(days=30))
    assert world.get(PATH).status_code == 401
    assert world.get(f"{PATH}/{created['id']}").status_code == 401
    assert world.post(PATH, {}).status_code == 401
    add_user(world.app, "school@example.org", "school", school_urn="122000")
    school = bearer(token_for(world.client, "school@example.org"))
    assert world.get(PATH, school).status_code == 403
    assert world.get(f"{PATH}/{created['id']}", school).status_code == 403
    assert world.get(f"{PATH}/{created['id']}/parent-part/photo", world.producer).status_code == 403


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"production_id": "1"}, "production_id"),
        ({"production_id": 2**40}, "production_id"),
        ({"child": {"first_name": "Zoë"}}, "child.last_name"),
        ({"child": {**child_section()["child"], "date_of_birth": "2030-01-01"}}, "child.date_of_birth"),
        ({"parent": {"name": "Sam", "email": "nope", "address": "x"}}, "parent.email"),
        ({"days": []}, "days"),
        ({"days": "monday"}, "days"),
        ({"chaperone": None}, "chaperone"),
        ({"night_work": "sometimes"}, "night_work"),
        ({"received_on": "yesterday"}, "received_on"),
    ],
)
def test_invalid_applications_are_422_with_the_field(world, change, field):
    production = world.production()
    body = {**licence_body(production["id"], TODAY + timedelta(days=30)), **change}
    response = world.post(PATH, body, world.producer)
    assert response.status_code == 422, response.get_json()
    assert any(key == field or key.startswith(field + ".") for key in response.get_json()["errors"]), (
        response.get_json()
    )


@pytest.mark.parametrize("body", [[], None, "x", {"production_id": None}, {"days": [None]}, {"child": []}])
def test_odd_bodies_are_never_500(world, body):
    response = world.client.post(PATH, json=body, headers=world.producer)
    assert response.status_code in (400, 422)


def test_odd_paths_are_404_not_500(world):
    for path in (f"{PATH}/0", f"{PATH}/2147483647", f"{PATH}/2147483648", f"{PATH}/-1", f"{PATH}/x"):
        assert world.get(path, world.officer).status_code == 404, path
    assert world.post(f"{PATH}/2147483647/withdraw", {}, world.officer).status_code == 404
